"""The protocol at /sparql over real HTTP, on every backend (`protocol_gateway` is parametrised): result
formats by Accept and format=, negotiation edge cases, errors as problem documents, caching headers, CORS,
gzip, the service description, and real clients (SPARQLWrapper in every return format, rdflib's SPARQLStore).
"""

from __future__ import annotations

import gzip
import html
import json
import warnings

import httpx
import pyoxigraph as ox
import pytest

from live import Gateway

DATA1 = "http://kasei.us/2009/09/sparql/data/data1.rdf"
SELECT = "SELECT ?doc WHERE { GRAPH ?g { ?doc a <http://xmlns.com/foaf/0.1/Document> } } ORDER BY ?doc"
CONSTRUCT = "CONSTRUCT { ?doc a ?type } WHERE { GRAPH ?g { ?doc a ?type } }"
RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPHS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


def get(
    gateway: Gateway, query: str | None = None, headers: dict[str, str] | None = None, **params: str
) -> httpx.Response:
    if query is not None:
        params["query"] = query
    return httpx.get(gateway.sparql, params=params, headers=headers or {}, timeout=30)


def assert_problem(answer: httpx.Response, status: int, slug: str) -> dict[str, object]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert str(problem["type"]).endswith(slug), problem
    assert problem["status"] == status
    assert str(problem["detail"]).strip()
    assert "Traceback" not in answer.text
    return dict(problem)


@pytest.mark.parametrize("media", list(RESULTS))
def test_select_in_every_results_format(protocol_gateway: Gateway, media: str) -> None:
    answer = get(protocol_gateway, SELECT, {"Accept": media})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == media
    assert "Accept" in answer.headers["vary"]
    if media == "text/csv":  # pyoxigraph reads CSV only as far as the header; check the rows as text
        lines = answer.text.strip().splitlines()
        assert lines == ["doc", DATA1, DATA1.replace("1", "2"), DATA1.replace("1", "3")]
        return
    rows = list(ox.parse_query_results(answer.content, format=RESULTS[media]))  # type: ignore[arg-type]
    assert [row["doc"].value for row in rows] == [DATA1.replace("1", str(n)) for n in (1, 2, 3)]


@pytest.mark.parametrize("media", list(RESULTS))
def test_ask_in_every_results_format(protocol_gateway: Gateway, media: str) -> None:
    answer = get(protocol_gateway, f"ASK {{ GRAPH ?g {{ <{DATA1}> ?p ?o }} }}", {"Accept": media})
    assert answer.status_code == 200, answer.text
    if media in ("text/csv", "text/tab-separated-values"):
        assert answer.text.strip().lower() == "true"
    else:
        assert bool(ox.parse_query_results(answer.content, format=RESULTS[media])) is True


@pytest.mark.parametrize("media", list(GRAPHS))
def test_construct_in_every_rdf_format(protocol_gateway: Gateway, media: str) -> None:
    answer = get(protocol_gateway, CONSTRUCT, {"Accept": media})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == media
    triples = {str(quad.subject) for quad in ox.parse(answer.content, format=GRAPHS[media])}
    assert triples == {f"<{DATA1.replace('1', str(n))}>" for n in (1, 2, 3)}


