"""What the pages and the REST resources list, read from the store in five queries and kept per data version.

Lists, filters, counts and pictures are computed in Python over this small in-memory catalogue, so a request
parameter (a filter, a search text, a sort key) never enters SPARQL at all, and a listing costs no query once
the catalogue of the current data version is built.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from coopkg.linkeddata.sparql_files import query_text
from coopkg.rdf.namespaces import RDFS_LABEL, SDG
from coopkg.store.base import Row, Store

Labels = dict[str, str]  # language tag -> text


@dataclass(frozen=True)
class Alignment:
    iri: str
    target: str
    goal: int | None  # the SDG goal number the target is (or falls under); None for a Paris Agreement article
    basis: str | None
    rationale: str | None


@dataclass(frozen=True)
class Commitment:
    iri: str
    programme: str
    section: str
    section_order: int
    order: int
    notation: str | None
    text: str  # the source's own words, in `text_lang`
    text_en: str | None  # our English rendering; None where the source is English (set once, here)
    mechanism: bool
    frequency: str | None
    stated_as: str | None
    areas: tuple[str, ...]
    frameworks: tuple[str, ...]
    agencies: tuple[str, ...]
    alignments: tuple[Alignment, ...] = ()
    standing: str | None = None  # the standing mechanism (id:mechanism/...) a mechanism holds
    text_lang: str = "zh"  # the language of the source's own text (its language tag; a source states it)

    @property
    def goals(self) -> frozenset[int]:
        return frozenset(a.goal for a in self.alignments if a.goal is not None)

    @property
    def targets(self) -> frozenset[str]:
        return frozenset(a.target for a in self.alignments)


@dataclass(frozen=True)
class Thing:
    """A listed resource: programme, section, area, framework, agency, party, actor type or SDG goal."""

    iri: str
    kind: str
    order: int | None
    notation: str | None
    priority: bool | None
    part_of: str | None
    areas: tuple[str, ...]


@dataclass(frozen=True)
class Programme:
    iri: str
    begin: str | None  # gYear lexical form, e.g. "2023"
    end: str | None
    parties: tuple[str, ...]
    predecessor: str | None
    basis: str | None
    document: str | None
    file: str | None  # the source text, relative to the data folder
    language: str | None = None  # the source document's language (dct:language), when stated


@dataclass
class Catalogue:
    commitments: list[Commitment]
    things: dict[str, Thing]
    labels: dict[str, Labels]
    pref_labels: dict[str, Labels] = field(default_factory=dict)
    programmes: dict[str, Programme] = field(default_factory=dict)

    def label(self, iri: str, lang: str) -> str:
        """The label in `lang`, else in the other of zh/en, else the IRI's last segment."""
        for table in (self.labels, self.pref_labels):
            labels = table.get(iri)
            if labels:
                if lang in labels:
                    return labels[lang]
                for other in ("en", "zh"):
                    if other in labels:
                        return labels[other]
        return iri.rstrip("/").rsplit("/", 1)[-1]

    def has_label(self, iri: str, lang: str) -> bool:
        return lang in self.labels.get(iri, {}) or lang in self.pref_labels.get(iri, {})

    def of_kind(self, kind: str) -> list[Thing]:
        things = [thing for thing in self.things.values() if thing.kind == kind]
        return sorted(things, key=_thing_order)

    def successors(self, programme: str) -> list[str]:
        """The programmes that name `programme` as their predecessor."""
        return sorted(p.iri for p in self.programmes.values() if p.predecessor == programme)

    def commitment(self, iri: str) -> Commitment | None:
        return self._by_iri.get(iri)

    def __post_init__(self) -> None:
        self.commitments.sort(key=lambda c: (c.programme, c.section_order, c.order, c.iri))
        self._by_iri = {commitment.iri: commitment for commitment in self.commitments}


def small_number(text: str) -> int | None:
    """A non-negative number written in at most 9 ASCII digits, else None.

    `str.isdigit` alone admits "²" and "٣" (which `int` refuses or maps) and any length (which `int` refuses
    past 4300 digits): values from requests and data are checked here before conversion.
    """
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def goal_number(iri: str) -> int | None:
    """3 for `http://metadata.un.org/sdg/3`; None for anything else."""
    if iri.startswith(SDG):
        code = iri[len(SDG) :]
        number = small_number(code)
        if number is not None and 1 <= number <= 17:
            return number
    return None


def _thing_order(thing: Thing) -> tuple[int, int, int, str]:
    goal = goal_number(thing.iri)
    # Priority areas first (in their list order), then the other areas by IRI; goals by number.
    return (0 if thing.priority is not False else 1, goal or 0, thing.order or 0, thing.iri)


def _text(row: Row, name: str) -> str | None:
    term = row.get(name)
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else None


def _flag(row: Row, name: str) -> bool | None:
    """A boolean column: xsd:boolean, or the 0/1 integer Virtuoso gives for a boolean expression (EXISTS)."""
    text = _text(row, name)
    return None if text is None else text in ("true", "1")


