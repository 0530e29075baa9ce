"""/downloads/* in remote mode: the dumps hold the remote store's data (through Store.quads()), not the local
files: a store with a triple the shipped files lack gives a download with that triple."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from oxigraph_server import OxigraphServer

from coopkg.rdf.dataset import shipped_graphs
from coopkg.settings import Settings
from coopkg.store.remote import RemoteStore
from coopkg.web.app import create_app

pytestmark = pytest.mark.remote

EXTRA_GRAPH = "urn:coopkg:test:extra"
EXTRA = ox.Quad(
    ox.NamedNode("urn:coopkg:test:only-in-the-store"),
    ox.NamedNode("urn:coopkg:test:p"),
    ox.Literal("not in the shipped files"),
    ox.NamedNode(EXTRA_GRAPH),
)


def named(quad: ox.Quad) -> bool:
    return not any(isinstance(term, ox.BlankNode) for term in (quad.subject, quad.object, quad.graph_name))


@pytest.fixture(scope="module")
def server(oxigraph_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    folder = tmp_path_factory.mktemp("remote-downloads")
    extra = folder / "extra.nt"
    extra.write_text(f"{EXTRA.subject} {EXTRA.predicate} {EXTRA.object} .\n", encoding="utf-8")
    instance = OxigraphServer(oxigraph_path, folder / "store")
    instance.load([*((source.graph, source.path) for source in shipped_graphs()), (EXTRA_GRAPH, extra)])
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def client(server: OxigraphServer) -> Iterator[TestClient]:
    settings = Settings(store="remote", remote_query_url=server.query_url)
    with TestClient(create_app(settings)) as instance:
        yield instance


def test_quad_dumps_are_the_remote_stores_data(client: TestClient, shipped_store: ox.Store) -> None:
    answer = client.get("/downloads/coopkg.nq")
    assert answer.status_code == 200
    quads = set(ox.parse(answer.content, format=ox.RdfFormat.N_QUADS))
    assert EXTRA in quads
    shipped = set(shipped_store.quads_for_pattern(None, None, None))
    assert len(quads) == len(shipped) + 1
    # Blank nodes get other labels in another store: the rest is equal quad for quad.
    assert {q for q in quads if named(q)} - {EXTRA} == {q for q in shipped if named(q)}


def test_triple_dumps_have_the_remote_triple_too(client: TestClient) -> None:
    answer = client.get("/downloads/coopkg.nt")
    assert answer.status_code == 200
    triples = set(ox.parse(answer.content, format=ox.RdfFormat.N_TRIPLES))
    assert ox.Quad(EXTRA.subject, EXTRA.predicate, EXTRA.object) in triples  # parsed into the default graph


@pytest.mark.anyio
async def test_quads_are_not_cut_at_the_row_limit(server: OxigraphServer, shipped_store: ox.Store) -> None:
    store = RemoteStore(server.query_url, timeout=10.0, max_rows=5)
    try:
        quads = await store.quads()
    finally:
        await store.aclose()
    assert len(quads) == len(shipped_store) + 1
