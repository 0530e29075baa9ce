"""Describing one IRI (its triples, what it owns, the labels of what it links to) and writing it as RDF.

The SPARQL is `sparql/describe.rq`; the IRI enters it only as an RDF term in a VALUES block. Callers cache the
rendered bytes per data version (the graph is read-only while the gateway runs).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from coopkg.errors import NotFound
from coopkg.linkeddata import jsonld
from coopkg.linkeddata.formats import JSON_LD, Representation
from coopkg.linkeddata.sparql_files import query_text
from coopkg.rdf.namespaces import ONTOLOGY, PREFIXES, readable_prefixes
from coopkg.sparql.text import inline_values
from coopkg.store.base import Store


@dataclass(frozen=True)
class Description:
    iri: str
    triples: tuple[ox.Triple, ...]

    def about(self, subject: str) -> list[ox.Triple]:
        node = ox.NamedNode(subject)
        return [triple for triple in self.triples if triple.subject == node]

    def linked(self, subject: str, predicate: str) -> list[str]:
        """The IRIs `subject` links to with `predicate` in this description."""
        return [
            t.object.value
            for t in self.about(subject)
            if t.predicate.value == predicate and isinstance(t.object, ox.NamedNode)
        ]


def _ordered(iri: str, triples: Sequence[ox.Triple]) -> tuple[ox.Triple, ...]:
    """The resource's own triples first, then one block per subject (tidy Turtle, stable output)."""
    root = ox.NamedNode(iri)
    unique = set(triples)
    return tuple(
        sorted(unique, key=lambda t: (t.subject != root, str(t.subject), str(t.predicate), str(t.object)))
    )


async def describe(store: Store, iri: str, *, query: str = "describe") -> Description:
    """The description of `iri`, or NotFound when the graph says nothing about it (or it is not an IRI)."""
    try:
        root = ox.NamedNode(iri)
    except ValueError:  # a path such as /id/a%20b decodes to characters no IRI may hold: nothing is there
        raise NotFound(f"<{iri}> is not a valid IRI, so nothing is known about it; check the path") from None
    text = inline_values(query_text(query), {"resource": root})
    triples = await store.construct(text)
    if not any(triple.subject == root for triple in triples):
        raise NotFound(f"nothing is known about <{iri}>; check the IRI, or browse from the home page /")
    return Description(iri, _ordered(iri, triples))


async def ontology(store: Store) -> Description:
    """The whole ontology graph (`/def`)."""
    triples = await store.construct(query_text("ontology"))
    if not triples:
        raise NotFound("the ontology graph is empty; is ontology/coopkg.ttl loaded?")
    return Description(ONTOLOGY, _ordered(ONTOLOGY, triples))


def render(description: Description, representation: Representation, context_url: str) -> bytes:
    """The description as bytes of an RDF representation (not HTML)."""
    if representation == JSON_LD:
        document = jsonld.frame(description.triples, description.iri, context_url)
        return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    if representation.rdf_format is None:
        raise ValueError(f"{representation.media_type} is not an RDF syntax")
    prefixes: dict[str, str] | None = None
    if representation.rdf_format == ox.RdfFormat.TURTLE:  # only prefixed names that need no `\/` escapes
        prefixes = readable_prefixes(description.triples)
    elif representation.rdf_format == ox.RdfFormat.RDF_XML:  # XML namespaces: IRIs stay whole in attributes
        prefixes = PREFIXES
    written = ox.serialize(description.triples, format=representation.rdf_format, prefixes=prefixes)
    assert written is not None  # serialize returns the bytes when given no output
    return written
