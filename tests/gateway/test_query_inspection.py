"""coopkg.sparql.inspection: what is refused before any parser sees the query, and what is learnt from it."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopkg.errors import CoopkgError, QuerySyntaxError, ServiceNotAllowed, UnusableInput, UpdateRefused
from coopkg.sparql.inspection import MAX_DEPTH, ServiceAllowlist, inspect_query

NONE = ServiceAllowlist([])
WIKIDATA = ServiceAllowlist(["https://query.wikidata.org/"])


def inspect(query: str, allowlist: ServiceAllowlist = NONE) -> object:
    return inspect_query(query, allowlist, max_length=100_000)


@pytest.mark.parametrize(
    ("query", "kind", "form"),
    [
        ("SELECT * { ?s ?p ?o }", "select", "SELECT"),
        ("PREFIX ex: <http://e/> ask { ex:a ?p ?o }", "ask", "ASK"),
        ("# SELECT in a comment\nCONSTRUCT WHERE { ?s ?p ?o }", "graph", "CONSTRUCT"),
        ("BASE <http://e/> DESCRIBE <a>", "graph", "DESCRIBE"),
    ],
)
def test_query_form(query: str, kind: str, form: str) -> None:
    info = inspect(query)
    assert (info.kind, info.form) == (kind, form)  # type: ignore[attr-defined]


def test_dataset_clause_is_detected_at_top_level() -> None:
    assert inspect("SELECT * FROM <http://g> { ?s ?p ?o }").has_dataset_clause  # type: ignore[attr-defined]
    assert not inspect('SELECT * { ?s ?p "FROM" }').has_dataset_clause  # type: ignore[attr-defined]


def test_prefixes_are_collected_for_turtle_output() -> None:
    info = inspect("PREFIX coop: <https://w3id.org/coopkg/def#> SELECT * { ?s a coop:Commitment }")
    assert info.prefixes == {"coop": "https://w3id.org/coopkg/def#"}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <a> <b> <c> }",
        "prefix ex: <http://e/> delete where { ?s ?p ?o }",
        "DROP ALL",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR DEFAULT",
        "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused(query: str) -> None:
    with pytest.raises(UpdateRefused) as caught:
        inspect(query)
    assert "read-only" in caught.value.detail


def test_depth_limit_ignores_brackets_in_strings_iris_and_comments() -> None:
    noise = '"{{{{((((" <http://e/((((> # {{{{{{{{\n'
    inspect("SELECT * {" + noise * 200 + "}")


def test_deep_nesting_is_refused_before_parsing() -> None:
    query = "SELECT * " + "{" * 5000 + "}" * 5000
    with pytest.raises(QuerySyntaxError) as caught:
        inspect(query)
    assert str(MAX_DEPTH) in caught.value.detail
    assert "line 1" in caught.value.detail


def test_nul_and_length_are_refused() -> None:
    with pytest.raises(QuerySyntaxError):
        inspect("SELECT * {}\x00")
    with pytest.raises(QuerySyntaxError, match="at most 10"):
        inspect_query("SELECT * { ?s ?p ?o }", NONE, max_length=10)


def test_not_a_query_is_a_syntax_error() -> None:
    with pytest.raises(QuerySyntaxError):
        inspect("hello world")


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://127.0.0.1:8080/sparql> { ?s ?p ?o } }",
        "select * { service silent <http://169.254.169.254/> { ?s ?p ?o } }",
        "PREFIX ep: <http://10.0.0.1/> SELECT * { SERVICE ep:sparql { ?s ?p ?o } }",
        "BASE <http://127.0.0.1/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }",
        "SELECT * { SERVICE <\\u0068ttp://127.0.0.1/> { ?s ?p ?o } }",
        "SELECT * { VALUES ?e { <http://127.0.0.1/> } SERVICE ?e { ?s ?p ?o } }",
        "SELECT * { FILTER EXISTS { SERVICE <file:///etc/passwd> { ?s ?p ?o } } }",
        "SELECT * { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }",  # not allowed by NONE
    ],
)
def test_service_is_refused_when_federation_is_off(query: str) -> None:
    with pytest.raises(ServiceNotAllowed):
        inspect(query)


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://query.wikidata.org.evil.example/sparql",
        "https://user@query.wikidata.org/sparql",
        "http://query.wikidata.org/sparql",
        "https://query.wikidata.org:8443/sparql",
        "sparql",
    ],
)
def test_allowlist_matches_scheme_host_port_and_prefix(endpoint: str) -> None:
    with pytest.raises(ServiceNotAllowed):
        inspect(f"SELECT * {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}", WIKIDATA)


def test_allowlisted_service_passes_resolved() -> None:
    query = "PREFIX wd: <https://query.wikidata.org/> SELECT * { SERVICE wd:sparql { ?s ?p ?o } }"
    assert inspect(query, WIKIDATA).services == ("https://query.wikidata.org/sparql",)  # type: ignore[attr-defined]


def test_unicode_escape_outside_strings_is_refused() -> None:
    with pytest.raises(QuerySyntaxError):
        inspect("SELECT * { \\u0053ERVICE <http://127.0.0.1/> { ?s ?p ?o } }")


@pytest.mark.parametrize(
    "prefix", ["file:///", "ftp://example.org/", "https://u:p@example.org/", "example.org"]
)
def test_allowlist_entries_must_be_http_prefixes(prefix: str) -> None:
    with pytest.raises(UnusableInput):
        ServiceAllowlist([prefix])


PIECES = [
    *"{}()[]<>\"'#\\\n ?$:.",
    "a",
    "SERVICE",
    "FROM",
    "INSERT",
    "SELECT",
    "u0053",
    "http://x/",
    "<http://x/>",
]


def outcome(text: str) -> str:
    """'ok', or the detail of the CoopkgError: anything else propagates and fails the test."""
    try:
        inspect(text)
    except CoopkgError as error:
        return error.detail
    return "ok"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_any_text_gets_an_answer_or_a_clear_refusal(text: str) -> None:
    assert outcome(text).strip()  # never a crash; a refusal always says why


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=1, max_value=MAX_DEPTH + 40), st.sampled_from(["{", "("]))
def test_depth_limit_agrees_with_the_nesting(depth: int, bracket: str) -> None:
    close = "}" if bracket == "{" else ")"
    inner = "?s ?p ?o" if bracket == "{" else "1"
    query = (
        "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth
        if bracket == "{"
        else "SELECT * WHERE { FILTER(" + bracket * depth + inner + close * depth + ") }"
    )
    depth_seen = depth if bracket == "{" else depth + 2  # the WHERE group and FILTER's own parenthesis
    if depth_seen > MAX_DEPTH:
        with pytest.raises(QuerySyntaxError):
            inspect(query)
    else:
        inspect(query)
        ox.Store().query(query)  # and the real parser takes what the guard lets through
