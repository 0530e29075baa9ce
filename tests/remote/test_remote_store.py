"""RemoteStore against a real Oxigraph server holding the shipped graph.

The reference for every answer is the embedded pyoxigraph store with the same graphs (`shipped_store`): both
backends must give the same rows, the same booleans, the same triples, and byte-identical serialisations.
"""

from __future__ import annotations

import re
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from coopkg.errors import InvalidParameter, NotAcceptable, QuerySyntaxError
from coopkg.queries.registry import QueryRegistry, default_registry
from coopkg.queries.run import bind
from coopkg.rdf.dataset import GRAPH_CURATED, GRAPH_ONTOLOGY, GRAPH_SDG
from coopkg.store.base import Dataset, QueryRequest, Row
from coopkg.store.remote import RemoteStore

# The named-query tests' sample parameters (hostile ones included) and ids: reused, not copied.
sys.path.insert(0, str(Path(__file__).parents[1] / "queries"))
from test_query_binding import HOSTILE_TEXTS, SAMPLES

pytestmark = [pytest.mark.remote, pytest.mark.anyio]

COOP = "https://w3id.org/coopkg/def#"
COMMITMENTS = f"""PREFIX coop: <{COOP}>
SELECT ?c ?text WHERE {{ ?c a coop:Commitment ; coop:text ?text }} ORDER BY ?c"""
GRAPH_QUERY = f"""PREFIX coop: <{COOP}>
CONSTRUCT {{ ?c coop:text ?text ; coop:order ?order }} WHERE {{ ?c a coop:Mechanism ; coop:text ?text ;
  coop:order ?order }}"""

RESULT_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"]


