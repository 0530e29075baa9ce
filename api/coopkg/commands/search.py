"""`coopkg search WORDS... [filters] [--format table|json]`: the ranked bilingual search of the gateway
(`GET /api/search`), on the shipped graph or on `--data` files, from the command line.

The graph is loaded in memory and indexed through the same store protocol as the gateway's; with
`--search-dir` (COOPKG_SEARCH_DIR) the index file of that data version is reused by every later run and
by a gateway given the same directory. Unusable input is one line on stderr and exit status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from coopkg.errors import CoopkgError

if TYPE_CHECKING:
    from coopkg.search.index import SearchIndex

USAGE_ERROR = 2


def _fail(message: str) -> None:
    click.echo(f"coopkg search: {message}", err=True)
    raise SystemExit(USAGE_ERROR)


@click.command(name="search")
@click.argument("words", nargs=-1, required=True)
@click.option("--programme", help="Only in this programme (IRI or id, e.g. programme/cn-dk-green-2023-2026).")
@click.option("--area", help="Only commitments of this cooperation area (IRI or id).")
@click.option("--sdg", help="Only what is aligned to this SDG goal (6) or target (6.3).")
@click.option("--framework", help="Only commitments citing this framework (IRI or id).")
@click.option("--party", help="Only programmes of this party (IRI or id, e.g. party/china).")
@click.option("--kind", help="Only this kind: commitment, programme, section, area, agency, framework, ...")
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--per-page", type=int, default=10, show_default=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for reading, json for the JSON-LD answer of GET /api/search.",
)
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(path_type=Path),
    help="RDF file or directory to search instead of the shipped graph (repeatable; COOPKG_DATA).",
)
@click.option(
    "--search-dir",
    type=click.Path(path_type=Path),
    help="Keep the index file there and reuse it for the same data (COOPKG_SEARCH_DIR).",
)
def command(
    words: tuple[str, ...],
    programme: str | None,
    area: str | None,
    sdg: str | None,
    framework: str | None,
    party: str | None,
    kind: str | None,
    page: int,
    per_page: int,
    output_format: str,
    data: tuple[Path, ...],
    search_dir: Path | None,
) -> None:
    """Search commitments and the names of what they link to, in Chinese or English."""
    from coopkg.search.request import Filters, results_json, search_query

    try:
        query = search_query(
            " ".join(words), Filters(programme, area, sdg, framework, party, kind), page, per_page
        )
        if not query.text.strip():
            _fail("give a word to search for (Chinese or English)")
        results = _index(list(data), search_dir).search(query)
    except CoopkgError as error:
        _fail(error.detail)
        return
    if output_format == "json":
        click.echo(json.dumps(results_json(query, results), ensure_ascii=False, indent=1))
        return
    if not results.hits:
        click.echo("Nothing found.")
        return
    first = (query.page - 1) * query.per_page + 1
    note = " (no result has every word: these have some)" if results.matched == "any" else ""
    click.echo(f"{first}-{first + len(results.hits) - 1} of {results.total}{note}")
    for number, hit in enumerate(results.hits, start=first):
        click.echo(f"\n{number}. [{hit.kind}] {hit.iri}  (score {hit.score})")
        for lang, pieces in hit.snippets.items():
            text = "".join(f"[{piece}]" if matched else piece for piece, matched in pieces)
            click.echo(f"   {lang}: {text}")


def _index(data: list[Path], search_dir: Path | None) -> SearchIndex:
    from coopkg.search.local import index_for
    from coopkg.settings import Settings
    from coopkg.store.data import in_memory, sources_for

    overrides: dict[str, Any] = {"data": data} if data else {}
    settings = Settings(**overrides)
    store, version = in_memory(sources_for(settings.data))
    return index_for(store, version, search_dir or settings.search_dir)
