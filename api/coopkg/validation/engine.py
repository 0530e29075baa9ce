"""Running the shapes over a data graph: natively what we understand, pySHACL for the rest.

Core shapes run in `coopkg.validation.core`, SPARQL-based node shapes once each in pyoxigraph (see
`coopkg.validation.shapes` for why), pySHACL only on what is left (nothing, for our shapes); all write the
same validation-result triples pySHACL would, into one rdflib graph. No RDFS/OWL inference: our shapes
never need it, and the class hierarchy they rely on (`sh:class`, `sh:targetClass`) is in the data graph
because the ontology is part of it.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable
from typing import Literal as Lit

import pyoxigraph as ox
import pyshacl
from pyshacl.rdfutil.clone import clone_blank_node
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal
from rdflib.term import Node

from coopkg.rdf.namespaces import PREFIXES, RDF_TYPE
from coopkg.validation.core import TARGETS, add_core_results
from coopkg.validation.report import SH, ValidationReport
from coopkg.validation.shapes import NativeConstraint, Shapes
from coopkg.validation.terms import DataGraph, to_rdflib

Engine = Lit["fast", "pyshacl"]
Progress = Callable[[str], None]

_SUBCLASS_CLOSURE = f"<{RDF_TYPE}>/<{PREFIXES['rdfs']}subClassOf>*"


def _quiet(_: str) -> None:
    return None


def _focus_nodes(store: ox.Store, constraint: NativeConstraint) -> set[Node]:
    """The shape's focus nodes, as SHACL defines targets (class targets include SHACL instances)."""
    focus: set[Node] = set()
    for kind, values in constraint.targets.items():
        for value in values:
            if kind == SH.targetNode:
                focus.add(value)
                continue
            term = ox.NamedNode(str(value))
            if kind == SH.targetClass:
                query = f"SELECT DISTINCT ?x ?c WHERE {{ ?x {_SUBCLASS_CLOSURE} ?c }}"
            elif kind == SH.targetSubjectsOf:
                query = "SELECT DISTINCT ?x ?c WHERE { ?x ?c ?any }"
            else:
                query = "SELECT DISTINCT ?x ?c WHERE { ?any ?c ?x }"
            solutions = store.query(
                query, substitutions={ox.Variable("c"): term}, use_default_graph_as_union=True
            )
            assert isinstance(solutions, ox.QuerySolutions)
            focus.update(to_rdflib(row["x"]) for row in solutions)
    return focus


def _format_message(message: str, bound: dict[str, Node]) -> str:
    # Exactly pySHACL's substitution of {?var} / {$var} (its reports are the reference).
    for name, value in bound.items():
        message = re.sub(f"{{[?$]{name}}}", str(value), message)
    return message


