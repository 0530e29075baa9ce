"""coopkg.web.conneg: q-values, wildcards, specificity, the format= override and 406."""

from __future__ import annotations

import pytest

from coopkg.errors import NotAcceptable
from coopkg.web.conneg import negotiate, parse_accept, prefers_html

RESULTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"]
GRAPH = ["text/turtle", "application/ld+json", "application/n-triples"]


@pytest.mark.parametrize(
    ("accept", "offers", "chosen"),
    [
        (None, RESULTS, "application/sparql-results+json"),
        ("", GRAPH, "text/turtle"),
        ("*/*", GRAPH, "text/turtle"),
        ("text/csv", RESULTS, "text/csv"),
        (
            "application/sparql-results+xml, application/sparql-results+json;q=0.5",
            RESULTS,
            "application/sparql-results+xml",
        ),
        (
            "application/sparql-results+json;q=0.5, application/sparql-results+xml",
            RESULTS,
            "application/sparql-results+xml",
        ),
        # specificity: text/* at 0.1 loses to the exact text/csv at 1, and */* at 0 excludes the rest
        ("text/*;q=0.1, text/csv, */*;q=0", RESULTS, "text/csv"),
        ("application/*;q=0.9, text/turtle;q=0.2", GRAPH, "application/ld+json"),
        ("text/turtle;q=0, */*;q=0.1", GRAPH, "application/ld+json"),
        ("TEXT/TURTLE", GRAPH, "text/turtle"),
        ("text/turtle; charset=utf-8", GRAPH, "text/turtle"),
        ("nonsense, application/n-triples", GRAPH, "application/n-triples"),
    ],
)
def test_negotiate_picks_the_best_offer(accept: str | None, offers: list[str], chosen: str) -> None:
    assert negotiate(accept, offers) == chosen


@pytest.mark.parametrize(
    ("fmt", "chosen"), [("csv", "text/csv"), ("json", RESULTS[0]), ("text/csv", "text/csv")]
)
def test_format_parameter_overrides_accept(fmt: str, chosen: str) -> None:
    assert negotiate("application/sparql-results+xml", RESULTS, fmt) == chosen


def test_nothing_acceptable_is_406_naming_what_is_available() -> None:
    with pytest.raises(NotAcceptable) as caught:
        negotiate("image/png", GRAPH)
    assert "text/turtle" in caught.value.detail
    assert caught.value.status == 406


def test_unknown_format_is_406_listing_the_names() -> None:
    with pytest.raises(NotAcceptable) as caught:
        negotiate(None, GRAPH, "png")
    assert "ttl" in caught.value.detail


def test_zero_quality_excludes() -> None:
    with pytest.raises(NotAcceptable):
        negotiate("text/turtle;q=0", ["text/turtle"])


def test_parse_accept_skips_malformed_ranges() -> None:
    ranges = parse_accept("text/html;q=abc, application/json;q=0.3, garbage")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [("application", "json", 0.3)]


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),
        ("*/*", False),
        (None, False),
        ("text/turtle", False),
        ("text/turtle, text/html;q=0.5", False),
    ],
)
def test_prefers_html_only_for_browsers(accept: str | None, html: bool) -> None:
    assert prefers_html(accept) is html
