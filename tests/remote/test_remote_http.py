"""StoreConnection (api/coopkg/store/remote_http.py), the remote store's HTTP client, against a scripted store
on a loopback port: the form it sends, kept-alive connections, the framings and codings of answers, https and
Basic authentication, its backstop timeout, connections across event loops, and its three exceptions."""

from __future__ import annotations

import base64
import gzip
import ssl
import time
from collections.abc import Callable
from pathlib import Path

import anyio
import pytest
import trustme
from oxigraph_server import free_port
from scripted_store import Answer, ScriptedStore

from coopkg.store.remote_http import ConnectionBroke, ProtocolViolation, StoreConnection, StoreUnreachable

Scripted = Callable[..., ScriptedStore]
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
    """Command-line tools and tests run one loop after another with the same store: each loop opens its own
    connections (a connection belongs to the loop that opened it)."""
    server = scripted(lambda _: OK)
    connection = StoreConnection(server.url, user_agent="coopkg/test")
    for _ in range(2):
        status, _, _ = anyio.run(_exchange, connection)
        assert status == 200
    assert len(server.seen) == 2
    anyio.run(connection.aclose)


@pytest.mark.anyio
async def test_the_backstop_timeout_follows_the_deadline_of_each_query(scripted: Scripted) -> None:
    """Behind the caller's own deadline, the client gives up 5 s after the query's deadline (not after a fixed
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


@pytest.mark.anyio
async def test_queries_in_a_row_share_one_kept_alive_connection(scripted: Scripted) -> None:
    server = scripted(lambda _: OK)
    connection = StoreConnection(server.url, user_agent="coopkg/test")
    for _ in range(3):
        status, _, body = await _exchange(connection)
        assert (status, body) == (200, b'{"boolean": true}')
    assert len({request.peer for request in server.seen}) == 1
    await connection.aclose()


@pytest.mark.anyio
async def test_an_answer_left_unread_closes_its_connection_and_the_next_query_opens_another(
    scripted: Scripted,
) -> None:
    """The caller stops reading (the row limit is reached): the store must stop sending, so the connection is
    closed rather than kept for a next query that would read the rest of this answer."""
    server = scripted(lambda _: Answer(200, [("Content-Type", JSON)], b"x" * 1_000_000, chunk=1000))
    connection = StoreConnection(server.url, user_agent="coopkg/test")
    async with connection.post([("query", "SELECT * {}")], JSON, 5.0) as response:
        async for chunk in response.chunks():
            assert chunk.startswith(b"x")
            break
    async with connection.post([("query", "SELECT * {}")], JSON, 5.0) as response:
        assert await response.read() == b"x" * 1_000_000
    first, second = server.seen
    assert first.peer != second.peer
    await connection.aclose()


@pytest.mark.anyio
@pytest.mark.parametrize("framing", ["length", "chunked", "until-close"])
async def test_a_big_answer_arrives_whole_in_every_framing_even_when_read_slowly(
    scripted: Scripted, framing: str
) -> None:
    """5 MB, read only after the store has sent what the socket takes: reading from it pauses at 1 MB
    waiting and resumes as the caller reads, and nothing is lost or reordered."""
    body = b"".join(b"%08d\n" % number for number in range(550_000))
    answer = Answer(
        200,
        [("Content-Type", JSON)],
        body,
        chunk=65536 if framing == "chunked" else 0,
        until_close=framing == "until-close",
    )
    connection = StoreConnection(scripted(lambda _: answer).url, user_agent="coopkg/test")
    async with connection.post([("query", "SELECT * {}")], JSON, 30.0) as response:
        await anyio.sleep(0.5)
        assert response.content_length == (len(body) if framing == "length" else None)
        assert await response.read() == body
    await connection.aclose()


@pytest.mark.anyio
@pytest.mark.parametrize("chunk", [0, 100])
async def test_a_gzip_coded_answer_is_decoded(scripted: Scripted, chunk: int) -> None:
    """No coding is asked for, but a store (or a proxy in front of it) may compress anyway."""
    body = b'{"head": {"vars": []}, "results": {"bindings": []}}' * 50
    coded = Answer(200, [("Content-Type", JSON), ("Content-Encoding", "gzip")], gzip.compress(body), chunk)
    server = scripted(lambda _: coded)
    connection = StoreConnection(server.url, user_agent="coopkg/test")
    async with connection.post([("query", "SELECT * {}")], JSON, 5.0) as response:
        assert response.content_length is None  # the announced length is the compressed one
        assert await response.read() == body
    [request] = server.seen
    assert "accept-encoding" not in request.headers
    await connection.aclose()


@pytest.mark.anyio
async def test_an_unknown_content_coding_is_a_protocol_violation(scripted: Scripted) -> None:
    server = scripted(lambda _: Answer(200, [("Content-Type", JSON), ("Content-Encoding", "br")], b"??"))
    connection = StoreConnection(server.url, user_agent="coopkg/test")
    with pytest.raises(ProtocolViolation, match="'br'"):
        await _exchange(connection)
    await connection.aclose()


@pytest.mark.anyio
async def test_a_user_and_password_in_the_url_go_as_basic_authentication(scripted: Scripted) -> None:
    server = scripted(lambda _: OK)
    url = server.url.replace("http://", "http://reader:p%40ss%3Aword@")
    connection = StoreConnection(url, user_agent="coopkg/test")
    await _exchange(connection)
    [request] = server.seen
    assert request.headers["authorization"] == "Basic " + base64.b64encode(b"reader:p@ss:word").decode()
    assert request.headers["host"] == url.split("@")[1].split("/")[0]
    await connection.aclose()


@pytest.mark.anyio
async def test_an_https_store_is_reached_with_the_trusted_certificates(
    scripted: Scripted, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The system's trusted certificates decide (SSL_CERT_FILE points elsewhere, as OpenSSL reads it): a
    store whose certificate is not trusted is unreachable, with the reason."""
    authority = trustme.CA()
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(served)
    server = scripted(lambda _: OK, tls=served)
    assert server.url.startswith("https://")
    untrusting = StoreConnection(server.url, user_agent="coopkg/test")
    with pytest.raises(StoreUnreachable, match="CERTIFICATE_VERIFY_FAILED"):
        await _exchange(untrusting)
    authority.cert_pem.write_to_path(str(tmp_path / "authority.pem"))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "authority.pem"))
    connection = StoreConnection(server.url, user_agent="coopkg/test")
    status, _, body = await _exchange(connection)
    assert (status, body) == (200, b'{"boolean": true}')
    await connection.aclose()
