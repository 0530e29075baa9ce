"""SPARQL JSON results as real stores send them, read as they arrive and normalised to the standard.

Stores other than Oxigraph are asked for SPARQL JSON (their TSV is not always the standard: Virtuoso
quotes the header and every IRI like CSV, losing the IRI/literal distinction). The JSON itself needs
normalising before pyoxigraph reads it:

- Virtuoso writes `"type": "typed-literal"` (a pre-standard term type) for every typed literal;
- Virtuoso names blank nodes `nodeID://b10019`, which is not a blank node label;
- Virtuoso answers ASK with a one-variable SELECT (`__ASK_RETVAL`, a row with 1 for true, no row for false).

A store that sends its answer with a `Content-Length` of at most `FAST_BODY_LIMIT` bytes (Virtuoso does: it
computes the whole answer before the first byte) is first offered to `standard_document`: when renaming
`typed-literal` is all the body needs, pyoxigraph reads it natively, with no Python object per term (the
Python reader below costs milliseconds on an answer of a few hundred rows, most of the gateway's cost on such
queries). Anything else (blank nodes, a malformed body, more rows than the limit) takes the reader. Given the
client's format, it also serialises the answer in it when the body is too short to hold more rows than the
limit: that one pass reads and checks every solution, where counting them and serialising later took two.

`SelectJsonReader` is fed the body chunk by chunk and keeps at most `limit` solutions: the head is read as
soon as the `"bindings": [` opener has arrived, then each solution object is decoded on its own, so the
row limit is exact and memory holds at most the kept rows. A body whose `head` does not come first is read
whole (up to a character ceiling) instead. `document()` gives the kept rows as a standard JSON document.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

import pyoxigraph as ox

_BINDINGS_OPENER = re.compile(r'"bindings"\s*:\s*\[')
_WHITESPACE = " \t\r\n"
_WHOLE_BODY_LIMIT = 256 * 1024 * 1024  # characters of a body read whole (head after results) at most
_ASK_VARIABLE = "__ASK_RETVAL"  # Virtuoso's one column for an ASK answered as a SELECT
FAST_BODY_LIMIT = 16 * 1024 * 1024  # bytes of an answer of known length offered to `standard_document`
# Term types as JSON members. Inside a JSON string a quote is escaped (`\"`), so these match only the
# document's own members, never text in a literal.
_TYPED_LITERAL = re.compile(rb'"type"\s*:\s*"typed-literal"')
_BLANK_NODE = re.compile(rb'"type"\s*:\s*"bnode"')


class MalformedResults(ValueError):
    """The body is not SPARQL JSON results (the message says what is wrong, without the body)."""


class StandardDocument(NamedTuple):
    document: bytes  # standard SPARQL JSON results
    answer: bytes | None  # the same solutions in the client's format, when it was asked for and made


def standard_document(
    body: bytes, limit: int, answer_format: ox.QueryResultsFormat | None = None
) -> StandardDocument | None:
    """`body` as a standard SPARQL JSON SELECT document by renaming `typed-literal` alone, if pyoxigraph then
    reads every solution of it and there are at most `limit`; None when `SelectJsonReader` must read it.
    With `answer_format`, the solutions are also serialised in it when the body is too short for more than
    `limit` of them (each takes at least 3 bytes: `{}` and a comma)."""
    if _BLANK_NODE.search(body):  # Virtuoso's `nodeID://b1` is no blank node label: relabelled by the reader
        return None
    document = _TYPED_LITERAL.sub(b'"type":"literal"', body)
    try:
        solutions = ox.parse_query_results(document, format=ox.QueryResultsFormat.JSON)
        if not isinstance(solutions, ox.QuerySolutions):
            return None
        if answer_format is not None and len(document) <= 3 * limit:
            return StandardDocument(document, solutions.serialize(format=answer_format) or b"")
        for count, _ in enumerate(solutions, start=1):
            if count > limit:
                return None
    except SyntaxError:
        return None
    return StandardDocument(document, None)


class SelectJsonReader:
    """Streams a SPARQL JSON SELECT answer, keeping at most `limit` normalised solutions."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.variables: list[str] | None = None
        self.rows: list[dict[str, Any]] = []
        self.truncated = False
        self.finished = False  # the bindings array is closed, or the limit was passed
        self._decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self._buffer = ""
        self._position = 0
        self._whole = False  # the head did not come first: read everything, decode at the end
        self._blank_nodes = BlankNodeLabels()

    def feed(self, data: bytes) -> bool:
        """Take the next chunk; True once no more input is needed (limit passed or array closed)."""
        try:
            self._buffer += self._decoder.decode(data)
        except UnicodeDecodeError:
            raise MalformedResults("text that is not UTF-8") from None
        if self._whole:
            if len(self._buffer) > _WHOLE_BODY_LIMIT:
                raise MalformedResults("an oversized answer")
            return False
        if self.variables is None and not self._read_head():
            return False
        self._read_rows(final=False)
        return self.finished

    def close(self) -> None:
        """The body has ended: everything must have been read."""
        try:
            self._buffer += self._decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise MalformedResults("text that is not UTF-8") from None
        if self._whole or self.variables is None:
            self._read_whole()
            return
        if not self.finished:
            self._read_rows(final=True)
        if not self.finished:
            raise MalformedResults("an unterminated bindings array")

    def document(self) -> bytes:
        """The kept solutions as a standard SPARQL JSON results document."""
        head = {"vars": self.variables or []}
        return json.dumps({"head": head, "results": {"bindings": self.rows}}).encode()

    # -- reading ------------------------------------------------------------------------------------

    def _read_head(self) -> bool:
        match = _BINDINGS_OPENER.search(self._buffer)
        if match is None:
            if len(self._buffer) > 1024 * 1024:  # a head is a few hundred bytes
                self._whole = True
            return False
        try:
            opening = json.loads(self._buffer[: match.end()] + "]}}")
        except json.JSONDecodeError:
            opening = None
        if not isinstance(opening, dict) or "head" not in opening:
            self._whole = True  # an unusual order of members: decode the whole document at the end
            return False
        self.variables = _variables(opening)
        self._position = match.end()
        return True

    def _read_rows(self, *, final: bool) -> None:
        decoder = json.JSONDecoder()
        buffer = self._buffer
        position = self._position
        while not self.finished:
            while position < len(buffer) and buffer[position] in _WHITESPACE + ",":
                position += 1
            if position == len(buffer):
                break
            if buffer[position] == "]":
                self.finished = True
                break
            try:
                solution, end = decoder.raw_decode(buffer, position)
            except json.JSONDecodeError:
                if final:
                    raise MalformedResults("a malformed solution") from None
                break  # not all of it has arrived yet
            if len(self.rows) == self.limit:
                self.truncated = self.finished = True
                break
            self.rows.append(self._solution(solution))
            position = end
        self._buffer = buffer[position:]
        self._position = 0

    def _read_whole(self) -> None:
        try:
            parsed = json.loads(self._buffer)
        except json.JSONDecodeError as error:
            raise MalformedResults(f"malformed JSON ({error.msg} at character {error.pos})") from None
        if not isinstance(parsed, dict):
            raise MalformedResults("JSON that is not a results object")
        self.variables = _variables(parsed)
        bindings = (
            parsed.get("results", {}).get("bindings") if isinstance(parsed.get("results"), dict) else None
        )
        if not isinstance(bindings, list):
            raise MalformedResults("no results.bindings array")
        for solution in bindings:
            if len(self.rows) == self.limit:
                self.truncated = True
                break
            self.rows.append(self._solution(solution))
        self.finished = True

    def _solution(self, solution: object) -> dict[str, Any]:
        if not isinstance(solution, dict):
            raise MalformedResults("a solution that is not an object")
        return {name: normalise_term(term, self._blank_nodes) for name, term in solution.items()}


