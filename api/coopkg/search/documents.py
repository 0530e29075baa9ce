"""What search indexes, read from a store through the store protocol (SPARQL answers), so the same code
builds the index in front of the embedded store and of a remote one.

The documents are read in batches, one group of programmes at a time (`document_batches`), so the gateway
never holds the documents of the whole graph: the index takes each batch in and lets it go (at 1M triples in
front of Virtuoso, reading them all at once peaked at 4 GB). The things every group refers to (programmes,
parties, frameworks, agencies, SDG goals and targets) are read once, first; a group's sections and areas only
while its commitments are indexed.

Stores cut long answers at their row limit (`COOPKG_MAX_ROWS`). Programme-scoped queries (commitments, their
links, sections, areas) are asked for groups of programmes (a VALUES block of their IRIs): a group whose
answer is cut is split in two and asked again, and a single programme whose answer is still cut is read
whole (`Store.select_all`). Nothing is sorted unless it has to be.
"""

from __future__ import annotations

import asyncio
import re
from collections import ChainMap, defaultdict
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from coopkg.sparql.text import opening_values
from coopkg.store.base import Row, Store

_DIR = Path(__file__).resolve().parent / "sparql"
_GROUP = 64  # programmes per question and batch (the shipped graph: one question each)
_CONCURRENT = 4  # questions in flight at once (the embedded store has as many workers as settings say)
_SDG = "http://metadata.un.org/sdg/"
_GOAL = re.compile(r"http://metadata\.un\.org/sdg/([0-9]{1,2})(?:\.[0-9a-z]{1,2})?")

KINDS = ("commitment", "programme", "section", "area", "agency", "framework", "party", "goal", "target")
# Filters a search takes, and the facet each document is tagged with.
FACETS = ("programme", "area", "goal", "framework", "party")


@cache
def query_text(name: str) -> str:
    return (_DIR / f"{name}.rq").read_text(encoding="utf-8")


@dataclass
class Document:
    """One searchable thing: its IRI, kind, texts by language, the labels around it, and its facets."""

    iri: str
    kind: str
    zh: list[str] = field(default_factory=list)  # the commitment's source text, or the thing's zh labels
    en: list[str] = field(default_factory=list)  # our English rendering, or the thing's en labels
    context: list[str] = field(default_factory=list)  # labels (zh and en) of what it belongs or links to
    facets: set[str] = field(default_factory=set)  # "area=<iri>", "goal=6", ...
    notation: str | None = None
    programme: str | None = None


@dataclass
class _Thing:
    kind: str
    labels: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    part_of: set[str] = field(default_factory=set)

    def all_labels(self) -> list[str]:
        return [*self.labels.get("zh", ()), *self.labels.get("en", ())]


def _value(row: Row, name: str) -> str | None:
    term = row.get(name)
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else None


def _lang(row: Row, name: str) -> str | None:
    term = row.get(name)
    if isinstance(term, ox.Literal) and term.language:
        return term.language.split("-")[0].lower()
    return None


def goal_of(iri: str) -> int | None:
    """6 for an SDG goal or target IRI (`.../sdg/6`, `.../sdg/6.3`); None for anything else."""
    match = _GOAL.fullmatch(iri)
    if match is None:
        return None
    number = int(match[1])
    return number if 1 <= number <= 17 else None


async def _per_programme(store: Store, query: str, programmes: Sequence[str]) -> list[Row]:
    """Rows of a programme-scoped `query` for all `programmes`, a group of them per question, each answer
    read whole (`Store.select_all`: never cut at the clients' row cap; from Virtuoso as SPARQL XML, which it
    writes faster than JSON: the 10M search index read in 29-33 s instead of 41-45 s)."""
    limit = asyncio.Semaphore(_CONCURRENT)

    async def ask(group: Sequence[str]) -> list[Row]:
        async with limit:
            return await store.select_all(opening_values(query, "programme", group))

    groups = [programmes[i : i + _GROUP] for i in range(0, len(programmes), _GROUP)]
    answers = await asyncio.gather(*(ask(group) for group in groups))
    return [row for answer in answers for row in answer]


async def _read_things(store: Store) -> dict[str, _Thing]:
    """The things every programme may refer to (programmes, parties, frameworks, agencies, goals, targets)."""
    things: dict[str, _Thing] = {}
    for row in await store.select_all(query_text("search-things")):
        iri, kind = _value(row, "thing"), _value(row, "kind")
        if iri is None or kind is None:
            continue
        thing = things.setdefault(iri, _Thing(kind))
        label, lang = _value(row, "label"), _lang(row, "label")
        if label and lang in ("zh", "en") and label not in thing.labels[lang]:
            thing.labels[lang].append(label)
        part_of = _value(row, "partOf")
        if part_of:
            thing.part_of.add(part_of)
    return things


