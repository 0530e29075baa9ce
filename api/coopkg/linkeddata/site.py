"""The per-app state of the linked-data layer: templates, the catalogues and rendered bytes per data version,
and the source texts. One `Site` per app (coopkg.web.dependencies keeps it on the app's state, made on first
use), never at module level.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape

from coopkg import resources
from coopkg.linkeddata.cache import VersionedCache
from coopkg.linkeddata.catalogue import Catalogue
from coopkg.linkeddata.catalogue_cache import CatalogueCache
from coopkg.linkeddata.formats import REPRESENTATIONS
from coopkg.linkeddata.i18n import Lang, words
from coopkg.store.base import Store

if TYPE_CHECKING:
    from coopkg.linkeddata.programmes import ComparisonView


@dataclass(frozen=True)
class PageAddress:
    """Where a page is asked for, in plain values (this layer knows no HTTP): path and query parameters."""

    path: str
    query: Mapping[str, str]


@dataclass(frozen=True)
class Alternate:
    name: str
    href: str
    media_type: str


class Site:
    def __init__(self, data_dirs: Sequence[Path] = (), *, catalogue_programmes: int = 256) -> None:
        self.templates = Environment(
            loader=PackageLoader("coopkg", "templates"),
            autoescape=select_autoescape(("html",), default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.catalogues = CatalogueCache(catalogue_programmes)
        self.rendered: VersionedCache[bytes] = VersionedCache()
        self.listings: VersionedCache[tuple[bytes, dict[str, str]]] = VersionedCache(1024)  # body, headers
        # Comparisons of two programmes by (left, right, lang): the text matching is the costly part, and the
        # page cache is keyed on the whole query string, which a client can vary at will.
        self.comparisons: VersionedCache[ComparisonView] = VersionedCache(256)
        # Where source texts are looked up (coop:sourceFile is relative to a data folder): the folders served
        # with --data, then the shipped data.
        self._data_dirs = [*data_dirs, resources.data_dir()]
        self._texts: dict[str, str | None] = {}

    async def catalogue_of(self, store: Store, programmes: Iterable[str]) -> Catalogue:
        """The catalogue with the commitments of `programmes` only (none: labels, facts and counts alone)."""
        return await self.catalogues.of(store, programmes)

    async def directory_catalogue(self, store: Store) -> Catalogue:
        """The catalogue of no programme's commitments: the whole graph's things, labels, programmes' facts
        and counts of links alone (what lists and counts across programmes need)."""
        return await self.catalogues.of(store, ())

    async def programmes_linked(self, store: Store, kind: str, thing: str) -> frozenset[str]:
        """The programmes with a commitment linked to `thing` this way (an area, an SDG goal, ...)."""
        return await self.catalogues.programmes_linked(store, kind, (thing,))

    async def programmes_under(self, store: Store, framework: str) -> frozenset[str]:
        """The programmes with a commitment citing `framework` or aligned to it or one of its parts."""
        return await self.catalogues.programmes_under(store, framework)

    async def whole_catalogue(self, store: Store) -> Catalogue:
        """The catalogue with every commitment: only for what really spans the whole graph."""
        return await self.catalogues.whole(store)

    async def source_text(self, relative: str | None) -> str | None:
        """The source text file (relative to the data folder) as the offsets count it, or None if absent."""
        if relative is None:
            return None
        if relative not in self._texts:
            self._texts[relative] = await asyncio.to_thread(self._read, relative)
        return self._texts[relative]

    def _read(self, relative: str) -> str | None:
        for folder in self._data_dirs:
            base = folder.resolve()
            path = (base / relative).resolve()
            if not path.is_relative_to(base) or not path.is_file():  # a name from the data, kept inside it
                continue
            # newline="" keeps line endings as they are: offsets count code points of the file unchanged.
            with path.open(encoding="utf-8", newline="") as handle:
                return handle.read()
        return None

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        return self.templates.get_template(name).render(**context)


def base_context(page: PageAddress, lang: Lang, *, alternates_for: str | None = None) -> dict[str, Any]:
    """What every page needs: its language, words, the zh/en switch and the other formats of its resource."""
    other: Lang = "zh" if lang == "en" else "en"
    params = dict(page.query)
    params["lang"] = other
    query = urlencode(params)
    alternates = []
    if alternates_for is not None:
        alternates = [
            Alternate(rep.suffix, f"{alternates_for}.{rep.suffix}", rep.media_type)
            for rep in REPRESENTATIONS[1:]
        ]
    return {
        "lang": lang,
        "other_lang": other,
        "t": words(lang),
        "switch_href": f"{page.path}?{query}",
        "alternates": alternates,
    }
