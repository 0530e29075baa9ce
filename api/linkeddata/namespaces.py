"""The project's namespaces and the mapping between our IRIs and the gateway's paths.

IRIs under `https://w3id.org/coopkg/` are served at the same path on whatever host runs the gateway, so a page
links to `/id/...` (relative to the host) while the data keeps the w3id IRIs.
"""

from __future__ import annotations

BASE = "https://w3id.org/coopkg/"
ID = f"{BASE}id/"
DEF = f"{BASE}def#"
ONTOLOGY = f"{BASE}def"
SDG = "http://metadata.un.org/sdg/"

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


def compact(iri: str) -> str:
    """`prefix:local` when a known namespace starts `iri`, else the IRI itself."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace) :]
            if "/" not in local or prefix in ("id", "sdg"):
                return f"{prefix}:{local}"
    return iri
