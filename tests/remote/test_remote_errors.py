"""How RemoteStore reports a store that is down, wrong, or misbehaving: clear domain errors naming the store.

The real server gives the real failures (refused connection, a 400 for bad syntax, a 404 for a wrong path, an
outage and the recovery after it); a scripted store (tests/remote/scripted_store.py) gives the ones a healthy
Oxigraph never produces (5xx, a wrong media type, broken result bodies, a connection reset mid-answer).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest
from oxigraph_server import OxigraphServer, free_port
from pyoxigraph import NamedNode
from scripted_store import Answer, Script, ScriptedStore, SeenRequest, answer

from coopkg.errors import (
    BadGateway,
    CoopkgError,
    QuerySyntaxError,
    ServiceNotAllowed,
    StoreUnavailable,
    UnusableInput,
    UpdateRefused,
)
from coopkg.settings import Settings
from coopkg.store.base import Dataset, QueryRequest
from coopkg.store.remote import TSV, RemoteStore, public_url

pytestmark = [pytest.mark.remote, pytest.mark.anyio]

SELECT = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"


async def test_a_syntax_error_carries_the_stores_message(remote_store: RemoteStore) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        await remote_store.select("SELECT * WHERE { ?s ?p ")
    assert caught.value.detail.startswith(f"The SPARQL store {remote_store.public_url} rejected the query: ")
    # The engine's own position report: Oxigraph's, or Virtuoso's compiler message.
    assert "error at 1:" in caught.value.detail or "SP030: SPARQL compiler" in caught.value.detail


async def test_a_closed_port_is_store_unavailable_naming_the_url() -> None:
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query", timeout=5.0, max_rows=10)
    with pytest.raises(
        StoreUnavailable, match=r"The SPARQL store http://127\.0\.0\.1:\d+/query cannot be reached"
    ):
        await store.select(SELECT)
    assert await store.health() is False
    await store.aclose()


async def test_an_unknown_host_is_store_unavailable() -> None:
    store = RemoteStore("http://no-such-host.invalid/sparql", timeout=5.0, max_rows=10)
    with pytest.raises(StoreUnavailable, match=r"no-such-host\.invalid/sparql cannot be reached"):
        await store.ask("ASK {}")
    await store.aclose()


async def test_credentials_in_the_url_never_reach_a_message() -> None:
    store = RemoteStore(f"http://reader:s3cret@127.0.0.1:{free_port()}/query", timeout=5.0, max_rows=10)
    with pytest.raises(StoreUnavailable) as caught:
        await store.select(SELECT)
    assert "s3cret" not in caught.value.detail
    assert "reader" not in caught.value.detail
    await store.aclose()


async def test_a_wrong_path_is_bad_gateway_pointing_at_the_setting(oxigraph_server: OxigraphServer) -> None:
    store = RemoteStore(f"{oxigraph_server.base_url}/sparql-typo", timeout=5.0, max_rows=10)
    with pytest.raises(BadGateway, match=r"answered HTTP 404; check that COOPKG_REMOTE_QUERY_URL"):
        await store.select(SELECT)
    await store.aclose()


@pytest.mark.parametrize("url", ["ftp://example.org/sparql", "localhost:7878/query", "http:///query"])
def test_a_url_that_is_not_http_is_refused_at_start(url: str) -> None:
    with pytest.raises(UnusableInput, match="is not an http\\(s\\) URL"):
        RemoteStore(url, timeout=1.0, max_rows=1)


def test_remote_without_a_url_is_refused_with_the_variable_to_set() -> None:
    settings = Settings(store="remote", remote_query_url=None)
    with pytest.raises(UnusableInput, match="COOPKG_STORE=remote needs COOPKG_REMOTE_QUERY_URL"):
        RemoteStore.from_settings(settings)


async def test_from_settings_takes_the_limits(oxigraph_server: OxigraphServer) -> None:
    settings = Settings(
        store="remote", remote_query_url=oxigraph_server.query_url, query_timeout=3, max_rows=7
    )
    store = RemoteStore.from_settings(settings)
    assert (store.timeout, store.max_rows, store.query_url) == (3, 7, oxigraph_server.query_url)
    await store.aclose()


def test_public_url_drops_user_password_query_and_fragment() -> None:
    assert public_url("https://u:p@[::1]:8443/ds/sparql?key=x#f") == "https://[::1]:8443/ds/sparql"


# ------------------------------------------------------------------------------ a misbehaving store


Scripted = Callable[[Script], ScriptedStore]


def _mock_store(server: ScriptedStore) -> RemoteStore:
    """A scripted store taken for an Oxigraph server (TSV for SELECT); test_remote_engines.py scripts more."""
    return RemoteStore(
        server.url,
        timeout=5.0,
        max_rows=10,
        engine="oxigraph",
        version_interval=math.inf,  # no fingerprint reads among the requests these tests look at
    )


def _answer(status: int, body: bytes, media_type: str = TSV) -> Script:
    return answer(status, body, media_type)


@pytest.mark.parametrize(
    ("script", "error", "message"),
    [
        (
            _answer(500, b"java.lang.NullPointerException at ..."),
            BadGateway,
            "failed on the query \\(HTTP 500\\)",
        ),
        (_answer(502, b"upstream"), BadGateway, "failed on the query \\(HTTP 502\\)"),
        (_answer(503, b"overloaded"), StoreUnavailable, "is unavailable \\(503\\)"),
        (_answer(401, b"who are you"), BadGateway, "answered HTTP 401"),
        (
            _answer(200, b"<html>login</html>", "text/html"),
            BadGateway,
            "answered text/html, not text/tab-sep",
        ),
        (_answer(200, b"?s\n<unterminated\n"), BadGateway, "sent malformed TSV results"),
        (_answer(200, b""), BadGateway, "sent an empty SELECT answer"),
        (_answer(200, b"?s\n\xff\xfe\n"), BadGateway, "sent text that is not UTF-8"),
    ],
)
async def test_a_misbehaving_store_is_a_clear_error(
    scripted: Scripted, script: Script, error: type[CoopkgError], message: str
) -> None:
    server = scripted(script)
    store = _mock_store(server)
    with pytest.raises(error, match=message) as caught:
        await store.select(SELECT)
    assert server.url in caught.value.detail
    assert "NullPointer" not in caught.value.detail  # a server's internals are not passed on
    await store.aclose()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"head": {}, "boolean": "maybe"}', "malformed ASK answer"),
        (b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}', "answered an ASK query with solutions"),
        (b" " * 70_000, "oversized answer"),
    ],
)
async def test_a_broken_ask_answer_is_bad_gateway(scripted: Scripted, body: bytes, message: str) -> None:
    store = _mock_store(scripted(_answer(200, body, "application/sparql-results+json")))
    with pytest.raises(BadGateway, match=message):
        await store.ask("ASK {}")
    with pytest.raises(BadGateway, match=message):
        await store.execute(QueryRequest("ASK {}", media_type="text/csv"))
    await store.aclose()


@pytest.mark.parametrize("sent", [0, 12])
async def test_a_connection_reset_mid_answer_is_unavailable(scripted: Scripted, sent: int) -> None:
    """A store that dies mid-answer resets the connection: 503 (retry), as SECURITY.md promises."""
    body = b"?s\n" + b"<urn:x>\n" * 100
    server = scripted(lambda _: Answer(200, [("Content-Type", TSV)], body, die_after=sent))
    store = _mock_store(server)
    with pytest.raises(StoreUnavailable, match=f"connection to the SPARQL store {server.url} broke"):
        await store.select(SELECT)
    await store.aclose()


async def test_a_redirecting_store_is_a_bad_gateway_that_names_the_target(scripted: Scripted) -> None:
    """Redirects are not followed (a POST would have to be sent again elsewhere): the message names where the
    store points, so the operator can set that URL (without any password in it)."""
    moved = Answer(301, [("Location", "https://reader:secret@store.example/sparql")])
    server = scripted(lambda _: moved)
    store = _mock_store(server)
    with pytest.raises(
        BadGateway, match=r"redirects queries \(HTTP 301\) to https://store.example/sparql;"
    ) as error:
        await store.select(SELECT)
    assert "secret" not in error.value.detail
    assert len(server.seen) == 1
    await store.aclose()


async def test_a_store_that_breaks_http_is_a_bad_gateway(scripted: Scripted) -> None:
    server = scripted(lambda _: Answer(200, [("Content-Type", TSV), ("Bad Header", "x")], b"?s\n"))
    store = _mock_store(server)
    with pytest.raises(BadGateway, match=f"store {server.url} broke the HTTP protocol"):
        await store.select(SELECT)
    await store.aclose()


async def test_a_connection_the_store_closed_unanswered_is_tried_again_once(scripted: Scripted) -> None:
    """The store closes an idle kept-alive connection just as the gateway reuses it: queries are read-only,
    so the query goes again, once; a store that keeps hanging up is unavailable."""
    calls: list[int] = []

    def close_the_first(_: SeenRequest) -> Answer:
        calls.append(1)
        return Answer(200, [("Content-Type", TSV)], b"?s\n<urn:x>\n", hang_up=len(calls) == 1)

    store = _mock_store(scripted(close_the_first))
    result = await store.select(SELECT)
    assert result.rows == [{"s": NamedNode("urn:x")}]
    assert len(calls) == 2
    await store.aclose()
    always = scripted(lambda _: Answer(200, hang_up=True))
    store = _mock_store(always)
    with pytest.raises(StoreUnavailable, match="broke during the query"):
        await store.select(SELECT)
    assert len(always.seen) == 2
    await store.aclose()


async def test_the_store_is_asked_for_the_transfer_formats_with_the_dataset_as_protocol_parameters(
    scripted: Scripted,
) -> None:
    server = scripted(_answer(200, b"?s\n"))
    store = _mock_store(server)
    dataset = Dataset(default_graphs=("urn:g:1", "urn:g:2"), named_graphs=("urn:g:3",))
    response = await store.execute(QueryRequest(SELECT, dataset=dataset, media_type="text/csv"))
    assert b"".join([chunk async for chunk in response.body]) == b"s\r\n"
    [request] = server.seen
    assert request.method == "POST"
    assert request.headers["accept"] == TSV
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.form["query"] == [SELECT]
    assert request.form["default-graph-uri"] == ["urn:g:1", "urn:g:2"]
    assert request.form["named-graph-uri"] == ["urn:g:3"]
    await store.aclose()


@pytest.mark.parametrize(
    ("query", "error", "message"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", UpdateRefused, "INSERT is a SPARQL update"),
        (
            "SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }",
            ServiceNotAllowed,
            "federation",
        ),
        ("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }", ServiceNotAllowed, "a variable"),
    ],
)
async def test_the_gateways_guard_runs_before_anything_is_forwarded(
    scripted: Scripted, query: str, error: type[CoopkgError], message: str
) -> None:
    server = scripted(_answer(200, b"?s\n"))
    store = _mock_store(server)
    with pytest.raises(error, match=message):
        await store.execute(QueryRequest(query, media_type="application/sparql-results+json"))
    assert server.seen == []
    await store.aclose()


async def test_an_allowlisted_service_is_forwarded(scripted: Scripted) -> None:
    server = scripted(_answer(200, b"?s\n"))
    store = RemoteStore(
        server.url,
        timeout=5.0,
        max_rows=10,
        service_allow=["https://query.wikidata.org/"],
        engine="oxigraph",
        version_interval=math.inf,
    )
    query = "SELECT ?s WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"
    await store.execute(QueryRequest(query, media_type="text/csv", base_iri="http://gateway.example/sparql"))
    assert [request.field("query") for request in server.seen] == [
        query
    ]  # no relative IRI: the text goes as it came (no BASE added)
    await store.aclose()


# A `<` that opens no absolute IRI (an operator, a string's character) makes the store lex the query; only a
# relative IRI token gets the BASE, wherever the `<`s stand.
@pytest.mark.parametrize(
    ("query", "based"),
    [
        ("SELECT ?s WHERE { ?s <http://x.example/p> ?o FILTER(?o < 3) }", False),
        ('SELECT ?s WHERE { ?s ?p "<relative>" }', False),
        ("SELECT ?s WHERE { ?s <http://x.example/p> ?o FILTER(?o <= 3) } # <relative>", False),
        ("SELECT ?s WHERE { ?s <http://x.example/p> <relative> FILTER(?s < 3) }", True),
        ('SELECT ?s WHERE { ?s ?p "<http://x.example/>" . ?s ?p <relative> }', True),
        ("SELECT ?s WHERE { ?s <p> ?o }", True),
    ],
)
async def test_base_is_added_only_for_a_relative_iri(scripted: Scripted, query: str, based: bool) -> None:
    server = scripted(_answer(200, b"?s\n"))
    store = RemoteStore(server.url, timeout=5.0, max_rows=10, engine="oxigraph", version_interval=math.inf)
    await store.execute(QueryRequest(query, media_type="text/csv", base_iri="http://gateway.example/sparql"))
    sent = server.seen[0].field("query")
    assert sent == (f"BASE <http://gateway.example/sparql>\n{query}" if based else query)
    await store.aclose()


# ------------------------------------------------------------------------- outage and recovery


async def test_an_outage_is_reported_and_the_store_recovers_by_itself(
    oxigraph_server: OxigraphServer, oxigraph_store: RemoteStore
) -> None:
    assert await oxigraph_store.health() is True
    before = await oxigraph_store.select(SELECT)  # a pooled keep-alive connection now exists
    oxigraph_server.stop()
    try:
        with pytest.raises((StoreUnavailable, BadGateway), match=oxigraph_server.query_url):
            await oxigraph_store.select(SELECT)
        assert await oxigraph_store.health() is False
    finally:
        oxigraph_server.start()  # same port, same data: later tests find it up
    assert await oxigraph_store.health() is True
    assert await oxigraph_store.select(SELECT) == before


async def test_version_is_a_fingerprint_of_the_data_description(
    oxigraph_server: OxigraphServer, oxigraph_store: RemoteStore
) -> None:
    other = RemoteStore(oxigraph_server.query_url, timeout=5.0, max_rows=10)
    assert oxigraph_store.version != other.version  # before the store was reached: per-process tokens
    assert await oxigraph_store.health()
    assert await other.health()
    assert oxigraph_store.version == other.version  # two workers on one store agree (shared ETags)
    assert oxigraph_store.version.startswith("remote-")
    await other.aclose()


async def test_version_changes_when_the_description_changes(oxigraph_path: Path, tmp_path: Path) -> None:
    meta = "https://w3id.org/coopkg/id/graph/meta"
    versions = []
    for triples in (10, 11):
        void = tmp_path / f"void-{triples}.ttl"
        void.write_text(f"<urn:d> <http://rdfs.org/ns/void#triples> {triples} .\n")
        server = OxigraphServer(oxigraph_path, tmp_path / f"store-{triples}")
        server.load([(meta, void)])
        server.start()
        store = RemoteStore(server.query_url, timeout=5.0, max_rows=10)
        try:
            assert await store.health()
            versions.append(store.version)
            assert await store.ask(f"ASK {{ GRAPH <{meta}> {{ ?d ?p {triples} }} }}")
        finally:
            await store.aclose()
            server.stop()
    assert versions[0] != versions[1]
