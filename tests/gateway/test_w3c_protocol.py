"""The W3C SPARQL 1.1 Protocol test suite (tests/conformance/sparql11-protocol), run over real HTTP.

Every test of the manifest is one pytest case: its requests are sent in order to a live gateway serving the
suite's graphs (`--data`), and the responses are checked against the manifest's expected status class,
result format (boolean / tabular / RDF, parsed with pyoxigraph) and ASK answer. The 7 update tests are
reported as not applicable (the endpoint is read-only); the 7 bad-update tests must still get a 4xx.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection

from live import Gateway

MANIFEST = Path(__file__).parent.parent / "conformance" / "sparql11-protocol" / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
RESULTS_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


@dataclass(frozen=True)
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[str]  # e.g. {"2xx", "3xx"}
    result_format: str | None  # boolean, tabular, RDF
    boolean: bool | None


@dataclass(frozen=True)
class Case:
    name: str
    label: str
    steps: tuple[Step, ...]


def _steps(graph: Graph, test: URIRef) -> tuple[Step, ...]:
    action = graph.value(test, MF.action)
    steps = []
    for request in Collection(graph, graph.value(action, HT.requests)):
        headers = {}
        header_list = graph.value(request, HT.headers)
        if header_list is not None:
            for header in Collection(graph, header_list):
                headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
        body_node = graph.value(request, HT.body)
        body = None
        if body_node is not None:
            encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
            body = str(graph.value(body_node, CNT.chars)).encode(encoding.lower())
        response = graph.value(request, HT.resp)
        statuses = frozenset(
            str(status).removeprefix(str(HTS)).removeprefix("StatusCode")
            for status in graph.objects(response, MF.expectedStatus)
        )
        fmt = graph.value(response, MF.expectedFormat)
        boolean = graph.value(response, MF.expectedBoolean)
        steps.append(
            Step(
                str(graph.value(request, HT.methodName)),
                str(graph.value(request, HT.absolutePath)),
                headers,
                body,
                statuses,
                None if fmt is None else str(fmt),
                None if boolean is None else bool(boolean.toPython()),
            )
        )
    return tuple(steps)


def load_cases() -> list[Case]:
    graph = Graph().parse(MANIFEST, format="turtle")
    manifest = next(graph.subjects(MF.entries, None))
    cases = []
    for test in Collection(graph, graph.value(manifest, MF.entries)):
        name = str(test).rsplit("#", 1)[1]
        cases.append(Case(name, str(graph.value(test, MF.name)), _steps(graph, test)))
    return cases


CASES = load_cases()


def category(case: Case) -> str:
    if case.name.startswith("update_"):
        return "update"
    if case.name.startswith("bad_"):
        return "bad update" if "update" in case.name else "bad query"
    return "query"


def test_the_suite_is_complete() -> None:
    counts = {kind: sum(1 for case in CASES if category(case) == kind) for kind in ("query", "bad query")}
    counts |= {kind: sum(1 for case in CASES if category(case) == kind) for kind in ("update", "bad update")}
    assert counts == {"query": 13, "bad query": 7, "update": 7, "bad update": 7}


def _check(step: Step, answer: httpx.Response, label: str) -> None:
    shown = f"{label}: {step.method} {step.path} -> {answer.status_code} {answer.text[:300]!r}"
    assert f"{answer.status_code // 100}xx" in step.statuses, shown
    if step.result_format is None:
        return
    media = answer.headers.get("content-type", "").split(";")[0].strip()
    if step.result_format in ("boolean", "tabular"):
        assert media in RESULTS_TYPES, shown
        parsed = ox.parse_query_results(answer.content, format=RESULTS_TYPES[media])
        if step.result_format == "boolean":
            assert isinstance(parsed, ox.QueryBoolean), shown
            if step.boolean is not None:
                assert bool(parsed) is step.boolean, shown
        else:
            assert isinstance(parsed, ox.QuerySolutions), shown
            list(parsed)  # every row parses
    else:
        fmt = ox.RdfFormat.from_media_type(media)
        assert fmt is not None, shown
        list(ox.parse(answer.content, format=fmt))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_w3c_protocol(case: Case, protocol_gateway: Gateway) -> None:
    if case.name.startswith("update_"):
        pytest.skip("read-only endpoint: SPARQL Update is refused by design (the bad-update tests still run)")
    with httpx.Client(base_url=protocol_gateway.base, timeout=30) as client:
        for step in case.steps:
            # The manifest's paths start with /sparql/; this endpoint is /sparql (the manifest says: replace).
            path = "/sparql" + step.path.removeprefix("/sparql/")
            if path.startswith("/sparql") and path != "/sparql" and not path.startswith("/sparql?"):
                path = "/sparql?" + path.removeprefix("/sparql")
            answer = client.request(step.method, path, headers=step.headers, content=step.body)
            _check(step, answer, case.label)
