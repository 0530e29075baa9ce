"""Binding parameters in query text: a one-row VALUES block per bound group, for any SPARQL store.

pyoxigraph's `substitutions` (SEP-0007) and a remote SPARQL 1.1 endpoint both can evaluate the same text: the
values travel in a VALUES block opened at the start of the outermost WHERE group, the same semantics as
SEP-0007's "substitution = a one-row VALUES joined first and projected", and, where
api/coopkg/sparql/pushdown.py
shows it keeps the answers, at the start of the sub-selects that project the parameter too (so that a
sub-select about one programme does not first aggregate all of them). The block is built only from the
N-Triples form of validated terms (`str(term)`, which pyoxigraph escapes), so a value can never change the
query's structure. The lexer (api/coopkg/sparql/lexer.py) skips comments, strings, IRIs and prefixed names
so that a `WHERE` or a brace inside them is never mistaken for syntax.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from coopkg.sparql.lexer import Token, tokens
from coopkg.sparql.pushdown import pushdown_groups

__all__ = [
    "VARIABLE_NAME",
    "Token",
    "inline_values",
    "opening_values",
    "tokens",
    "variables_after",
    "where_brace",
]

# Parameter names are ASCII SPARQL variable names (they also become URL query parameters).
VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


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


def inline_values(
    query: str, bindings: Mapping[str, ox.NamedNode | ox.Literal], *, sub_selects: bool = True
) -> str:
    """The query with `bindings` in a one-row VALUES block at the start of its outermost WHERE group.

    Every sub-select that may take it (api/coopkg/sparql/pushdown.py) opens with the block of the
    parameters it
    projects as well; `sub_selects=False` leaves them alone (benchmarks compare both). Every bound variable
    must be projected by the query (as pyoxigraph's substitution requires too), so that this and
    `substitutions` give the same answers.
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
    blocks = [(brace, names)]
    if sub_selects:
        blocks += pushdown_groups(query, brace, names)
    pieces: list[str] = []
    done = 0
    for offset, chosen in sorted(blocks):
        pieces += [query[done : offset + 1], _values_block(chosen, bindings)]
        done = offset + 1
    pieces.append(query[done:])
    return "".join(pieces)


def _values_block(names: list[str], bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    variables = " ".join(f"?{name}" for name in names)
    row = " ".join(str(bindings[name]) for name in names)
    return f"\n  VALUES ({variables}) {{ ({row}) }}"


def opening_values(query: str, name: str, iris: Sequence[str]) -> str:
    """`query` with `VALUES ?name { <iri> ... }` opening its outermost WHERE group (IRIs as N-Triples).

    Opening the group, where Oxigraph uses it to start from those IRIs (a closing block is joined only after
    the whole group is evaluated: a search query took 3.3 s per group of 64 programmes at 1M triples instead
    of 0.04 s). Virtuoso 7.2.5 ignores such a block when a UNION follows it directly (every row comes back),
    so no query given here may open its group with a UNION (docs/search.md).
    """
    if not VARIABLE_NAME.fullmatch(name):
        raise ValueError(f"not a variable name: {name!r}")
    opening = where_brace(query) + 1
    block = f"VALUES ?{name} {{ " + " ".join(str(ox.NamedNode(iri)) for iri in iris) + " }"
    return f"{query[:opening]} {block}\n{query[opening:]}"