def _language(row: Row, name: str) -> str | None:
    term = row.get(name)
    return term.language.split("-")[0].lower() if isinstance(term, ox.Literal) and term.language else None


def _int(row: Row, name: str) -> int | None:
    text = _text(row, name)
    if text is None:
        return None
    number = small_number(text.removeprefix("-"))
    return None if number is None else -number if text.startswith("-") else number


def _iris(row: Row, name: str) -> tuple[str, ...]:
    return tuple(sorted((_text(row, name) or "").split()))


async def load(store: Store) -> Catalogue:
    """Run the catalogue's five queries (concurrently, each read whole however small the row cap) and
    assemble it."""
    commitments, alignments, things, labels, programmes = await asyncio.gather(
        store.select_all(query_text("catalogue-commitments")),
        store.select_all(query_text("catalogue-alignments")),
        store.select_all(query_text("catalogue-things")),
        store.select_all(query_text("catalogue-labels")),
        store.select_all(query_text("catalogue-programmes")),
    )
    by_commitment: dict[str, list[Alignment]] = defaultdict(list)
    for row in alignments:
        goal = _text(row, "goal")
        by_commitment[_text(row, "commitment") or ""].append(
            Alignment(
                iri=_text(row, "alignment") or "",
                target=_text(row, "target") or "",
                goal=goal_number(goal) if goal else None,
                basis=_text(row, "basis"),
                rationale=_text(row, "rationale"),
            )
        )
    listed = [
        Commitment(
            iri=(iri := _text(row, "commitment") or ""),
            programme=_text(row, "programme") or "",
            section=_text(row, "section") or "",
            section_order=_int(row, "sectionOrder") or 0,
            order=_int(row, "order") or 0,
            notation=_text(row, "notation"),
            text=_text(row, "text") or "",
            # Our English rendering exists only beside a source that is not English.
            text_en=_text(row, "textEn") if _language(row, "text") != "en" else None,
            mechanism=_flag(row, "mechanism") is True,
            frequency=_text(row, "frequency"),
            stated_as=_text(row, "statedAs"),
            areas=_iris(row, "areas"),
            frameworks=_iris(row, "frameworks"),
            agencies=_iris(row, "agencies"),
            alignments=tuple(sorted(by_commitment.get(iri, []), key=lambda a: a.iri)),
            standing=_text(row, "standing"),
            text_lang=_language(row, "text") or "zh",
        )
        for row in commitments
    ]
    catalogue_things = {
        thing_iri: Thing(
            iri=thing_iri,
            kind=_text(row, "kind") or "",
            order=_int(row, "order"),
            notation=_text(row, "notation"),
            priority=_flag(row, "priority"),
            part_of=_text(row, "partOf"),
            areas=_iris(row, "areas"),
        )
        for row in things
        if (thing_iri := _text(row, "thing")) is not None
    }
    rdfs_labels: dict[str, Labels] = defaultdict(dict)
    pref_labels: dict[str, Labels] = defaultdict(dict)
    for row in labels:
        thing, label, prop = row.get("thing"), row.get("label"), _text(row, "property")
        if isinstance(thing, ox.NamedNode) and isinstance(label, ox.Literal) and label.language:
            table = rdfs_labels if prop == RDFS_LABEL else pref_labels
            labelled, lang = table[thing.value], label.language.split("-")[0].lower()
            # Several labels in one language: the longest, whatever order the rows came in (the UN SDG KOS
            # gives some targets a cut-off second prefLabel, such as "By 2030,d" beside 12.3's full text).
            if lang not in labelled or (len(label.value), label.value) > (
                len(labelled[lang]),
                labelled[lang],
            ):
                labelled[lang] = label.value
    catalogue_programmes = {
        programme_iri: Programme(
            iri=programme_iri,
            begin=_text(row, "begin"),
            end=_text(row, "end"),
            parties=_iris(row, "parties"),
            predecessor=_text(row, "predecessor"),
            basis=_text(row, "basis"),
            document=_text(row, "document"),
            file=_text(row, "file"),
            language=_text(row, "language"),
        )
        for row in programmes
        if (programme_iri := _text(row, "programme")) is not None
    }
    return Catalogue(listed, catalogue_things, dict(rdfs_labels), dict(pref_labels), catalogue_programmes)


class CatalogueCache:
    """The catalogue of the store's current data version, built once (concurrent first requests wait)."""

    def __init__(self) -> None:
        self._version: str | None = None
        self._catalogue: Catalogue | None = None
        self._lock = asyncio.Lock()

    async def get(self, store: Store) -> Catalogue:
        version = store.version
        if self._catalogue is not None and self._version == version:
            return self._catalogue
        async with self._lock:
            if self._catalogue is None or self._version != version:
                self._catalogue = await load(store)
                self._version = version
            return self._catalogue
