"""The SPARQL protocol's other doors: updates by every route the protocol has, odd methods and encodings.
Each gets a clear 4xx problem document, never a 5xx; the data is unchanged afterwards.
"""

from __future__ import annotations

import httpx
import pytest
from attack_listener import Listener

from live import Gateway

INSERT = "INSERT DATA { <urn:x:evil> <urn:x:p> <urn:x:o> }"
ASK_EVIL = "ASK { <urn:x:evil> ?p ?o }"
JSON = "application/sparql-results+json"


def assert_problem(answer: httpx.Response, *statuses: int) -> None:
    assert answer.status_code in statuses, f"{answer.status_code}: {answer.text[:300]}"
    assert answer.headers["content-type"].startswith("application/problem+json"), answer.headers
    assert str(answer.json()["detail"]).strip()


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("GET", {"params": {"update": INSERT}}),
        ("POST", {"data": {"update": INSERT}}),
        ("POST", {"content": INSERT, "headers": {"Content-Type": "application/sparql-update"}}),
        ("POST", {"data": {"query": INSERT}}),
        ("GET", {"params": {"query": INSERT}}),
    ],
    ids=["get-update", "form-update", "sparql-update-body", "form-query", "get-query"],
)
def test_updates_are_refused_by_every_route(gateway: Gateway, method: str, kwargs: dict[str, object]) -> None:
    answer = httpx.request(method, f"{gateway.base}/sparql", timeout=30, **kwargs)  # type: ignore[arg-type]
    assert_problem(answer, 400, 403, 405, 415)
    check = httpx.get(
        f"{gateway.base}/sparql", params={"query": ASK_EVIL}, headers={"Accept": JSON}, timeout=30
    )
    assert check.json()["boolean"] is False, "the update changed the data"


def test_load_via_update_is_refused_without_fetching(gateway: Gateway, listener: Listener) -> None:
    before = len(listener.recorded())
    answer = httpx.post(
        f"{gateway.base}/sparql",
        content=f"LOAD <{listener.url}data.ttl>",
        headers={"Content-Type": "application/sparql-update"},
        timeout=30,
    )
    assert_problem(answer, 400, 403, 405, 415)
    assert len(listener.recorded()) == before, listener.recorded()


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_writing_methods_are_not_allowed(gateway: Gateway, method: str) -> None:
    answer = httpx.request(method, f"{gateway.base}/sparql", content=INSERT, timeout=30)
    assert answer.status_code == 405, answer.text[:300]


@pytest.mark.parametrize(
    "query",
    ["SELECT * WHERE { ?s ?p ?o \x00 }", "ASK {}\x00", "SELECT * WHERE { ?s ?p \ufffe }"],
    ids=["nul-inside", "nul-after", "noncharacter"],
)
def test_control_characters_in_a_get_query_are_a_clear_400(gateway: Gateway, query: str) -> None:
    answer = httpx.get(
        f"{gateway.base}/sparql", params={"query": query}, headers={"Accept": JSON}, timeout=30
    )
    assert_problem(answer, 400)


def test_invalid_percent_encoding_is_a_clear_400(gateway: Gateway) -> None:
    answer = httpx.get(
        f"{gateway.base}/sparql?query=ASK%20%7B%7D%FF%FE", headers={"Accept": JSON}, timeout=30
    )
    assert_problem(answer, 400)


def test_query_and_update_together_are_refused(gateway: Gateway) -> None:
    answer = httpx.post(f"{gateway.base}/sparql", data={"query": "ASK {}", "update": INSERT}, timeout=30)
    assert_problem(answer, 400, 403)


def test_two_queries_in_one_request_are_refused(gateway: Gateway) -> None:
    answer = httpx.get(f"{gateway.base}/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D", timeout=30)
    assert_problem(answer, 400)


def test_nesting_limit_is_128_levels(gateway: Gateway) -> None:
    """SECURITY.md's fixed limit: 128 levels are answered, 129 refused before any parser sees them."""

    def nested(depth: int) -> str:
        return "ASK " + "{" * depth + "}" * depth

    assert httpx.get(f"{gateway.base}/sparql", params={"query": nested(128)}, timeout=30).status_code == 200
    assert_problem(httpx.get(f"{gateway.base}/sparql", params={"query": nested(129)}, timeout=30), 400)