def embedded_rows(
    store: ox.Store, query: str, substitutions: dict[ox.Variable, ox.NamedNode | ox.Literal] | None = None
) -> tuple[list[str], list[Row]]:
    """The embedded engine's rows. pyoxigraph's result iterator lives only in this frame: one kept in a test's
    frame lives on in pytest's report of a failure or xfail, and the garbage collector may then drop it on
    another thread, which pyoxigraph refuses ("PyQuerySolutions is unsendable")."""
    solutions = store.query(query, substitutions=substitutions, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [variable.value for variable in solutions.variables]
    rows: list[Row] = [
        {name: term for name in names if (term := solution[name]) is not None} for solution in solutions
    ]
    return names, rows


async def body_of(store: RemoteStore, request: QueryRequest) -> tuple[bytes, bool]:
    response = await store.execute(request)
    return b"".join([chunk async for chunk in response.body]), response.truncated


# -------------------------------------------------------------------------------- select / ask / construct


async def test_select_gives_the_embedded_rows(remote_store: RemoteStore, shipped_store: ox.Store) -> None:
    result = await remote_store.select(COMMITMENTS)
    assert (result.variables, result.rows) == embedded_rows(shipped_store, COMMITMENTS)
    assert len(result.rows) == 49  # docs/design.md: 23 prose commitments + 26 items
    assert not result.truncated
    assert all(isinstance(row["text"], ox.Literal) and row["text"].language == "zh" for row in result.rows)


async def test_unbound_variables_stay_unbound(remote_store: RemoteStore) -> None:
    result = await remote_store.select("SELECT ?a ?b WHERE { VALUES (?a ?b) { (UNDEF UNDEF) (1 UNDEF) } }")
    assert result.variables == ["a", "b"]
    assert sorted(map(len, result.rows)) == [0, 1]  # an all-unbound row is an empty TSV line: still a row


async def test_ask(remote_store: RemoteStore) -> None:
    assert await remote_store.ask(f"ASK {{ ?c a <{COOP}Commitment> }}") is True
    assert await remote_store.ask(f"ASK {{ ?c a <{COOP}NoSuchClass> }}") is False


async def test_construct_gives_the_embedded_triples(
    remote_store: RemoteStore, shipped_store: ox.Store
) -> None:
    expected = shipped_store.query(GRAPH_QUERY, use_default_graph_as_union=True)
    assert isinstance(expected, ox.QueryTriples)
    triples = await remote_store.construct(GRAPH_QUERY)
    assert set(triples) == set(expected)
    assert len(triples) == 4 * 2  # the four Mechanisms, text and order each


async def test_a_helper_refuses_the_wrong_query_form(remote_store: RemoteStore) -> None:
    with pytest.raises(QuerySyntaxError, match="Expected a SELECT query, got a ASK query"):
        await remote_store.select("ASK {}")


# ------------------------------------------------------------------------------ execute, every format


@pytest.mark.parametrize("media_type", RESULT_TYPES)
async def test_select_in_every_format_is_byte_identical_to_embedded(
    remote_store: RemoteStore, shipped_store: ox.Store, media_type: str
) -> None:
    body, truncated = await body_of(remote_store, QueryRequest(COMMITMENTS, media_type=media_type))
    expected = shipped_store.query(COMMITMENTS, use_default_graph_as_union=True)
    assert isinstance(expected, ox.QuerySolutions)
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    assert results_format is not None
    assert body == expected.serialize(format=results_format)
    assert not truncated


@pytest.mark.parametrize("media_type", RESULT_TYPES)
@pytest.mark.parametrize("answer", [True, False])
async def test_ask_in_every_format(remote_store: RemoteStore, media_type: str, answer: bool) -> None:
    query = f"ASK {{ ?c a <{COOP}{'Commitment' if answer else 'Nothing'}> }}"
    response = await remote_store.execute(QueryRequest(query, media_type=media_type))
    body = b"".join([chunk async for chunk in response.body])
    assert response.kind == "ask"
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    assert results_format is not None
    if results_format in (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML):
        assert bool(ox.parse_query_results(body, format=results_format)) is answer
    else:
        assert body.decode() == str(answer).lower()


@pytest.mark.parametrize("media_type", GRAPH_TYPES)
async def test_construct_in_every_format(
    remote_store: RemoteStore, shipped_store: ox.Store, media_type: str
) -> None:
    response = await remote_store.execute(QueryRequest(GRAPH_QUERY, media_type=media_type))
    assert response.kind == "graph"
    assert response.media_type == media_type
    body = b"".join([chunk async for chunk in response.body])
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    assert rdf_format is not None
    expected = shipped_store.query(GRAPH_QUERY, use_default_graph_as_union=True)
    assert isinstance(expected, ox.QueryTriples)
    assert {quad.triple for quad in ox.parse(body, format=rdf_format)} == set(expected)


async def test_turtle_uses_the_query_prefixes_as_the_embedded_store_does(remote_store: RemoteStore) -> None:
    response = await remote_store.execute(QueryRequest(GRAPH_QUERY, media_type="text/turtle"))
    body = b"".join([chunk async for chunk in response.body]).decode()
    assert body.startswith(f"@prefix coop: <{COOP}> .")
    assert "coop:text" in body


async def test_relative_iris_resolve_against_the_endpoint_url(remote_store: RemoteStore) -> None:
    query = "SELECT ?x WHERE { BIND(<relative/path> AS ?x) }"
    request = QueryRequest(
        query, media_type="text/tab-separated-values", base_iri="http://gateway.example/sparql"
    )
    body, _ = await body_of(remote_store, request)
    assert body.decode().splitlines() == ["?x", "<http://gateway.example/relative/path>"]


async def test_describe_is_a_graph_query(remote_store: RemoteStore) -> None:
    iri = "https://w3id.org/coopkg/id/programme/cn-dk-green-2023-2026/section/04/item/1"
    response = await remote_store.execute(
        QueryRequest(f"DESCRIBE <{iri}>", media_type="application/n-triples")
    )
    triples = [
        quad.triple for quad in ox.parse(b"".join([c async for c in response.body]), ox.RdfFormat.N_TRIPLES)
    ]
    subjects = {triple.subject for triple in triples}
    if remote_store.engine is not None and remote_store.engine.name == "virtuoso":
        # DESCRIBE is the engine's choice (SPARQL 1.1, 16.4): Virtuoso's links resources and leaves out
        # literals. The gateway's own pages use CONSTRUCT (linkeddata/sparql/describe.rq), not DESCRIBE.
        assert ox.NamedNode(iri) in subjects
        return
    assert subjects == {ox.NamedNode(iri)}
    assert ox.Literal("（一）", language=None) in {triple.object for triple in triples}


@pytest.mark.parametrize(
    ("query", "media_type"),
    [
        (COMMITMENTS, "text/turtle"),
        (GRAPH_QUERY, "application/sparql-results+json"),
        (GRAPH_QUERY, "text/html"),
    ],
)
async def test_a_format_that_does_not_fit_the_query_is_not_acceptable(
    remote_store: RemoteStore, query: str, media_type: str
) -> None:
    with pytest.raises(NotAcceptable, match=re.escape(f"{media_type} cannot carry")):
        await remote_store.execute(QueryRequest(query, media_type=media_type))


# -------------------------------------------------------------------------------------- the row limit


@pytest.fixture
async def small_store(remote_store: RemoteStore) -> AsyncIterator[RemoteStore]:
    """The same server with a limit of 5 rows."""
    store = RemoteStore(remote_store.query_url, timeout=10.0, max_rows=5)
    yield store
    await store.aclose()


async def test_select_is_cut_at_the_row_limit_and_says_so(
    small_store: RemoteStore, shipped_store: ox.Store
) -> None:
    result = await small_store.select(COMMITMENTS)
    assert result.truncated
    assert result.rows == embedded_rows(shipped_store, COMMITMENTS)[1][:5]
    exact = await small_store.select(COMMITMENTS.replace("ORDER BY ?c", "ORDER BY ?c LIMIT 5"))
    assert not exact.truncated  # exactly the limit is not a cut
    assert len(exact.rows) == 5


@pytest.mark.parametrize("media_type", RESULT_TYPES)
async def test_execute_is_cut_at_the_row_limit_in_every_format(
    small_store: RemoteStore, media_type: str
) -> None:
    body, truncated = await body_of(small_store, QueryRequest(COMMITMENTS, media_type=media_type))
    assert truncated
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    assert results_format is not None
    if results_format == ox.QueryResultsFormat.CSV:  # pyoxigraph does not parse CSV: count lines
        assert len(body.decode().strip().splitlines()) == 1 + 5
    else:
        assert len(list(ox.parse_query_results(body, format=results_format))) == 5  # type: ignore[arg-type]


async def test_graph_results_are_cut_at_the_row_limit(small_store: RemoteStore) -> None:
    body, truncated = await body_of(
        small_store, QueryRequest(GRAPH_QUERY, media_type="application/n-triples")
    )
    assert truncated
    assert len(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))) == 5