class BlankNodeLabels:
    """Valid blank node labels for a store's own identifiers (`nodeID://b1` -> `b0`), stable in one answer."""

    def __init__(self) -> None:
        self._labels: dict[str, str] = {}

    def __call__(self, value: str) -> str:
        label = self._labels.get(value)
        if label is None:
            label = self._labels[value] = f"b{len(self._labels)}"
        return label


def normalise_term(term: object, blank_nodes: BlankNodeLabels) -> dict[str, Any]:
    """One bound value in the standard form (SPARQL 1.1 Query Results JSON Format, section 3.2.2)."""
    if not isinstance(term, dict) or not isinstance(term.get("value", ""), str):
        raise MalformedResults("a bound value that is not a term object")
    kind = term.get("type")
    if kind == "uri":
        return {"type": "uri", "value": term["value"]}
    if kind in ("literal", "typed-literal"):
        literal: dict[str, Any] = {"type": "literal", "value": term["value"]}
        if isinstance(term.get("xml:lang"), str) and term["xml:lang"]:
            literal["xml:lang"] = term["xml:lang"]
        elif isinstance(term.get("datatype"), str):
            literal["datatype"] = term["datatype"]
        return literal
    if kind == "bnode":
        return {"type": "bnode", "value": blank_nodes(term["value"])}
    if kind == "triple" and isinstance(term.get("value"), dict):
        parts = term["value"]
        return {
            "type": "triple",
            "value": {
                part: normalise_term(parts.get(part), blank_nodes)
                for part in ("subject", "predicate", "object")
            },
        }
    raise MalformedResults(f"an unknown term type {str(kind)[:40]!r}")


def ask_document(body: str) -> bytes:
    """A standard SPARQL JSON boolean document from a store's ASK answer (Virtuoso's SELECT form included)."""
    try:
        parsed = json.loads(body)
    except json.JSONDecodeError as error:
        raise MalformedResults(f"malformed JSON ({error.msg} at character {error.pos})") from None
    if not isinstance(parsed, dict):
        raise MalformedResults("JSON that is not a results object")
    if "boolean" in parsed:
        return json.dumps({"head": {}, "boolean": parsed["boolean"]}).encode()
    if _variables(parsed) == [_ASK_VARIABLE]:
        results = parsed.get("results")
        bindings = results.get("bindings") if isinstance(results, dict) else None
        if isinstance(bindings, list):
            answer = any(
                _truthy(solution.get(_ASK_VARIABLE)) for solution in bindings if isinstance(solution, dict)
            )
            return json.dumps({"head": {}, "boolean": answer}).encode()
    return body.encode()  # solutions: pyoxigraph's parser says it is not a boolean


def _truthy(term: object) -> bool:
    return isinstance(term, Mapping) and str(term.get("value", "0")) not in ("0", "false", "")


def _variables(document: Mapping[str, object]) -> list[str]:
    head = document.get("head")
    variables = head.get("vars", []) if isinstance(head, dict) else None
    if not isinstance(variables, list) or not all(isinstance(name, str) for name in variables):
        raise MalformedResults("a head without a list of variable names")
    return list(variables)
