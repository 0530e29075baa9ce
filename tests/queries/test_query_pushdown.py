"""The VALUES block pushed into sub-selects (api/coopkg/sparql/pushdown.py): where it goes, where it must
not go,
and that it never changes an answer: every named query gives the rows of pyoxigraph's plain substitution, on
the shipped graph and on a synthetic graph of many programmes, through `run()` and through the store engine.
"""

from __future__ import annotations

import importlib.util
import io
import re
import sys
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest
from test_query_binding import SAMPLES

from coopkg.queries.registry import NamedQuery, QueryRegistry
from coopkg.queries.run import bind, run
from coopkg.sparql.text import inline_values
from coopkg.store.engine import Job, prepare

ROOT = Path(__file__).resolve().parents[2]
EX = "http://example.org/"
P = ox.NamedNode(f"{EX}p1")
VALUES_P = f"VALUES (?p) {{ ({P}) }}"


def _blocks(query: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None = None) -> list[str]:
    """The VALUES blocks inline_values writes, in text order (each as `VALUES (...) { (...) }`)."""
    rendered = inline_values(query, bindings or {"p": P})
    return re.findall(r"VALUES \([^)]*\) \{ \([^)]*\) \}", rendered)


def _pushed(query: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None = None) -> int:
    """How many sub-selects got a block (the outermost WHERE group always gets one)."""
    return len(_blocks(query, bindings)) - 1


# ------------------------------------------------------------------------------------- where blocks go


def test_a_sub_select_projecting_the_parameter_opens_with_it() -> None:
    query = (
        "SELECT ?p ?n WHERE { ?p a <urn:T> "
        "OPTIONAL { SELECT ?p (COUNT(?x) AS ?n) WHERE { ?x <urn:of> ?p } GROUP BY ?p } }"
    )
    rendered = inline_values(query, {"p": P})
    assert rendered.count(VALUES_P) == 2
    inner = rendered.index("WHERE", rendered.index("COUNT"))
    assert rendered[inner:].startswith("WHERE {\n  " + VALUES_P)


def test_a_sub_select_not_projecting_the_parameter_is_left_alone() -> None:
    # Its ?p is another variable: the sub-select counts over all of them.
    query = "SELECT ?p ?n WHERE { ?p a <urn:T> { SELECT (COUNT(?p) AS ?n) WHERE { ?x <urn:of> ?p } } }"
    assert _pushed(query) == 0


def test_nested_sub_selects_take_it_only_through_a_chain_that_projects_it() -> None:
    both = (
        "SELECT ?p ?n WHERE { ?p a <urn:T> { SELECT ?p ?n WHERE { ?p <urn:q> ?y "
        "{ SELECT ?p (COUNT(?x) AS ?n) WHERE { ?x <urn:of> ?p } GROUP BY ?p } } } }"
    )
    assert _pushed(both) == 2
    middle_hides = (
        "SELECT ?p ?n WHERE { ?p a <urn:T> { SELECT (COUNT(?p) AS ?n) WHERE { "
        "{ SELECT ?p WHERE { ?x <urn:of> ?p } } } } }"
    )
    assert _pushed(middle_hides) == 0


def test_braces_select_and_where_in_strings_comments_iris_and_names_are_not_syntax() -> None:
    query = (
        "PREFIX : <http://example.org/SELECT/WHERE/>\n"
        "SELECT ?p ?n WHERE { # { SELECT ?p WHERE {\n"
        '  ?p :SELECT \'SELECT ?p WHERE { }\' ; :WHERE """}{""" .\n'
        "  OPTIONAL { SELECT ?p (COUNT(?x) AS ?n)  # } } SELECT\n"
        "    WHERE { ?x <urn:of#SELECT> ?p ; :a\\#b '{' } GROUP BY ?p }\n"
        "}\n"
    )
    rendered = inline_values(query, {"p": P})
    assert rendered.count(VALUES_P) == 2
    assert "'SELECT ?p WHERE { }'" in rendered
    assert "# { SELECT ?p WHERE {\n" in rendered
    ox.Store().query(rendered)  # still parses


