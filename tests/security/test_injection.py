"""Injection: hostile parameter values never change a query's structure.

The gateway runs in front of a recording SPARQL endpoint (COOPKG_STORE=remote), so each test asserts on the
query text the gateway really sent: the named query's own text, unchanged, plus one VALUES row whose terms
parse back (with rdflib's independent SPARQL parser) to exactly the values given. A value that could not be
a term of its type is refused with a 422 before anything is sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
import rdflib
from attack_recorder import Recorder
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.plugins.sparql import prepareQuery

from coopkg.queries import default_registry
from coopkg.queries.registry import NamedQuery
from coopkg.sparql.text import where_brace
from search_index_queries import is_search_index_query

HOSTILE_TEXTS = [
    '" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #',
    "' } UNION { ?s ?p ?o } #",
    '""") } UNION { ?x ?y ?z } #',
    "\n} UNION { ?s ?p ?o }\n",
    '\\" ) } #',
    "VALUES ?text { 1 }",
    "} } SERVICE <http://169.254.169.254/> { ?a ?b ?c } {",
    "x\r\nINSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "${text} ?text $lang",
    "<https://w3id.org/coopkg/id/> ?p ?o",
    "海绵城市\u2028\u0085\u000b",
    "# comment } {",
]
SDG_6 = "http://metadata.un.org/sdg/6"
Row = dict[str, rdflib.term.Identifier]
HOSTILE_NON_TEXT = {
    "sdg": ["http://metadata.un.org/sdg/6> } UNION { ?s ?p ?o } #", "6", "javascript:alert(1)\n", "<x>"],
    "number": ["3 } UNION { ?s ?p ?o", "1e3", "0x10", "3;", "٣"],
    "lang": ['en" } #', "any ", "EN", ""],
}


@pytest.fixture(scope="module")
def recorder(shipped_store: ox.Store) -> Iterator[Recorder]:
    with Recorder(shipped_store) as instance:
        yield instance


@pytest.fixture(scope="module")
def client(recorder: Recorder) -> Iterator[TestClient]:
    from coopkg.settings import Settings
    from coopkg.web.app import create_app

    app = create_app(Settings(store="remote", remote_query_url=recorder.url, query_timeout=10))
    with TestClient(app) as instance:
        # The search index is built in the background from the store's answers: let it finish (a search
        # waits for it), so that what the tests record is only what their own request sent.
        assert instance.get("/api/search", params={"q": "水"}).status_code == 200
        yield instance


def values_row(query: str) -> Row:
    """The one VALUES row of a query, read by rdflib's SPARQL parser (not by our own lexer)."""
    rows: list[Row] = []

    def visit(node: object) -> None:
        if getattr(node, "name", None) == "values":
            rows.extend({str(var): term for var, term in row.items()} for row in node["res"])  # type: ignore[index]
        if isinstance(node, dict):
            for child in node.values():
                visit(child)
        elif isinstance(node, list | tuple):
            for child in node:
                visit(child)

    visit(prepareQuery(query).algebra)
    assert len(rows) == 1, f"expected exactly one VALUES row, found {rows}"
    return rows[0]


# What a search-backed query (text-search) gets from the search index besides the parameters' row: one line
# of IRIs from the index, ranks and languages; the searched text never appears in it.
SEARCH_BLOCK = re.compile(
    r"\n  VALUES \(\?commitment \?rank \?matchedIn\) \{ "
    r'(?:\(<https://w3id\.org/coopkg/id/[^<>"{}|^`\\\s]+> [0-9]+ "(?:zh|en)"\) )*\}'
)


def without_search_block(sent: str, named: NamedQuery) -> str:
    if not named.search:
        return sent
    blocks = SEARCH_BLOCK.findall(sent)
    assert len(blocks) == 1, "a search-backed query carries exactly one block of the index's hits"
    return sent.replace(blocks[0], "", 1)


def assert_only_values_added(sent: str, named: NamedQuery, expected: Row) -> None:
    sent = without_search_block(sent, named)
    brace = where_brace(named.text) + 1
    head, tail = named.text[:brace], named.text[brace:]
    assert sent.startswith(head), "the text before the WHERE group changed"
    assert sent.endswith(tail), "the query text after the VALUES block changed"
    block = sent[len(head) : len(sent) - len(tail)]
    assert block.startswith("\n  VALUES ("), block
    assert "\n" not in block[1:], block
    assert "\r" not in block, block
    assert values_row(sent) == expected


