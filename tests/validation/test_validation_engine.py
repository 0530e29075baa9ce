"""The native engine gives pySHACL's report, result for result; no inference; blank nodes survive."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from validation_examples import SHAPES_NS, VALID_DIR, expectations, invalid_files

from coopkg.rdf.dataset import GRAPH_ONTOLOGY, shipped_graphs
from coopkg.validation.engine import validate_data
from coopkg.validation.inputs import format_by_name, load_files, parse_into
from coopkg.validation.run import _load_sources, attach_source_texts, shipped_sources_dir
from coopkg.validation.shapes import Shapes, read_shapes_graph, shape_files, split_shapes
from coopkg.validation.terms import DataGraph

RULES_GRAPH = read_shapes_graph([p for p in shape_files() if p.name == "coopkg-rules.ttl"])
RULES = split_shapes(RULES_GRAPH)
SPARQL_SHAPES = sorted({str(c.shape) for c in RULES.native})


def only(shape: str) -> Shapes:
    """The rules file with a single SPARQL rule left: pySHACL runs each rule once per focus node (slow), so
    each comparison runs just the rule at stake."""
    graph = Graph()
    for triple in RULES_GRAPH:
        if str(triple[0]) not in SPARQL_SHAPES or str(triple[0]) == shape:
            graph.add(triple)
    return split_shapes(graph)


def _data(path: Path) -> DataGraph:
    # Without the ontology: coopsh:DefinedTerms then reports every coop: term, which makes a long report
    # for the comparison; both engines get the same data.
    data = DataGraph()
    load_files(data, [path])
    attach_source_texts(data, [VALID_DIR])
    return data


def _cases() -> list[tuple[Path, str]]:
    cases = [(VALID_DIR / "test-fixture-2024-2025.ttl", shape) for shape in SPARQL_SHAPES]
    for path in invalid_files():
        cases += [(path, shape) for shape, _ in expectations(path) if shape in SPARQL_SHAPES]
    return sorted(set(cases))


@pytest.mark.parametrize(("path", "shape"), _cases(), ids=lambda v: v.stem if isinstance(v, Path) else "")
def test_native_rules_report_exactly_what_pyshacl_reports(path: Path, shape: str) -> None:
    data, shapes = _data(path), only(shape)
    assert len(shapes.native) == 1
    native = validate_data(data, shapes, engine="fast")
    reference = validate_data(data, shapes, engine="pyshacl")
    assert isomorphic(native.graph, reference.graph)
    assert native.conforms == reference.conforms
    assert native.results == reference.results


def test_blank_focus_nodes_are_copied_like_pyshacl_does() -> None:
    data = DataGraph()
    _load_sources(data, [s for s in shipped_graphs() if s.graph == GRAPH_ONTOLOGY])
    turtle = b"""@prefix coop: <https://w3id.org/coopkg/def#> .
        [] a coop:Commitment ; coop:sectoin [ a coop:Section ] ."""
    parse_into(data, turtle, format_by_name("turtle"), "test")
    shapes = only("https://w3id.org/coopkg/shapes#DefinedTermsShape")
    native = validate_data(data, shapes, engine="fast")
    reference = validate_data(data, shapes, engine="pyshacl")
    assert len(native.results) == 1
    assert isomorphic(native.graph, reference.graph)


@pytest.mark.slow
def test_the_shipped_graph_gets_the_same_report_from_both_engines() -> None:
    """Every rule but coopsh:DefinedTerms (which pySHACL would run once for each of ~9,000 typed nodes, SDG
    concepts included; the examples cover it) on the shipped graph, by both engines."""
    data = DataGraph()
    _load_sources(data, shipped_graphs())
    attach_source_texts(data, [shipped_sources_dir().parent])
    graph = Graph()
    defined_terms = f"{SHAPES_NS}DefinedTermsShape"
    for triple in RULES_GRAPH:
        if str(triple[0]) != defined_terms:
            graph.add(triple)
    shapes = split_shapes(graph)
    assert len(shapes.native) == len(RULES.native) - 1
    fast, reference = (
        validate_data(data, shapes, engine="fast"),
        validate_data(data, shapes, engine="pyshacl"),
    )
    assert isomorphic(fast.graph, reference.graph)
    assert fast.conforms
    assert reference.conforms
