"""A live `coopkg serve` with COOPKG_STORE=remote in front of a real Oxigraph server: outage and deadline.

The gateway process is the gateway tests' own helper (tests/live.py); the store is killed and brought
back on the same port. No fixed sleeps: readiness and recovery are polled.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import pytest
from oxigraph_server import OxigraphServer

sys.path.insert(0, str(Path(__file__).parents[1] / "gateway"))
from live import Gateway

pytestmark = [pytest.mark.remote, pytest.mark.slow]

DEADLINE = 1.0
MARGIN = 2.0  # HTTP to the gateway and on to the store, on a loaded 2-core machine
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"
QUICK = "ASK { <urn:coopkg:test:s0> ?p ?o }"


@pytest.fixture(scope="module")
def store_and_gateway(
    oxigraph_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[OxigraphServer, Gateway]]:
    folder = tmp_path_factory.mktemp("remote-gateway")
    data = folder / "product.nt"
    data.write_text("".join(f'<urn:coopkg:test:s{i}> <urn:coopkg:test:p> "{i}" .\n' for i in range(300)))
    server = OxigraphServer(oxigraph_path, folder / "store", server_timeout=5)
    server.load([("urn:coopkg:test:graph", data)])
    server.start()
    env = {
        "COOPKG_STORE": "remote",
        "COOPKG_REMOTE_QUERY_URL": server.query_url,
        "COOPKG_QUERY_TIMEOUT": str(DEADLINE),
    }
    gateway = Gateway(folder / "serve.log", [], env)
    try:
        gateway.start()
        yield server, gateway
    finally:
        gateway.stop()
        server.stop()


def _poll_ready(client: httpx.Client, within: float = 30.0) -> httpx.Response:
    deadline = time.monotonic() + within
    while True:
        answer = client.get("/ready")
        if answer.status_code == 200 or time.monotonic() > deadline:
            return answer
        time.sleep(0.1)  # polling interval while the store restarts


def test_an_outage_is_a_clear_503_and_the_gateway_recovers_by_itself(
    store_and_gateway: tuple[OxigraphServer, Gateway],
) -> None:
    server, gateway = store_and_gateway
    with httpx.Client(base_url=gateway.base, timeout=30) as client:
        assert client.get("/sparql", params={"query": QUICK}).status_code == 200
        server.stop()
        try:
            answer = client.get("/sparql", params={"query": QUICK})
            assert answer.status_code in (502, 503), answer.text
            assert answer.headers["content-type"].startswith("application/problem+json")
            problem = answer.json()
            assert problem["status"] == answer.status_code
            assert server.query_url in problem["detail"]
            assert "Traceback" not in answer.text
            assert client.get("/ready").status_code == 503
            assert client.get("/health").json() == {"status": "ok"}
        finally:
            server.start()  # same port, same data
        assert _poll_ready(client).status_code == 200
        again = client.post(
            "/sparql", data={"query": QUICK}, headers={"Accept": "application/sparql-results+json"}
        )
        assert again.status_code == 200
        assert again.json()["boolean"] is True


@pytest.mark.anyio
async def test_a_slow_query_times_out_while_another_client_is_answered(
    store_and_gateway: tuple[OxigraphServer, Gateway],
) -> None:
    _, gateway = store_and_gateway
    slow_done = anyio.Event()
    slow_answer: list[httpx.Response] = []
    slow_elapsed: list[float] = []
    quick_latencies: list[float] = []

    async def slow(client: httpx.AsyncClient) -> None:
        started = anyio.current_time()
        try:
            slow_answer.append(await client.post("/sparql", data={"query": SLOW}))
        finally:
            slow_elapsed.append(anyio.current_time() - started)
            slow_done.set()

    async def quick(client: httpx.AsyncClient) -> None:
        while not slow_done.is_set():
            started = anyio.current_time()
            answer = await client.post("/sparql", data={"query": QUICK})
            assert answer.status_code == 200, answer.text
            quick_latencies.append(anyio.current_time() - started)

    async with (
        httpx.AsyncClient(base_url=gateway.base, timeout=30) as first,
        httpx.AsyncClient(base_url=gateway.base, timeout=30) as second,
        anyio.create_task_group() as group,
    ):
        group.start_soon(slow, first)
        group.start_soon(quick, second)

    [answer] = slow_answer
    assert answer.status_code == 503
    assert answer.json()["type"].endswith("/query-timeout")
    assert f"within {DEADLINE:g} s" in answer.json()["detail"]
    assert slow_elapsed[0] < DEADLINE + MARGIN
    assert len(quick_latencies) >= 2
    assert max(quick_latencies) < DEADLINE
