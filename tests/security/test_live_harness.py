"""The attack tests' own tools: a corpus whose every case states its expectation, a listener that really
records connections (else "the listener received nothing" would prove nothing).
"""

from __future__ import annotations

import re

import httpx
import pytest
from attack_corpus import file_cases, generated_cases
from attack_listener import Listener
from attack_server import MAX_BODY

EXPECT = re.compile(r"timeout|(200|4\d\d)( [a-z-]+)?")


def test_every_corpus_case_states_a_checkable_expectation() -> None:
    cases = file_cases() + generated_cases(MAX_BODY)
    assert len(cases) >= 30
    assert len({case.name for case in cases}) == len(cases)
    for case in cases:
        assert EXPECT.fullmatch(case.expect), f"{case.name}: unknown expectation {case.expect!r}"
        assert case.attack.strip(), case.name


def test_corpus_covers_the_attacks_the_issue_lists() -> None:
    names = " ".join(case.name for case in file_cases() + generated_cases(MAX_BODY))
    for attack in (
        "cartesian",
        "deep-",
        "huge-values",
        "path-unbounded",
        "regex",
        "multi-megabyte",
        "invalid-utf8",
        "nul-byte",
        "service-loopback",
        "service-private",
        "service-link-local",
        "service-metadata",
        "service-file",
        "service-redirect",
    ):
        assert attack in names, attack


def test_size_cases_sit_either_side_of_the_body_limit() -> None:
    sizes = {case.name: len(case.body) for case in generated_cases(MAX_BODY)}
    assert MAX_BODY - 4000 < sizes["huge-values"] <= MAX_BODY
    assert sizes["multi-megabyte"] > 2 * MAX_BODY


def test_listener_records_a_connection_and_answers_it() -> None:
    with Listener() as listener:
        assert listener.recorded() == []
        answer = httpx.get(listener.url + "context.jsonld", timeout=5)
        assert answer.json()["@context"]
        hits = listener.recorded()
    assert len(hits) == 1
    assert hits[0].first_bytes.startswith(b"GET /context.jsonld ")


def test_redirecting_listener_redirects() -> None:
    with Listener(redirect_to="http://169.254.169.254/") as redirector:
        answer = httpx.get(redirector.url, timeout=5, follow_redirects=False)
    assert answer.status_code == 302
    assert answer.headers["location"] == "http://169.254.169.254/"


@pytest.mark.parametrize("case", file_cases(), ids=lambda case: case.name)
def test_corpus_placeholders_are_all_replaced(case: object) -> None:
    from attack_corpus import Case

    assert isinstance(case, Case)
    body = case.with_urls("http://127.0.0.1:5/", "http://127.0.0.1:6/")
    assert b"{{" not in body