# ------------------------------------------------------------------------------------------ bindings


@pytest.mark.parametrize(
    "term",
    [
        *(ox.Literal(text) for text in HOSTILE_TEXTS),
        *(ox.Literal(text, language="zh") for text in HOSTILE_TEXTS),
        ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ox.NamedNode("http://example.org/a?b=c&d=%7D#}".replace("}", "frag")),
        ox.NamedNode("urn:x:海绵城市"),
    ],
)
async def test_a_bound_value_comes_back_exactly(
    remote_store: RemoteStore, term: ox.NamedNode | ox.Literal
) -> None:
    result = await remote_store.select("SELECT ?v WHERE { }", {"v": term})
    assert result.rows == [{"v": term}]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(exclude_categories=("Cs",))))
async def test_any_text_comes_back_as_one_literal(remote_store: RemoteStore, text: str) -> None:
    if "\x00" in text and await is_virtuoso(remote_store):
        assume(False)  # Virtuoso cuts text with other non-ASCII at U+0000 (docs/remote-backend.md)
    result = await remote_store.select("SELECT ?v WHERE { }", {"v": ox.Literal(text)})
    assert result.rows == [{"v": ox.Literal(text)}], ascii(text)


async def test_blank_nodes_cannot_be_bound(remote_store: RemoteStore) -> None:
    with pytest.raises(InvalidParameter, match=r"\?v must be an IRI or a literal, not a BlankNode"):
        await remote_store.select("SELECT ?v WHERE { }", {"v": ox.BlankNode()})


async def test_a_bad_parameter_name_is_refused(remote_store: RemoteStore) -> None:
    with pytest.raises(InvalidParameter, match="not a parameter name"):
        await remote_store.select("SELECT ?v WHERE { }", {"v } ; ?x": ox.Literal("x")})


@pytest.fixture(scope="module")
def registry() -> QueryRegistry:
    return default_registry()


