"""The lean path for SPARQL GET/HEAD (coopkg.web.lean) answers exactly as the full FastAPI stack does.

The same app, response cache off, is asked every request twice: once without Accept-Encoding (the lean path
takes it) and once with `Accept-Encoding: identity` (the full path: gzip would act on it, so the lean path
leaves it alone, and identity asks gzip for nothing). Status, headers and body must be equal, for answers and
for every refusal the route makes."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from coopkg.settings import Settings
from coopkg.store.inprocess import InProcessStore
from coopkg.web import lean
from coopkg.web.app import create_app

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
    kept = sorted((k, v) for k, v in response.headers.multi_items() if k not in ("date", "content-encoding"))
    return response.status_code, kept, response.content


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
    full = _answer(client, method, params, {**headers, "accept-encoding": "identity"})
    assert taken == [True, False]
    assert fast == full
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
    assert not lean._lean(scope("/sparql", b"query=ASK%7B%7D", (b"accept-encoding", b"gzip")))
    assert not lean._lean(scope("/sparql", b"", (b"accept", b"text/html")))  # the query page
    assert not lean._lean(scope("/sparql", b"query=ASK%7B%7D", method="POST"))
    assert not lean._lean(scope("/id/x", b"query=1"))


def test_only_middleware_that_leave_lean_requests_alone_sit_inside_the_lean_path() -> None:
    """A middleware added inside the lean path (before it in create_app) never sees SPARQL GETs: a per-client
    budget or a rate limit there would be skipped. Such a one must be added after LeanSparqlQueries."""
    app = create_app(Settings())
    names = [middleware.cls.__name__ for middleware in app.user_middleware]  # type: ignore[attr-defined]
    inside = names[names.index("LeanSparqlQueries") + 1 :]
    assert inside == ["SecurityHeaders", "CORSMiddleware", "GZipMiddleware"]
