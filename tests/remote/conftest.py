"""Fixtures of the remote-backend tests: a real Oxigraph server holding the shipped graph, and stores on it.

The server is started once per session (`oxigraph_server`); tests that take it down restart it before they
end, so later tests find it up. Async tests run on anyio's pytest plugin (asyncio backend).
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from coopkg.store.remote import RemoteStore

sys.path.insert(0, str(Path(__file__).parent))

from oxigraph_server import OxigraphServer, oxigraph_binary


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


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


@pytest.fixture
async def remote_store(oxigraph_server: OxigraphServer) -> AsyncIterator[RemoteStore]:
    """A RemoteStore on the shipped server (per test: an httpx client belongs to one event loop)."""
    store = RemoteStore(oxigraph_server.query_url, timeout=10.0, max_rows=10_000)
    yield store
    await store.aclose()
