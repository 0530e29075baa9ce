"""Downloads of the whole graph (TriG and N-Quads keeping the named graphs, Turtle, N-Triples, JSON-LD) and
the VoID/DCAT description served at `/.well-known/void`.

Dumps are written from the quads of the store the gateway serves (`Store.quads()`: the embedded store's files,
or every quad of the remote store), in a worker thread, once per data version; the SPARQL endpoint's row limit
never cuts a download short.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from coopkg.linkeddata import jsonld
from coopkg.rdf.namespaces import PREFIXES, readable_prefixes


@dataclass(frozen=True)
class Dump:
    name: str
    media_type: str
    format: ox.RdfFormat | None  # None: JSON-LD framed with our context
    quads: bool  # keeps the named graphs
    note_en: str
    note_zh: str


DUMPS: tuple[Dump, ...] = (
    Dump("coopkg.trig", "application/trig", ox.RdfFormat.TRIG, True, "named graphs kept", "保留命名图"),
    Dump("coopkg.nq", "application/n-quads", ox.RdfFormat.N_QUADS, True, "named graphs kept", "保留命名图"),
    Dump("coopkg.ttl", "text/turtle", ox.RdfFormat.TURTLE, False, "union of the graphs", "各图合并"),
    Dump(
        "coopkg.nt", "application/n-triples", ox.RdfFormat.N_TRIPLES, False, "union of the graphs", "各图合并"
    ),
    Dump("coopkg.jsonld", "application/ld+json", None, False, "union, with /context.jsonld", "各图合并"),
)
BY_NAME = {dump.name: dump for dump in DUMPS}


def write_dump(quads: Sequence[ox.Quad], dump: Dump, context_url: str) -> bytes:
    """Write the store's `quads` as `dump` (blocking: run it in a thread)."""
    if dump.quads:
        assert dump.format is not None
        written = ox.serialize(quads, format=dump.format, prefixes=_prefixes(dump.format, quads))
    else:
        triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
        if dump.format is None:
            document = jsonld.frame(triples, None, context_url)
            return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        written = ox.serialize(triples, format=dump.format, prefixes=_prefixes(dump.format, triples))
    assert written is not None  # serialize returns bytes when given no output
    return written


def _prefixes(
    rdf_format: ox.RdfFormat, terms: Sequence[ox.Triple] | Sequence[ox.Quad]
) -> dict[str, str] | None:
    # Only prefixes whose local names need no escaping (no `id:programme\/…`): our IRIs are written in full.
    return readable_prefixes(terms) if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None


_IANA = "https://www.iana.org/assignments/media-types/"  # DCAT 3: dcat:mediaType is an IANA media type IRI


def void_access(dataset: str, base_url: str) -> list[ox.Triple]:
    """What this server adds to the shipped VoID: where the dumps, the SPARQL endpoint and the IRIs are."""
    void, dcat, dct = PREFIXES["void"], PREFIXES["dcat"], PREFIXES["dct"]
    subject = ox.NamedNode(dataset)
    triples = [
        ox.Triple(subject, ox.NamedNode(void + "sparqlEndpoint"), ox.NamedNode(f"{base_url}/sparql")),
        ox.Triple(subject, ox.NamedNode(void + "rootResource"), ox.NamedNode(f"{base_url}/")),
    ]
    for dump in DUMPS:
        url = ox.NamedNode(f"{base_url}/downloads/{dump.name}")
        triples.append(ox.Triple(subject, ox.NamedNode(void + "dataDump"), url))
        distribution = ox.NamedNode(f"{base_url}/downloads/{dump.name}#distribution")
        triples += [
            ox.Triple(subject, ox.NamedNode(dcat + "distribution"), distribution),
            ox.Triple(
                distribution, ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(dcat + "Distribution")
            ),
            ox.Triple(distribution, ox.NamedNode(dcat + "downloadURL"), url),
            ox.Triple(distribution, ox.NamedNode(dcat + "mediaType"), ox.NamedNode(_IANA + dump.media_type)),
            ox.Triple(distribution, ox.NamedNode(dct + "title"), ox.Literal(dump.note_en, language="en")),
            ox.Triple(distribution, ox.NamedNode(dct + "title"), ox.Literal(dump.note_zh, language="zh")),
        ]
    return triples
