"""Core SHACL run natively (coopkg.validation.core) reports exactly what pySHACL reports.

Each example (the valid programme and every invalid one) and a synthetic programme with injected faults are
validated against the core shapes by both engines; the report graphs must be isomorphic and the flat results
equal. The ontology is in the data graph, as in `coopkg validate`, so `sh:class` sees rdfs:subClassOf.
"""

from __future__ import annotations

import random
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from validation_examples import VALID_DIR, VALID_FILE, invalid_files

from coopkg.rdf.dataset import GRAPH_ONTOLOGY, shipped_graphs
from coopkg.validation.core import split_core
from coopkg.validation.engine import validate_data
from coopkg.validation.inputs import format_by_name, load_files, parse_into
from coopkg.validation.run import _load_sources, attach_source_texts
from coopkg.validation.shapes import Shapes, read_shapes_graph, shape_files, shipped_shapes, split_shapes
from coopkg.validation.terms import DataGraph

SH = Namespace("http://www.w3.org/ns/shacl#")
ROOT = Path(__file__).resolve().parents[2]


@cache
def core_shapes() -> Shapes:
    """Every shape but the SPARQL-based ones (pySHACL runs those once per focus node: too slow here)."""
    graph = read_shapes_graph(shape_files())
    sparql = {str(c.shape) for c in shipped_shapes().native}
    kept = Graph()
    for triple in graph:
        if str(triple[0]) not in sparql:
            kept.add(triple)
    return split_shapes(kept)


def _with_ontology() -> DataGraph:
    data = DataGraph()
    _load_sources(data, [s for s in shipped_graphs() if s.graph == GRAPH_ONTOLOGY])
    return data


def _compare(data: DataGraph) -> set[str]:
    """Both engines on `data`; returns the constraint components reported."""
    shapes = core_shapes()
    native = validate_data(data, shapes, engine="fast")
    reference = validate_data(data, shapes, engine="pyshacl")
    assert native.results == reference.results
    assert isomorphic(native.graph, reference.graph)
    assert native.conforms == reference.conforms
    return {r.constraint_component for r in native.results}


@pytest.mark.parametrize("path", [VALID_FILE, *invalid_files()], ids=lambda p: p.stem)
def test_native_core_reports_exactly_what_pyshacl_reports(path: Path) -> None:
    data = _with_ontology()
    load_files(data, [path])
    attach_source_texts(data, [VALID_DIR])
    _compare(data)


def test_every_core_shape_of_ours_runs_natively() -> None:
    shapes = shipped_shapes()
    assert not set(shapes.core.subjects(SH.property, None))
    assert not any(set(shapes.core.subjects(t, None)) for t in (SH.targetClass, SH.targetSubjectsOf))
    assert len(shapes.native_core) > 50


def test_every_native_component_has_a_failing_example() -> None:
    used = {
        str(t.component)
        for shape in shipped_shapes().native_core
        for t in (*shape.value_tests, *shape.set_tests)
    }
    reported: set[str] = set()
    for path in invalid_files():
        data = _with_ontology()
        load_files(data, [path])
        attach_source_texts(data, [VALID_DIR])
        report = validate_data(data, shipped_shapes(), engine="fast")
        reported |= {r.constraint_component for r in report.results}
    assert used - reported == set()


