"""SPARQL XML results, for the gateway's own whole reads from stores that write XML faster than JSON.

Virtuoso 7 writes SPARQL XML 1.5-1.8 times faster than SPARQL JSON for answers of tens of thousands of rows
(the catalogue's directory and commitments; docs/scaling.md), and pyoxigraph parses it natively, where a
JSON body too big for `remote_json.standard_document` is decoded solution by solution in Python. So
`RemoteStore.select_all` and `quads` ask such stores for XML (remote_engines: `whole_select_format`); the
answers to clients keep the JSON path, with its exact streaming row limit and its pass in the client's
format.

`XmlResultsBody` is fed the body chunk by chunk and counts the solutions (`<result>` elements: in XML a `<`
inside a literal is always escaped, so the tag cannot be text) as they arrive; past `limit` it stops
(`truncated`), which a whole read reports instead of using a cut answer. `document()` gives the body ready
for pyoxigraph's parser:

- a literal's leading and trailing white space, which Virtuoso writes as is, becomes character references:
  pyoxigraph 0.5 trims white space at a literal's edges unless it is written so (oxigraph PR #1049), and a
  source's words must come back exactly (a test holds it to that);
- so does every carriage return, which Virtuoso also writes raw: an XML parser must read a raw CR (or CR LF)
  as a line feed (XML 1.0, section 2.11); pyoxigraph 0.5 happens not to, a reference holds with any parser;
- Virtuoso's blank node identifiers (`nodeID://b10019`, not a valid blank node label) are relabelled as the
  JSON reader relabels them.
"""

from __future__ import annotations

import re

from coopkg.store.remote_json import BlankNodeLabels

_RESULT = re.compile(rb"<result[\s/>]")
_TAIL = 8  # bytes kept from the previous chunk: a `<result>` tag split between two chunks is still counted
_BLANK_NODE = re.compile(rb"<bnode>([^<]*)</bnode>")
_LEADING_SPACE = re.compile(rb"(<literal(?:\s[^>]*)?(?<!/)>)([ \t\r\n]+)")  # not after <literal/>
_CLOSE = b"</literal>"
_SPACE = b" \t\r\n"


class XmlResultsBody:
    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._parts: list[bytes] = []
        self._tail = b""
        self.solutions = 0
        self.truncated = False

    def feed(self, chunk: bytes) -> bool:
        """Keeps `chunk`; True once the body holds more than `limit` solutions (read no further)."""
        window = self._tail + chunk
        # Tags that end in this chunk; one lying wholly in the tail was counted with the previous chunk.
        self.solutions += sum(1 for match in _RESULT.finditer(window) if match.end() > len(self._tail))
        self._tail = window[-_TAIL:]
        self._parts.append(chunk)
        if self.solutions > self._limit:
            self.truncated = True
        return self.truncated

    def document(self) -> bytes:
        body = _edge_space_as_references(b"".join(self._parts).replace(b"\r", b"&#13;"))
        if b"<bnode>" not in body:
            return body
        labels = BlankNodeLabels()

        def relabel(match: re.Match[bytes]) -> bytes:
            return b"<bnode>" + labels(match[1].decode("utf-8", "replace")).encode() + b"</bnode>"

        return _BLANK_NODE.sub(relabel, body)


def _references(space: bytes) -> bytes:
    return b"".join(b"&#%d;" % byte for byte in space)


def _edge_space_as_references(body: bytes) -> bytes:
    body = _LEADING_SPACE.sub(lambda match: match[1] + _references(match[2]), body)
    # Trailing white space: split at the closing tags (a regex starting with a character class scans every
    # byte, four times slower on a body of hundreds of MB).
    pieces = body.split(_CLOSE)
    for index in range(len(pieces) - 1):
        piece = pieces[index]
        if piece[-1:] and piece[-1] in _SPACE:
            kept = piece.rstrip(_SPACE)
            pieces[index] = kept + _references(piece[len(kept) :])
    return _CLOSE.join(pieces)
