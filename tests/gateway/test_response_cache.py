"""The response cache (`coopkg.web.response_cache.ResponseCache`) in front of the real app, over in-process
stores."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from coopkg.settings import Settings
from coopkg.store.base import QueryRequest, QueryResponse
from coopkg.store.inprocess import InProcessStore
from coopkg.web.app import create_app
from coopkg.web.response_cache import ResponseCache
from search_index_queries import is_search_index_query

GRAPH = ox.NamedNode("http://example.org/g")
ALL = "SELECT ?s ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s"
ID = "/id/programme/cn-dk-green-2023-2026/section/05"


class CountingStore(InProcessStore):
    """Counts the queries that reach the store: a cache hit must not add one."""

    def __init__(self, store: ox.Store, *, version: str, max_rows: int = 10_000) -> None:
        super().__init__(store, version=version, max_rows=max_rows)
        self.executed = 0

    async def execute(self, request: QueryRequest) -> QueryResponse:
        if not is_search_index_query(request.query):  # the index reads the data in the background
            self.executed += 1
        return await super().execute(request)


def _graph(count: int, label: str = "value", width: int = 1) -> ox.Store:
    store = ox.Store()
    for n in range(count):
        store.add(
            ox.Quad(
                ox.NamedNode(f"http://example.org/s{n:05d}"),
                ox.NamedNode("http://example.org/p"),
                ox.Literal(f"{label} {n} " + "x" * width),
                GRAPH,
            )
        )
    return store


def _cache(app: FastAPI) -> ResponseCache:
    layer: object = app.middleware_stack
    while not isinstance(layer, ResponseCache):
        layer = getattr(layer, "app")  # noqa: B009 - each middleware keeps the next one on `.app`
    return layer


def _headers(response: object) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in response.headers.multi_items() if k != "date")  # type: ignore[attr-defined]


@pytest.fixture
def small() -> Iterator[tuple[TestClient, CountingStore]]:
    """30 short triples, a 10-row limit (so ALL is truncated), the default cache."""
    store = CountingStore(_graph(30), version="v1", max_rows=10)
    with TestClient(create_app(Settings(max_rows=10), store)) as client:
        yield client, store


def test_a_hit_is_byte_identical_to_the_miss_and_skips_the_store(
    small: tuple[TestClient, CountingStore],
) -> None:
    client, store = small
    first = client.get("/sparql", params={"query": ALL})
    second = client.get("/sparql", params={"query": ALL})
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert _headers(first) == _headers(second)
    assert store.executed == 1
    assert _cache(client.app).hits == 1  # type: ignore[arg-type]
    # A truncated answer is deterministic: cached with its truncation header.
    assert second.headers["coopkg-results-truncated"] == "true"
    assert "Accept" in second.headers["vary"]


def test_accept_variants_and_format_do_not_mix(small: tuple[TestClient, CountingStore]) -> None:
    client, store = small
    kinds = {
        "application/sparql-results+json": "application/sparql-results+json",
        "application/sparql-results+xml": "application/sparql-results+xml",
        "text/csv": "text/csv",
    }
    for _ in range(2):
        for accept, media in kinds.items():
            answer = client.get("/sparql", params={"query": ALL}, headers={"Accept": accept})
            assert answer.headers["content-type"].startswith(media)
        by_format = client.get("/sparql", params={"query": ALL, "format": "csv"})
        assert by_format.headers["content-type"].startswith("text/csv")
    assert store.executed == 4  # three Accepts and one format=, each once
    # Case and spaces in Accept do not make a new entry.
    client.get("/sparql", params={"query": ALL}, headers={"Accept": "Text/CSV"})
    assert store.executed == 4


def test_etag_gives_304_and_other_tags_200(small: tuple[TestClient, CountingStore]) -> None:
    client, store = small
    etag = client.get("/sparql", params={"query": ALL}).headers["etag"]
    for match in (etag, f"W/{etag}", f'"nope", {etag}', "*"):
        answer = client.get("/sparql", params={"query": ALL}, headers={"If-None-Match": match})
        assert answer.status_code == 304, match
        assert answer.content == b""
        assert answer.headers["etag"] == etag
    other = client.get("/sparql", params={"query": ALL}, headers={"If-None-Match": '"nope"'})
    assert other.status_code == 200
    assert other.content
    assert store.executed == 1


def test_a_conditional_miss_still_fills_the_cache(small: tuple[TestClient, CountingStore]) -> None:
    client, store = small
    etag = client.get("/sparql", params={"query": ALL}).headers["etag"]
    fresh = TestClient(create_app(Settings(max_rows=10), store))
    with fresh:
        answer = fresh.get("/sparql", params={"query": ALL}, headers={"If-None-Match": etag})
        assert answer.status_code == 304
        assert fresh.get("/sparql", params={"query": ALL}).status_code == 200
        assert _cache(fresh.app).hits == 1  # type: ignore[arg-type]


def test_head_matches_get_without_a_body(small: tuple[TestClient, CountingStore]) -> None:
    client, store = small
    plain = {"Accept-Encoding": "identity"}
    cold = client.head("/sparql", params={"query": ALL}, headers=plain)
    get = client.get("/sparql", params={"query": ALL}, headers=plain)
    warm = client.head("/sparql", params={"query": ALL}, headers=plain)
    assert cold.status_code == warm.status_code == 200
    assert cold.content == warm.content == b""
    assert _headers(cold) == _headers(get) == _headers(warm)
    assert int(get.headers["content-length"]) == len(get.content)
    assert store.executed == 1


def test_gzip_is_served_when_accepted_and_decodes_to_the_same_bytes() -> None:
    store = CountingStore(_graph(200, width=40), version="v1")
    with TestClient(create_app(Settings(), store)) as client:
        plain = client.get("/sparql", params={"query": ALL}, headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers
        for _ in range(2):
            zipped = client.get("/sparql", params={"query": ALL}, headers={"Accept-Encoding": "gzip"})
            assert zipped.headers["content-encoding"] == "gzip"
            assert zipped.content == plain.content  # httpx decodes
            assert "Accept-Encoding" in zipped.headers["vary"]
        refused = client.get("/sparql", params={"query": ALL}, headers={"Accept-Encoding": "gzip;q=0"})
        assert "content-encoding" not in refused.headers
        entry = next(iter(_cache(client.app).entries.values()))  # type: ignore[arg-type]
        assert entry.gzipped is not None
        assert gzip.decompress(entry.gzipped) == plain.content
        assert store.executed == 1


def test_the_cache_is_bounded_and_evicts_the_least_recently_used() -> None:
    # 1 MB cache; each answer ~100 kB of identity bytes (counted twice for its gzip variant).
    store = CountingStore(_graph(2000, width=80), version="v1")
    with TestClient(create_app(Settings(cache_mb=1), store)) as client:
        cache = _cache(client.app)  # type: ignore[arg-type]
        queries = [
            f"SELECT ?s ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} ORDER BY ?s LIMIT {700 + n}" for n in range(8)
        ]
        for query in queries:
            assert client.get("/sparql", params={"query": query}).status_code == 200
        assert 0 < cache.used <= cache.max_bytes
        assert len(cache.entries) < len(queries)
        executed = store.executed
        client.get("/sparql", params={"query": queries[-1]})  # the newest is kept
        assert store.executed == executed
        client.get("/sparql", params={"query": queries[0]})  # the oldest was evicted
        assert store.executed == executed + 1
        # An answer larger than a quarter of the cache is streamed through, whole, and not kept.
        huge = client.get("/sparql", params={"query": ALL})
        assert huge.status_code == 200
        assert huge.content.count(b"value ") == 2000
        assert cache.used <= cache.max_bytes


def test_a_new_data_version_is_a_new_key(small: tuple[TestClient, CountingStore]) -> None:
    client, _ = small
    before = client.get("/sparql", params={"query": ALL})
    client.app.state.store = CountingStore(_graph(30, label="changed"), version="v2", max_rows=10)  # type: ignore[attr-defined]
    after = client.get("/sparql", params={"query": ALL})
    assert b"changed" in after.content
    assert b"changed" not in before.content
    assert after.headers["etag"] != before.headers["etag"]


def test_errors_and_credentials_are_never_cached(small: tuple[TestClient, CountingStore]) -> None:
    client, store = small
    for _ in range(2):
        assert client.get("/sparql", params={"query": "SELECT * WHERE {"}).status_code == 400
        assert (
            client.get("/sparql", params={"query": ALL}, headers={"Accept": "image/png"}).status_code == 406
        )
    assert _cache(client.app).entries == {}  # type: ignore[arg-type]
    before = store.executed
    for header in ({"Authorization": "Bearer x"}, {"Cookie": "lang=en"}):
        for _ in range(2):
            assert client.get("/sparql", params={"query": ALL}, headers=header).status_code == 200
    assert store.executed == before + 4
    assert _cache(client.app).entries == {}  # type: ignore[arg-type]


def test_origin_decides_the_cors_headers_and_does_not_mix(small: tuple[TestClient, CountingStore]) -> None:
    client, _ = small
    for _ in range(2):
        cors = client.get("/sparql", params={"query": ALL}, headers={"Origin": "https://a.example"})
        assert cors.headers["access-control-allow-origin"] == "*"
        plain = client.get("/sparql", params={"query": ALL})
        assert "access-control-allow-origin" not in plain.headers


def test_service_description_posts_and_a_zero_size_bypass_the_cache() -> None:
    store = CountingStore(_graph(5), version="v1")
    with TestClient(create_app(Settings(cache_mb=0), store)) as client:
        for _ in range(2):
            assert client.get("/sparql", params={"query": ALL}).status_code == 200
        assert store.executed == 2
    with TestClient(create_app(Settings(), store)) as client:
        for _ in range(2):
            assert client.get("/sparql", headers={"Accept": "text/turtle"}).status_code == 200
            assert client.post("/sparql", data={"query": ALL}).status_code == 200
        assert _cache(client.app).entries == {}  # type: ignore[arg-type]


def test_iri_pages_hit_per_representation(shipped_store: ox.Store) -> None:
    with TestClient(create_app(Settings(), InProcessStore(shipped_store, version="t"))) as client:
        cache = _cache(client.app)  # type: ignore[arg-type]
        for accept in ("text/turtle", "application/ld+json", "text/html"):
            miss = client.get(ID, headers={"Accept": accept})
            hit = client.get(ID, headers={"Accept": accept})
            assert miss.status_code == 200
            assert miss.content == hit.content
            assert _headers(miss) == _headers(hit)
            assert miss.headers["content-type"].split(";")[0] == accept
        assert cache.hits == 3
        assert client.get("/id/nothing/here", headers={"Accept": "text/turtle"}).status_code == 404
        assert (
            client.get("/def", headers={"Accept": "text/turtle"}).content
            == client.get("/def", headers={"Accept": "text/turtle"}).content
        )
        assert cache.hits == 4


def test_the_remote_backend_is_never_cached() -> None:
    store = CountingStore(_graph(5), version="v1")
    settings = Settings(store="remote", remote_query_url="http://127.0.0.1:9/query")
    with TestClient(create_app(settings, store)) as client:
        for _ in range(2):
            assert client.get("/sparql", params={"query": ALL}).status_code == 200
        assert store.executed == 2


def test_the_host_is_part_of_the_key(shipped_store: ox.Store) -> None:
    # JSON-LD pages link their @context by the request's base URL: another host must not get ours.
    with TestClient(create_app(Settings(), InProcessStore(shipped_store, version="t"))) as client:
        jsonld = {"Accept": "application/ld+json"}
        cache = _cache(client.app)  # type: ignore[arg-type]
        first = client.get(ID, headers={**jsonld, "Host": "a.example"})
        assert b"http://a.example/context.jsonld" in first.content
        client.get(ID, headers={**jsonld, "Host": "b.example"})
        assert cache.hits == 0
        assert len(cache.entries) == 2
        # (The body of the second is the route's own concern: api/coopkg/web/routers/ids.py caches rendered
        # bytes per
        # version without the host, so it repeats a.example; reported to its owner.)
