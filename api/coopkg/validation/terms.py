"""The data graph of a validation run, held twice: the parsed triples as rdflib terms (for the native core
checks, and as an rdflib graph for pySHACL when it has anything to check) and a pyoxigraph store for targets,
classes and the SPARQL-based rules.

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

from coopkg.rdf.namespaces import PREFIXES

_XSD_STRING = PREFIXES["xsd"] + "string"
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
    """The union of everything to validate (named graphs are flattened, as in the served default graph).

    The rdflib graph is built on first use only: the native engine reads value nodes from a per-predicate
    index of the parsed triples instead, and pySHACL needs the rdflib graph only when it has shapes left
    to check (or for `--engine pyshacl`). Building it was most of the parsing time (~15 s at 1M triples).
    """

    def __init__(self) -> None:
        self.store = ox.Store()
        self._triples: set[tuple[Node, Node, Node]] = set()  # as parsed (the store merges 5^^nonNeg..., 5)
        self._graph: Graph | None = None
        self._by_predicate: dict[Node, list[tuple[Node, Node]]] | None = None
        self._values: dict[Node, dict[Node, set[Node]]] = {}
        self._terms: dict[OxTerm, Node] = {}

    def _convert(self, term: OxTerm) -> Node:
        node = self._terms.get(term)
        if node is None:
            node = self._terms[term] = to_rdflib(term)
        return node

    def node(self, term: OxTerm) -> Node:
        """The rdflib term for a term of the store (the same object the rdflib graph holds, when it does)."""
        return self._convert(term)

    @property
    def graph(self) -> Graph:
        """The data as an rdflib graph (pySHACL's input), built on first use."""
        if self._graph is None:
            graph = Graph()
            add = graph.add
            for triple in self._triples:
                add(triple)
            self._graph = graph
        return self._graph

    def _changed(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        self._by_predicate = None
        self._values.clear()
        if self._graph is not None:
            add = self._graph.add
            for triple in triples:
                add(triple)

    def add(self, quads: Iterable[ox.Quad]) -> int:
        count = 0
        batch: list[ox.Quad] = []
        added: list[tuple[Node, Node, Node]] = []
        convert = self._convert
        for quad in quads:
            added.append((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
            batch.append(ox.Quad(quad.subject, quad.predicate, quad.object))
            count += 1
            if len(batch) >= _BATCH:
                self.store.extend(batch)
                batch.clear()
        self.store.extend(batch)
        self._triples.update(added)
        self._changed(added)
        return count

    def copy_from(self, other: DataGraph) -> None:
        """Add everything of `other` (already converted: cheaper than parsing it again)."""
        self._triples |= other._triples
        self.store.extend(other.store)
        self._terms.update(other._terms)
        self._changed(other._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def values(self, predicate: Node) -> dict[Node, set[Node]]:
        """The objects of `predicate` by subject, exactly as parsed (one pass over the data, then cached)."""
        found = self._values.get(predicate)
        if found is None:
            if self._by_predicate is None:
                by_predicate: dict[Node, list[tuple[Node, Node]]] = {}
                for subject, p, value in self._triples:
                    pairs = by_predicate.get(p)
                    if pairs is None:
                        pairs = by_predicate[p] = []
                    pairs.append((subject, value))
                self._by_predicate = by_predicate
            found = {}
            for subject, value in self._by_predicate.get(predicate, ()):
                objects = found.get(subject)
                if objects is None:
                    objects = found[subject] = set()
                objects.add(value)
            self._values[predicate] = found
        return found

    def exact(self, subject: Node, path: Node | None, value: Node) -> Node:
        """The term as written in the data for a value the store returned (it may have lost its datatype)."""
        if not isinstance(value, Literal) or path is None:
            return value
        candidates = (
            self.values(path).get(subject, set())
            if isinstance(path, URIRef)
            else self.graph.objects(subject, path)
        )
        for candidate in candidates:
            if isinstance(candidate, Literal) and (str(candidate), candidate.language) == (
                str(value),
                value.language,
            ):
                return candidate
        return value
