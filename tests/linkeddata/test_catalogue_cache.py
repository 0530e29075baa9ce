"""Catalogues per programme (coopkg.linkeddata.catalogue_cache): the directory once, each programme's
commitments on first use, every commitment only for what spans the whole graph; the same answers as the
catalogue read whole. On the shipped graph with the invented programmes of tests/invented/."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pyoxigraph as ox
import pytest

from coopkg.linkeddata import catalogue_reading
from coopkg.linkeddata.catalogue import (
    LINK_KINDS,
    PROGRAMME_KINDS,
    SHARED_KINDS,
    Catalogue,
    LinksNotRead,
    ProgrammeNotRead,
)
from coopkg.linkeddata.catalogue_cache import CatalogueCache
from coopkg.store.base import Row
from coopkg.store.inprocess import InProcessStore

T = TypeVar("T")
Runner = Callable[[Coroutine[Any, Any, T]], T]
ID = "https://w3id.org/coopkg/id/"
SHIPPED = f"{ID}programme/cn-dk-green-2023-2026"
SUCCESSOR = f"{ID}programme/test-invented-2027-2030"


class RecordingStore(InProcessStore):
    """The in-process store, noting the text of every whole read the catalogue makes."""

    def __init__(self, store: ox.Store, version: str) -> None:
        super().__init__(store, version=version)
        self.asked: list[str] = []

    async def select_all(self, query: str) -> list[Row]:
        self.asked.append(query)
        return await super().select_all(query)

    def whole_reads(self) -> int:
        """Commitment reads without a VALUES block: reads of every commitment of the graph."""
        return sum(1 for q in self.asked if "coop:section ?section" in q and "VALUES ?programme" not in q)

    def programme_reads(self) -> int:
        return sum(1 for q in self.asked if "VALUES ?programme" in q and "GROUP_CONCAT" in q)


@pytest.fixture(scope="module")
def whole(invented_store: ox.Store, run_async: Runner[Catalogue]) -> Catalogue:
    return run_async(catalogue_reading.load(InProcessStore(invented_store, version="whole")))


def test_the_links_read_by_query_are_those_counted_from_every_commitment(
    invented_store: ox.Store, whole: Catalogue, run_async: Runner[Any]
) -> None:
    directory = run_async(catalogue_reading.read_directory(InProcessStore(invented_store, version="d")))
    assert len(whole.links.described) >= 3  # the shipped programme and invented ones
    for kind in LINK_KINDS:  # the whole graph's counts, of every kind
        assert directory.links.totals(kind) == whole.links.totals(kind), kind
        assert whole.links.totals(kind) or kind == "standing", f"no {kind} links to compare"
    for kind in PROGRAMME_KINDS:  # and per programme, for a programme's own things
        for programme in whole.links.described:
            assert directory.links.things(kind, programme) == whole.links.things(kind, programme)
            for thing in whole.links.things(kind, programme):
                assert directory.links.count_in(kind, thing, programme) == whole.links.count_in(
                    kind, thing, programme
                )
    assert directory.things == whole.things
    assert directory.labels == whole.labels
    assert directory.programmes == whole.programmes


def test_each_programme_read_alone_has_the_commitments_the_whole_read_has(
    invented_store: ox.Store, whole: Catalogue, run_async: Runner[Any]
) -> None:
    store = RecordingStore(invented_store, "v1")
    cache = CatalogueCache()
    for programme in sorted(whole.links.described):
        scoped = run_async(cache.of(store, [programme]))
        assert scoped.of_programme(programme) == whole.of_programme(programme)
        assert len(scoped.of_programme(programme)) == whole.links.count_in("programme", programme, programme)
        assert not scoped.complete
    assert store.whole_reads() == 0


def test_a_programme_not_read_is_an_error_not_an_empty_list(
    invented_store: ox.Store, run_async: Runner[Any]
) -> None:
    scoped = run_async(CatalogueCache().of(RecordingStore(invented_store, "v1"), [SHIPPED]))
    with pytest.raises(ProgrammeNotRead, match="test-invented-2027-2030"):
        scoped.of_programme(SUCCESSOR)


def test_programmes_are_read_once_and_only_the_most_recent_are_kept(
    invented_store: ox.Store, run_async: Runner[Any]
) -> None:
    store = RecordingStore(invented_store, "v1")
    cache = CatalogueCache(programmes=1)

    async def visit(*programmes: str) -> None:
        for programme in programmes:
            await cache.of(store, [programme])

    run_async(visit(SHIPPED, SHIPPED))
    assert store.programme_reads() == 1  # commitments of one group of programmes, read once
    run_async(visit(SUCCESSOR, SHIPPED))  # the successor pushed the shipped programme out
    assert store.programme_reads() == 3
    assert store.whole_reads() == 0


def test_concurrent_requests_for_a_programme_share_one_read(
    invented_store: ox.Store, run_async: Runner[Any]
) -> None:
    import asyncio

    store = RecordingStore(invented_store, "v1")
    cache = CatalogueCache()

    async def together() -> list[Catalogue]:
        return list(await asyncio.gather(*(cache.of(store, [SHIPPED]) for _ in range(5))))

    answers = run_async(together())
    assert store.programme_reads() == 1
    assert all(a.of_programme(SHIPPED) == answers[0].of_programme(SHIPPED) for a in answers)


def test_more_programmes_than_are_kept_read_everything_once(
    invented_store: ox.Store, whole: Catalogue, run_async: Runner[Any]
) -> None:
    store = RecordingStore(invented_store, "v1")
    cache = CatalogueCache(programmes=1)
    every = run_async(cache.of(store, whole.links.described))
    assert every.complete
    assert [c.iri for c in every.commitments] == [c.iri for c in whole.commitments]
    run_async(cache.of(store, [SHIPPED]))  # answered from the whole catalogue now
    assert store.whole_reads() == 1
    assert store.programme_reads() == 0


def test_a_new_data_version_is_read_afresh(invented_store: ox.Store, run_async: Runner[Any]) -> None:
    store = RecordingStore(invented_store, "v1")
    cache = CatalogueCache()
    run_async(cache.of(store, [SHIPPED]))
    store._version = "v2"  # what a reload does to the store's version
    run_async(cache.of(store, [SHIPPED]))
    assert store.programme_reads() == 2
    assert sum(1 for q in store.asked if "GROUP BY ?programme ?link ?thing" in q) == 2  # the links, twice


def test_pages_of_one_programme_and_counts_read_no_other_commitments() -> None:
    from fastapi.testclient import TestClient

    from coopkg.settings import Settings
    from coopkg.web.app import create_app

    with TestClient(create_app(Settings())) as client:
        for path in (
            "/id/programme/cn-dk-green-2023-2026",
            "/id/programme/cn-dk-green-2023-2026/section/05",
            "/sdg/6",
            "/api/areas",
            "/api/sdg/goals",
            "/api/commitments?area=programme/cn-dk-green-2023-2026/area/1",
            "/programmes",
        ):
            assert client.get(path).status_code == 200, path
        cache = client.app.state.linkeddata_site.catalogues
        assert not cache.holds_every_commitment
        assert client.get("/api/commitments").status_code == 200  # every commitment: read whole now
        assert cache.holds_every_commitment


def test_shared_links_are_totals_only_and_asking_them_per_programme_is_an_error(
    invented_store: ox.Store, run_async: Runner[Any]
) -> None:
    directory = run_async(catalogue_reading.read_directory(InProcessStore(invented_store, version="d")))
    for kind in SHARED_KINDS:
        assert not directory.links.by_programme(kind)
        with pytest.raises(LinksNotRead, match=kind):
            directory.links.programmes(kind, "http://metadata.un.org/sdg/6")
    assert all(directory.links.by_programme(kind) for kind in PROGRAMME_KINDS)


@pytest.mark.parametrize("kind", SHARED_KINDS)
def test_the_programmes_linked_to_a_shared_thing_are_those_of_every_commitment(
    kind: str, invented_store: ox.Store, whole: Catalogue, run_async: Runner[Any]
) -> None:
    store = RecordingStore(invented_store, "v1")
    cache = CatalogueCache()
    things = sorted(whole.links.linked(kind))
    assert things, f"the test graph has no {kind} links"
    for thing in things:
        assert run_async(cache.programmes_linked(store, kind, [thing])) == whole.links.programmes(kind, thing)
    assert run_async(cache.programmes_linked(store, kind, things)) == frozenset().union(
        *(whole.links.programmes(kind, thing) for thing in things)
    )
    asked = len(store.asked)
    run_async(cache.programmes_linked(store, kind, [things[0]]))  # kept: no second question
    assert len(store.asked) == asked
    assert store.whole_reads() == 0


def test_the_programmes_under_a_framework_include_those_aligned_to_its_articles(
    invented_store: ox.Store, whole: Catalogue, run_async: Runner[Any]
) -> None:
    cache = CatalogueCache()
    store = RecordingStore(invented_store, "v1")
    framework = f"{ID}framework/paris-agreement"
    articles = [t for t in whole.links.linked("target") if t.startswith(framework + "/")]
    assert articles, "the test graph aligns nothing to a Paris Agreement article"
    expected = whole.links.programmes("framework", framework).union(
        *(whole.links.programmes("target", article) for article in articles)
    )
    assert expected
    assert run_async(cache.programmes_under(store, framework)) == expected


def test_a_filter_value_that_is_no_iri_is_refused_before_the_store_is_asked() -> None:
    """Filter values become RDF terms of the linking queries: one that is no IRI is a 422 saying so."""
    from fastapi.testclient import TestClient

    from coopkg.settings import Settings
    from coopkg.web.app import create_app

    with TestClient(create_app(Settings())) as client:
        for params in (
            {"framework": "http://example.org/a b"},
            {"sdg": "6", "area": "http://example.org/<x>"},
        ):
            answer = client.get("/api/commitments", params=params)
            assert answer.status_code == 422, answer.text
            assert "is not an IRI" in answer.json()["detail"]


def test_once_every_commitment_is_read_no_question_is_asked_for_shared_links(
    invented_store: ox.Store, whole: Catalogue, run_async: Runner[Any]
) -> None:
    store = RecordingStore(invented_store, "v1")
    cache = CatalogueCache()
    run_async(cache.whole(store))
    asked = len(store.asked)
    goal = "http://metadata.un.org/sdg/6"
    assert run_async(cache.programmes_linked(store, "goal", [goal])) == whole.links.programmes("goal", goal)
    assert len(store.asked) == asked
