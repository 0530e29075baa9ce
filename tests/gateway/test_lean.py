"""The lean path for SPARQL GET/HEAD (coopkg.web.lean) answers exactly as the full FastAPI stack does.

The same app, response cache off, is asked every request twice: once as it comes (the lean path takes it)
and once with the lean path turned away (the full path). Status, headers and body must be equal, for
answers, for every refusal the route makes, and with or without gzip (the lean path applies the app's own
gzip middleware: clients that send Accept-Encoding, as httpx and browsers do, take it too)."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from coopkg.settings import Settings
from coopkg.store.inprocess import InProcessStore
from coopkg.web import lean
from coopkg.web.app import create_app
from coopkg.web.compression import GZIP_MIN

GRAPH = ox.NamedNode("http://example.org/g")
SELECT = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s"
REQUESTS = [
    ("GET", {"query": SELECT}, {}),
    ("GET", {"query": SELECT, "format": "text/csv"}, {}),
    ("GET", {"query": "ASK { ?s ?p ?o }"}, {"accept": "application/sparql-results+xml"}),
    ("GET", {"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, {"accept": "text/turtle"}),
    ("GET", {"query": SELECT, "default-graph-uri": "http://example.org/g"}, {}),
    ("HEAD", {"query": SELECT}, {}),
    ("GET", {"query": "SELECT * WHERE { ?s ?p"}, {}),  # not SPARQL: 400 from the engine
    ("GET", {"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}, {}),  # an update: 400
    ("GET", {"query": "SELECT * { SERVICE <http://evil.example/> { ?s ?p ?o } }"}, {}),  # 403
    ("GET", {"query": SELECT}, {"accept": "image/png"}),  # 406
    ("GET", {"query": SELECT, "update": "x"}, {}),  # 400
    ("GET", {"query": [SELECT, SELECT]}, {}),  # two query parameters: 400
    ("GET", {"query": "SELECT * {" * 200 + "}" * 200}, {}),  # nested too deep: 400
    ("GET", {"query": SELECT}, {"accept-encoding": "gzip"}),  # over the gzip minimum: compressed
    ("GET", {"query": "ASK { ?s ?p ?o }"}, {"accept-encoding": "gzip, deflate"}),  # under it: as it is
    ("GET", {"query": SELECT}, {"accept-encoding": "identity"}),
    ("HEAD", {"query": SELECT}, {"accept-encoding": "gzip"}),
]


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    store = ox.Store()
    for n in range(30):  # a SELECT of every row is over the gzip minimum, the others under it
        store.add(
            ox.Quad(
                ox.NamedNode(f"http://example.org/s{n}"),
                ox.NamedNode("http://example.org/p"),
                ox.Literal(f"v{n}"),
                GRAPH,
            )
        )
    app = create_app(Settings(cache_mb=0), InProcessStore(store, version="lean-1"))
    with TestClient(app, raise_server_exceptions=False) as instance:
        instance.headers.pop("accept-encoding", None)
        yield instance


def _answer(client: TestClient, method: str, params: dict[str, object], headers: dict[str, str]) -> tuple:
    response = client.request(method, "/sparql", params=params, headers=headers)  # type: ignore[arg-type]
    kept = sorted((k, v) for k, v in response.headers.multi_items() if k != "date")
    return response.status_code, kept, response.content  # content: decompressed by httpx


@pytest.mark.parametrize(("method", "params", "headers"), REQUESTS)
def test_lean_and_full_path_answer_alike(
    client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    params: dict[str, object],
    headers: dict[str, str],
) -> None:
    taken: list[bool] = []
    real = lean._lean
    monkeypatch.setattr(lean, "_lean", lambda scope: taken.append(real(scope)) or taken[-1])
    fast = _answer(client, method, params, headers)
    monkeypatch.setattr(lean, "_lean", lambda scope: taken.append(False) or False)
    full = _answer(client, method, params, headers)
    assert taken == [True, False]
    assert fast == full
    compressible = method == "GET" and "gzip" in headers.get("accept-encoding", "")
    gzipped = ("content-encoding", "gzip") in fast[1]
    if compressible and len(fast[2]) >= GZIP_MIN:
        assert gzipped
    if not compressible:
        assert not gzipped
    assert fast[0] in (200, 400, 403, 406)
    assert ("x-content-type-options", "nosniff") in fast[1]  # the app's security headers on both paths


def test_cors_and_other_routes_take_the_full_path() -> None:
    def scope(
        path: str, query: bytes, *headers: tuple[bytes, bytes], method: str = "GET"
    ) -> dict[str, object]:
        return {
            "type": "http",
            "method": method,
            "path": path,
            "query_string": query,
            "headers": list(headers),
        }

    assert lean._lean(scope("/sparql", b"query=ASK%7B%7D"))
    assert lean._lean(scope("/sparql", b"query=ASK%7B%7D", method="HEAD"))
    assert not lean._lean(scope("/sparql", b"query=ASK%7B%7D", (b"origin", b"https://a.example")))
    assert lean._lean(scope("/sparql", b"query=ASK%7B%7D", (b"accept-encoding", b"gzip")))
    assert not lean._lean(scope("/sparql", b"", (b"accept", b"text/html")))  # the query page
    assert not lean._lean(scope("/sparql", b"query=ASK%7B%7D", method="POST"))
    assert not lean._lean(scope("/id/x", b"query=1"))


def test_only_middleware_that_leave_lean_requests_alone_sit_inside_the_lean_path() -> None:
    """A middleware added inside the lean path (before it in create_app) never sees SPARQL GETs: a per-client
    budget or a rate limit there would be skipped. Such a one must be added after LeanSparqlQueries."""
    app = create_app(Settings())
    names = [middleware.cls.__name__ for middleware in app.user_middleware]  # type: ignore[attr-defined]
    inside = names[names.index("LeanSparqlQueries") + 1 :]
    assert inside == ["SecurityHeaders", "CORSMiddleware", "FittedGZipMiddleware"]
