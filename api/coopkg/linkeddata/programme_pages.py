"""The pages across programmes: the programmes index (the home page when the graph describes more than one),
a party's page and two programmes side by side. Each gathers its view model (linkeddata/programmes.py) and
renders its template; the caller (a router) gives the page context, so nothing here knows HTTP.
"""

from __future__ import annotations

import asyncio
from typing import Any

from coopkg.linkeddata.describe import Description
from coopkg.linkeddata.i18n import Lang
from coopkg.linkeddata.programmes import (
    comparison_view,
    described_programmes,
    party_programmes,
    party_view,
    programme_iri,
    programme_summaries,
    standing_mechanism_view,
)
from coopkg.linkeddata.site import Site
from coopkg.linkeddata.views import Labeller, property_rows
from coopkg.store.base import Store


async def has_several_programmes(site: Site, store: Store) -> bool:
    """True when the home page should be the programmes index."""
    return len(described_programmes(await site.directory_catalogue(store))) > 1


async def index(site: Site, store: Store, context: dict[str, Any], lang: Lang) -> str:
    catalogue = await site.directory_catalogue(store)  # the summaries are counted from the links
    summaries = programme_summaries(catalogue, lang)
    return site.render("programmes.html", context | {"programmes": summaries})


async def party(
    site: Site, store: Store, context: dict[str, Any], lang: Lang, description: Description
) -> str:
    """A party and the programmes it agreed, each with all its commitments."""
    agreed = party_programmes(await site.directory_catalogue(store), description.iri)
    catalogue = await site.catalogue_of(store, agreed)
    view = party_view(catalogue, description.iri, lang)
    rows = property_rows(description, Labeller(catalogue, lang))
    words = context["t"]
    page = {"party": view, "iri": description.iri, "rows": rows, "kind_label": words["party"]}
    return site.render("party.html", context | page | {"lead": words["party_lead"]})


async def standing_mechanism(
    site: Site, store: Store, context: dict[str, Any], lang: Lang, description: Description
) -> str:
    """A standing mechanism and the programmes that hold it, each with the commitments that do."""
    links = (await site.directory_catalogue(store)).links
    catalogue = await site.catalogue_of(store, links.programmes("standing", description.iri))
    view = standing_mechanism_view(catalogue, description.iri, lang)
    rows = property_rows(description, Labeller(catalogue, lang))
    words = context["t"]
    page = {"party": view, "iri": description.iri, "rows": rows, "kind_label": words["standing_mechanism"]}
    return site.render("party.html", context | page | {"lead": words["standing_lead"]})


async def compare(site: Site, store: Store, context: dict[str, Any], lang: Lang, a: str, b: str) -> str:
    directory = await site.directory_catalogue(store)
    left, right = programme_iri(a, directory), programme_iri(b, directory)
    catalogue = await site.catalogue_of(store, (left, right))
    key = (left, right, lang)
    cached = site.comparisons.get(store.version, key)
    # n x m text comparisons: CPU work, kept off the event loop and done once per pair and data version
    view = cached or site.comparisons.put(
        store.version, key, await asyncio.to_thread(comparison_view, catalogue, a, b, lang)
    )
    note = context["t"]["matched_note"].replace("{threshold}", f"{view.threshold:.1f}")
    return site.render(
        "compare.html",
        context | {"c": view, "matched_note": note, "programmes": programme_summaries(catalogue, lang)},
    )