# Faults a steward could make, each on a few random nodes of a synthetic programme: every core component
# at once, on real volumes (the examples break one thing each).
_FAULTS = (
    ("<https://w3id.org/coopkg/def#section>", "drop"),  # minCount
    ("<http://www.w3.org/ns/oa#hasSource>", "retype"),  # class
    ("<https://w3id.org/coopkg/def#order>", "literal"),  # datatype, minInclusive
    ("<http://www.w3.org/2000/01/rdf-schema#label>", "literal"),  # languageIn, qualified counts
    ("<https://w3id.org/coopkg/def#programme>", "duplicate"),  # maxCount, class
    ("<https://w3id.org/coopkg/def#statedAs>", "blank"),  # in
    ("<https://w3id.org/coopkg/def#text>", "literal"),  # datatype, languageIn, minLength
    ("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "drop"),  # class (untyped values)
)


def _inject(lines: list[str], rng: random.Random) -> list[str]:
    out = list(lines)
    for predicate, fault in _FAULTS:
        indexes = [i for i, line in enumerate(out) if f" {predicate} " in line]
        for i in rng.sample(indexes, min(3, len(indexes))):
            subject, _, rest = out[i].partition(f" {predicate} ")
            graph = rest.rsplit(" ", 2)[-2] if rest.count(" ") >= 2 and rest.rstrip().endswith("> .") else ""
            tail = f" {graph} .\n" if graph.startswith("<") else " .\n"
            if fault == "drop":
                out[i] = ""
            elif fault == "retype":
                out[i] = f"{subject} {predicate} <https://w3id.org/coopkg/id/nowhere>{tail}"
            elif fault == "literal":
                out[i] = f'{subject} {predicate} ""{tail}'
            elif fault == "duplicate":
                out.append(f"{subject} {predicate} <https://w3id.org/coopkg/id/other>{tail}")
            else:
                out[i] = f"{subject} {predicate} _:b{i}{tail}"
    return out


@pytest.mark.slow
def test_a_synthetic_programme_with_faults_gets_the_same_report(tmp_path: Path) -> None:
    path, sources = tmp_path / "10k.nq", tmp_path / "sources"
    subprocess.run(
        [
            *(sys.executable, str(ROOT / "bench" / "generate.py"), "--triples", "10k", "--seed", "7"),
            *("--out", str(path), "--sources-dir", str(sources)),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    faulty = "".join(_inject(lines, random.Random(7))).encode()
    data = DataGraph()
    parse_into(data, faulty, format_by_name("nquads"), "synthetic")
    attach_source_texts(data, [tmp_path])
    components = _compare(data)
    assert len(components) >= 6, components


def test_shapes_we_do_not_understand_stay_with_pyshacl() -> None:
    shapes = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:A a sh:NodeShape ; sh:targetClass ex:C ; sh:message "m" ; sh:property ex:p , ex:q , ex:r .
        ex:p sh:path ex:x ; sh:message "m" ; sh:minCount 1 .
        ex:q sh:path ex:y ; sh:message "m" ; sh:uniqueLang true .
        ex:r sh:path ( ex:x ex:y ) ; sh:message "m" ; sh:minCount 1 .
        ex:B a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:s ; sh:node ex:A .
        ex:s sh:path ex:z ; sh:minCount 1 .
        ex:D a sh:NodeShape , <http://www.w3.org/2000/01/rdf-schema#Class> ; sh:targetClass ex:C ;
            sh:message "m" ; sh:property ex:t .
        ex:t sh:path ex:x ; sh:message "m" ; sh:minCount 1 .""",
        format="turtle",
    )
    split = split_core(shapes)
    # ex:A is nested in ex:B (sh:node), ex:s has no message, ex:D is also a class (an implicit target).
    assert [str(s.shape) for s in split.native] == []
    shapes.remove((URIRef("http://example.org/B"), SH.node, URIRef("http://example.org/A")))
    split = split_core(shapes)
    assert [str(s.shape) for s in split.native] == ["http://example.org/p"]


_EDGE_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
ex:A a sh:NodeShape ; sh:targetClass ex:Top ; sh:targetNode ex:n1 ; sh:message "A"@en , "甲"@zh ;
    sh:nodeKind sh:IRI ; sh:pattern "^HTTP://EXAMPLE" ; sh:flags "i" ; sh:property ex:cls , ex:shared .
ex:B a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:targetObjectsOf ex:q ; sh:message "B" ;
    sh:property ex:shared , ex:inv , ex:misc .
ex:cls sh:path ex:p ; sh:class ex:Top ; sh:maxCount 2 ; sh:message "cls" ; sh:severity sh:Warning .
ex:shared sh:path ex:label ; sh:languageIn ( "zh" ) ; sh:datatype rdf:langString ;
    sh:minCount 1 ; sh:message "shared" .
ex:inv sh:path [ sh:inversePath ex:q ] ; sh:minCount 1 ; sh:class ex:Mid ; sh:message "inv" .
ex:misc sh:path ex:n ; sh:datatype xsd:integer ; sh:minInclusive 1 ; sh:in ( 1 2 3 ) ; sh:hasValue 2 ;
    sh:maxLength 1 ; sh:message "misc" .
"""
_EDGE_DATA = """@prefix ex: <http://example.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:Mid rdfs:subClassOf ex:Top . ex:Low rdfs:subClassOf ex:Mid . ex:Top rdfs:subClassOf ex:Above .
ex:a a ex:Low ; ex:p ex:b , "literal" , ex:untyped , _:x ; ex:label "标签"@zh-CN , "label"@en ; ex:n 2 , 0 .
ex:b a ex:Above ; ex:q ex:c ; ex:n "abc"^^xsd:integer , "12"^^xsd:integer .
_:x a ex:Mid ; ex:q ex:a .
ex:c a ex:Mid ; ex:label "x" ; ex:n 1.5 .
ex:n1 ex:label "标签"@zh .
"""


def test_edge_cases_of_the_native_core_match_pyshacl() -> None:
    """Subclass chains, blank and literal values, inverse paths, a property shape shared by two node shapes
    with overlapping focus nodes (reported twice), pattern flags, language subtags, ill-typed literals."""
    shapes = split_shapes(Graph().parse(data=_EDGE_SHAPES, format="turtle"))
    assert {str(s.shape).rsplit("/", 1)[-1] for s in shapes.native_core} == {
        "A",
        "cls",
        "shared",
        "inv",
        "misc",
    }
    data = DataGraph()
    parse_into(data, _EDGE_DATA.encode(), format_by_name("turtle"), "edge")
    native = validate_data(data, shapes, engine="fast")
    reference = validate_data(data, shapes, engine="pyshacl")
    assert native.results == reference.results
    assert isomorphic(native.graph, reference.graph)
    assert len(native.results) > 15
    shared = [r for r in native.results if r.source_shape.endswith("/shared") and r.focus_node.endswith("/a")]
    assert len(shared) == 2  # once through ex:A, once through ex:B