def test_each_sub_select_takes_the_parameters_it_projects() -> None:
    query = (
        "SELECT ?p ?lang ?n ?m WHERE { ?p a <urn:T> "
        "OPTIONAL { SELECT ?p (COUNT(?x) AS ?n) WHERE { ?x <urn:of> ?p } GROUP BY ?p } "
        "OPTIONAL { SELECT ?lang ?p (COUNT(?y) AS ?m) WHERE { ?y <urn:of> ?p ; <urn:lang> ?lang } "
        "GROUP BY ?p ?lang } }"
    )
    lang = ox.Literal("en")
    assert _blocks(query, {"p": P, "lang": lang}) == [
        f'VALUES (?p ?lang) {{ ({P} "en") }}',
        f"VALUES (?p) {{ ({P}) }}",
        f'VALUES (?p ?lang) {{ ({P} "en") }}',
    ]


@pytest.mark.parametrize(
    ("shape", "sub_select", "expected"),
    [
        ("projected, with a LIMIT", "SELECT ?p ?x WHERE { ?x <urn:of> ?p } LIMIT 1", 1),
        (
            "projected, bound in an OPTIONAL",
            "SELECT ?p ?x WHERE { ?x a <urn:C> OPTIONAL { ?x <urn:of> ?p } }",
            1,
        ),
        ("* with ?p in a triple pattern", "SELECT * WHERE { ?x <urn:of> ?p }", 1),
        ("* with ?p in a FILTER only", "SELECT * WHERE { ?x <urn:of> ?y FILTER(?y != ?p) }", 0),
        ("* with ?p in a VALUES row only", "SELECT * WHERE { ?x <urn:of> ?y VALUES ?p { <urn:a> } }", 0),
        ("assigned", "SELECT ?x (?y AS ?p) WHERE { ?x <urn:of> ?y }", 0),
        ("counted, not projected", "SELECT (COUNT(?p) AS ?x) WHERE { ?y <urn:of> ?p }", 0),
    ],
)
def test_which_sub_selects_take_it(shape: str, sub_select: str, expected: int) -> None:
    query = f"SELECT ?p ?x WHERE {{ ?p a <urn:T> OPTIONAL {{ {sub_select} }} }}"
    assert _pushed(query) == expected, shape


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        ("{ SUB }", 1),
        ("OPTIONAL { SUB }", 1),
        ("OPTIONAL { ?p <urn:r> ?z { SUB } }", 1),
        ("{ SUB } UNION { ?p <urn:r> ?x }", 1),
        ("GRAPH ?g { SUB }", 1),
        ("MINUS { SUB }", 1),
        ("FILTER NOT EXISTS { SUB }", 1),
        ("BIND(EXISTS { SUB } AS ?b)", 1),
        ("OPTIONAL { ?z <urn:r> ?w OPTIONAL { SUB } }", 1),
        ("OPTIONAL { ?z <urn:r> ?w FILTER NOT EXISTS { SUB } }", 1),
        ("SERVICE <urn:s> { SUB }", 0),  # the remote endpoint's query is not ours to change
    ],
)
def test_where_the_sub_select_sits(position: str, expected: int) -> None:
    sub = "SELECT ?p ?x WHERE { ?x <urn:of> ?p }"
    query = f"SELECT ?p ?x WHERE {{ ?p a <urn:T> {position.replace('SUB', sub)} }}"
    assert _pushed(query) == expected


def test_exists_in_a_projection_or_having_is_not_a_pattern() -> None:
    query = (
        "SELECT ?p (EXISTS { SELECT ?p WHERE { ?p <urn:q> ?x } } AS ?b) WHERE { ?p a <urn:T> } "
        "GROUP BY ?p HAVING(EXISTS { SELECT ?p WHERE { ?p <urn:q> ?x } })"
    )
    assert _pushed(query) == 0


def test_a_construct_template_is_not_a_pattern() -> None:
    query = (
        "CONSTRUCT { ?p <urn:n> ?n } "
        "WHERE { { SELECT ?p (COUNT(?x) AS ?n) WHERE { ?x <urn:of> ?p } GROUP BY ?p } }"
    )
    assert _pushed(query) == 1


