"""Binding values: validation in `bind()`, and proof that no value can change a query's structure.

Values reach SPARQL two ways: as pyoxigraph substitutions (embedded store) and as a VALUES block rendered
from the terms' N-Triples form (remote store). Hostile values must come back exactly as given, in one
row, whichever way they travel, and the rendered query must answer exactly what the substituted one does.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from query_test_ids import DEMO, ID, SDG, area, commitment, framework

from coopkg.errors import InvalidParameter
from coopkg.queries.registry import NamedQuery, QueryRegistry
from coopkg.queries.run import bind, run
from coopkg.sparql.text import inline_values, variables_after, where_brace
from coopkg.store.base import SelectResult

HOSTILE_TEXTS = [
    '"',
    "'",
    '"""',
    "\\",
    '\\"',
    "}",
    "} }",
    '"} ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #',
    "') } UNION { ?s ?p ?o } #",
    "\n} UNION { ?s ?p ?o }\n",
    "# comment\n?s ?p ?o",
    "line one\r\nline two",
    "SELECT * WHERE { ?s ?p ?o }",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "<http://example.org/>",
    "?text",
    "$lang",
    "\x00\x01\x1f\x7f",
    "\u2028\u2029",
    "海绵城市",
]

PROBE = "SELECT ?v WHERE { }"


def _probe(term: ox.NamedNode | ox.Literal) -> list[ox.NamedNode | ox.Literal | None]:
    """What a VALUES-rendered probe query answers for ?v: must be exactly [term]."""
    rendered = inline_values(PROBE, {"v": term})
    solutions = ox.Store().query(rendered)
    assert isinstance(solutions, ox.QuerySolutions)
    return [solution["v"] for solution in solutions]  # type: ignore[misc]


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_hostile_strings_stay_one_literal(text: str) -> None:
    term = ox.Literal(text)
    assert _probe(term) == [term]
    tagged = ox.Literal(text, language="zh")
    assert _probe(tagged) == [tagged]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",))))
def test_any_text_stays_one_literal(text: str) -> None:
    term = ox.Literal(text)
    assert _probe(term) == [term]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40))
def test_any_text_in_an_iri_is_refused_or_stays_one_iri(suffix: str) -> None:
    from coopkg.queries.params import Param, ParamKind

    param = Param("thing", ParamKind.IRI, "A thing")
    try:
        term = param.to_term("http://example.org/" + suffix)
    except InvalidParameter:
        return
    assert _probe(term) == [term]


def test_inline_values_skips_braces_and_where_in_strings_iris_and_comments() -> None:
    query = (
        "# WHERE { in a comment\n"
        "PREFIX ex: <http://example.org/WHERE/>\n"
        "SELECT ?v ?x (CONCAT(\"WHERE {\", '}') AS ?s) WHERE {\n"
        "  BIND(1 AS ?x)\n"
        "}\n"
    )
    brace = where_brace(query)
    assert query[brace - 6 : brace + 1] == "WHERE {"
    rendered = inline_values(query, {"v": ox.Literal("a}b")})
    assert rendered.count("VALUES") == 1
    solutions = ox.Store().query(rendered)
    assert isinstance(solutions, ox.QuerySolutions)
    rows = [(row["v"], row["x"], row["s"]) for row in solutions]
    assert rows == [(ox.Literal("a}b"), ox.Literal(1), ox.Literal("WHERE {}"))]


def test_sub_selects_do_not_fool_where_brace() -> None:
    query = "SELECT ?v ?n WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } } }"
    assert where_brace(query) == query.index("{")
    assert variables_after(query, 0) == {"v", "n", "s", "p", "o"}


def test_inline_values_needs_an_explicit_where() -> None:
    with pytest.raises(ValueError, match="explicit `WHERE"):
        inline_values("SELECT ?v { }", {"v": ox.Literal("x")})
    assert inline_values("SELECT * { }", {}) == "SELECT * { }"


def test_inline_values_refuses_bad_names_and_terms() -> None:
    with pytest.raises(ValueError, match="not a parameter name"):
        inline_values(PROBE, {"v) {} #": ox.Literal("x")})
    with pytest.raises(TypeError, match="IRI or a literal"):
        inline_values(PROBE, {"v": ox.BlankNode()})  # type: ignore[dict-item]


# ----------------------------------------------------------------------------------------------- bind()


