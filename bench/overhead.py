"""The gateway's own Python cost of one unique `/sparql` GET, without sockets or a query engine.

    .venv/bin/python bench/overhead.py [--requests 20000] [--profile]

Drives the ASGI app of `create_app(settings)` directly (no uvicorn, no loopback) with a store that answers
every query at once with a fixed 12-row SPARQL JSON body, every request distinct (a trailing `#n` comment, as
`bench/run.py --unique`), and prints the CPU microseconds per request of: a bare ASGI app (bench/ceiling.py),
the whole app, the app without the response cache, and the query inspection alone. `--profile` adds a
cProfile summary of the whole app (the functions that take the time). What it leaves out, measured by
bench/run.py instead: uvicorn's HTTP parsing and the socket syscalls (~0.03 ms per request with the bare app),
and the hop to the query worker (a send, a wake-up, a receive, pickling).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import sys
import time
import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ceiling
from coopkg.settings import Settings
from coopkg.sparql.inspection import ServiceAllowlist, inspect_query
from coopkg.store.base import QueryRequest, QueryResponse
from coopkg.store.results import TypedQueries
from coopkg.web.app import create_app

LOOKUP = "SELECT ?p ?o WHERE {{ <https://w3id.org/coopkg/id/programme/synth-fr-000001/c/{n}> ?p ?o }}\n#{n}"


class InstantStore(TypedQueries):
    """Answers every query with the same body at once: what is left is the gateway's own cost."""

    def __init__(self) -> None:
        self._allowlist = ServiceAllowlist([])

    @property
    def version(self) -> str:
        return "bench"

    async def execute(self, request: QueryRequest) -> QueryResponse:
        info = inspect_query(request.query, self._allowlist, max_length=1_000_000)  # as the real stores do
        return QueryResponse(info.kind, request.media_type, _once(ceiling.BODY), False, ceiling.BODY)

    async def health(self) -> bool:
        return True

    async def aclose(self) -> None:
        return None


async def _once(body: bytes) -> AsyncIterator[bytes]:
    yield body


def scope_for(n: int) -> dict[str, Any]:
    query = urllib.parse.urlencode({"query": LOOKUP.format(n=n)}).encode()
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/sparql",
        "raw_path": b"/sparql",
        "root_path": "",
        "query_string": query,
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"accept", b"application/sparql-results+json"),
            (b"user-agent", b"wrk"),
        ],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def drive(app: Any, requests: int, offset: int) -> float:
    """CPU seconds per request of `requests` distinct GETs through `app`."""
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    scopes = [scope_for(offset + n) for n in range(requests)]  # built outside the timed loop
    started = time.process_time()
    for scope in scopes:
        await app(scope, receive, send)
    seconds = time.process_time() - started
    if set(statuses) != {200}:
        raise SystemExit(f"unexpected statuses {sorted(set(statuses))}")
    return seconds / requests


async def main_async(args: argparse.Namespace) -> None:
    store = InstantStore()
    settings = Settings()
    app = create_app(settings, store)
    uncached = create_app(settings.model_copy(update={"cache_mb": 0}), store)
    async with app.router.lifespan_context(app), uncached.router.lifespan_context(uncached):
        await drive(app, 2000, 10**7)  # warm-up: imports, caches of routing
        await drive(uncached, 2000, 2 * 10**7)
        rows = {
            "bare ASGI app (bench/ceiling.py)": await drive(ceiling.app, args.requests, 0),
            "gateway app, response cache on (as served)": await drive(app, args.requests, 0),
            "gateway app, response cache off": await drive(uncached, args.requests, 10**6),
        }
        allow = ServiceAllowlist([])
        texts = [LOOKUP.format(n=3 * 10**6 + n) for n in range(args.requests)]
        started = time.process_time()
        for text in texts:
            inspect_query(text, allow, 1_000_000)
        rows["query inspection alone (one call)"] = (time.process_time() - started) / args.requests
        for name, seconds in rows.items():
            print(f"{name:48} {seconds * 1e6:8.1f} µs/request")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            await drive(app, args.requests, 4 * 10**6)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="tottime", help="cProfile order: tottime or cumulative")
    parser.add_argument("--top", type=int, default=25)
    asyncio.run(main_async(parser.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