def test_sub_selects_false_writes_the_outer_block_only() -> None:
    query = "SELECT ?p ?x WHERE { { SELECT ?p ?x WHERE { ?x <urn:of> ?p } } }"
    assert inline_values(query, {"p": P}, sub_selects=False).count("VALUES") == 1


# ------------------------------------------------------- the answers: substitution's, not the outer block's

# Two programmes: p1 with commitments c1 and c2, p2 with c0, c3 and c4; and an unrelated <z> <urn:r> <w>.
_SMALL = f"""
<{EX}p1> a <urn:T> . <{EX}p2> a <urn:T> .
<{EX}c1> a <urn:C> ; <urn:of> <{EX}p1> . <{EX}c2> a <urn:C> ; <urn:of> <{EX}p1> .
<{EX}c3> a <urn:C> ; <urn:of> <{EX}p2> . <{EX}c4> a <urn:C> ; <urn:of> <{EX}p2> .
<{EX}c0> a <urn:C> ; <urn:of> <{EX}p2> .
<{EX}z> <urn:r> <{EX}w> .
"""


@pytest.fixture(scope="module")
def small() -> ox.Store:
    store = ox.Store()
    store.load(_SMALL.encode(), format=ox.RdfFormat.TURTLE)
    return store


def _rows(store: ox.Store, text: str, **options: object) -> list[str]:
    solutions = store.query(text, **options)  # type: ignore[arg-type]
    assert isinstance(solutions, ox.QuerySolutions)
    return sorted(repr([solution[v] for v in solutions.variables]) for solution in solutions)


@pytest.mark.parametrize(
    "query",
    [
        # LIMIT: the first row of all is a p2 commitment, so p1 got none with the outer block only.
        "SELECT ?p ?x WHERE { ?p a <urn:T> OPTIONAL { SELECT ?p ?x WHERE { ?x <urn:of> ?p } "
        "ORDER BY DESC(?x) LIMIT 1 } }",
        "SELECT ?p ?x WHERE { ?p a <urn:T> MINUS { SELECT ?p ?x WHERE { ?x <urn:of> ?p } "
        "ORDER BY DESC(?x) LIMIT 1 } }",
        "SELECT ?p ?x WHERE { ?p a <urn:T> OPTIONAL { SELECT * WHERE { ?x <urn:of> ?p } "
        "ORDER BY DESC(?x) LIMIT 1 } }",
        # ?p bound in an OPTIONAL only: the rows without it were counted in one group of their own.
        "SELECT ?p ?n WHERE { ?p a <urn:T> OPTIONAL { SELECT ?p (COUNT(?x) AS ?n) "
        "WHERE { ?x a <urn:C> OPTIONAL { ?x <urn:of> ?p FILTER(?p = <http://example.org/p2>) } } "
        "GROUP BY ?p } }",
        # Nested OPTIONAL: the z row was extended by p2 rows (then dropped by the join with p1).
        "SELECT ?p ?z WHERE { ?p a <urn:T> OPTIONAL { ?z <urn:r> ?w OPTIONAL { SELECT ?p WHERE "
        "{ ?x <urn:of> ?p FILTER(?p = <http://example.org/p2>) } } } }",
        # Nested NOT EXISTS: p2 rows exist, so the z row was removed.
        "SELECT ?p ?z WHERE { ?p a <urn:T> OPTIONAL { { ?z <urn:r> ?w FILTER NOT EXISTS { SELECT ?p WHERE "
        "{ ?x <urn:of> ?p FILTER(?p = <http://example.org/p2>) } } } } }",
    ],
)
def test_sub_selects_need_the_block_to_answer_what_substitution_answers(small: ox.Store, query: str) -> None:
    reference = _rows(small, query, substitutions={ox.Variable("p"): P})
    assert _rows(small, inline_values(query, {"p": P})) == reference
    assert _rows(small, inline_values(query, {"p": P}, sub_selects=False)) != reference


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?p ?n WHERE { ?p a <urn:T> { SELECT (COUNT(?p) AS ?n) WHERE { ?x <urn:of> ?p } } }",
        "SELECT ?p ?n WHERE { ?p a <urn:T> { SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?p WHERE "
        "{ ?x <urn:of> ?p } } } } }",
    ],
)
def test_a_sub_select_that_does_not_project_it_keeps_its_own_variable(small: ox.Store, query: str) -> None:
    reference = _rows(small, query, substitutions={ox.Variable("p"): P})
    assert reference == _rows(small, inline_values(query, {"p": P}))
    assert "5" in reference[0]  # all five commitments counted, not p1's two


