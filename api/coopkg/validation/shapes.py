"""The SHACL shapes, and which of them run natively in pyoxigraph.

pySHACL evaluates a SPARQL-based constraint once per focus node with rdflib's SPARQL engine, which is the slow
part of validating our data (seconds per thousand nodes). A node shape whose only constraint is `sh:sparql`
and whose query projects `$this` is therefore run natively: once, unbound, in pyoxigraph, keeping the rows of
its focus nodes. Shape authors must keep `$this` in a triple pattern of the top-level group (never only in a
FILTER), so the unbound query returns, for each focus node, exactly what the pre-bound query would; the test
suite checks that the reports equal pySHACL's on every valid and invalid example.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from coopkg.errors import UnusableInput
from coopkg.rdf.namespaces import PREFIXES, RDFS_LABEL
from coopkg.resources import shapes_dir
from coopkg.validation.core import TARGETS, NativeShape, split_core
from coopkg.validation.report import SH

# Anything else on a shape is a constraint parameter (or metadata we must not drop): such shapes stay
# in pySHACL.
_NATIVE_ALLOWED = {
    RDF.type,
    SH.sparql,
    SH.severity,
    SH.message,
    SH.name,
    SH.description,
    SH.deactivated,
    *TARGETS,
    URIRef(RDFS_LABEL),
    URIRef(PREFIXES["rdfs"] + "comment"),
}
_SELECT_THIS = re.compile(r"SELECT\s+(DISTINCT\s+)?[^{]*[?$]this\b", re.IGNORECASE)


@dataclass(frozen=True)
class NativeConstraint:
    """One `sh:sparql` constraint of a node shape, to be run unbound in pyoxigraph."""

    shape: URIRef
    constraint: URIRef
    query: str  # PREFIX lines + the select
    severity: URIRef
    shape_messages: tuple[Literal, ...]
    constraint_messages: tuple[Literal, ...]
    targets: dict[URIRef, tuple[Node, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Shapes:
    graph: Graph  # every shape, as pySHACL would read it
    core: Graph  # the shapes pySHACL evaluates (the native ones removed)
    native: tuple[NativeConstraint, ...]  # SPARQL-based constraints run in pyoxigraph
    native_core: tuple[NativeShape, ...] = ()  # core constraints run natively (coopkg.validation.core)


def shape_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or shapes_dir()).glob("*.ttl"))


def read_shapes_graph(files: Iterable[Path]) -> Graph:
    graph = Graph()
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as error:  # rdflib raises many types for bad Turtle; the shapes are ours
            raise UnusableInput(f"{path}: the shapes file does not parse: {error}") from None
    return graph


def _prefix_lines(graph: Graph, constraint: Node) -> str:
    lines = []
    for prefixes in graph.objects(constraint, SH.prefixes):
        for declaration in graph.objects(prefixes, SH.declare):
            prefix = graph.value(declaration, SH.prefix)
            namespace = graph.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def _native_constraint(graph: Graph, shape: Node) -> list[NativeConstraint] | None:
    """The shape's constraints if it can run natively, else None."""
    if not isinstance(shape, URIRef) or (shape, RDF.type, SH.NodeShape) not in graph:
        return None
    if any(p not in _NATIVE_ALLOWED for p in graph.predicates(shape, None)):
        return None
    if graph.value(shape, SH.deactivated) is not None:
        return None
    shape_messages = tuple(m for m in graph.objects(shape, SH.message) if isinstance(m, Literal))
    if not shape_messages:
        return None  # pySHACL would write generic messages; we do not imitate those
    severity = graph.value(shape, SH.severity) or SH.Violation
    targets = {t: tuple(graph.objects(shape, t)) for t in TARGETS if (shape, t, None) in graph}
    constraints = []
    for constraint in graph.objects(shape, SH.sparql):
        select = graph.value(constraint, SH.select)
        if not isinstance(constraint, URIRef) or not isinstance(select, Literal):
            return None  # a blank constraint node is copied into pySHACL's report: leave it to pySHACL
        if graph.value(constraint, SH.deactivated) is not None or not _SELECT_THIS.search(str(select)):
            return None
        constraints.append(
            NativeConstraint(
                shape=shape,
                constraint=constraint,
                query=f"{_prefix_lines(graph, constraint)}\n{select}",
                severity=severity if isinstance(severity, URIRef) else SH.Violation,
                shape_messages=shape_messages,
                constraint_messages=tuple(
                    m for m in graph.objects(constraint, SH.message) if isinstance(m, Literal)
                ),
                targets=targets,
            )
        )
    return constraints or None


def split_shapes(graph: Graph) -> Shapes:
    native: list[NativeConstraint] = []
    core = Graph()
    for prefix, namespace in graph.namespaces():
        core.bind(prefix, namespace)
    native_shapes: set[Node] = set()
    for shape in set(graph.subjects(SH.sparql, None)):
        constraints = _native_constraint(graph, shape)
        if constraints:
            native.extend(constraints)
            native_shapes.add(shape)
    core_split = split_core(graph, skip=native_shapes)
    for triple in graph:
        if triple[0] not in native_shapes and triple not in core_split.removed:
            core.add(triple)
    native.sort(key=lambda c: (str(c.shape), str(c.constraint)))
    return Shapes(graph=graph, core=core, native=tuple(native), native_core=core_split.native)


@cache
def shipped_shapes() -> Shapes:
    """The shapes in `shapes/`, read once per process (they are part of the installed package)."""
    return split_shapes(read_shapes_graph(shape_files()))
