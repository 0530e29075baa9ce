"""Fuzzing every HTTP endpoint of the live gateway: schemathesis from our own OpenAPI schema, and Hypothesis
for the Accept header, IRI paths, named-query parameters and `/validate` bodies. No 5xx, every response
matches the schema, every refusal is a clear 4xx problem document.

Example counts are kept moderate (the suite runs on 2 cores); the seeds vary per run, so repeated runs widen
the search. A failure prints the reproducing case.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import schemathesis
from attack_html import Page
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import checks

from live import Gateway

EXAMPLES_PER_OPERATION = 25
Q_JUNK = "0123456789.-+eE;=, abcqQ*/"  # what a broken q-value may hold (header-legal characters)
# What every response must satisfy today: no 5xx, and a documented response's body matches its schema.
CHECKS = [checks.not_a_server_error, checks.response_schema_conformance]
# Every status and media type a route can answer is documented (404s, problem+json:
# api/coopkg/web/openapi.py).
DOCUMENTATION_CHECKS = [checks.status_code_conformance, checks.content_type_conformance]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
JSON_LD_KEYS = ["@id", "@type", "@context", "@value", "@graph", "@list", "@language", "http://example.org/p"]
UPLOAD_TYPES = [
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
    "application/trig",
    "text/plain",
    "",
]
MEDIA_TYPES = [
    "text/html",
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
    "application/json",
    "application/sparql-results+json",
    "text/csv",
    "*/*",
    "text/*",
    "image/png",
]


def assert_clear(answer: httpx.Response) -> None:
    """No 5xx; a 4xx is a problem document that says something."""
    assert answer.status_code < 500, f"{answer.request.method} {answer.request.url}: {answer.text[:400]}"
    if answer.status_code >= 400:
        assert answer.headers["content-type"].startswith("application/problem+json"), answer.headers
        assert str(answer.json()["detail"]).strip()


def fuzz_schema(base: str, chosen: list[Any]) -> list[str]:
    """Run schemathesis over every operation with the `chosen` checks; the failures, one text each."""
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None)
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=base, checks=chosen, timeout=30)

        try:
            check()
        # One operation's failure must not hide the others' (schemathesis raises a BaseExceptionGroup).
        except (Exception, BaseExceptionGroup) as failure:
            failures.append(f"{operation.method.upper()} {operation.path}: {failure}")
    assert operations >= 5, f"the schema lists only {operations} operations"
    return failures


@pytest.mark.slow
def test_every_operation_answers_without_5xx_and_bodies_match_the_schema(gateway: Gateway) -> None:
    failures = fuzz_schema(gateway.base, CHECKS)
    assert failures == [], "\n\n".join(failures)


@pytest.mark.slow
def test_every_status_and_media_type_is_documented(gateway: Gateway) -> None:
    failures = fuzz_schema(gateway.base, DOCUMENTATION_CHECKS)
    assert failures == [], "\n\n".join(failures)


accept_header = st.one_of(
    # Printable ASCII; HTTP clients refuse header values with leading or trailing blanks.
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=80).map(str.strip),
    st.lists(
        st.tuples(
            st.sampled_from(MEDIA_TYPES),
            st.one_of(st.none(), st.floats(-1, 2).map(lambda q: f"{q:.3f}"), st.text(Q_JUNK, max_size=6)),
        ),
        min_size=1,
        max_size=5,
    ).map(lambda parts: ", ".join(m if q is None else f"{m};q={q}" for m, q in parts).strip()),
)


@FUZZ
@given(accept=accept_header)
def test_any_accept_header_gets_a_representation_or_406(gateway: Gateway, accept: str) -> None:
    for path in ("/id/programme/cn-dk-green-2023-2026", "/sparql?query=ASK%20%7B%7D"):
        answer = httpx.get(gateway.base + path, headers={"Accept": accept}, timeout=30)
        assert_clear(answer)
        assert answer.status_code in (200, 406), f"{path} with Accept {accept!r}: {answer.status_code}"


id_segment = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="/?#"), min_size=1, max_size=20),
    st.sampled_from(["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)"]),
).map(lambda text: quote(text, safe=""))


@FUZZ
@given(
    segments=st.lists(id_segment, min_size=1, max_size=6), suffix=st.sampled_from(["", ".ttl", ".html", ".x"])
)
def test_any_iri_path_is_found_or_a_clear_404(gateway: Gateway, segments: list[str], suffix: str) -> None:
    path = "/id/" + "/".join(segments) + suffix
    answer = httpx.get(gateway.base + path, headers={"Accept": "text/turtle"}, timeout=30)
    assert answer.status_code in (200, 303, 400, 404, 406), f"{path}: {answer.status_code}"
    if answer.status_code == 404:  # an unknown IRI is a 404 in the format asked for, saying so
        assert "not found" in answer.text.lower() or "nothing" in answer.text.lower(), answer.text[:300]
    page = httpx.get(gateway.base + path, headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code < 500, f"{path} as HTML: {page.status_code}"
    if page.headers.get("content-type", "").startswith("text/html"):
        parsed = Page()
        parsed.feed(page.text)
        assert parsed.problems == [], f"{path}: the path is reflected as markup: {parsed.problems}"


@FUZZ
@given(
    name=st.sampled_from(
        ["text-search", "commitments-by-sdg", "section-commitments", "mechanisms", "commitment-provenance"]
    ),
    params=st.dictionaries(
        st.sampled_from(["text", "sdg", "number", "frequency", "lang", "commitment", "programme", "zzz"]),
        st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
        max_size=4,
    ),
)
def test_any_named_query_parameters_get_an_answer_or_a_clear_422(
    gateway: Gateway, name: str, params: dict[str, str]
) -> None:
    answer = httpx.get(
        f"{gateway.base}/api/queries/{name}",
        params=params,
        headers={"Accept": "application/json"},
        timeout=30,
    )
    assert_clear(answer)
    assert answer.status_code in (200, 422), f"{name} {params}: {answer.status_code} {answer.text[:300]}"


validate_body = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12)),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(JSON_LD_KEYS), inner, max_size=4)
        ),
        max_leaves=20,
    ).map(lambda value: json.dumps(value).encode()),
)


@FUZZ
@given(
    body=validate_body,
    content_type=st.sampled_from(UPLOAD_TYPES),
)
def test_any_validate_body_gets_a_report_or_a_clear_4xx(
    gateway: Gateway, body: bytes, content_type: str
) -> None:
    headers = {"Accept": "application/json"}
    if content_type:
        headers["Content-Type"] = content_type
    answer = httpx.post(f"{gateway.base}/validate", content=body, headers=headers, timeout=60)
    assert_clear(answer)
    assert answer.status_code in (200, 400, 413, 415, 422), f"{content_type}: {answer.status_code}"
