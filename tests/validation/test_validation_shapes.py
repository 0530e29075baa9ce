"""The shapes: they cover the ontology, say what is wrong in both languages, and load on their own."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, Graph, Literal, Namespace, URIRef

from coopkg.resources import ontology_dir
from coopkg.validation.shapes import read_shapes_graph, shape_files, shipped_shapes, split_shapes

SH = Namespace("http://www.w3.org/ns/shacl#")
COOP = "https://w3id.org/coopkg/def#"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return read_shapes_graph(shape_files())


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_dir() / "coopkg.ttl", format="turtle")


def _all_shapes(shapes: Graph) -> set[URIRef]:
    found = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    return {s for s in found if isinstance(s, URIRef)}


@pytest.mark.parametrize("path", shape_files(), ids=lambda p: p.name)
def test_each_shapes_file_loads_on_its_own(path: Path) -> None:
    assert len(Graph().parse(path, format="turtle")) > 50


def test_every_class_of_the_ontology_has_a_node_shape(shapes: Graph, ontology: Graph) -> None:
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(COOP)}
    targeted = set(shapes.objects(None, SH.targetClass))
    assert len(classes) >= 16
    assert classes - targeted == set()


def test_every_property_of_the_ontology_has_a_property_shape(shapes: Graph, ontology: Graph) -> None:
    properties = {
        p
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
        for p in ontology.subjects(RDF.type, kind)
        if str(p).startswith(COOP)
    }
    paths = set(shapes.objects(None, SH.path)) | set(shapes.objects(None, SH.inversePath))
    assert properties - paths == set()


def test_every_shape_says_what_is_wrong_in_english_and_chinese(shapes: Graph) -> None:
    for shape in _all_shapes(shapes):
        messages = [m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)]
        languages = {m.language for m in messages}
        assert {"en", "zh"} <= languages, f"{shape} needs sh:message in en and zh"


def test_every_shape_has_a_deliberate_severity(shapes: Graph) -> None:
    for shape in _all_shapes(shapes):
        severities = set(shapes.objects(shape, SH.severity))
        assert len(severities) == 1, f"{shape} needs exactly one sh:severity"
        assert severities <= {SH.Violation, SH.Warning}


def test_warnings_are_for_incomplete_data_only(shapes: Graph) -> None:
    warnings = {str(s).split("#")[1] for s in shapes.subjects(SH.severity, SH.Warning)}
    assert warnings == {
        "Commitment-translated",
        "Commitment-aligned",
        "Party-exactMatch",
        "SourceTextShape",
        "SourceText-value",
        "PredecessorInverseShape",  # the derived graph (coop:successor) not built yet
    }


def test_the_sparql_rules_run_natively(shapes: Graph) -> None:
    """Every SHACL-SPARQL shape qualifies for the native engine (else it would fall back to pySHACL)."""
    split = split_shapes(shapes)
    sparql_shapes = set(shapes.subjects(SH.sparql, None))
    assert {c.shape for c in split.native} == sparql_shapes
    assert len(sparql_shapes) >= 12
    assert not set(split.core.subjects(SH.sparql, None))
    assert shipped_shapes().native == split.native


def test_iri_patterns_cover_our_things(shapes: Graph) -> None:
    patterned = {s for s in shapes.subjects(SH.pattern, None) if (s, SH.targetClass, None) in shapes}
    for cls in ("Programme", "Section", "Paragraph", "Commitment", "Alignment", "Translation", "Party"):
        assert any((s, SH.targetClass, URIRef(COOP + cls)) in shapes for s in patterned), cls
