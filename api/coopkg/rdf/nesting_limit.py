"""Refusing RDF whose nesting would crash or stall the parser, before the parser sees it.

Measured with pyoxigraph 0.5 (each case in its own process): its JSON-LD parser recurses once per nested
object and overflows the native stack (SIGSEGV, the whole process dies) at about 5,000 levels, far below its
own 65,536 limit; its RDF/XML parser takes more than a minute for 50,000 nested elements and segfaults at
100,000. Turtle, TriG and the line-based formats parse 100,000 nested `[`/`(` levels without harm, so they
are not scanned. Real data nests a few levels; `MAX_DEPTH` is far above that and far below any crash.

The scans are linear and run in the regex engine (no Python per byte), so they cost little next to parsing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from coopkg.errors import UnusableInput

MAX_DEPTH = 256

# JSON: a whole string (escapes included) is one token, so brackets inside strings are never counted.
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)
# XML markup: comments, CDATA, processing instructions and declarations do not open elements; a tag's quoted
# attribute values may hold ">" and "/".
_XML_TOKENS = re.compile(
    rb"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<\?.*?(?:\?>|\Z)|<![^>]*>?|</[^>]*>?"
    rb"|<(?:\"[^\"]*\"|'[^']*'|[^'\">])*>?",
    re.DOTALL,
)


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (1-based, columns in characters as the parsers count them) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


def _json_depth_exceeded(data: bytes, limit: int) -> int | None:
    depth = 0
    for match in _JSON_TOKENS.finditer(data):
        token = match.group()
        if token in (b"{", b"["):
            depth += 1
            if depth > limit:
                return match.start()
        elif token in (b"}", b"]"):
            depth -= 1
    return None


def _xml_depth_exceeded(data: bytes, limit: int) -> int | None:
    depth = 0
    for match in _XML_TOKENS.finditer(data):
        token = match.group()
        if token.startswith(b"</"):
            depth -= 1
        elif token.startswith((b"<!", b"<?")) or token.endswith(b"/>"):
            continue  # not an element, or an empty element that opens and closes at once
        else:
            depth += 1
            if depth > limit:
                return match.start()
    return None


def check_nesting(data: bytes, rdf_format: ox.RdfFormat, source: str, limit: int = MAX_DEPTH) -> None:
    """Raise `UnusableInput` naming source:line:column if the document nests deeper than `limit`."""
    if rdf_format == ox.RdfFormat.JSON_LD:
        offset, what = _json_depth_exceeded(data, limit), "JSON objects/arrays"
    elif rdf_format == ox.RdfFormat.RDF_XML:
        offset, what = _xml_depth_exceeded(data, limit), "XML elements"
    else:
        return
    if offset is None:
        return
    line, column = _position(data, offset)
    raise UnusableInput(
        f"{source}:{line}:{column}: nesting too deep: more than {limit} levels of {what}, which the RDF "
        "parser cannot read safely; flatten the document (give nested nodes their own @id / rdf:about)"
    )


def check_file(path: Path, rdf_format: ox.RdfFormat, limit: int = MAX_DEPTH) -> None:
    """`check_nesting` for a file (read only for the formats that need a scan)."""
    if rdf_format not in (ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML):
        return
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnusableInput(f"{path}: cannot be read ({error.strerror}).") from None
    check_nesting(data, rdf_format, str(path), limit)
