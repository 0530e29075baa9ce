"""The gateway's own reading of the graph (the catalogue behind pages and the REST API, the search index) is
never cut by the row cap that protects clients (COOPKG_MAX_ROWS): it reads whole answers (`select_all`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from coopkg.settings import Settings
from coopkg.web.app import create_app

CAP = 7  # far fewer rows than commitments (49), labels or alignments: every catalogue query is paged


@pytest.fixture(scope="module")
def capped() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(max_rows=CAP))) as instance:
        yield instance


def test_the_commitments_api_counts_and_lists_all_49(capped: TestClient) -> None:
    answer = capped.get("/api/commitments", params={"per_page": "100"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["x-total-count"] == "49"
    items = answer.json()["items"]
    assert len(items) == 49
    assert len({item["id"] for item in items}) == 49


def test_labels_and_alignments_are_whole(capped: TestClient, client: TestClient) -> None:
    uncapped = client.get("/api/commitments", params={"per_page": "100"}).json()["items"]
    assert capped.get("/api/commitments", params={"per_page": "100"}).json()["items"] == uncapped


def test_a_clients_query_is_still_cut_at_the_cap(capped: TestClient) -> None:
    answer = capped.get(
        "/sparql",
        params={"query": "SELECT ?s WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 200
    assert len(answer.json()["results"]["bindings"]) == CAP
    assert answer.headers["coopkg-results-truncated"] == "true"


def test_the_search_index_holds_every_commitment(capped: TestClient) -> None:
    answer = capped.get("/api/search", params={"q": "合作", "type": "commitment", "per_page": "100"})
    assert answer.status_code == 200, answer.text
    assert int(answer.headers["x-total-count"]) > CAP


def test_a_whole_read_is_one_query_whatever_the_cap(shipped_store: object) -> None:
    """Not ordered pages (each page ran the whole query again: minutes for the catalogue of 10M triples)."""
    import asyncio

    import pyoxigraph as ox

    from coopkg.store.base import QueryRequest, QueryResponse
    from coopkg.store.inprocess import InProcessStore

    assert isinstance(shipped_store, ox.Store)
    asked: list[QueryRequest] = []

    class Counting(InProcessStore):
        async def execute(self, request: QueryRequest) -> QueryResponse:
            asked.append(request)
            return await super().execute(request)

    store = Counting(shipped_store, version="v", max_rows=CAP)
    query = "PREFIX coop: <https://w3id.org/coopkg/def#> SELECT ?c WHERE { ?c a coop:Commitment }"
    rows = asyncio.run(store.select_all(query))
    assert len(rows) == 49
    assert len(asked) == 1
    assert asked[0].whole
    assert len(asyncio.run(store.select(query)).rows) == CAP  # a client's query is still cut
