"""The data graph of a validation run, held twice: an rdflib graph for pySHACL and a pyoxigraph store for the
SPARQL-based rules.

Both are filled from the same parsed quads. The rdflib side keeps every literal exactly as written: a
pyoxigraph store files integer-derived datatypes (xsd:nonNegativeInteger...) under xsd:integer, which
`sh:datatype` must not see. Values the store hands back are mapped to the exact terms before they reach a
report.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_BATCH = 50_000

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph


def to_rdflib(term: OxTerm) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # rdflib tells a simple literal from an explicit xsd:string one; RDF 1.1 (and pyoxigraph) do not.
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"RDF-star triple terms are not supported in validation input: {term}")


class DataGraph:
    """The union of everything to validate (named graphs are flattened, as in the served default graph)."""

    def __init__(self) -> None:
        self.store = ox.Store()
        self.graph = Graph()
        self._terms: dict[OxTerm, Node] = {}

    def _convert(self, term: OxTerm) -> Node:
        node = self._terms.get(term)
        if node is None:
            node = self._terms[term] = to_rdflib(term)
        return node

    def node(self, term: OxTerm) -> Node:
        """The rdflib term for a term of the store (the same object the rdflib graph holds, when it does)."""
        return self._convert(term)

    def add(self, quads: Iterable[ox.Quad]) -> int:
        count = 0
        batch: list[ox.Quad] = []
        add = self.graph.add
        convert = self._convert
        for quad in quads:
            add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
            batch.append(ox.Quad(quad.subject, quad.predicate, quad.object))
            count += 1
            if len(batch) >= _BATCH:
                self.store.extend(batch)
                batch.clear()
        self.store.extend(batch)
        return count

    def copy_from(self, other: DataGraph) -> None:
        """Add everything of `other` (already converted: cheaper than parsing it again)."""
        add = self.graph.add
        for triple in other.graph:
            add(triple)
        self.store.extend(other.store)
        self._terms.update(other._terms)

    def __len__(self) -> int:
        return len(self.graph)

    def exact(self, subject: Node, path: Node | None, value: Node) -> Node:
        """The term as written in the data for a value the store returned (it may have lost its datatype)."""
        if not isinstance(value, Literal) or path is None:
            return value
        for candidate in self.graph.objects(subject, path):
            if isinstance(candidate, Literal) and (str(candidate), candidate.language) == (
                str(value),
                value.language,
            ):
                return candidate
        return value
