"""The Store protocol over a pyoxigraph store in this process, for the CLI and for tests of other routers.

Queries run in a worker thread (never on the event loop) and are serialised exactly as the worker processes
do (`coopkg.store.engine`). Unlike the embedded store, a runaway query here cannot be stopped at the timeout
(a thread cannot be killed): serve the public with `EmbeddedStore` (`coopkg serve`), not with this.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import anyio
import pyoxigraph as ox

from coopkg.sparql.inspection import ServiceAllowlist, inspect_query
from coopkg.store.base import WHOLE_ROWS, QueryRequest, QueryResponse
from coopkg.store.engine import Job, prepare
from coopkg.store.results import TypedQueries

_CHUNK = 64 * 1024


class InProcessStore(TypedQueries):
    def __init__(self, store: ox.Store, *, version: str, max_rows: int = 10_000) -> None:
        self._store = store
        self._version = version
        self.max_rows = max_rows
        # The same pre-parse checks as the gateway (no SERVICE at all): this store may serve untrusted text.
        self._allowlist = ServiceAllowlist([])

    @property
    def version(self) -> str:
        return self._version

    async def execute(self, request: QueryRequest) -> QueryResponse:
        info = inspect_query(request.query, self._allowlist, max_length=10_000_000)
        job = Job(
            query=request.query,
            kind=info.kind,
            media_type=request.media_type,
            max_rows=WHOLE_ROWS if request.whole else self.max_rows,
            union_default_graph=not info.has_dataset_clause,
            dataset=request.dataset,
            bindings=dict(request.bindings),
            prefixes=info.prefixes,
            base_iri=request.base_iri,
        )

        def run() -> tuple[bool, bytes]:
            prepared = prepare(self._store, job)
            out = io.BytesIO()
            prepared.write(out)
            return prepared.truncated, out.getvalue()

        truncated, body = await anyio.to_thread.run_sync(run)
        return QueryResponse(info.kind, request.media_type, _chunks(body), truncated)

    async def quads(self) -> list[ox.Quad]:
        return await anyio.to_thread.run_sync(lambda: list(self._store.quads_for_pattern(None, None, None)))

    async def health(self) -> bool:
        return True

    async def aclose(self) -> None:
        return None


async def _chunks(body: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(body), _CHUNK):
        yield body[start : start + _CHUNK]