def test_describe_is_rdf(protocol_gateway: Gateway) -> None:
    answer = get(protocol_gateway, f"DESCRIBE <{DATA1}>", {"Accept": "application/n-triples"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/n-triples")


@pytest.mark.parametrize(
    ("fmt", "media"),
    [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
    ],
)
def test_format_parameter_overrides_accept(protocol_gateway: Gateway, fmt: str, media: str) -> None:
    answer = get(protocol_gateway, SELECT, {"Accept": "application/sparql-results+xml;q=0.1"}, format=fmt)
    assert answer.headers["content-type"].split(";")[0] == media


def test_format_xml_on_construct_is_rdf_xml(protocol_gateway: Gateway) -> None:
    answer = get(protocol_gateway, CONSTRUCT, format="xml")
    assert answer.headers["content-type"].split(";")[0] == "application/rdf+xml"


def test_q_values_and_wildcards(protocol_gateway: Gateway) -> None:
    accept = "application/sparql-results+json;q=0.2, text/*;q=0.5, text/csv;q=0.9"
    assert get(protocol_gateway, SELECT, {"Accept": accept}).headers["content-type"].startswith("text/csv")
    graph = get(protocol_gateway, CONSTRUCT, {"Accept": "application/*;q=0.9, text/turtle;q=0.3"})
    assert graph.headers["content-type"].split(";")[0] in GRAPHS
    assert not graph.headers["content-type"].startswith("text/turtle")


def test_nothing_acceptable_is_406(protocol_gateway: Gateway) -> None:
    assert_problem(get(protocol_gateway, SELECT, {"Accept": "image/png"}), 406, "not-acceptable")
    assert_problem(get(protocol_gateway, CONSTRUCT, {"Accept": "text/csv"}), 406, "not-acceptable")


def test_malformed_query_is_400_with_the_position(protocol_gateway: Gateway) -> None:
    problem = assert_problem(get(protocol_gateway, "SELECT * WHERE { ?s ?p }"), 400, "query-syntax")
    assert "1:" in str(problem["detail"])


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("GET", {"params": {"update": "DROP ALL"}}),
        ("POST", {"data": {"update": "DROP ALL"}}),
        ("POST", {"content": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}}),
        (
            "POST",
            {
                "content": b"INSERT DATA { <a> <b> <c> }",
                "headers": {"Content-Type": "application/sparql-query"},
            },
        ),
        ("GET", {"params": {"query": "LOAD <http://127.0.0.1:9/x.ttl>"}}),
    ],
)
def test_updates_are_refused_and_change_nothing(protocol_gateway: Gateway, method: str, kwargs: dict) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = get(protocol_gateway, count, {"Accept": "text/csv"}).text
    answer = httpx.request(method, protocol_gateway.sparql, timeout=30, **kwargs)
    assert_problem(answer, 400, "update-refused")
    assert get(protocol_gateway, count, {"Accept": "text/csv"}).text == before


