"""Reading the RDF a steward hands us: files or a request body, in any of the six formats we accept.

Everything is parsed with pyoxigraph: it is fast, reports the line and column of a syntax error, and its
JSON-LD parser has no document loader, so a remote `@context` is refused instead of fetched (an upload must
never make the server call out). Errors are `UnusableInput` with one line naming the input, line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from coopkg.errors import UnsupportedMediaType, UnusableInput
from coopkg.rdf.formats import FORMATS as ALL_FORMATS
from coopkg.rdf.formats import RdfFileFormat
from coopkg.rdf.nesting_limit import check_nesting
from coopkg.validation.terms import DataGraph

# The validator reads the formats of the one table (coopkg.rdf.formats) but N3, whose formulas and rules are
# not RDF data pySHACL can check.
InputFormat = RdfFileFormat
FORMATS: tuple[InputFormat, ...] = tuple(f for f in ALL_FORMATS if f.rdf_format != ox.RdfFormat.N3)
FORMAT_NAMES: tuple[str, ...] = tuple(f.name for f in FORMATS)
MEDIA_TYPES: tuple[str, ...] = tuple(m for f in FORMATS for m in f.media_types)

# pyoxigraph words its positions as "line 2 column 9"; we keep the first one (where the parser stopped).
_POSITION = re.compile(r"line (\d+) column (\d+)")


def format_by_name(name: str) -> InputFormat:
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise UnusableInput(f"unknown format {name!r}: use one of {', '.join(FORMAT_NAMES)}")


def format_for_path(path: Path) -> InputFormat:
    suffix = path.suffix.lower()
    for fmt in FORMATS:
        if suffix in fmt.extensions:
            return fmt
    known = ", ".join(ext for f in FORMATS for ext in f.extensions)
    raise UnusableInput(
        f"{path}: cannot tell the RDF format from the extension {suffix or '(none)'!r}; "
        f"rename the file ({known}) or pass --data-format {'|'.join(FORMAT_NAMES)}"
    )


def format_for_media_type(content_type: str | None) -> InputFormat:
    media_type = (content_type or "").split(";")[0].strip().lower()
    for fmt in FORMATS:
        if media_type in fmt.media_types:
            return fmt
    raise UnsupportedMediaType(
        f"cannot validate a body of type {media_type or '(none)'!r}: send one of {', '.join(MEDIA_TYPES)}, "
        "or a multipart/form-data upload with a `file` part"
    )


def _syntax_error(source: str, error: SyntaxError) -> UnusableInput:
    text = str(error.msg if error.msg else error)
    match = _POSITION.search(text)
    line = error.lineno if error.lineno is not None else (int(match.group(1)) if match else None)
    column = error.offset if error.offset is not None else (int(match.group(2)) if match else None)
    where = f"{source}:{line}:{column}" if line is not None else source
    if "LoadDocumentCallback" in text:
        text = "remote JSON-LD @context documents are never fetched; inline the context in the document"
    elif text.startswith("Parser error") and ": " in text:
        text = text.split(": ", 1)[1]  # the position is already in front, as file:line:column
    return UnusableInput(f"{where}: syntax error: {text}")


def parse_into(
    target: DataGraph, data: bytes | Path, fmt: InputFormat, source: str, *, base_iri: str | None = None
) -> int:
    """Parse one document into the data graph. Returns the number of triples read.

    The whole document is parsed before anything is added, so a syntax error leaves the data graph unchanged.
    """
    if fmt.rdf_format in (ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML):
        # Deep nesting crashes (JSON-LD) or stalls (RDF/XML) pyoxigraph's parser: see
        # api/coopkg/rdf/nesting_limit.py.
        raw = data.read_bytes() if isinstance(data, Path) else data
        check_nesting(raw, fmt.rdf_format, source)
    # pyoxigraph expands DTD entities without a limit ("billion laughs": 800 bytes -> gigabytes), and RDF
    # never needs them: a document declaring one is refused before parsing.
    if fmt.rdf_format == ox.RdfFormat.RDF_XML and b"<!ENTITY" in raw:
        raise UnusableInput(
            f"{source}: declares XML entities (<!ENTITY ...>), which are not accepted because they can "
            "expand to gigabytes; write their values out in the document"
        )
    try:
        if isinstance(data, Path):
            quads = list(ox.parse(path=data, format=fmt.rdf_format, base_iri=base_iri))
        else:
            quads = list(ox.parse(data, format=fmt.rdf_format, base_iri=base_iri))
    except SyntaxError as error:
        raise _syntax_error(source, error) from None
    except ValueError as error:  # e.g. invalid UTF-8: pyoxigraph says what, not where
        raise UnusableInput(f"{source}: cannot be read as {fmt.name}: {error}") from None
    if any(isinstance(q.subject, ox.Triple) or isinstance(q.object, ox.Triple) for q in quads):
        # pySHACL (rdflib) has no triple terms; a steward's data never needs them.
        raise UnusableInput(
            f"{source}: holds RDF-star / RDF 1.2 triple terms (<< … >>); remove them to validate"
        )
    return target.add(quads)


def load_files(target: DataGraph, paths: Iterable[Path], format_name: str | None = None) -> int:
    """Parse every file into the data graph; the first unusable one raises `UnusableInput` naming it."""
    forced = format_by_name(format_name) if format_name else None
    total = 0
    for path in paths:
        fmt = forced or format_for_path(path)
        if path.is_dir():
            raise UnusableInput(f"{path}: is a directory; pass the RDF files inside it")
        if not path.is_file():
            raise UnusableInput(f"{path}: no such file; check the path")
        try:
            total += parse_into(target, path, fmt, str(path), base_iri=path.resolve().as_uri())
        except OSError as error:
            raise UnusableInput(f"{path}: cannot be read: {error.strerror}") from None
    return total
