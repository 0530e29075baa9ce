"""The one table of RDF file formats: names, file extensions and media types, from pyoxigraph's `RdfFormat`.

`RdfFormat` gives each format's canonical extension and media type; the table adds the other names a file or
a request may carry (`.owl`, `.json`, `application/x-turtle`). The gateway's `--data` files, the validator's
inputs (files and request bodies) and the zygote's source list all read formats from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox


@dataclass(frozen=True)
class RdfFileFormat:
    name: str  # what `--format` / `--data-format` accepts
    rdf_format: ox.RdfFormat
    extensions: tuple[str, ...]  # with the dot, lower case; the first is pyoxigraph's
    media_types: tuple[str, ...]  # the first is pyoxigraph's

    @property
    def keeps_graphs(self) -> bool:
        """TriG and N-Quads name the graphs of their quads; other files go into one graph given to them."""
        return self.rdf_format in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS)


def _entry(
    name: str, rdf_format: ox.RdfFormat, extensions: tuple[str, ...] = (), media_types: tuple[str, ...] = ()
) -> RdfFileFormat:
    return RdfFileFormat(
        name,
        rdf_format,
        (f".{rdf_format.file_extension}", *extensions),
        (rdf_format.media_type, *media_types),
    )


FORMATS: tuple[RdfFileFormat, ...] = (
    _entry("turtle", ox.RdfFormat.TURTLE, (".turtle",), ("application/x-turtle",)),
    _entry("trig", ox.RdfFormat.TRIG),
    _entry("ntriples", ox.RdfFormat.N_TRIPLES),
    _entry("nquads", ox.RdfFormat.N_QUADS),
    _entry("jsonld", ox.RdfFormat.JSON_LD, (".json",)),
    _entry("rdfxml", ox.RdfFormat.RDF_XML, (".owl", ".xml")),
    _entry("n3", ox.RdfFormat.N3),
)
EXTENSIONS: tuple[str, ...] = tuple(ext for fmt in FORMATS for ext in fmt.extensions)
_BY_EXTENSION = {ext: fmt for fmt in FORMATS for ext in fmt.extensions}
_BY_RDF_FORMAT = {fmt.rdf_format: fmt for fmt in FORMATS}


def format_of_path(path: Path) -> RdfFileFormat | None:
    """The format a file's extension names (case ignored), or None."""
    return _BY_EXTENSION.get(path.suffix.lower())


def format_of(rdf_format: ox.RdfFormat) -> RdfFileFormat:
    return _BY_RDF_FORMAT[rdf_format]
