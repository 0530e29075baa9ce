"""Just enough SPARQL lexing to bind parameters in query text for a remote store.

The embedded store binds parameters with pyoxigraph's `substitutions` (SEP-0007). A remote SPARQL 1.1
endpoint has no such API, so there the values travel in a VALUES block opened at the start of the outermost
WHERE group: the same semantics as SEP-0007's "substitution = a one-row VALUES joined first and projected".
The block is built only from the N-Triples form of validated terms (`str(term)`, which pyoxigraph escapes), so
a value can never change the query's structure. The lexer skips comments, strings and IRIs so that a `WHERE`
or a brace inside them is never mistaken for syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from api.sparql_lex import scanner

_TOKEN = scanner(
    r"""
      (?P<comment>@COMMENT@)
    | (?P<string>@STRING@)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
    | (?P<word>[A-Za-z0-9_][A-Za-z0-9_:.\-]*)
    | (?P<open>\{)
    | (?P<close>\})
    | (?P<space>\s+)
    | (?P<other>.)
    """
)
# Parameter names are ASCII SPARQL variable names (they also become URL query parameters).
VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


def tokens(query: str) -> Iterator[Token]:
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            yield Token(kind, match.group(), match.start())


def where_brace(query: str) -> int:
    """Offset of the `{` opening the outermost WHERE group; ValueError when the query has no explicit WHERE.

    The first WHERE at brace depth 0 is the outer one: sub-selects and EXISTS patterns sit inside braces.
    """
    depth = 0
    after_where = False
    for token in tokens(query):
        if after_where:
            if token.kind == "open":
                return token.start
            raise ValueError(f"WHERE must be followed by '{{' (found {token.text!r} at offset {token.start})")
        if token.kind == "open":
            depth += 1
        elif token.kind == "close":
            depth -= 1
        elif token.kind == "word" and depth == 0 and token.text.upper() == "WHERE":
            after_where = True
    raise ValueError("the query has no explicit `WHERE {` at its top level")


def variables_after(query: str, offset: int) -> set[str]:
    """Names of the variables in the query text at or after `offset` (comments and strings excluded)."""
    return {token.text[1:] for token in tokens(query) if token.kind == "var" and token.start >= offset}


def inline_values(query: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with `bindings` in a one-row VALUES block at the start of its outermost WHERE group.

    Use it only for a store that cannot take SEP-0007 substitutions; every bound variable must be projected by
    the query (as pyoxigraph's substitution requires too), so both ways give the same answers.
    """
    if not bindings:
        return query
    names = list(bindings)
    for name in names:
        if not VARIABLE_NAME.fullmatch(name):
            raise ValueError(f"not a parameter name: {name!r}")
        term = bindings[name]
        if not isinstance(term, ox.NamedNode | ox.Literal):  # blank nodes and triples cannot stand in VALUES
            raise TypeError(f"?{name} must be bound to an IRI or a literal, not {type(term).__name__}")
    brace = where_brace(query)
    variables = " ".join(f"?{name}" for name in names)
    row = " ".join(str(bindings[name]) for name in names)
    block = f"\n  VALUES ({variables}) {{ ({row}) }}"
    return query[: brace + 1] + block + query[brace + 1 :]
