"""Checks on query text BEFORE any SPARQL parser sees it, run in the gateway process.

pyoxigraph is native code: a group pattern nested a few thousand deep overflows its parser's stack and kills
the process outright, and pyoxigraph executes SERVICE calls itself (a real HTTP client, no redirects
followed). So this module lexes the query just enough to refuse, with a clear 4xx and without parsing:

- control characters (NUL) and over-long text;
- nesting of `{`, `(` and `[` deeper than MAX_DEPTH (strings, IRIs and comments are skipped, so a brace
  inside a literal does not count);
- updates (INSERT, DELETE, LOAD, CLEAR, ...) whatever route they came by: the endpoint is read-only;
- SERVICE to anything but an allowlisted endpoint. The IRI is resolved the way the parser would (prefixed
  names through PREFIX, relative IRIs against BASE, `\\u` escapes decoded), and a SERVICE whose endpoint is a
  variable is refused because it is known only at evaluation time.

It also reports what the gateway needs before dispatching: the query form (to negotiate the result format)
and whether the query carries its own dataset (FROM / FROM NAMED), which turns off the union default graph.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import Literal
from urllib.parse import urljoin, urlsplit

from coopkg.errors import QuerySyntaxError, ServiceNotAllowed, UnusableInput, UpdateRefused
from coopkg.sparql import lexer
from coopkg.sparql.lexer import Token, tokens

# Real queries nest a dozen levels at most; pyoxigraph's parser overflows somewhere in the thousands.
MAX_DEPTH = 128

# Strings and comments are blanked out, IRIs kept (see _inspect), with the lexer's own rules.
_BLANKABLE = re.compile(
    rf"(?P<comment>{lexer.COMMENT})|(?P<string>{lexer.STRING})|(?P<iri>{lexer.IRI})", re.VERBOSE | re.DOTALL
)
_BRACKET = re.compile(r"[{}()\[\]]")
# Over the skeleton: the tokens that matter (IRIs, variables, prefixed names, words) and stray backslashes.
# A run of white space is one unnamed match: without it the scan tries every alternative at each blank of a
# blanked-out comment (half the inspection's time for a named query with its header).
_WORD = re.compile(
    r"\s+|"
    rf"(?P<iri>{lexer.IRI})|(?P<var>{lexer.VAR})|(?P<pname>{lexer.PNAME})|(?P<word>{lexer.WORD})"
    r"|(?P<backslash>\\)"
)
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
QueryKind = Literal["select", "ask", "graph"]  # what an answer is: solutions, a boolean or triples
FORMS: dict[str, QueryKind] = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
_UPDATES = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})


@dataclass(frozen=True)
class QueryInfo:
    """What the gateway learnt about a query without parsing it."""

    kind: QueryKind
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    has_dataset_clause: bool  # FROM or FROM NAMED: the query chooses its own dataset
    services: tuple[str, ...] = ()  # resolved SERVICE endpoint IRIs (all allowlisted)
    prefixes: dict[str, str] = field(default_factory=dict)


def kind_of(query: str) -> QueryKind:
    """The query form (first SELECT/ASK/CONSTRUCT/DESCRIBE keyword); QuerySyntaxError when there is none."""
    for token in tokens(query):
        if token.kind == "word" and token.text.upper() in FORMS:
            return FORMS[token.text.upper()]
    raise QuerySyntaxError("The text has no SELECT, ASK, CONSTRUCT or DESCRIBE query form.")


def expect_kind(query: str, kind: QueryKind) -> None:
    found = kind_of(query)
    if found != kind:
        raise QuerySyntaxError(f"Expected a {kind.upper()} query, got a {found.upper()} query.")


def _position(query: str, offset: int) -> str:
    line = query.count("\n", 0, offset) + 1
    column = offset - (query.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def _unescape(text: str) -> str:
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


class ServiceAllowlist:
    """IRI prefixes SERVICE may call. An entry allows an endpoint when scheme, host and port are equal and the
    endpoint's text starts with the entry: `https://query.wikidata.org/` does not allow
    `https://query.wikidata.org.evil.example/` nor `https://user@query.wikidata.org/`."""

    def __init__(self, prefixes: Sequence[str]) -> None:
        self.prefixes: list[str] = []
        for prefix in prefixes:
            parts = urlsplit(prefix)
            if parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
                raise UnusableInput(
                    f"COOPKG_SERVICE_ALLOW entry {prefix!r} is not an http(s) endpoint prefix without "
                    "credentials; write it like https://query.wikidata.org/"
                )
            self.prefixes.append(prefix)

    def allows(self, iri: str) -> bool:
        try:
            parts = urlsplit(iri)
            port = parts.port
        except ValueError:
            return False
        if "@" in parts.netloc or parts.scheme not in ("http", "https"):
            return False
        for prefix in self.prefixes:
            allowed = urlsplit(prefix)
            if (
                iri.startswith(prefix)
                and parts.scheme == allowed.scheme
                and parts.hostname == allowed.hostname
                and port == allowed.port
            ):
                return True
        return False


def inspect_query(query: str, allowlist: ServiceAllowlist, max_length: int) -> QueryInfo:
    """Refuse what must never reach the engine; describe the rest. Raises the matching CoopkgError."""
    if len(query) > max_length:
        raise QuerySyntaxError(
            f"The query has {len(query)} characters; this endpoint takes at most {max_length}."
        )
    if "\x00" in query:
        raise QuerySyntaxError("The query contains a NUL character; send it as UTF-8 text without one.")
    return _inspect(query, tuple(allowlist.prefixes))


_IRI_BRACKETS = str.maketrans("{}()[]", "______")


def _blank(match: re.Match[str]) -> str:
    # An IRI keeps its place (the word scan needs it) but not its brackets (they are not nesting).
    if match.lastgroup == "iri":
        return match.group().translate(_IRI_BRACKETS)
    return " " * len(match.group())


# The gateway and the store both inspect a request's query: the second look is a cache hit.
@lru_cache(maxsize=32)
def _inspect(query: str, allowed: tuple[str, ...]) -> QueryInfo:
    # Strings and comments become spaces of the same length (offsets stay those of the query); IRIs stay.
    # The scans below then run over this skeleton in C (regex, accumulate), not token by token in Python:
    # a query of a megabyte of VALUES is inspected in a fraction of a second.
    skeleton = _BLANKABLE.sub(_blank, query)
    brackets = [match.start() for match in _BRACKET.finditer(skeleton)]
    depths = list(accumulate(1 if skeleton[at] in "{([" else -1 for at in brackets))
    if depths and max(depths) > MAX_DEPTH:
        at = brackets[next(k for k, depth in enumerate(depths) if depth > MAX_DEPTH)]
        raise QuerySyntaxError(
            f"The query nests brackets more than {MAX_DEPTH} deep (at {_position(query, at)}); "
            "flatten the pattern."
        )
    allowlist = ServiceAllowlist(allowed)
    stream = [
        Token(match.lastgroup, query[match.start() : match.end()], match.start())
        for match in _WORD.finditer(skeleton)
        if match.lastgroup  # not white space
    ]
    form: str | None = None
    has_dataset = False
    base: str | None = None
    prefixes: dict[str, str] = {}
    services: list[str] = []
    for index, token in enumerate(stream):
        if token.kind == "backslash":
            raise QuerySyntaxError(
                f"A \\u escape outside a string or IRI (at {_position(query, token.start)}) is not "
                "supported; write the character itself."
            )
        if token.kind != "word":
            continue
        keyword = token.text.upper()
        depth = (
            depths[bisect_right(brackets, token.start) - 1] if brackets and brackets[0] < token.start else 0
        )
        if form is None and keyword in _UPDATES and depth == 0:
            raise UpdateRefused(
                f"{keyword} is a SPARQL update (at {_position(query, token.start)}); this endpoint is "
                "read-only and answers queries only (SELECT, ASK, CONSTRUCT, DESCRIBE)."
            )
        if form is None and keyword in FORMS:
            form = keyword
        elif keyword == "FROM" and depth == 0:
            has_dataset = True
        elif keyword == "BASE" and index + 1 < len(stream) and stream[index + 1].kind == "iri":
            base = urljoin(base or "", _unescape(stream[index + 1].text[1:-1]))
        elif keyword == "PREFIX" and index + 2 < len(stream):
            name, iri = stream[index + 1], stream[index + 2]
            if name.kind == "pname" and name.text.endswith(":") and iri.kind == "iri":
                prefixes[name.text[:-1]] = urljoin(base or "", _unescape(iri.text[1:-1]))
        elif keyword == "SERVICE":
            services.append(_service_endpoint(query, stream, index, base, prefixes, allowlist))
    if form is None:
        raise QuerySyntaxError(
            "The text has no SELECT, ASK, CONSTRUCT or DESCRIBE query form; send a SPARQL 1.1 query."
        )
    return QueryInfo(FORMS[form], form, has_dataset, tuple(services), prefixes)


def _service_endpoint(
    query: str,
    stream: list[Token],
    index: int,
    base: str | None,
    prefixes: dict[str, str],
    allowlist: ServiceAllowlist,
) -> str:
    where = _position(query, stream[index].start)
    following = stream[index + 1 : index + 3]
    if following and following[0].kind == "word" and following[0].text.upper() == "SILENT":
        following = following[1:]
    if not following:
        raise QuerySyntaxError(f"SERVICE at {where} names no endpoint.")
    target = following[0]
    if target.kind == "iri":
        raw = _unescape(target.text[1:-1])
        iri = urljoin(base, raw) if base else raw
    elif target.kind == "pname":
        prefix, _, local = target.text.partition(":")
        if prefix not in prefixes:
            raise QuerySyntaxError(f"SERVICE at {where}: the prefix {prefix!r} is not declared.")
        iri = prefixes[prefix] + re.sub(r"\\(.)", r"\1", _unescape(local))
    else:
        raise ServiceNotAllowed(
            f"SERVICE at {where} names its endpoint with {target.text!r}; only a fixed IRI that starts with "
            "an allowed prefix can be called (a variable is known only while the query runs)."
        )
    if not allowlist.prefixes:
        raise ServiceNotAllowed(
            f"SERVICE <{iri}> at {where}: federation is off on this endpoint (COOPKG_SERVICE_ALLOW is empty)."
        )
    if not allowlist.allows(iri):
        raise ServiceNotAllowed(
            f"SERVICE <{iri}> at {where} is not allowed; this endpoint may call only: "
            f"{', '.join(allowlist.prefixes)}"
        )
    return iri