CASES = [(name, values) for name, samples in SAMPLES.items() for values in samples]
# Named queries Virtuoso 7.2.5 answers differently, with why (docs/remote-backend.md, "Virtuoso"). Strict:
# when an engine release fixes one, the test fails and the docs are updated.
VIRTUOSO_GAPS = {
    "areas": "boolean expressions (EXISTS) come back as 0/1 xsd:integer, not xsd:boolean",
    "commitment-provenance": "boolean values come back as 0/1 xsd:integer, not xsd:boolean",
    "commitments-by-framework": "a zero-or-more path (dct:isPartOf*) to a bound value misses rows",
    "commitments-by-sdg": "two zero-or-more paths (skos:broader*) from one variable give no rows",
    "text-search": "LCASE of a bound non-ASCII text does not match (CONTAINS finds nothing)",
    "party-commitments": "boolean expressions (EXISTS) come back as 0/1 xsd:integer, not xsd:boolean",
}


async def is_virtuoso(store: RemoteStore) -> bool:
    if store.engine is None:
        await store.health()  # recognises the engine
    return store.engine is not None and store.engine.name == "virtuoso"


@pytest.mark.parametrize(("name", "values"), CASES, ids=[f"{name}-{i}" for i, (name, _) in enumerate(CASES)])
async def test_every_named_query_answers_as_embedded(
    remote_store: RemoteStore,
    shipped_store: ox.Store,
    registry: QueryRegistry,
    name: str,
    values: dict[str, str],
) -> None:
    query = registry[name]
    bindings = bind(query, values)
    substitutions = {ox.Variable(key): term for key, term in bindings.items()}
    names, expected = embedded_rows(shipped_store, query.text, substitutions)
    result = await remote_store.select(query.text, dict(bindings))
    assert result.variables == names
    same = sorted(map(repr, result.rows)) == sorted(map(repr, expected))  # same rows (order is the query's)
    if await is_virtuoso(remote_store) and name in VIRTUOSO_GAPS and expected:
        # Only samples that hit the gap differ; a sample that matches shows the gap is narrower than stated.
        if not same:
            pytest.xfail(f"Virtuoso: {VIRTUOSO_GAPS[name]}")
        return
    assert same


# ------------------------------------------------------------------------------------- the dataset


COUNT_BY_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
COUNT_DEFAULT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _count(store: ox.Store, graph: str) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


async def _rows(store: RemoteStore, query: str, dataset: Dataset | None) -> list[dict[str, str]]:
    """The answer to `query` on `dataset`, through execute() as the gateway calls it, values as plain text."""
    body, _ = await body_of(
        store, QueryRequest(query, dataset=dataset, media_type="text/tab-separated-values")
    )
    solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [variable.value for variable in solutions.variables]
    return [{name: term.value for name in names if (term := row[name]) is not None} for row in solutions]


async def test_default_graph_uri_chooses_the_default_graph(
    remote_store: RemoteStore, shipped_store: ox.Store
) -> None:
    rows = await _rows(remote_store, COUNT_DEFAULT, Dataset(default_graphs=(GRAPH_ONTOLOGY, GRAPH_CURATED)))
    assert rows == [{"n": str(_count(shipped_store, GRAPH_ONTOLOGY) + _count(shipped_store, GRAPH_CURATED))}]


async def test_without_a_dataset_the_default_graph_is_the_union(
    remote_store: RemoteStore, shipped_store: ox.Store
) -> None:
    assert await _rows(remote_store, COUNT_DEFAULT, None) == [{"n": str(len(shipped_store))}]


async def test_named_graph_uri_chooses_the_named_graphs(
    remote_store: RemoteStore, shipped_store: ox.Store
) -> None:
    rows = await _rows(remote_store, COUNT_BY_GRAPH, Dataset(named_graphs=(GRAPH_SDG, GRAPH_CURATED)))
    assert rows == [
        {"g": graph, "n": str(_count(shipped_store, graph))} for graph in sorted([GRAPH_SDG, GRAPH_CURATED])
    ]


async def test_from_and_from_named_in_the_query_are_honoured(
    remote_store: RemoteStore, shipped_store: ox.Store
) -> None:
    query = COUNT_BY_GRAPH.replace("WHERE", f"FROM <{GRAPH_CURATED}> FROM NAMED <{GRAPH_ONTOLOGY}> WHERE")
    assert await _rows(remote_store, query, None) == [
        {"g": GRAPH_ONTOLOGY, "n": str(_count(shipped_store, GRAPH_ONTOLOGY))}
    ]
