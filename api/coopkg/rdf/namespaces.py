"""The project's namespaces and the mapping between our IRIs and the gateway's paths.

IRIs under `https://w3id.org/coopkg/` are served at the same path on whatever host runs the gateway, so a page
links to `/id/...` (relative to the host) while the data keeps the w3id IRIs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

BASE = "https://w3id.org/coopkg/"
ID = f"{BASE}id/"
DEF = f"{BASE}def#"
ONTOLOGY = f"{BASE}def"
SDG = "http://metadata.un.org/sdg/"
SHAPES = f"{BASE}shapes#"  # the SHACL shapes' own IRIs
DATASET = f"{ID}dataset/coopkg"  # the dataset itself (VoID, DCAT)
PROBLEM = f"{BASE}problem/"  # RFC 9457 problem types
# Vocabularies we use but do not write data in (so not among the Turtle prefixes below).
SH = "http://www.w3.org/ns/shacl#"
SD = "http://www.w3.org/ns/sparql-service-description#"
W3C_FORMATS = "http://www.w3.org/ns/formats/"

# Prefixes for Turtle output and compact IRIs in JSON-LD; the order is the order they are written in.
PREFIXES: dict[str, str] = {
    "coop": DEF,
    "id": ID,
    "sdg": SDG,
    "sdgo": "http://metadata.un.org/sdg/ontology#",
    "oa": "http://www.w3.org/ns/oa#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
    "vann": "http://purl.org/vocab/vann/",
}

# A local name Turtle writes without a backslash (a conservative ASCII subset of PN_LOCAL): pyoxigraph writes
# `id:programme\/cn-dk-…\/section\/03` for a namespace whose local names hold `/`, `#` or a final `.`.
_PLAIN_LOCAL = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)?")

RDFS_LABEL = PREFIXES["rdfs"] + "label"
SKOS_PREF_LABEL = PREFIXES["skos"] + "prefLabel"
RDF_TYPE = PREFIXES["rdf"] + "type"


def iri_for_path(path: str) -> str:
    """The IRI a gateway path stands for: `/id/x` -> `https://w3id.org/coopkg/id/x`, `/def` -> ontology."""
    return BASE + path.lstrip("/")


def local_href(iri: str) -> str:
    """Where a browser finds `iri` on this gateway: ours become host-relative paths, others stay as they are.

    Ontology terms (`def#Term`) point into the ontology page; SDG goals and targets to our goal pages.
    """
    if iri.startswith(BASE):
        return "/" + iri[len(BASE) :]
    if iri.startswith(SDG) and "#" not in iri:
        code = iri[len(SDG) :]
        goal = code.split(".", 1)[0]
        if goal.isascii() and goal.isdigit() and len(goal) <= 2:
            return f"/sdg/{goal}" + ("" if code == goal else f"#target-{code}")
    return iri


# Namespaces that start with another (sdgo: inside sdg:) must be tried first.
_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def compact(iri: str) -> str:
    """`prefix:local` when a known namespace starts `iri` (the longest that does: `sdgo:Goal`, not
    `sdg:ontology#Goal`), else the IRI itself."""
    for prefix, namespace in _LONGEST_FIRST:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace) :]
            if "/" not in local or prefix in ("id", "sdg"):
                return f"{prefix}:{local}"
    return iri


def _iris(terms: Iterable[ox.Triple | ox.Quad]) -> set[str]:
    found: set[str] = set()
    for term in terms:
        parts: list[object] = [term.subject, term.predicate, term.object]
        if isinstance(term, ox.Quad):
            parts.append(term.graph_name)
        for part in parts:
            if isinstance(part, ox.NamedNode):
                found.add(part.value)
            elif isinstance(part, ox.Literal):
                found.add(part.datatype.value)
    return found


def readable_prefixes(
    terms: Iterable[ox.Triple | ox.Quad], prefixes: Mapping[str, str] = PREFIXES
) -> dict[str, str]:
    """The `prefixes` under which every IRI of `terms` is a prefixed name that needs no escaping.

    A prefix that would make an IRI unreadable (e.g. `id:` for our hierarchical IRIs) is left out, so those
    IRIs are written in full (`<https://w3id.org/coopkg/id/party/china>`), as people cite them. The serializer
    uses the longest namespace that starts an IRI, so leaving one out can move IRIs to a shorter one: repeat
    until nothing changes.
    """
    iris = _iris(terms)
    kept = dict(prefixes)
    while True:
        unreadable: set[str] = set()
        for iri in iris:
            matches = [(len(ns), name) for name, ns in kept.items() if iri.startswith(ns)]
            if matches:
                length, name = max(matches)
                if not _PLAIN_LOCAL.fullmatch(iri[length:]):
                    unreadable.add(name)
        if not unreadable:
            return kept
        for name in unreadable:
            del kept[name]
