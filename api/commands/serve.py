"""`coopkg serve`: uvicorn on `create_app(settings)`; every flag maps to a setting (COOPKG_* otherwise)."""

from __future__ import annotations

import logging
import signal
import tempfile
from pathlib import Path
from types import FrameType
from typing import Any

import click


@click.command(name="serve")
@click.option("--host", help="Interface to bind (COOPKG_HOST, default 127.0.0.1).")
@click.option("--port", type=int, help="TCP port (COOPKG_PORT, default 8000).")
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(path_type=Path),
    help="RDF file or directory to serve instead of the shipped graph (repeatable; COOPKG_DATA).",
)
@click.option("--workers", type=int, help="Query worker processes (COOPKG_WORKERS, default 2).")
@click.option("--store", type=click.Choice(["oxigraph", "remote"]), help="Query backend (COOPKG_STORE).")
@click.option(
    "--remote-query-url", help="SPARQL 1.1 query endpoint of the remote store (COOPKG_REMOTE_QUERY_URL)."
)
@click.option(
    "--store-dir",
    type=click.Path(path_type=Path),
    help="Directory of the on-disk store; reused when built from the same data (COOPKG_STORE_DIR).",
)
@click.option(
    "--query-timeout", type=float, help="Seconds a query may run (COOPKG_QUERY_TIMEOUT, default 10)."
)
@click.option("--max-rows", type=int, help="Rows or triples returned at most (COOPKG_MAX_ROWS).")
@click.option("--max-body", type=int, help="Bytes a request body may have (COOPKG_MAX_BODY).")
@click.option(
    "--service-allow",
    multiple=True,
    help="IRI prefix SERVICE may call (repeatable; COOPKG_SERVICE_ALLOW). Default: federation off.",
)
def command(**options: Any) -> None:
    """Serve the graph: SPARQL endpoint, linked-data API and web pages."""
    import uvicorn
    from pydantic import ValidationError

    from api.app import create_app
    from api.errors import CoopkgError
    from api.settings import Settings
    from api.store.data import build, sources_for

    overrides = {name: value for name, value in options.items() if value not in (None, ())}
    for name in ("data", "service_allow"):
        if name in overrides:
            overrides[name] = list(overrides[name])
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    with tempfile.TemporaryDirectory(prefix="coopkg-store-") as scratch:
        try:
            settings = Settings(**overrides)
            if settings.store == "oxigraph":
                # Build (or check) the on-disk store before uvicorn starts, so bad data stops `serve` with
                # one clear line (file, line, reason) instead of a failed lifespan; the app then reuses it.
                store_dir = settings.store_dir or Path(scratch) / "store"
                build(store_dir, sources_for(settings.data))
                settings = settings.model_copy(update={"store_dir": store_dir})
            app = create_app(settings)
        except ValidationError as error:
            raise click.UsageError(_explain(error)) from None
        except CoopkgError as error:
            raise click.ClickException(error.detail) from None
        # uvicorn re-raises SIGTERM into the previous handler once in-flight requests are done; the default
        # handler would end the process "killed by SIGTERM". A graceful stop is a success: exit 0.
        signal.signal(signal.SIGTERM, _exit_cleanly)
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_level="info",
            access_log=False,  # coopkg.access logs one line per query with its duration and size
            timeout_graceful_shutdown=30,
        )


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def _explain(error: Any) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in error.errors()
    )
