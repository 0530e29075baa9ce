"""The REST resources' data: filtering, sorting and paging commitments, and the entity lists with counts.

All of it runs over the catalogue in memory; request values are compared with catalogue values and never
enter SPARQL. Invalid values are InvalidParameter (422) saying what is expected.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pyoxigraph as ox

from coopkg.errors import InvalidParameter
from coopkg.linkeddata.catalogue import Catalogue, Commitment
from coopkg.linkeddata.site import Site
from coopkg.linkeddata.svg import GOALS, SDG_COLOURS
from coopkg.rdf.namespaces import ID, SDG
from coopkg.store.base import Store

SortKey = Literal["document", "-document", "section", "-section", "goals", "-goals", "relevance"]
SORT_KEYS: tuple[str, ...] = ("document", "-document", "section", "-section", "goals", "-goals", "relevance")
MAX_PER_PAGE = 200
_AREA_EXAMPLE = "programme/cn-dk-green-2023-2026/area/1"
_SECTION_EXAMPLE = "programme/cn-dk-green-2023-2026/section/05"
_FRAMEWORK_EXAMPLE = "framework/paris-agreement"
_TARGET = re.compile(r"(?:http://metadata\.un\.org/sdg/)?([0-9]{1,2})(?:\.([0-9a-z]{1,2}))?")


@dataclass(frozen=True)
class Filters:
    area: str | None = None
    section: str | None = None
    sdg: str | None = None
    framework: str | None = None
    mechanism: bool | None = None
    q: str | None = None


def resolve_iri(name: str, value: str, prefix: str) -> str:
    """A full IRI, or an id relative to `https://w3id.org/coopkg/id/` (`programme/.../area/1`)."""
    value = value.strip()
    iri = value if value.startswith(("http://", "https://")) else ID + value.lstrip("/")
    if value and not any(ch in value for ch in ' <>"{}|^`\\'):
        try:  # the value is asked of the store as an RDF term: it must be a valid IRI
            return ox.NamedNode(iri).value
        except ValueError:
            pass
    raise InvalidParameter(f"parameter '{name}' is not an IRI or an id like {prefix}: got {value!r}")


def parse_sdg(value: str) -> tuple[int, str | None]:
    """`6`, `6.3`, `6.a` or an SDG IRI -> (goal, target IRI or None)."""
    match = _TARGET.fullmatch(value.strip())
    if match is None or not 1 <= int(match[1]) <= 17:
        raise InvalidParameter(
            "parameter 'sdg' is a goal 1-17 or a target such as 6.3 "
            f"(or its IRI http://metadata.un.org/sdg/6.3): "
            f"got {value!r}"
        )
    goal = int(match[1])
    return goal, f"{SDG}{goal}.{match[2]}" if match[2] else None


async def programmes_to_read(site: Site, store: Store, filters: Filters) -> frozenset[str] | None:
    """The programmes whose commitments may pass `filters` (those of the area, section, SDG goal or target,
    framework, or with mechanisms), or None when only all of them will do (no such filter; `q` alone)."""
    scopes: list[frozenset[str]] = []
    # Every value is checked before the first read: a bad one is a 422 however the others would be answered.
    area = resolve_iri("area", filters.area, _AREA_EXAMPLE) if filters.area else None
    section = resolve_iri("section", filters.section, _SECTION_EXAMPLE) if filters.section else None
    sdg = parse_sdg(filters.sdg) if filters.sdg else None
    framework = resolve_iri("framework", filters.framework, _FRAMEWORK_EXAMPLE) if filters.framework else None
    if area:
        scopes.append(await site.programmes_linked(store, "area", area))
    if section:
        scopes.append(await site.programmes_linked(store, "section", section))
    if sdg:
        goal, target = sdg
        scopes.append(
            await site.programmes_linked(store, "target", target)
            if target
            else await site.programmes_linked(store, "goal", f"{SDG}{goal}")
        )
    if framework:
        scopes.append(await site.programmes_under(store, framework))
    if filters.mechanism is True:
        scopes.append((await site.directory_catalogue(store)).links.linked("mechanism"))
    return frozenset.intersection(*scopes) if scopes else None


def filter_commitments(
    catalogue: Catalogue, filters: Filters, matches: Mapping[str, int] | None = None
) -> list[Commitment]:
    """The commitments of the catalogue that pass every filter (a catalogue with at least the programmes
    `programmes_to_read` names); `q` keeps those in `matches` (commitment IRI -> rank), which the caller got
    from the search index for `q`."""
    items = list(catalogue.commitments)
    if filters.area:
        area = resolve_iri("area", filters.area, _AREA_EXAMPLE)
        items = [c for c in items if area in c.areas]
    if filters.section:
        section = resolve_iri("section", filters.section, _SECTION_EXAMPLE)
        items = [c for c in items if c.section == section]
    if filters.sdg:
        goal, target = parse_sdg(filters.sdg)
        # A target matches alignments to it; a goal matches alignments to the goal or any of its targets.
        items = [c for c in items if (target in c.targets if target else goal in c.goals)]
    if filters.framework:
        framework = resolve_iri("framework", filters.framework, _FRAMEWORK_EXAMPLE)
        items = [
            c
            for c in items
            if framework in c.frameworks
            or any(t == framework or t.startswith(framework + "/") for t in c.targets)
        ]
    if filters.mechanism is not None:
        items = [c for c in items if c.mechanism == filters.mechanism]
    if filters.q is not None:
        if not filters.q.strip():
            raise InvalidParameter("parameter 'q' is empty; give a word to search for (Chinese or English)")
        found = matches or {}  # the search index's answer for q (coopkg.search): one search, not two
        items = [c for c in items if c.iri in found]
    return items


def sort_commitments(
    items: list[Commitment], sort: str, ranks: Mapping[str, int] | None = None
) -> list[Commitment]:
    if sort not in SORT_KEYS:
        raise InvalidParameter(f"parameter 'sort' is one of {', '.join(SORT_KEYS)}: got {sort!r}")
    if sort == "relevance":  # the search index's rank for q; without q, document order
        found = ranks or {}
        return sorted(items, key=lambda c: (found.get(c.iri, len(found)), c.section_order, c.order, c.iri))
    key = sort.lstrip("-")
    reverse = sort.startswith("-")
    if key == "goals":
        return sorted(items, key=lambda c: (len(c.goals), c.section_order, c.order), reverse=reverse)
    if key == "section":
        return sorted(items, key=lambda c: (c.section, c.order), reverse=reverse)
    return sorted(items, key=lambda c: (c.programme, c.section_order, c.order, c.iri), reverse=reverse)


@dataclass(frozen=True)
class Page:
    items: list[Commitment]
    total: int
    page: int
    per_page: int

    @property
    def last_page(self) -> int:
        return max(1, -(-self.total // self.per_page))


def paginate(items: list[Commitment], page: int, per_page: int) -> Page:
    if page < 1:
        raise InvalidParameter(f"parameter 'page' counts from 1: got {page}")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidParameter(f"parameter 'per_page' is between 1 and {MAX_PER_PAGE}: got {per_page}")
    start = (page - 1) * per_page
    return Page(items[start : start + per_page], len(items), page, per_page)


def labels(catalogue: Catalogue, iri: str) -> dict[str, str]:
    found = {lang: catalogue.label(iri, lang) for lang in ("zh", "en") if catalogue.has_label(iri, lang)}
    return found or {"en": catalogue.label(iri, "en")}


def ref(catalogue: Catalogue, iri: str) -> dict[str, Any]:
    return {"id": iri, "label": labels(catalogue, iri)}


def commitment_json(catalogue: Catalogue, commitment: Commitment) -> dict[str, Any]:
    return {
        "id": commitment.iri,
        "key": commitment.iri.removeprefix(ID),
        "notation": commitment.notation,
        # The source's own words under their language tag, and our English rendering where it is not English.
        "text": {commitment.text_lang: commitment.text}
        | ({"en": commitment.text_en} if commitment.text_en else {}),
        "textLanguage": commitment.text_lang,
        "englishOfficial": commitment.text_lang == "en",
        "programme": ref(catalogue, commitment.programme),
        "section": ref(catalogue, commitment.section),
        "areas": [ref(catalogue, iri) for iri in commitment.areas],
        "frameworks": [ref(catalogue, iri) for iri in commitment.frameworks],
        "agencies": [ref(catalogue, iri) for iri in commitment.agencies],
        "mechanism": commitment.mechanism,
        "frequency": ref(catalogue, commitment.frequency) if commitment.frequency else None,
        "alignments": [
            {
                "id": a.iri,
                "target": ref(catalogue, a.target),
                "goal": a.goal,
                "basis": a.basis,
                "rationale": a.rationale,
            }
            for a in commitment.alignments
        ],
    }


CSV_COLUMNS = (
    "id",
    "section",
    "notation",
    "text",
    "text_lang",
    "text_en_unofficial",
    "areas",
    "mechanism",
    "frequency",
    "frameworks",
    "agencies",
    "sdg_targets",
    "sdg_goals",
)


def commitments_csv(items: list[Commitment]) -> str:
    """One row per commitment; several values in a cell are separated by spaces (they are IRIs or numbers)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in items:
        writer.writerow(
            [
                c.iri,
                c.section,
                c.notation or "",
                c.text,
                c.text_lang,
                c.text_en or "",
                " ".join(c.areas),
                "true" if c.mechanism else "false",
                c.frequency or "",
                " ".join(c.frameworks),
                " ".join(c.agencies),
                " ".join(sorted(c.targets)),
                " ".join(str(g) for g in sorted(c.goals)),
            ]
        )
    return buffer.getvalue()


def entities(catalogue: Catalogue, kind: str) -> list[dict[str, Any]]:
    """Areas, sections, frameworks or agencies with how many commitments link to each (from the links: no
    commitment is read)."""
    listed = []
    for thing in catalogue.of_kind(kind):
        entry: dict[str, Any] = ref(catalogue, thing.iri) | {
            "commitments": catalogue.links.count(kind, thing.iri)
        }
        if kind == "area":
            entry["priority"] = bool(thing.priority)
        if kind == "section":
            entry["order"] = thing.order
            entry["programme"] = thing.part_of
            entry["areas"] = list(thing.areas)
        if thing.notation is not None:
            entry["notation"] = thing.notation
        listed.append(entry)
    return listed


def goals(catalogue: Catalogue) -> list[dict[str, Any]]:
    """The 17 goals with the commitments aligned to each (from the links)."""
    return [
        {
            "id": f"{SDG}{goal}",
            "number": goal,
            "label": labels(catalogue, f"{SDG}{goal}"),
            "colour": SDG_COLOURS[goal],
            "commitments": catalogue.links.count("goal", f"{SDG}{goal}"),
        }
        for goal in GOALS
    ]
