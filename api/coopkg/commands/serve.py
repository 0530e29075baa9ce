"""`coopkg serve`: uvicorn on `create_app(settings)`; every flag maps to a setting (COOPKG_* otherwise)."""

from __future__ import annotations

import contextlib
import gc
import logging
import signal
import tempfile
import threading
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
    help="Keep the data in an on-disk store there, reused when built from the same data (COOPKG_STORE_DIR); "
    "default: in memory.",
)
@click.option(
    "--query-timeout", type=float, help="Seconds a query may run (COOPKG_QUERY_TIMEOUT, default 10)."
)
@click.option("--max-rows", type=int, help="Rows or triples returned at most (COOPKG_MAX_ROWS).")
@click.option("--max-body", type=int, help="Bytes a query request body may have (COOPKG_MAX_BODY).")
@click.option("--max-upload", type=int, help="Bytes an upload to /validate may have (COOPKG_MAX_UPLOAD).")
@click.option(
    "--validate-timeout",
    type=float,
    help="Seconds one validation may run (COOPKG_VALIDATE_TIMEOUT, default 300).",
)
@click.option(
    "--service-allow",
    multiple=True,
    help="IRI prefix SERVICE may call (repeatable; COOPKG_SERVICE_ALLOW). Default: federation off.",
)
def command(**options: Any) -> None:
    """Serve the graph: SPARQL endpoint, linked-data API and web pages."""
    import uvicorn
    from pydantic import ValidationError

    from coopkg.errors import CoopkgError
    from coopkg.search.analysis import warm_up
    from coopkg.settings import Settings
    from coopkg.store.data import build, sources_for
    from coopkg.store.zygote import ZygoteLauncher
    from coopkg.web.app import create_app

    overrides = {name: value for name, value in options.items() if value not in (None, ())}
    for name in ("data", "service_allow"):
        if name in overrides:
            overrides[name] = list(overrides[name])
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    preloaded: ZygoteLauncher | None = None
    scratch = contextlib.ExitStack()  # a temporary store directory, when the data will not fit in memory
    # jieba's dictionary loads (~0.3 s) in this process while the zygote loads the data in its own, so the
    # search index, built as soon as the data is there, does not wait for it (docs/search.md).
    threading.Thread(target=warm_up, name="coopkg-search-warm-up", daemon=True).start()
    try:
        settings = Settings(**overrides)
        # Load the data (in memory) or build the on-disk store before uvicorn starts, so bad data stops
        # `serve` with one clear line (file, line, reason) instead of a failed lifespan; the app takes over.
        if settings.store == "oxigraph":
            sources = sources_for(settings.data)
            if settings.store_dir is None and not _fits_in_memory(settings, sources):
                directory = scratch.enter_context(tempfile.TemporaryDirectory(prefix="coopkg-store-"))
                settings = settings.model_copy(update={"store_dir": Path(directory) / "store"})
            if settings.store_dir is None:
                preloaded = ZygoteLauncher(sources)
                preloaded.start()  # from the main thread: the zygote lives as long as this process
            else:
                build(settings.store_dir, sources)
        app = create_app(settings, preloaded=preloaded)
    except ValidationError as error:
        scratch.close()
        raise click.UsageError(_explain(error)) from None
    except CoopkgError as error:
        scratch.close()
        raise click.ClickException(error.detail) from None
    # uvicorn re-raises SIGTERM into the previous handler once in-flight requests are done; the default
    # handler would end the process "killed by SIGTERM". A graceful stop is a success: exit 0.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    # Everything imported and built so far lives as long as the server: leave it out of the cycle collector,
    # whose full collections would otherwise walk it all again, a pause of tens of ms every so often (p99).
    gc.collect()
    gc.freeze()
    try:
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_level="info",
            access_log=False,  # coopkg.access logs one line per query with its duration and size
            # The client's address decides its limits: X-Forwarded-For is believed only from the proxies in
            # COOPKG_TRUSTED_PROXIES (coopkg.web.client_address), never from uvicorn's default 127.0.0.1.
            proxy_headers=False,
            timeout_graceful_shutdown=30,
        )
    finally:
        if preloaded is not None:
            preloaded.close()  # when the app never started (port in use...), nobody else will
        scratch.close()


def _fits_in_memory(settings: Any, sources: Any) -> bool:
    """Whether the data may be held in memory (COOPKG_MEMORY_MB, or 3/4 of the memory available now)."""
    from coopkg.store.data import memory_available, memory_needed

    needed = memory_needed(sources)
    available = memory_available()
    allowed = settings.memory_mb << 20 if settings.memory_mb is not None else None
    if allowed is None and available is not None:
        allowed = available * 3 // 4
    if allowed is None or needed <= allowed:
        return True
    logging.getLogger("coopkg.workers").warning(
        "the data would take about %d MB in memory, more than the %d MB allowed (COOPKG_MEMORY_MB, default "
        "3/4 of the available memory): serving it from an on-disk store in a temporary directory instead "
        "(set COOPKG_STORE_DIR to keep that store across restarts)",
        needed >> 20,
        allowed >> 20,
    )
    return False


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def _explain(error: Any) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in error.errors()
    )
