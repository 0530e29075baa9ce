"""Fixtures of the attack tests: a live gateway with short limits, loopback listeners that must stay silent.

The live gateway is started once per session (a real `coopkg serve` process: timeouts must stop real work in
real worker processes) with a 2-second query timeout, so a runaway query costs the suite seconds, not minutes.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from attack_listener import Listener
from attack_server import MAX_BODY, MAX_ROWS, MAX_UPLOAD, QUERY_TIMEOUT, VALIDATE_TIMEOUT

from live import Gateway

sys.path.insert(0, str(Path(__file__).parent.parent / "remote"))  # the remote tests' Oxigraph server helper
from oxigraph_server import OxigraphServer, oxigraph_binary


@pytest.fixture(scope="session")
def listener() -> Iterator[Listener]:
    """Answers like a willing web server; any connection it records is an outbound request that happened."""
    with Listener() as instance:
        yield instance


@pytest.fixture(scope="session")
def redirector() -> Iterator[Listener]:
    """Answers 302 to the metadata address; the redirector itself records whoever asked."""
    with Listener(redirect_to="http://169.254.169.254/latest/meta-data/") as instance:
        yield instance


@pytest.fixture(scope="session")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    """`coopkg serve` on the shipped graph, two query workers, short limits, on a free loopback port."""
    log = tmp_path_factory.mktemp("gateway") / "serve.log"
    env = {
        "COOPKG_QUERY_TIMEOUT": str(QUERY_TIMEOUT),
        "COOPKG_MAX_ROWS": str(MAX_ROWS),
        "COOPKG_MAX_BODY": str(MAX_BODY),
        "COOPKG_MAX_UPLOAD": str(MAX_UPLOAD),
        "COOPKG_VALIDATE_TIMEOUT": str(VALIDATE_TIMEOUT),
        "COOPKG_WORKERS": "2",
    }
    with Gateway(log, env=env) as server:
        yield server


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A real Oxigraph server on the shipped graph (SERVICE on, as Oxigraph ships): the remote backend."""
    from coopkg.rdf.dataset import shipped_graphs

    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the Oxigraph server is not installed: pip install -e '.[test]' (it brings `oxigraph`)")
    server = OxigraphServer(binary, tmp_path_factory.mktemp("oxigraph-security") / "shipped")
    server.load((source.graph, source.path) for source in shipped_graphs())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def remote_gateway(oxigraph: OxigraphServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    """`coopkg serve` in front of the Oxigraph server, with the same short limits."""
    log = tmp_path_factory.mktemp("remote-gateway") / "serve.log"
    env = {
        "COOPKG_STORE": "remote",
        "COOPKG_REMOTE_QUERY_URL": oxigraph.query_url,
        "COOPKG_QUERY_TIMEOUT": str(QUERY_TIMEOUT),
        "COOPKG_MAX_ROWS": str(MAX_ROWS),
    }
    with Gateway(log, env=env) as server:
        yield server
