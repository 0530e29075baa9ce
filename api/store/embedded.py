"""The default backend: the served data in one on-disk Oxigraph store, queried by worker processes.

At start-up the data is bulk-loaded once into `COOPKG_STORE_DIR` (or a temporary directory), unless that
directory already holds a store built from the same data; then `COOPKG_WORKERS` processes open it read-only.
Each query runs in one worker under `COOPKG_QUERY_TIMEOUT`; results come back already serialised.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from pathlib import Path

import anyio

from api.settings import Settings
from api.store.base import QueryRequest, QueryResponse
from api.store.data import BuiltStore, build, sources_for
from api.store.engine import Job
from api.store.guard import ServiceAllowlist, inspect_query
from api.store.pool import ExecLauncher, WorkerPool
from api.store.results import TypedQueries

HEALTH_TIMEOUT = 2.0  # seconds /ready waits for ASK {}


class EmbeddedStore(TypedQueries):
    def __init__(
        self, built: BuiltStore, pool: WorkerPool, settings: Settings, temporary: Path | None
    ) -> None:
        self._built = built
        self.pool = pool
        self._settings = settings
        self._temporary = temporary
        self._allowlist = ServiceAllowlist(settings.service_allow)

    @classmethod
    async def open(cls, settings: Settings) -> EmbeddedStore:
        temporary = None
        if settings.store_dir is None:
            temporary = Path(tempfile.mkdtemp(prefix="coopkg-store-"))
        store_dir = settings.store_dir or temporary
        assert store_dir is not None
        try:
            built = await anyio.to_thread.run_sync(lambda: build(store_dir, sources_for(settings.data)))
            pool = WorkerPool(ExecLauncher(built.path), settings.workers)
            await pool.start()
        except BaseException:
            if temporary is not None:
                shutil.rmtree(temporary, ignore_errors=True)
            raise
        return cls(built, pool, settings, temporary)

    @property
    def version(self) -> str:
        return self._built.version

    @property
    def modified(self) -> datetime:
        return self._built.modified

    async def execute(self, request: QueryRequest) -> QueryResponse:
        info = inspect_query(request.query, self._allowlist, max_length=self._settings.max_body)
        job = Job(
            query=request.query,
            kind=info.kind,
            media_type=request.media_type,
            max_rows=self._settings.max_rows,
            union_default_graph=not info.has_dataset_clause,
            dataset=request.dataset,
            bindings=dict(request.bindings),
            prefixes=info.prefixes,
            base_iri=request.base_iri,
        )
        timeout = request.timeout or self._settings.query_timeout
        answer = await self.pool.run(job, timeout)
        # The worker's chunks; closing the stream before its end replaces that worker (api.store.pool).
        return QueryResponse(info.kind, request.media_type, answer.body, answer.truncated, answer.whole)

    async def health(self) -> bool:
        try:
            return await self.ask("ASK {}", timeout=min(HEALTH_TIMEOUT, self._settings.query_timeout)) is True
        except Exception:
            return False

    async def aclose(self) -> None:
        await self.pool.close()
        if self._temporary is not None:
            await anyio.to_thread.run_sync(lambda: shutil.rmtree(self._temporary or "", ignore_errors=True))
