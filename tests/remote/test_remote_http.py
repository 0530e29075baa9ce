"""StoreConnection (api/coopkg/store/remote_http.py), the remote store's HTTP client, against a scripted store
on a loopback port: the form it sends, its backstop timeout, sessions across event loops, and its three
exceptions in place of aiohttp's."""

from __future__ import annotations

import time
from collections.abc import Callable

import anyio
import pytest
from oxigraph_server import free_port
from scripted_store import Answer, Script, ScriptedStore

from coopkg.store.remote_http import ConnectionBroke, ProtocolViolation, StoreConnection, StoreUnreachable

Scripted = Callable[[Script], ScriptedStore]
JSON = "application/sparql-results+json"
OK = Answer(200, [("Content-Type", JSON), ("Server", "Virtuoso/07.20.3229 (Linux)")], b'{"boolean": true}')


async def _exchange(connection: StoreConnection, deadline: float = 5.0) -> tuple[int, dict[str, str], bytes]:
    async with connection.post(
        [("query", "ASK {}"), ("named-graph-uri", "urn:g:1 & 2")], JSON, deadline
    ) as r:
        return r.status, r.headers, await r.read()


@pytest.mark.anyio
async def test_the_query_goes_as_a_form_post_and_headers_come_back_lower_cased(scripted: Scripted) -> None:
    server = scripted(lambda _: OK)
    connection = StoreConnection(server.url, user_agent="coopkg/test")
    status, headers, body = await _exchange(connection)
    assert (status, body) == (200, b'{"boolean": true}')
    assert headers["server"].startswith("Virtuoso/")
    [request] = server.seen
    assert (request.method, request.path) == ("POST", "/sparql")
    assert request.headers["accept"] == JSON
    assert request.headers["user-agent"] == "coopkg/test"
    assert request.form == {"query": ["ASK {}"], "named-graph-uri": ["urn:g:1 & 2"]}
    await connection.aclose()


def test_a_connection_outlives_the_event_loop_that_opened_it(scripted: Scripted) -> None:
    """Command-line tools and tests run one loop after another with the same store: each loop gets its own
    session (aiohttp's belongs to the loop that made it)."""
    server = scripted(lambda _: OK)
    connection = StoreConnection(server.url, user_agent="coopkg/test")
    for _ in range(2):
        status, _, _ = anyio.run(_exchange, connection)
        assert status == 200
    assert len(server.seen) == 2
    anyio.run(connection.aclose)


@pytest.mark.anyio
async def test_the_backstop_timeout_follows_the_deadline_of_each_query(scripted: Scripted) -> None:
    """Behind the caller's own deadline, aiohttp gives up 5 s after the query's deadline (not after a fixed
    client-wide time: the gateway's whole reads may take minutes) and says so as a TimeoutError."""
    server = scripted(lambda _: Answer(200, [("Content-Type", JSON)], b"{}", delay=30))
    connection = StoreConnection(server.url, user_agent="coopkg/test")
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        await _exchange(connection, deadline=0.5)
    assert 5.0 <= time.monotonic() - started < 15
    await connection.aclose()


@pytest.mark.anyio
async def test_failures_are_this_modules_own_exceptions(scripted: Scripted) -> None:
    refused = StoreConnection(f"http://127.0.0.1:{free_port()}/sparql", user_agent="coopkg/test")
    with pytest.raises(StoreUnreachable):
        await _exchange(refused)
    await refused.aclose()
    reset = scripted(lambda _: Answer(200, [("Content-Type", JSON)], b'{"boolean": true}', die_after=3))
    dying = StoreConnection(reset.url, user_agent="coopkg/test")
    with pytest.raises(ConnectionBroke):
        await _exchange(dying)
    await dying.aclose()
    broken = scripted(lambda _: Answer(200, [("Not A Header", "x")], b"{}"))
    liar = StoreConnection(broken.url, user_agent="coopkg/test")
    with pytest.raises(ProtocolViolation):
        await _exchange(liar)
    await liar.aclose()
