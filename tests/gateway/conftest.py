"""Fixtures of the gateway tests: live `coopkg serve` processes, started once per session.

`protocol_gateway` is parametrised by backend: the embedded Oxigraph (`--data` with the W3C suite's graphs)
and, when the `oxigraph` server from PyPI is installed, the remote backend in front of a real Oxigraph server
loaded with the same graphs. Every test that takes it runs against both.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "remote"))  # the Oxigraph server helper

from oxigraph_server import OxigraphServer, oxigraph_binary
from virtuoso_server import MISSING, VirtuosoServer, virtuoso_binaries

from live import Gateway

SUITE = Path(__file__).parent.parent / "conformance" / "sparql11-protocol"
GRAPH = "http://kasei.us/2009/09/sparql/data/data{}.rdf"


@pytest.fixture(scope="session")
def w3c_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The suite's data1..3.nt as named graphs data1..3.rdf, in one N-Quads file for `--data`."""
    quads = []
    for number in (1, 2, 3):
        graph = ox.NamedNode(GRAPH.format(number))
        for parsed in ox.parse(path=SUITE / f"data{number}.nt", format=ox.RdfFormat.N_TRIPLES):
            quads.append(ox.Quad(parsed.subject, parsed.predicate, parsed.object, graph))
    target = tmp_path_factory.mktemp("w3c") / "protocol-data.nq"
    ox.serialize(quads, target, format=ox.RdfFormat.N_QUADS)
    return target


@pytest.fixture(scope="session")
def start_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Gateway]]:
    """Start a `coopkg serve` (args, env) that is stopped at the end of the session."""
    started: list[Gateway] = []

    def start(args: list[str] | None = None, env: dict[str, str] | None = None) -> Gateway:
        log = tmp_path_factory.mktemp("gateway") / "serve.log"
        gateway = Gateway(log, list(args or []), dict(env or {}))
        started.append(gateway)
        return gateway.start()

    yield start
    for gateway in started:
        gateway.stop()


@pytest.fixture(scope="session")
def w3c_oxigraph_server(w3c_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the Oxigraph server is not installed: pip install -e '.[test]' (it brings `oxigraph`)")
    server = OxigraphServer(binary, tmp_path_factory.mktemp("oxigraph-w3c") / "store")
    server.load([(None, w3c_data)])
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def w3c_virtuoso_server(w3c_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    binaries = virtuoso_binaries()
    if binaries is None:
        pytest.skip(MISSING)
    server = VirtuosoServer(binaries, tmp_path_factory.mktemp("virtuoso-w3c") / "store")
    server.start()
    try:
        server.load(w3c_data)
        yield server
    finally:
        server.stop()


@pytest.fixture(
    scope="session",
    params=[
        "oxigraph",
        pytest.param("remote", marks=pytest.mark.remote),
        pytest.param("virtuoso", marks=[pytest.mark.remote, pytest.mark.virtuoso]),
    ],
)
def protocol_gateway(
    request: pytest.FixtureRequest, w3c_data: Path, start_gateway: Callable[..., Gateway]
) -> Gateway:
    """A gateway serving the W3C suite's graphs, on each backend (remote: an Oxigraph server, Virtuoso)."""
    if request.param in ("remote", "virtuoso"):
        fixture = "w3c_oxigraph_server" if request.param == "remote" else "w3c_virtuoso_server"
        server: OxigraphServer | VirtuosoServer = request.getfixturevalue(fixture)
        return start_gateway(env={"COOPKG_STORE": "remote", "COOPKG_REMOTE_QUERY_URL": server.query_url})
    return start_gateway(["--data", str(w3c_data)], {"COOPKG_WORKERS": "2"})
