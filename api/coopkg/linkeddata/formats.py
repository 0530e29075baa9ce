"""The RDF representations the gateway serves for an IRI, by media type and by file suffix."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class Representation:
    media_type: str
    suffix: str
    rdf_format: ox.RdfFormat | None  # None: HTML, or JSON-LD written by coopkg.linkeddata.jsonld

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


HTML = Representation("text/html", "html", None)
TURTLE = Representation("text/turtle", "ttl", ox.RdfFormat.TURTLE)
JSON_LD = Representation("application/ld+json", "jsonld", None)
N_TRIPLES = Representation("application/n-triples", "nt", ox.RdfFormat.N_TRIPLES)
RDF_XML = Representation("application/rdf+xml", "rdf", ox.RdfFormat.RDF_XML)

# In order of preference when the client accepts several equally (a browser's */* gets HTML).
REPRESENTATIONS: tuple[Representation, ...] = (HTML, TURTLE, JSON_LD, N_TRIPLES, RDF_XML)
RDF_REPRESENTATIONS: tuple[Representation, ...] = REPRESENTATIONS[1:]
BY_SUFFIX: dict[str, Representation] = {rep.suffix: rep for rep in REPRESENTATIONS}
BY_MEDIA_TYPE: dict[str, Representation] = {rep.media_type: rep for rep in REPRESENTATIONS}


def split_suffix(path: str) -> tuple[str, Representation | None]:
    """`a/b.ttl` -> (`a/b`, TURTLE); a path without a known suffix comes back unchanged with None.

    Our IRIs never end in one of these suffixes (their last segments are numbers and slugs), so the split
    cannot mistake an IRI for a suffixed one.
    """
    stem, dot, suffix = path.rpartition(".")
    if dot and "/" not in suffix and suffix in BY_SUFFIX:
        return stem, BY_SUFFIX[suffix]
    return path, None
