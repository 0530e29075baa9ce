"""The gateway's own reading of a remote store (the catalogue, the search index): whole answers, never cut at
the client row cap, never ordered pages (Virtuoso refuses ORDER BY with an OFFSET past 10 000 rows), and the
search index's programme groups asked so that every engine joins them (Virtuoso 7.2.5 ignores a VALUES block
of several rows that opens a group followed by a UNION).

A store that cuts answers itself (Virtuoso's `ResultSetMaxRows`) is found out: a client's answer is flagged
truncated, and a read the gateway needs whole fails with a message that names the setting to raise.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from virtuoso_server import VirtuosoServer, loaded_virtuoso

from coopkg.errors import BadGateway
from coopkg.search.documents import Document, query_text, read_documents
from coopkg.settings import Settings
from coopkg.sparql.text import opening_values
from coopkg.store.inprocess import InProcessStore
from coopkg.store.remote import RemoteStore
from coopkg.web.app import create_app

pytestmark = [pytest.mark.remote]

PROGRAMME = "https://w3id.org/coopkg/id/programme/cn-dk-green-2023-2026"
ABSENT = [f"https://w3id.org/coopkg/id/programme/absent-{n}" for n in (1, 2)]
CAP = 7  # the client row cap: far fewer rows than commitments (49), labels or alignments
STORE_CAP = 5  # rows Virtuoso itself sends at most, in the capped store


def _documents(documents: list[Document]) -> list[tuple[str, str, tuple[str, ...], frozenset[str]]]:
    return sorted((d.iri, d.kind, tuple(sorted(d.zh + d.en)), frozenset(d.facets)) for d in documents)


@pytest.mark.parametrize("name", ["search-parts", "search-links", "search-commitments"])
def test_a_group_of_programmes_keeps_only_their_rows(remote_url: str, name: str) -> None:
    """Two programmes the store does not hold: no rows (Virtuoso gave every programme's rows for the VALUES
    block at the start of the group); the real one beside an absent one: the same rows as alone."""

    async def rows(programmes: list[str]) -> int:
        store = RemoteStore(remote_url, timeout=10.0, max_rows=100_000)
        try:
            return len((await store.select(opening_values(query_text(name), "programme", programmes))).rows)
        finally:
            await store.aclose()

    assert asyncio.run(rows(ABSENT)) == 0
    alone = asyncio.run(rows([PROGRAMME]))
    assert alone > 0
    assert asyncio.run(rows([PROGRAMME, ABSENT[0]])) == alone


def test_the_search_documents_read_from_the_store_are_the_embedded_ones(
    remote_url: str, shipped_store: ox.Store
) -> None:
    async def remote() -> list[Document]:
        store = RemoteStore(remote_url, timeout=10.0, max_rows=CAP)
        try:
            return await read_documents(store)
        finally:
            await store.aclose()

    embedded = asyncio.run(read_documents(InProcessStore(shipped_store, version="a", max_rows=100_000)))
    assert _documents(asyncio.run(remote())) == _documents(embedded)


@pytest.mark.parametrize(
    "engine", ["oxigraph", pytest.param("virtuoso", marks=[pytest.mark.virtuoso, pytest.mark.slow])]
)
def test_the_catalogue_and_search_see_everything_under_a_small_row_cap(
    engine: str, request: pytest.FixtureRequest
) -> None:
    url: str = request.getfixturevalue(f"{engine}_server").query_url
    settings = Settings(store="remote", remote_query_url=url, max_rows=CAP, query_timeout=30)
    with TestClient(create_app(settings)) as client:
        listed = client.get("/api/commitments", params={"per_page": "100"})
        assert listed.status_code == 200, listed.text
        assert listed.headers["x-total-count"] == "49"
        assert len({item["id"] for item in listed.json()["items"]}) == 49
        found = client.get("/api/search", params={"q": "合作", "type": "commitment", "per_page": "100"})
        assert found.status_code == 200, found.text
        assert int(found.headers["x-total-count"]) > CAP
        # A client's own query is still cut at the cap.
        answer = client.get(
            "/sparql",
            params={"query": "SELECT ?s WHERE { ?s ?p ?o }"},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert len(answer.json()["results"]["bindings"]) == CAP
        assert answer.headers["coopkg-results-truncated"] == "true"


@pytest.fixture(scope="module")
def capped_virtuoso(
    virtuoso_paths: tuple[Path, Path], shipped_nquads: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[VirtuosoServer]:
    """Virtuoso that sends at most 5 rows of any answer (`ResultSetMaxRows`), the shipped graphs loaded."""
    folder = tmp_path_factory.mktemp("virtuoso") / "capped"
    with loaded_virtuoso(virtuoso_paths, folder, shipped_nquads, result_rows=STORE_CAP) as server:
        yield server


@pytest.mark.virtuoso
@pytest.mark.slow
def test_an_answer_virtuoso_cut_itself_is_flagged_and_a_whole_read_refused(
    capped_virtuoso: VirtuosoServer,
) -> None:
    async def check() -> None:
        store = RemoteStore(capped_virtuoso.query_url, timeout=10.0, max_rows=10_000)
        try:
            cut = await store.select("SELECT ?s WHERE { ?s ?p ?o }")
            assert len(cut.rows) == STORE_CAP
            assert cut.truncated
            with pytest.raises(BadGateway, match="ResultSetMaxRows"):
                await store.select_all("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
        finally:
            await store.aclose()

    asyncio.run(check())
    settings = Settings(store="remote", remote_query_url=capped_virtuoso.query_url, query_timeout=30)
    with TestClient(create_app(settings)) as client:
        answer = client.get(
            "/sparql",
            params={"query": "SELECT ?s WHERE { ?s ?p ?o }"},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert answer.status_code == 200
        assert answer.headers["coopkg-results-truncated"] == "true"
        page = client.get("/api/commitments")
        assert page.status_code == 502
        assert page.headers["content-type"].startswith("application/problem+json")
        assert "ResultSetMaxRows" in page.json()["detail"]


def test_the_search_index_is_built_once_at_start_up(
    remote_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Under the data version read from the store, not the token the gateway has before it asks (the index
    was built twice: once under the token, again when the real version came)."""
    settings = Settings(store="remote", remote_query_url=remote_url, query_timeout=30)
    with caplog.at_level(logging.INFO, logger="coopkg.search"), TestClient(create_app(settings)) as client:
        assert client.get("/api/search", params={"q": "合作"}).status_code == 200
        assert client.get("/api/commitments").status_code == 200
        assert client.get("/api/search", params={"q": "水"}).status_code == 200
    builds = [r for r in caplog.records if r.getMessage().startswith("search index of data version")]
    assert len(builds) == 1, [r.getMessage() for r in builds]