def test_unsupported_content_type_is_415(protocol_gateway: Gateway) -> None:
    answer = httpx.post(protocol_gateway.sparql, content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert_problem(answer, 415, "unsupported-media-type")


def test_too_large_bodies_are_413_declared_or_streamed(protocol_gateway: Gateway) -> None:
    big = b"ASK {} #" + b"x" * 1_100_000
    headers = {"Content-Type": "application/sparql-query"}
    assert_problem(
        httpx.post(protocol_gateway.sparql, content=big, headers=headers), 413, "payload-too-large"
    )

    def chunks():  # no Content-Length: the size is only known while reading
        for start in range(0, len(big), 65536):
            yield big[start : start + 65536]

    answer = httpx.post(protocol_gateway.sparql, content=chunks(), headers=headers, timeout=30)
    assert_problem(answer, 413, "payload-too-large")


def test_unknown_route_and_method_are_problems(protocol_gateway: Gateway) -> None:
    assert_problem(httpx.get(f"{protocol_gateway.base}/nowhere"), 404, "not-found")
    assert_problem(httpx.delete(protocol_gateway.sparql), 405, "method-not-allowed")


def test_etag_and_last_modified_give_304(protocol_gateway: Gateway) -> None:
    first = get(protocol_gateway, SELECT)
    etag = first.headers["etag"]
    assert "max-age" in first.headers["cache-control"]
    again = get(protocol_gateway, SELECT, {"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    other_format = get(protocol_gateway, SELECT, {"If-None-Match": etag, "Accept": "text/csv"})
    assert other_format.status_code == 200  # another representation, another ETag
    if "last-modified" in first.headers:
        since = get(protocol_gateway, SELECT, {"If-Modified-Since": first.headers["last-modified"]})
        assert since.status_code == 304


def test_post_answers_are_not_cached(protocol_gateway: Gateway) -> None:
    answer = httpx.post(protocol_gateway.sparql, data={"query": SELECT})
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"


def test_cors_for_reads_without_credentials(protocol_gateway: Gateway) -> None:
    answer = get(protocol_gateway, SELECT, {"Origin": "https://yasgui.example"})
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in answer.headers
    preflight = httpx.options(
        protocol_gateway.sparql,
        headers={
            "Origin": "https://yasgui.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_large_answers_are_gzipped(protocol_gateway: Gateway) -> None:
    query = "SELECT ?n WHERE { VALUES ?n { " + " ".join(str(n) for n in range(2000)) + " } }"
    with httpx.Client() as client:
        answer = client.post(
            protocol_gateway.sparql, data={"query": query}, headers={"Accept-Encoding": "gzip"}
        )
        assert answer.headers["content-encoding"] == "gzip"
        assert len(json.loads(answer.content)["results"]["bindings"]) == 2000
    raw = httpx.Client(headers={"Accept-Encoding": "gzip"})
    with raw.stream("POST", protocol_gateway.sparql, data={"query": query}) as streamed:
        body = b"".join(streamed.iter_raw())
    assert json.loads(gzip.decompress(body))["head"]["vars"] == ["n"]


def test_large_answers_stream_in_chunks(protocol_gateway: Gateway) -> None:
    query = "SELECT ?n WHERE { VALUES ?n { " + " ".join(str(n) for n in range(5000)) + " } }"
    client = httpx.Client(headers={"Accept-Encoding": "identity"})
    with client, client.stream("POST", protocol_gateway.sparql, data={"query": query}) as answer:
        assert "content-length" not in answer.headers  # sent as it is produced, not buffered whole
        assert answer.headers.get("transfer-encoding") == "chunked"
        body = b"".join(answer.iter_bytes())
    assert len(json.loads(body)["results"]["bindings"]) == 5000


def test_security_headers(protocol_gateway: Gateway) -> None:
    answer = get(protocol_gateway, SELECT)
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


@pytest.mark.parametrize("media", ["text/turtle", "application/ld+json"])
def test_service_description(protocol_gateway: Gateway, media: str) -> None:
    answer = httpx.get(protocol_gateway.sparql, headers={"Accept": media})
    assert answer.status_code == 200
    fmt = GRAPHS[media]
    triples = list(ox.parse(answer.content, format=fmt))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert any(t.object == ox.NamedNode(sd + "Service") for t in triples)
    names = {t.object.value for t in triples if t.predicate == ox.NamedNode(sd + "name")}
    if names:  # the embedded store lists its named graphs
        assert DATA1 in names


def test_query_page_for_browsers(protocol_gateway: Gateway) -> None:
    answer = httpx.get(protocol_gateway.sparql, headers={"Accept": "text/html,*/*;q=0.8"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert '<form method="get"' in answer.text
    from coopkg.queries.registry import default_registry

    for name, named in default_registry().items():  # the named queries are the page's examples
        assert f"<code>{name}</code>" in answer.text
        assert html.escape(named.title.split("<")[0][:20]) in answer.text  # titles are escaped as text
    assert "script-src" not in answer.headers["content-security-policy"]  # no scripts at all


def test_health_and_ready(protocol_gateway: Gateway) -> None:
    assert httpx.get(f"{protocol_gateway.base}/health").json() == {"status": "ok"}
    ready = httpx.get(f"{protocol_gateway.base}/ready")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


# -- real clients ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_select(protocol_gateway: Gateway, fmt: str) -> None:
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(protocol_gateway.sparql)
    client.setQuery(SELECT)
    client.setReturnFormat(fmt)
    result = client.query()
    assert result.response.status == 200
    converted = result.convert()
    if fmt == "json":
        assert len(converted["results"]["bindings"]) == 3
    elif fmt == "xml":
        assert len(converted.getElementsByTagName("result")) == 3
    else:
        text = converted.decode() if isinstance(converted, bytes) else converted
        assert DATA1 in text


@pytest.mark.parametrize("fmt", ["xml", "rdf+xml", "turtle", "n3", "json-ld"])
def test_sparqlwrapper_construct(protocol_gateway: Gateway, fmt: str) -> None:
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(protocol_gateway.sparql)
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(fmt)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no "unexpected format" fallback to */*
        result = client.query()
    assert result.response.status == 200
    converted = result.convert()
    if hasattr(converted, "__len__") and not isinstance(converted, bytes | str):
        assert len(converted) == 3  # an rdflib Graph
    else:
        text = converted.decode() if isinstance(converted, bytes) else converted
        assert DATA1 in text


def test_sparqlwrapper_ask_and_post(protocol_gateway: Gateway) -> None:
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    client = SPARQLWrapper(protocol_gateway.sparql)
    client.setMethod(POST)
    client.setQuery(f"ASK {{ GRAPH ?g {{ <{DATA1}> ?p ?o }} }}")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


def test_rdflib_sparqlstore(protocol_gateway: Gateway) -> None:
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(protocol_gateway.sparql))
    rows = list(graph.query(SELECT))
    assert [str(row[0]) for row in rows] == [DATA1.replace("1", str(n)) for n in (1, 2, 3)]
    assert graph.query(f"ASK {{ GRAPH ?g {{ <{DATA1}> ?p ?o }} }}").askAnswer is True
    constructed = graph.query(CONSTRUCT).graph
    assert len(constructed) == 3