async def _read_group(
    store: Store, programmes: Sequence[str], things: dict[str, _Thing], frameworks: Sequence[str]
) -> list[Document]:
    """The documents of some programmes' commitments, sections and areas."""
    commitments, links, parts = await asyncio.gather(
        _per_programme(store, query_text("search-commitments"), programmes),
        _per_programme(store, query_text("search-links"), programmes),
        _per_programme(store, query_text("search-parts"), programmes),
    )
    local: dict[str, _Thing] = {}
    for row in parts:
        iri, kind, programme = _value(row, "thing"), _value(row, "kind"), _value(row, "programme")
        if iri is None or kind is None or iri in things:
            continue
        thing = local.setdefault(iri, _Thing(kind))
        if programme:
            thing.part_of.add(programme)
        label, lang = _value(row, "label"), _lang(row, "label")
        if label and lang in ("zh", "en") and label not in thing.labels[lang]:
            thing.labels[lang].append(label)
    linked: dict[str, set[str]] = defaultdict(set)
    for row in links:
        commitment, link = _value(row, "commitment"), _value(row, "link")
        if commitment and link:
            linked[commitment].add(link)
    # A commitment refers to the sections and areas of its own programme (the reader makes them so): this
    # group's are looked up here and dropped with the group.
    around = ChainMap(local, things)
    documents = [_thing_document(iri, thing, around, frameworks) for iri, thing in local.items()]
    return documents + _commitment_documents(commitments, linked, around, frameworks)


async def document_batches(store: Store) -> AsyncIterator[list[Document]]:
    """Every document to index, a group of programmes at a time (see the module docstring); the next group
    is read while the caller indexes the one it was given."""
    things = await _read_things(store)
    frameworks = sorted(iri for iri, thing in things.items() if thing.kind == "framework")
    programmes = sorted(iri for iri, thing in things.items() if thing.kind == "programme")
    yield [_thing_document(iri, thing, things, frameworks) for iri, thing in things.items()]
    groups = [programmes[i : i + _GROUP] for i in range(0, len(programmes), _GROUP)]
    following = asyncio.ensure_future(_read_group(store, groups[0], things, frameworks)) if groups else None
    try:
        for number in range(len(groups)):
            assert following is not None
            batch = await following
            following = (
                asyncio.ensure_future(_read_group(store, groups[number + 1], things, frameworks))
                if number + 1 < len(groups)
                else None
            )
            yield batch
    finally:
        if following is not None:
            following.cancel()


async def read_documents(store: Store) -> list[Document]:
    """Every document to index at once (small graphs, tests and benchmarks; the gateway takes batches)."""
    return [document async for batch in document_batches(store) for document in batch]


def _facets_of_link(link: str, things: Mapping[str, _Thing], frameworks: Sequence[str]) -> Iterable[str]:
    kind = things[link].kind if link in things else None
    goal = goal_of(link)
    if goal is not None:
        yield f"goal={goal}"
    elif kind == "area":
        yield f"area={link}"
    if kind == "framework" or any(link.startswith(f + "/") for f in frameworks):
        # An article of a treaty (paris-agreement/article/7) counts for the treaty too.
        yield from (f"framework={f}" for f in frameworks if link == f or link.startswith(f + "/"))


def _thing_document(
    iri: str, thing: _Thing, things: Mapping[str, _Thing], frameworks: Sequence[str]
) -> Document:
    document = Document(iri, thing.kind, list(thing.labels.get("zh", ())), list(thing.labels.get("en", ())))
    for parent in sorted(thing.part_of):
        owner = things.get(parent)
        if owner is None:
            continue
        document.context += owner.all_labels()
        if owner.kind == "programme":
            document.programme = parent
            document.facets.add(f"programme={parent}")
        if owner.kind == "party":
            document.facets.add(f"party={parent}")
    if thing.kind == "programme":
        document.programme = iri
        document.facets.add(f"programme={iri}")
    document.facets.update(_facets_of_link(iri, things, frameworks))
    return document


def _commitment_documents(
    rows: list[Row], linked: dict[str, set[str]], things: Mapping[str, _Thing], frameworks: Sequence[str]
) -> list[Document]:
    documents: dict[str, Document] = {}
    for row in rows:
        iri = _value(row, "commitment")
        if iri is None:
            continue
        document = documents.get(iri)
        if document is None:
            document = documents[iri] = Document(iri, "commitment", notation=_value(row, "notation"))
            programme, section = _value(row, "programme"), _value(row, "section")
            if programme:
                document.programme = programme
                document.facets.add(f"programme={programme}")
                for party in sorted(things[programme].part_of if programme in things else ()):
                    if party in things and things[party].kind == "party":
                        document.facets.add(f"party={party}")
            if section and section in things:
                document.context += things[section].all_labels()
            for link in sorted(linked.get(iri, ())):
                document.facets.update(_facets_of_link(link, things, frameworks))
                owner = things.get(link)
                if owner is not None and owner.kind != "target":  # a target's text would drown the rest
                    document.context += owner.all_labels()
                goal = goal_of(link)
                if owner is not None and owner.kind == "target" and goal is not None:
                    goal_thing = things.get(f"{_SDG}{goal}")
                    if goal_thing is not None:
                        document.context += goal_thing.all_labels()
        for name, texts in (("textZh", document.zh), ("textEn", document.en)):
            text = _value(row, name)
            if text and text not in texts:
                texts.append(text)
    for document in documents.values():
        document.context = list(dict.fromkeys(document.context))
    return list(documents.values())
