"""`coopkg load --to URL`: push the built dataset (every named graph) into a store's Graph Store endpoint.

Credentials come from the environment (COOPKG_REMOTE_USER, COOPKG_REMOTE_PASSWORD), never the command line,
so they stay out of shell history and process lists. Each graph is replaced with one PUT; graphs of an earlier
load that the data no longer has are deleted; the VoID graph (`id:graph/meta`) goes last, so gateways in front
of the store see the new data version only once every graph is in (docs/remote-backend.md). Exit 0 loaded, 2
unusable input or a refusing store (one line on stderr).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from coopkg.errors import CoopkgError

LOADED, UNUSABLE = 0, 2


@click.command(name="load")
@click.option(
    "--to",
    "url",
    required=True,
    help="Graph Store endpoint, e.g. http://127.0.0.1:7878/store (Oxigraph) or "
    "http://host:8890/sparql-graph-crud-auth (Virtuoso).",
)
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Data folder whose built graphs to load (default: the shipped data).",
)
def command(url: str, data_dir: Path | None) -> None:
    """Replace every named graph of the built dataset in a store, over the SPARQL 1.1 Graph Store Protocol."""
    from coopkg.rdf.dataset import shipped_graphs
    from coopkg.settings import Settings
    from coopkg.store.graph_store import GraphStore

    settings = Settings(**{})  # COOPKG_* from the environment only
    password = settings.remote_password.get_secret_value() if settings.remote_password else None
    terminal = sys.stderr.isatty()
    started = time.monotonic()

    def progress(stage: str) -> None:
        if terminal:
            click.echo(f"\r\033[K[{time.monotonic() - started:6.1f}s] {stage}", err=True, nl=False)

    try:
        store = GraphStore(url, user=settings.remote_user, password=password)
        try:
            replaced = store.replace(shipped_graphs(data_dir), progress)
        finally:
            store.close()
    except CoopkgError as error:
        if terminal:
            click.echo("", err=True)
        click.echo(f"coopkg load: {error.detail}", err=True)
        sys.exit(UNUSABLE)
    if terminal:
        click.echo("\r\033[K", err=True, nl=False)
    triples = sum(graph.triples for graph in replaced.loaded)
    click.echo(
        f"loaded {len(replaced.loaded)} graphs, {triples} triples into {store.public_url} "
        f"in {time.monotonic() - started:.1f} s"
    )
    if replaced.removed:
        click.echo(
            f"removed {len(replaced.removed)} graphs the data no longer has: {', '.join(replaced.removed)}"
        )
    for note in replaced.notes:
        click.echo(f"coopkg load: warning: {note}", err=True)