# --------------------------------------------------------------- every named query: same rows as substitution


def _substituted_rows(store: ox.Store, query: NamedQuery, values: dict[str, str]) -> list[str]:
    bindings = bind(query, values)
    substitutions = {ox.Variable(name): term for name, term in bindings.items()}
    return _rows(store, query.text, substitutions=substitutions, use_default_graph_as_union=True)


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate_q", ROOT / "bench/generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate_q"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def synthetic() -> tuple[ox.Store, list[str]]:
    """~40k triples: 15 synthetic programmes, the SDG KOS and ontology; and the programme IRIs."""
    out = io.StringIO()
    list(_load_generator().generate(out, triples=40_000, seed=5, quads=True, shipped=True, sources_dir=None))
    store = ox.Store()
    store.load(out.getvalue().encode(), format=ox.RdfFormat.N_QUADS)
    programmes = [
        str(row["p"].value)
        for row in store.query(  # type: ignore[union-attr]
            "SELECT DISTINCT ?p WHERE { ?p a <https://w3id.org/coopkg/def#Programme> } ORDER BY ?p",
            use_default_graph_as_union=True,
        )
    ]
    assert len(programmes) > 3
    return store, programmes


def test_every_query_with_sub_selects_is_rewritten(registry: QueryRegistry) -> None:
    # The guard of this file's purpose: programme-overview's counts are pushed down.
    query = registry["programme-overview"]
    assert inline_values(query.text, bind(query, {})).count("VALUES") == 8


def _programme_samples(registry: QueryRegistry, programmes: list[str]) -> list[tuple[str, dict[str, str]]]:
    cases: list[tuple[str, dict[str, str]]] = []
    for name, query in registry.items():
        names = {param.name for param in query.params}
        if "programme" not in names:
            continue
        for programme in programmes[:: max(1, len(programmes) // 4)]:
            extra = {"number": "2"} if "number" in names else {}
            cases.append((name, {"programme": programme, **extra}))
    return cases


def test_synthetic_programmes_give_the_substitution_rows(
    registry: QueryRegistry, synthetic: tuple[ox.Store, list[str]]
) -> None:
    store, programmes = synthetic
    cases = _programme_samples(registry, programmes)
    assert {name for name, _ in cases} >= {"programme-overview", "areas", "area-sdg-matrix"}
    for name, values in cases:
        query = registry[name]
        got = run(store, query, values)
        rows = sorted(repr([row.get(v) for v in got.variables]) for row in got.rows)
        assert rows == _substituted_rows(store, query, values), (name, values)
        assert rows, (name, values)  # a synthetic programme has an answer to every programme query


_CASES = [(name, values) for name, samples in SAMPLES.items() for values in samples]


@pytest.mark.parametrize(("name", "values"), _CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(_CASES)])
def test_the_store_engine_binds_like_substitution(
    registry: QueryRegistry, shipped_store: ox.Store, name: str, values: dict[str, str]
) -> None:
    """A store given `bindings` (api/coopkg/store/engine.py) writes them as VALUES blocks too: same rows."""
    query = registry[name]
    job = Job(
        query.text,
        "select",
        "application/sparql-results+json",
        max_rows=100_000,
        union_default_graph=True,
        bindings=bind(query, values),
    )
    out = io.BytesIO()
    prepare(shipped_store, job).write(out)
    solutions = ox.parse_query_results(out.getvalue(), format=ox.QueryResultsFormat.JSON)
    assert isinstance(solutions, ox.QuerySolutions)
    rows = sorted(repr([solution[v] for v in solutions.variables]) for solution in solutions)
    assert rows == _substituted_rows(shipped_store, query, values)
