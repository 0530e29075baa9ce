"""`coopkg query NAME [--param k=v ...] [--format table|csv|json]`: run a named query on the shipped graph.

The shipped graph is loaded into an in-memory pyoxigraph store (through `coopkg.rdf.dataset`, like every
other part).
Parameters are validated before the graph is loaded, so a typo fails at once. Every expected failure (unknown
query, bad parameter, unusable data) is one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import click
import pyoxigraph as ox

from coopkg.errors import CoopkgError
from coopkg.queries.formats import to_table
from coopkg.queries.registry import NamedQuery, QueryRegistry, default_registry
from coopkg.queries.run import bind, run, run_serialised

_WRITERS = {"csv": ox.QueryResultsFormat.CSV, "json": ox.QueryResultsFormat.JSON}

USAGE_ERROR = 2


def _fail(message: str) -> None:
    click.echo(f"coopkg query: {message}", err=True)
    raise SystemExit(USAGE_ERROR)


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key:
            _fail(f"--param takes KEY=VALUE (e.g. --param sdg=http://metadata.un.org/sdg/6); got {pair!r}")
        if key in values:
            _fail(f"--param {key} is given twice")
        values[key] = value
    return values


def _describe(query: NamedQuery) -> str:
    lines = [f"{query.name}  {query.title}"]
    for param in query.params:
        default = "required" if param.default is None else f"default {param.default}"
        lines.append(f"    --param {param.name}=<{param.type_label}>  ({default}) {param.description}")
    return "\n".join(lines)


def _list(registry: QueryRegistry) -> None:
    click.echo("\n".join(_describe(query) for query in registry.values()))


@click.command(name="query")
@click.argument("name", required=False)
@click.option(
    "--param",
    "-p",
    "pairs",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter of the query (repeatable); `coopkg query --list` shows each query's parameters.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table for reading, csv for spreadsheets, json for SPARQL 1.1 JSON results.",
)
@click.option(
    "--max-width",
    type=click.IntRange(min=0),
    default=60,
    show_default=True,
    help="Cut table cells wider than this many columns (0: never). CSV and JSON are never cut.",
)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries with their parameters.")
def command(
    name: str | None, pairs: tuple[str, ...], output_format: str, max_width: int, list_queries: bool
) -> None:
    """Run the named query NAME (a file queries/NAME.rq) on the shipped graph."""
    try:
        registry = default_registry()
        if list_queries:
            _list(registry)
            return
        if name is None:
            _fail("give the NAME of a query, or --list to see them")
            return
        query = registry.get_query(name)
        values = _parse_params(pairs)
        bind(query, values)  # validate before paying for loading the graph
        store = _shipped_store()
        if output_format in _WRITERS:  # pyoxigraph's SPARQL results writer, as the gateway's
            click.echo(run_serialised(store, query, values, _WRITERS[output_format]), nl=False)
            return
        result = run(store, query, values)
    except CoopkgError as error:
        _fail(error.detail)
        return
    click.echo(to_table(result, max_width), nl=False)


def _shipped_store() -> ox.Store:
    from coopkg.rdf.dataset import load_into, shipped_graphs

    store = ox.Store()
    load_into(store, shipped_graphs())
    return store
