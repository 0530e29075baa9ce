"""Binding raw parameter values to a named query, and running it on a pyoxigraph store.

`bind()` is what the CLI and the web API share: raw text values in, validated RDF terms out (with defaults).
`run()` puts those terms in a one-row VALUES block at the start of the query's WHERE group and of every
sub-select that projects them (`coopkg.sparql.text.inline_values`), the same text a remote store
receives. pyoxigraph's own `substitutions` give the same answers (tests/queries prove it for every query)
but, in pyoxigraph 0.5, bind the variable only after evaluating the whole pattern: on a 1M-triple graph the
provenance of one commitment took ~800 ms that way and ~1 ms with the VALUES block, which the planner joins
first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pyoxigraph as ox

from coopkg.errors import InvalidParameter
from coopkg.queries.registry import NamedQuery
from coopkg.sparql.text import inline_values, where_brace
from coopkg.store.base import Row, SelectResult

if TYPE_CHECKING:
    from coopkg.search.index import SearchIndex

MAX_SEARCH_HITS = 10_000  # the row limit's default: a search-backed query answers at most this many


def bind(query: NamedQuery, values: Mapping[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """Validated terms for every parameter of `query`: given values converted, defaults for the rest.

    InvalidParameter for a value of the wrong type, a missing required parameter or one the query lacks.
    """
    unknown = sorted(set(values) - {param.name for param in query.params})
    if unknown:
        known = ", ".join(param.name for param in query.params) or "none"
        raise InvalidParameter(
            f"query {query.name!r} has no parameter {', '.join(map(repr, unknown))} (its parameters: {known})"
        )
    bindings: dict[str, ox.NamedNode | ox.Literal] = {}
    for param in query.params:
        raw = values.get(param.name, param.default)
        if raw is None:
            raise InvalidParameter(
                f"query {query.name!r} needs parameter {param.name!r}: {param.description} ({param.expected})"
            )
        bindings[param.name] = param.to_term(raw)
    return bindings


def search_block(
    query: NamedQuery, bindings: Mapping[str, ox.NamedNode | ox.Literal], index: SearchIndex
) -> str:
    """For a search-backed query (`# search: TEXT [LANG]`), the commitments the index finds for the TEXT
    parameter as `VALUES (?commitment ?rank ?matchedIn) { ... }` on one line: IRIs from the index (escaped
    N-Triples terms), integers, and "zh" or "en". The text itself never enters this block."""
    text = bindings[query.search[0]].value
    lang = bindings[query.search[1]].value if len(query.search) > 1 else "any"
    fields = lang if lang in ("zh", "en") else "any"
    found = index.matching(text, "commitment", fields, MAX_SEARCH_HITS)  # type: ignore[arg-type]
    in_zh = found if fields == "zh" else {} if fields == "en" else index.matching(text, "commitment", "zh")
    rows = "".join(
        f'({ox.NamedNode(iri)} {rank} "{"zh" if iri in in_zh else "en"}") ' for iri, rank in found.items()
    )
    return f"\n  VALUES (?commitment ?rank ?matchedIn) {{ {rows}}}"


def with_search(query: NamedQuery, block: str) -> str:
    """The query's text with a search block opening its WHERE group."""
    brace = where_brace(query.text) + 1
    return query.text[:brace] + block + query.text[brace:]


def run(
    store: ox.Store, query: NamedQuery, values: Mapping[str, str], index: SearchIndex | None = None
) -> SelectResult:
    """Run `query` with `values` on `store`, its union of graphs as the default graph. A search-backed query
    asks `index` (by default the index of `store`, built on first use: coopkg.search.local).

    This blocks while pyoxigraph evaluates: async callers run it in a worker thread or process.
    """
    solutions = _solutions(store, query, values, index)
    variables = [variable.value for variable in solutions.variables]
    rows: list[Row] = []
    for solution in solutions:
        row: Row = {}
        for name in variables:
            term = solution[name]
            if term is not None:
                row[name] = term
        rows.append(row)
    return SelectResult(variables, rows)


def run_serialised(
    store: ox.Store, query: NamedQuery, values: Mapping[str, str], results_format: ox.QueryResultsFormat
) -> bytes:
    """`run`, written by pyoxigraph's SPARQL results writer (JSON, CSV, ...), as the gateway writes them."""
    written = _solutions(store, query, values).serialize(format=results_format)
    assert written is not None  # serialize returns bytes when given no output
    return written


def _solutions(
    store: ox.Store, query: NamedQuery, values: Mapping[str, str], index: SearchIndex | None = None
) -> ox.QuerySolutions:
    bindings = bind(query, values)
    text = query.text
    if query.search:
        if index is None:
            from coopkg.search.local import index_for

            index = index_for(store)
        text = with_search(query, search_block(query, bindings, index))
    text = inline_values(text, bindings)
    solutions = store.query(text, use_default_graph_as_union=True)
    if not isinstance(solutions, ox.QuerySolutions):  # the registry admits only SELECT queries
        raise TypeError(f"named query {query.name!r} did not return solutions")
    return solutions