def test_bind_fills_in_defaults(registry: QueryRegistry) -> None:
    bindings = bind(registry["text-search"], {"text": "海绵城市"})
    assert bindings == {"text": ox.Literal("海绵城市"), "lang": ox.Literal("any")}


def test_bind_refuses_a_missing_required_parameter(registry: QueryRegistry) -> None:
    with pytest.raises(InvalidParameter, match=r"needs parameter 'sdg'.*SDG goal or target") as caught:
        bind(registry["commitments-by-sdg"], {})
    assert caught.value.status == 422


def test_bind_refuses_unknown_parameters(registry: QueryRegistry) -> None:
    with pytest.raises(InvalidParameter, match=r"no parameter 'sdgg' \(its parameters: sdg\)"):
        bind(registry["commitments-by-sdg"], {"sdgg": f"{SDG}6"})


def test_bind_refuses_a_bad_value(registry: QueryRegistry) -> None:
    expected = r"parameter 'frequency' is not allowed.*one of any, annual, regular"
    with pytest.raises(InvalidParameter, match=expected):
        bind(registry["mechanisms"], {"frequency": "weekly"})


# ------------------------------------------------------------------------------------------- both ways agree

# Parameters to run every query with, hostile ones included; a new query must add its own here.
SAMPLES: dict[str, list[dict[str, str]]] = {
    "area-sdg-matrix": [{}, {"programme": DEMO}],
    "areas": [{}, {"programme": DEMO}],
    "commitment-provenance": [
        {"commitment": commitment("05/item/4")},
        {"commitment": f"{DEMO}/section/02/prose/1"},
    ],
    "commitments-by-area": [
        {"area": area("1")},
        {"area": f"{DEMO}/area/1"},
    ],
    "commitments-by-framework": [
        {"framework": framework("2030-agenda")},
        {"framework": framework("demo-accord")},
    ],
    "commitments-by-sdg": [{"sdg": f"{SDG}6"}, {"sdg": f"{SDG}6.3"}, {"sdg": f"{SDG}17"}],
    "mechanisms": [{}, {"frequency": "annual"}, {"frequency": "regular"}],
    "programme-overview": [{}, {"programme": DEMO}],
    "programme-sections": [{}, {"programme": DEMO}],
    "party-commitments": [{}, {"party": f"{ID}party/denmark"}, {"party": f"{ID}party/nowhere"}],
    "standing-mechanisms": [{}, {"minProgrammes": "2"}],
    "successor-continues": [{}, {"successor": DEMO}],
    "section-commitments": [
        {"number": "4"},
        {"number": "2", "programme": DEMO},
    ],
    "text-search": [
        {"text": "海绵城市"},
        {"text": "WATER", "lang": "en"},
        {"text": "水", "lang": "zh"},
        *({"text": text} for text in HOSTILE_TEXTS),
    ],
}


def test_every_query_has_samples(registry: QueryRegistry) -> None:
    assert set(SAMPLES) == set(registry)


def _substituted(store: ox.Store, query: NamedQuery, values: dict[str, str]) -> SelectResult:
    """The answer with pyoxigraph's SEP-0007 substitutions: the reference semantics of a bound parameter."""
    bindings = bind(query, values)
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(name): term for name, term in bindings.items()
    }
    solutions = store.query(query.text, substitutions=substitutions, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [variable.value for variable in solutions.variables]
    rows = [{name: solution[name] for name in names if solution[name] is not None} for solution in solutions]
    return SelectResult(names, rows)  # type: ignore[arg-type]


CASES = [(name, values) for name, samples in SAMPLES.items() for values in samples]


@pytest.mark.parametrize(("name", "values"), CASES, ids=[f"{name}-{i}" for i, (name, _) in enumerate(CASES)])
@pytest.mark.parametrize("store_name", ["mini_store", "shipped_store"])
def test_values_block_answers_what_substitution_answers(
    registry: QueryRegistry,
    name: str,
    values: dict[str, str],
    store_name: str,
    request: pytest.FixtureRequest,
) -> None:
    store: ox.Store = request.getfixturevalue(store_name)
    query = registry[name]
    rendered = run(store, query, values)  # the VALUES block: what run() and a remote store use
    substituted = _substituted(store, query, values)
    assert rendered.variables == substituted.variables
    assert rendered.rows == substituted.rows
    bindings = bind(query, values)
    for row in rendered.rows:  # every parameter is projected and comes back as given
        assert {key: row.get(key) for key in bindings} == bindings