def _native_results(
    store: ox.Store, constraint: NativeConstraint
) -> list[tuple[Node, Node | None, Node | None, dict[str, Node]]]:
    focus = _focus_nodes(store, constraint)
    if not focus:
        return []
    solutions = store.query(constraint.query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    seen: set[tuple[Node, Node | None, Node | None, frozenset[tuple[str, Node]]]] = set()
    results = []
    for row in solutions:
        bound = {name: to_rdflib(row[name]) for name in names if row[name] is not None}
        this = bound.pop("this", None)
        if this is None or this not in focus:
            continue
        path = bound.pop("path", None)
        value = bound.pop("value", None)
        key = (this, path, value, frozenset(bound.items()))
        if key in seen:  # pySHACL drops duplicate rows per focus node too
            continue
        seen.add(key)
        results.append((this, path, value, bound))
    return results


def _add_native_results(report: Graph, data: DataGraph, constraint: NativeConstraint) -> int:
    added = 0

    def data_node(node: Node) -> Node:
        # pySHACL copies a blank focus or value node, with its description, into the report.
        return clone_blank_node(data.graph, node, report, keepid=True) if isinstance(node, BNode) else node

    report_node = next(report.subjects(RDF.type, SH.ValidationReport))
    for this, path, value, extra in _native_results(data.store, constraint):
        if value is not None:
            value = data.exact(this, path, value)
        result = BNode()
        report.add((report_node, SH.result, result))
        report.add((result, RDF.type, SH.ValidationResult))
        report.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
        report.add((result, SH.sourceShape, constraint.shape))
        report.add((result, SH.resultSeverity, constraint.severity))
        report.add((result, SH.focusNode, data_node(this)))
        report.add((result, SH.value, data_node(value if value is not None else this)))
        if path is not None:
            report.add((result, SH.resultPath, path))
        report.add((result, SH.sourceConstraint, constraint.constraint))
        bound = {**extra, "this": this}
        if path is not None:
            bound["path"] = path
        if value is not None:
            bound["value"] = value
        messages = [m for m in constraint.constraint_messages if m not in constraint.shape_messages]
        for message in [*messages, *constraint.shape_messages]:
            # pySHACL rebuilds a formatted message as a plain literal (the language tag is dropped).
            report.add((result, SH.resultMessage, Literal(_format_message(str(message), bound))))
        added += 1
    return added


def _targets_anything(shapes_graph: Graph) -> bool:
    """Whether pySHACL would find a focus node to validate: a shape with a target, or a shape-class."""
    if any((None, t, None) in shapes_graph for t in (*TARGETS, SH.target)):
        return True
    classes = {*shapes_graph.subjects(RDF.type, RDFS.Class), *shapes_graph.subjects(RDF.type, OWL.Class)}
    return any(str(p).startswith(str(SH)) for c in classes for p in shapes_graph.predicates(c, None))


def _empty_report(shapes_graph: Graph) -> Graph:
    # What pySHACL returns when nothing is targeted: its namespaces are the shapes graph's.
    report = Graph(bind_namespaces="core")
    for prefix, namespace in shapes_graph.namespace_manager.namespaces():
        report.namespace_manager.bind(prefix, namespace)
    node = BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    report.add((node, SH.conforms, Literal(True)))
    return report


def _pyshacl_report(data: DataGraph, shapes_graph: Graph, progress: Progress) -> Graph:
    progress(f"checking the core SHACL constraints on {len(data)} triples (pySHACL)")
    graph = data.graph
    # The data graph is millions of long-lived objects; without freezing them, every collection of the
    # oldest generation walks them all again (pySHACL allocates a lot): half of its time at 100k triples.
    gc.collect()
    gc.freeze()
    try:
        _conforms, report, _text = pyshacl.validate(
            graph,
            shacl_graph=shapes_graph,
            inference="none",
            advanced=False,
            abort_on_first=False,
            meta_shacl=False,
        )
    finally:
        gc.unfreeze()
    assert isinstance(report, Graph)
    return report


def validate_data(
    data: DataGraph, shapes: Shapes, *, engine: Engine = "fast", progress: Progress = _quiet
) -> ValidationReport:
    """Validate the data graph against `shapes`.

    `engine="pyshacl"` hands everything to pySHACL (the reference); `"fast"` runs the core shapes it
    understands (coopkg.validation.core) and the SPARQL-based node shapes natively, and pySHACL only on what
    is left. Both give the same report.
    """
    core = shapes.core if engine == "fast" else shapes.graph
    if engine == "fast" and not _targets_anything(core):
        # Nothing left for pySHACL (all our shapes run natively): its report would be the empty one, and
        # skipping it spares building the rdflib copy of the data graph.
        report = _empty_report(core)
    else:
        report = _pyshacl_report(data, core, progress)
    if engine == "fast":
        progress(f"checking {len(shapes.native_core)} core shapes natively")
        add_core_results(report, data, shapes.graph, shapes.native_core)
        for index, constraint in enumerate(shapes.native, start=1):
            progress(f"checking SPARQL rule {index}/{len(shapes.native)}: {constraint.shape}")
            _add_native_results(report, data, constraint)
        report_node = next(report.subjects(RDF.type, SH.ValidationReport))
        conforms = (report_node, SH.result, None) not in report
        report.set((report_node, SH.conforms, Literal(conforms)))
    return ValidationReport.from_graph(report)
