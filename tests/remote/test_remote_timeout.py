"""The deadline on the remote path, with a really slow query on a real Oxigraph server.

The slow query is a cartesian product over a generated graph (300 triples, four patterns: 8.1e9 combinations
to count), far beyond any deadline. The client must get QueryTimeout within the deadline plus a margin, while
another client's simple queries keep being answered. This server also has its own `--timeout-s` (as
docs/remote-backend.md advises) and is killed when the module ends, so the abandoned query does not keep a
core busy.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from oxigraph_server import OxigraphServer

from coopkg.errors import QueryTimeout
from coopkg.store.base import QueryRequest
from coopkg.store.remote import RemoteStore

pytestmark = [pytest.mark.remote, pytest.mark.anyio, pytest.mark.slow]

DEADLINE = 1.0
MARGIN = 1.5  # a loaded 2-core machine: scheduling and connection teardown, never the query itself
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"
QUICK = "ASK { <urn:coopkg:test:s0> ?p ?o }"


@pytest.fixture(scope="module")
def slow_server(oxigraph_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    folder = tmp_path_factory.mktemp("slow")
    data = folder / "product.nt"
    data.write_text("".join(f'<urn:coopkg:test:s{i}> <urn:coopkg:test:p> "{i}" .\n' for i in range(300)))
    server = OxigraphServer(oxigraph_path, folder / "store", server_timeout=5)
    server.load([("urn:coopkg:test:graph", data)])
    server.start()
    yield server
    server.stop()


async def test_a_slow_query_times_out_while_another_client_is_answered(slow_server: OxigraphServer) -> None:
    slow_client = RemoteStore(slow_server.query_url, timeout=DEADLINE, max_rows=100)
    quick_client = RemoteStore(slow_server.query_url, timeout=10.0, max_rows=100)
    slow_done = anyio.Event()
    outcome: dict[str, float | str] = {}
    quick_latencies: list[float] = []

    async def slow() -> None:
        started = anyio.current_time()
        try:
            await slow_client.select(SLOW)
            outcome["error"] = "answered"
        except QueryTimeout as error:
            outcome["error"] = error.detail
        finally:
            outcome["elapsed"] = anyio.current_time() - started
            slow_done.set()

    async def quick() -> None:
        while not slow_done.is_set():  # simple queries, one after the other, as long as the slow one runs
            started = anyio.current_time()
            assert await quick_client.ask(QUICK) is True
            quick_latencies.append(anyio.current_time() - started)

    async with anyio.create_task_group() as group:
        group.start_soon(slow)
        group.start_soon(quick)

    assert str(outcome["error"]).startswith(
        f"The query did not finish within {DEADLINE:g} s at the SPARQL store"
    )
    assert DEADLINE <= float(outcome["elapsed"]) < DEADLINE + MARGIN
    assert len(quick_latencies) >= 2
    assert max(quick_latencies) < DEADLINE  # answered while the slow query was running
    # The abandoned request left nothing behind: the slow client's next query is answered normally.
    assert await slow_client.ask(QUICK) is True
    await slow_client.aclose()
    await quick_client.aclose()


async def test_a_request_deadline_overrides_the_default(slow_server: OxigraphServer) -> None:
    store = RemoteStore(slow_server.query_url, timeout=60.0, max_rows=100)
    started = anyio.current_time()
    with pytest.raises(QueryTimeout, match=r"within 0\.5 s"):
        await store.execute(QueryRequest(SLOW, media_type="application/sparql-results+json", timeout=0.5))
    assert anyio.current_time() - started < 0.5 + MARGIN
    await store.aclose()