def run_named(client: TestClient, recorder: Recorder, name: str, params: dict[str, str]) -> list[str]:
    recorder.take()
    answer = client.get(f"/api/queries/{name}", params=params, headers={"Accept": "application/json"})
    assert answer.status_code == 200, answer.text
    # The search index rebuilds in the background when the data version changes: its reads are not ours.
    return [sent for sent in recorder.take() if not is_search_index_query(sent)]


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_hostile_text_is_one_literal_in_one_values_row(
    client: TestClient, recorder: Recorder, text: str
) -> None:
    named = default_registry()["text-search"]
    sent = run_named(client, recorder, "text-search", {"text": text})
    assert len(sent) == 1
    assert_only_values_added(sent[0], named, {"text": rdflib.Literal(text), "lang": rdflib.Literal("any")})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=60))
def test_any_text_is_one_literal_in_one_values_row(client: TestClient, recorder: Recorder, text: str) -> None:
    named = default_registry()["text-search"]
    sent = run_named(client, recorder, "text-search", {"text": text})
    assert len(sent) == 1
    assert_only_values_added(sent[0], named, {"text": rdflib.Literal(text), "lang": rdflib.Literal("any")})


@pytest.mark.parametrize(
    ("name", "param", "value"),
    [
        (name, param, value)
        for param, values in HOSTILE_NON_TEXT.items()
        for name in sorted(default_registry())
        if param in {p.name for p in default_registry()[name].params}
        for value in values
    ],
)
def test_values_that_are_not_terms_of_their_type_are_refused_before_any_query(
    client: TestClient, recorder: Recorder, name: str, param: str, value: str
) -> None:
    named = default_registry()[name]
    # Required parameters get a well-formed value, so the one under test is what gets refused.
    fill = {"integer": "1"}
    params = {p.name: fill.get(p.kind.value, SDG_6) for p in named.params if p.required}
    params[param] = value
    recorder.take()
    answer = client.get(f"/api/queries/{name}", params=params, headers={"Accept": "application/json"})
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert param in answer.json()["detail"]
    assert recorder.take() == [], "a refused value still reached the store"


@pytest.mark.parametrize("text", [text for text in HOSTILE_TEXTS if '"' in text or "\n" in text])
def test_the_structure_check_catches_a_naively_pasted_value(text: str) -> None:
    """Control: grlc-style pasting (the value between quotes, unescaped) must fail the check above."""
    named = default_registry()["text-search"]
    brace = where_brace(named.text) + 1
    naive = f'{named.text[:brace]}\n  VALUES (?text ?lang) {{ ("{text}" "any") }}{named.text[brace:]}'
    expected: Row = {"text": rdflib.Literal(text), "lang": rdflib.Literal("any")}
    with pytest.raises(Exception):  # noqa: B017, PT011 - a parse error or an assertion: either is a catch
        assert_only_values_added(naive, named, expected)


def test_parameter_values_longer_than_2000_characters_are_refused(
    client: TestClient, recorder: Recorder
) -> None:
    """SECURITY.md's fixed limit on named-query parameter values."""
    recorder.take()
    ok = client.get(
        "/api/queries/text-search", params={"text": "水" * 2000}, headers={"Accept": "application/json"}
    )
    assert ok.status_code == 200, ok.text[:300]
    too_long = client.get(
        "/api/queries/text-search", params={"text": "水" * 2001}, headers={"Accept": "application/json"}
    )
    assert too_long.status_code == 422, too_long.text[:300]
    assert len(recorder.take()) == 1, "only the allowed value reached the store"


REST_FILTERS = ["area", "section", "sdg", "framework", "q", "sort"]


@pytest.mark.parametrize("name", REST_FILTERS)
@pytest.mark.parametrize("text", HOSTILE_TEXTS[:8])
def test_rest_filters_never_reach_a_query(
    client: TestClient, recorder: Recorder, name: str, text: str
) -> None:
    """Resource filters are matched in memory: whatever the value, no query the store receives contains it,
    and the answer is a list or a clear 4xx."""
    marker = f"{text} zz-marker-{name}"
    recorder.take()
    answer = client.get("/api/commitments", params={name: marker}, headers={"Accept": "application/json"})
    assert answer.status_code in (200, 400, 404, 422), answer.text[:300]
    if answer.status_code >= 400:
        assert answer.headers["content-type"].startswith("application/problem+json")
    for sent in recorder.take():
        assert "zz-marker" not in sent, f"a filter value reached SPARQL: {sent[:300]}"
