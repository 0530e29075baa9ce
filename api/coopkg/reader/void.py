"""The VoID/DCAT description of the shipped dataset (graph id:graph/meta): titles, licence, sources, and the
number of triples in each named graph. Everything is derived from the graphs themselves and no clock is read,
so the file changes only when the data does.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from coopkg.errors import UnusableInput
from coopkg.rdf import dataset
from coopkg.rdf.namespaces import DATASET, ID, PREFIXES, SDG
from coopkg.reader.programme import DCT, XSD, A, read_turtle, zh

VOID, DCAT, PROV, RDFS = PREFIXES["void"], PREFIXES["dcat"], PREFIXES["prov"], PREFIXES["rdfs"]
AGENT = f"{ID}agent/coopkg"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
SDG_KOS = SDG.removesuffix("/")
SDG_DATASET = f"{SDG}void.ttl#SDG"
VOCABULARIES = tuple(PREFIXES[name] for name in ("coop", "oa", "skos", "org", "prov", "dct", "time", "sdgo"))


def sdg_licence(sdg_void: Path) -> str:
    """The SDG KOS's own licence statement (with its required citation), read from its VoID file."""
    for triple in read_turtle(sdg_void):
        if (
            triple.subject == ox.NamedNode(SDG_DATASET)
            and triple.predicate == ox.NamedNode(DCT + "license")
            and isinstance(triple.object, ox.Literal)
        ):
            return triple.object.value
    raise UnusableInput(
        f"{sdg_void}: no dcterms:license for <{SDG_DATASET}>; restore the file from the UN KOS"
    )


def describe(
    counts: Mapping[str, int],
    titles: Mapping[str, tuple[str, str]],
    sources: Mapping[str, list[str]],
    sdg_citation: str,
) -> set[ox.Triple]:
    """Triples of void.ttl. `counts`, `titles` (zh, en) and `sources` are keyed by graph IRI."""
    triples: set[ox.Triple] = set()

    def add(subject: str, predicate: str, obj: ox.NamedNode | ox.Literal | str) -> None:
        o = ox.NamedNode(obj) if isinstance(obj, str) else obj
        triples.add(ox.Triple(ox.NamedNode(subject), ox.NamedNode(predicate), o))

    def count(value: int) -> ox.Literal:
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))

    add(DATASET, A.value, VOID + "Dataset")
    add(DATASET, A.value, DCAT + "Dataset")
    add(DATASET, DCT + "title", zh("国际合作承诺知识图谱"))
    add(
        DATASET,
        DCT + "title",
        ox.Literal("coopkg: a knowledge graph of international cooperation commitments", language="en"),
    )
    add(
        DATASET,
        DCT + "description",
        ox.Literal(
            "Commitments of international cooperation programmes, each with its verbatim source text and "
            "exact span, linked to cooperation areas, frameworks and the UN Sustainable Development Goals.",
            language="en",
        ),
    )
    add(DATASET, DCT + "license", LICENCE)
    add(DATASET, DCT + "publisher", AGENT)
    add(DATASET, VOID + "uriSpace", ox.Literal(ID))
    add(DATASET, VOID + "triples", count(sum(counts.values())))
    for vocabulary in VOCABULARIES:
        add(DATASET, VOID + "vocabulary", vocabulary)
    for graph, triple_count in counts.items():
        zh_title, en_title = titles[graph]
        add(DATASET, VOID + "subset", graph)
        add(graph, A.value, VOID + "Dataset")
        add(graph, DCT + "title", zh(zh_title))
        add(graph, DCT + "title", ox.Literal(en_title, language="en"))
        add(graph, VOID + "triples", count(triple_count))
        for source in sources.get(graph, []):
            add(DATASET, DCT + "source", source)
            add(graph, DCT + "source", source)
    add(dataset.GRAPH_CURATED, PROV + "wasAttributedTo", AGENT)
    add(dataset.GRAPH_DERIVED, PROV + "wasAttributedTo", AGENT)
    add(dataset.GRAPH_SDG, DCT + "license", ox.Literal(sdg_citation))
    add(dataset.GRAPH_ONTOLOGY, DCT + "license", LICENCE)
    return triples
