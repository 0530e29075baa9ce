"""create_app with an injected in-process store: error mapping in one place, and the in-process store
answering like the embedded one (no worker processes, so these run in milliseconds)."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from coopkg.errors import NotFound
from coopkg.settings import Settings
from coopkg.store.inprocess import InProcessStore
from coopkg.web.app import create_app

GRAPH = ox.NamedNode("http://example.org/g")


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    store = ox.Store()
    for n in range(30):
        store.add(
            ox.Quad(
                ox.NamedNode(f"http://example.org/s{n}"),
                ox.NamedNode("http://example.org/p"),
                ox.Literal(f"value {n}"),
                GRAPH,
            )
        )
    settings = Settings(max_rows=10)
    app = create_app(settings, InProcessStore(store, version="test-1", max_rows=10))

    broken = APIRouter()

    @broken.get("/broken/domain")
    async def domain_error() -> None:
        raise NotFound("There is nothing at /broken/domain; try /sparql.")

    @broken.get("/broken/bug")
    async def bug() -> None:
        raise RuntimeError("secret internal detail")

    @broken.get("/broken/validation")
    async def validation(number: int) -> int:
        return number

    app.include_router(broken)
    with TestClient(app, raise_server_exceptions=False) as instance:
        yield instance


def test_domain_errors_are_problem_documents(client: TestClient) -> None:
    answer = client.get("/broken/domain")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json() == {
        "type": "https://w3id.org/coopkg/problem/not-found",
        "title": "Not found",
        "status": 404,
        "detail": "There is nothing at /broken/domain; try /sparql.",
        "instance": "/broken/domain",
    }


def test_unexpected_errors_show_no_internals(client: TestClient) -> None:
    answer = client.get("/broken/bug")
    assert answer.status_code == 500
    assert answer.json()["type"].endswith("internal-error")
    assert "secret" not in answer.text
    assert "Traceback" not in answer.text


def test_validation_errors_are_422_problems(client: TestClient) -> None:
    answer = client.get("/broken/validation", params={"number": "many"})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert "number" in answer.json()["detail"]


def test_in_process_store_answers_and_truncates(client: TestClient) -> None:
    answer = client.get(
        "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"}
    )
    assert answer.status_code == 200
    assert answer.headers["coopkg-results-truncated"] == "true"
    assert len(answer.text.strip().splitlines()) == 11
    graph = client.get("/sparql", params={"query": f"ASK {{ GRAPH <{GRAPH.value}> {{ ?s ?p ?o }} }}"})
    assert graph.json()["boolean"] is True


def test_in_process_store_typed_methods(client: TestClient) -> None:
    store = client.app.state.store  # type: ignore[attr-defined]
    result = client.portal.call(store.select, "SELECT ?o WHERE { <http://example.org/s3> ?p ?o }")  # type: ignore[union-attr]
    assert [row["o"] for row in result.rows] == [ox.Literal("value 3")]
    assert client.portal.call(store.ask, "ASK { ?s ?p ?o }") is True  # type: ignore[union-attr]
    triples = client.portal.call(store.construct, "CONSTRUCT WHERE { <http://example.org/s4> ?p ?o }")  # type: ignore[union-attr]
    assert len(triples) == 1


def test_version_is_the_etag_source(client: TestClient) -> None:
    first = client.get("/sparql", params={"query": "ASK {}"})
    assert first.headers["etag"]
    assert (
        client.get(
            "/sparql", params={"query": "ASK {}"}, headers={"If-None-Match": first.headers["etag"]}
        ).status_code
        == 304
    )
