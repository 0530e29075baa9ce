"""Reading the catalogue from a store: the directory (things, labels, programmes' facts, links) in five
queries, the commitments with their alignments for given programmes (or for all) in two more, and which
programmes link to given shared things (frameworks, agencies, targets, goals) in one.

Each query is read whole (`Store.select_all`), however small the client row cap: these are the gateway's own
reads. Programmes are asked for in groups (a VALUES block of their IRIs opening the WHERE group).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import defaultdict
from collections.abc import Sequence

import pyoxigraph as ox

from coopkg.linkeddata.catalogue import (
    SHARED_KINDS,
    Alignment,
    Catalogue,
    Commitment,
    Directory,
    Labels,
    Links,
    Programme,
    Thing,
    goal_number,
    small_number,
)
from coopkg.linkeddata.sparql_files import query_text
from coopkg.rdf.namespaces import RDFS_LABEL
from coopkg.sparql.text import opening_values
from coopkg.store.base import Row, Store

GROUP = 64  # programmes per question: a page needs one or a few; a framework's page may need hundreds


async def load(store: Store, directory: Directory | None = None) -> Catalogue:
    """The catalogue of every programme: the directory (read unless given) and every commitment."""
    commitments, alignments, read = await asyncio.gather(
        store.select_all(query_text("catalogue-commitments")),
        store.select_all(query_text("catalogue-alignments")),
        _directory_rows(store) if directory is None else _none(),
    )
    listed = _commitments(commitments, alignments)
    # Read whole, the links are counted from the commitments themselves (every kind per programme).
    if directory is None:
        assert read is not None
        things, labels, programmes = read
        directory = _directory(things, labels, programmes, Links.of(listed))
    else:
        directory = dataclasses.replace(directory, links=Links.of(listed))
    return Catalogue(listed, {}, {}, directory=directory)


async def read_directory(store: Store) -> Directory:
    """The directory of the whole graph without its commitments (five queries, concurrently)."""
    read, links, link_totals = await asyncio.gather(
        _directory_rows(store),
        store.select_all(query_text("catalogue-links")),
        store.select_all(query_text("catalogue-link-totals")),
    )
    counts: dict[tuple[str, str, str], int] = {}
    for row in links:
        kind, thing, programme = _text(row, "link"), _text(row, "thing"), _text(row, "programme")
        if kind and thing and programme:
            counts[kind, thing, programme] = _int(row, "commitments") or 0
    totals: dict[tuple[str, str], int] = {}
    for row in link_totals:
        kind, thing = _text(row, "link"), _text(row, "thing")
        if kind and thing:
            totals[kind, thing] = _int(row, "commitments") or 0
    return _directory(*read, Links(counts, totals))


async def read_linking_programmes(store: Store, kind: str, things: Sequence[str]) -> frozenset[str]:
    """The programmes with a commitment that links to one of `things` in this (shared) way."""
    if kind not in SHARED_KINDS:
        raise ValueError(f"the directory's links answer this for {kind!r}: no query needed")
    groups = [things[i : i + GROUP] for i in range(0, len(things), GROUP)]
    query = query_text(f"catalogue-linking-{kind}")
    answers = await asyncio.gather(*(store.select_all(opening_values(query, "thing", g)) for g in groups))
    return frozenset(found for rows in answers for row in rows if (found := _text(row, "programme")))


async def read_commitments(store: Store, programmes: Sequence[str]) -> dict[str, list[Commitment]]:
    """The commitments of `programmes` (each programme's list in document order, empty when it has none)."""
    groups = [programmes[i : i + GROUP] for i in range(0, len(programmes), GROUP)]

    async def read(group: Sequence[str]) -> list[Commitment]:
        commitments, alignments = await asyncio.gather(
            store.select_all(opening_values(query_text("catalogue-commitments"), "programme", group)),
            store.select_all(opening_values(query_text("catalogue-alignments"), "programme", group)),
        )
        return _commitments(commitments, alignments)

    found: dict[str, list[Commitment]] = {programme: [] for programme in programmes}
    for answer in await asyncio.gather(*(read(group) for group in groups)):
        for commitment in answer:
            if commitment.programme in found:
                found[commitment.programme].append(commitment)
    for listed in found.values():
        listed.sort(key=lambda c: (c.section_order, c.order, c.iri))
    return found


async def _none() -> None:
    return None


async def _directory_rows(store: Store) -> tuple[list[Row], list[Row], list[Row]]:
    things, labels, programmes = await asyncio.gather(
        store.select_all(query_text("catalogue-things")),
        store.select_all(query_text("catalogue-labels")),
        store.select_all(query_text("catalogue-programmes")),
    )
    return things, labels, programmes


def _commitments(commitments: list[Row], alignments: list[Row]) -> list[Commitment]:
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
    return [
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


def _directory(things: list[Row], labels: list[Row], programmes: list[Row], links: Links) -> Directory:
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
    return Directory(catalogue_things, dict(rdfs_labels), dict(pref_labels), catalogue_programmes, links)


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
