"""Binding raw parameter values to a named query, and running it on a pyoxigraph store.

`bind()` is what the CLI and the web API share: raw text values in, validated RDF terms out (with defaults).
The embedded store takes those terms as SEP-0007 `substitutions`; a remote store puts them in a VALUES block
(`api.queries.sparql_text.inline_values`). Either way a value is a term, never query text.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from api.errors import InvalidParameter
from api.queries.registry import NamedQuery
from api.store.base import Row, SelectResult


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


def run(store: ox.Store, query: NamedQuery, values: Mapping[str, str]) -> SelectResult:
    """Run `query` with `values` on `store`, its union of graphs as the default graph.

    This blocks while pyoxigraph evaluates: async callers run it in a worker thread or process.
    """
    bindings = bind(query, values)
    solutions = store.query(
        query.text,
        substitutions={ox.Variable(name): term for name, term in bindings.items()},
        use_default_graph_as_union=True,
    )
    if not isinstance(solutions, ox.QuerySolutions):  # the registry admits only SELECT queries
        raise TypeError(f"named query {query.name!r} did not return solutions")
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
