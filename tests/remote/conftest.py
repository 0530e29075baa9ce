"""Fixtures of the remote-backend tests: real stores holding the shipped graph (the Oxigraph server and, when
Debian's virtuoso-opensource is installed, Virtuoso 7), and RemoteStores on them.

Each server is started once per session; tests that take one down restart it before they end, so later tests
find it up. `remote_store` is parametrised by engine: every test that takes it runs against both stores.
Async tests run on anyio's pytest plugin (asyncio backend).
"""

from __future__ import annotations

import ssl
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from coopkg.store.remote import RemoteStore

sys.path.insert(0, str(Path(__file__).parent))

from oxigraph_server import OxigraphServer, oxigraph_binary
from scripted_store import Script, ScriptedStore
from virtuoso_server import MISSING, VirtuosoServer, loaded_virtuoso, virtuoso_binaries


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def scripted() -> Iterator[Callable[..., ScriptedStore]]:
    """Starts scripted stores (tests/remote/scripted_store.py) for one test; they stop when it ends."""
    started: list[ScriptedStore] = []

    def start(script: Script, tls: ssl.SSLContext | None = None) -> ScriptedStore:
        started.append(ScriptedStore(script, tls))
        return started[-1]

    yield start
    for store in started:
        store.stop()


@pytest.fixture(scope="session")
def oxigraph_path() -> Path:
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the Oxigraph server is not installed: pip install -e '.[test]' (it brings `oxigraph`)")
    return binary


@pytest.fixture(scope="session")
def oxigraph_server(
    oxigraph_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OxigraphServer]:
    """`oxigraph serve-read-only` on a free loopback port, loaded with the shipped named graphs."""
    from coopkg.rdf.dataset import shipped_graphs

    server = OxigraphServer(oxigraph_path, tmp_path_factory.mktemp("oxigraph") / "shipped")
    server.load((source.graph, source.path) for source in shipped_graphs())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def shipped_nquads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped named graphs in one N-Quads file (what /downloads/coopkg.nq serves)."""
    import pyoxigraph as ox

    from coopkg.rdf.dataset import load_into, shipped_graphs

    store = ox.Store()
    load_into(store, shipped_graphs())
    target = tmp_path_factory.mktemp("nquads") / "coopkg.nq"
    ox.serialize(store, target, format=ox.RdfFormat.N_QUADS)
    return target


@pytest.fixture(scope="session")
def virtuoso_paths() -> tuple[Path, Path]:
    binaries = virtuoso_binaries()
    if binaries is None:
        pytest.skip(MISSING)
    return binaries


@pytest.fixture(scope="session")
def virtuoso_server(
    virtuoso_paths: tuple[Path, Path], shipped_nquads: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[VirtuosoServer]:
    """Virtuoso on free loopback ports with its own virtuoso.ini, the shipped graphs bulk-loaded."""
    folder = tmp_path_factory.mktemp("virtuoso") / "shipped"
    with loaded_virtuoso(virtuoso_paths, folder, shipped_nquads) as server:
        yield server


@pytest.fixture(params=["oxigraph", pytest.param("virtuoso", marks=pytest.mark.virtuoso)])
def remote_url(request: pytest.FixtureRequest) -> str:
    """The query URL of a store holding the shipped graph, for each engine."""
    server: OxigraphServer | VirtuosoServer = request.getfixturevalue(f"{request.param}_server")
    return server.query_url


@pytest.fixture
async def remote_store(remote_url: str) -> AsyncIterator[RemoteStore]:
    """A RemoteStore on a shipped store (per test: an httpx client belongs to one event loop)."""
    store = RemoteStore(remote_url, timeout=10.0, max_rows=10_000)
    yield store
    await store.aclose()


@pytest.fixture
async def oxigraph_store(oxigraph_server: OxigraphServer) -> AsyncIterator[RemoteStore]:
    """A RemoteStore on the shipped Oxigraph server, for tests that stop and restart that server."""
    store = RemoteStore(oxigraph_server.query_url, timeout=10.0, max_rows=10_000)
    yield store
    await store.aclose()
