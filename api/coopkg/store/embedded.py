"""The default backend: the served data in one Oxigraph store, queried by worker processes.

Two ways to hold the data, by whether `COOPKG_STORE_DIR` is set:
- not set (the default): in memory. A zygote process loads it once and forks the `COOPKG_WORKERS` workers,
  which share its memory copy-on-write (`coopkg.store.zygote`): the fastest queries and the fastest start, at
  about 0.6 GB of memory per million triples, loaded again at every start.
- set: on disk. The data is bulk-loaded once into that directory (or reused, when it was built from the same
  data: a restart takes about a second whatever the size), and the workers open it read-only; scans are
  4-10 times slower than in memory, and memory stays small (the page cache holds what is read).
Each query runs in one worker under `COOPKG_QUERY_TIMEOUT`; results come back already serialised.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import anyio
import pyoxigraph as ox

from coopkg.rdf.dataset import GraphSource, load_into
from coopkg.settings import Settings
from coopkg.sparql.inspection import ServiceAllowlist, inspect_query
from coopkg.store.base import WHOLE_ROWS, QueryRequest, QueryResponse
from coopkg.store.client_budget import ClientLimits
from coopkg.store.data import build, identity, sources_for
from coopkg.store.engine import Job
from coopkg.store.pool import ExecLauncher, Launcher, WorkerPool
from coopkg.store.results import TypedQueries
from coopkg.store.zygote import ZygoteLauncher

HEALTH_TIMEOUT = 2.0  # seconds /ready waits for ASK {}


class EmbeddedStore(TypedQueries):
    def __init__(
        self,
        version: str,
        modified: datetime,
        pool: WorkerPool,
        settings: Settings,
        sources: Sequence[GraphSource] = (),
    ) -> None:
        self._version = version
        self._sources = list(sources)
        self._modified = modified
        self.pool = pool
        self._settings = settings
        self._allowlist = ServiceAllowlist(settings.service_allow)

    @classmethod
    async def open(cls, settings: Settings, preloaded: Launcher | None = None) -> EmbeddedStore:
        """Load (or reuse) the data and start the workers; `preloaded`: a launcher that already holds it."""
        sources = sources_for(settings.data)
        launcher: Launcher
        if settings.store_dir is not None:  # build() fingerprints the data itself: hash it once
            store_dir = settings.store_dir
            built = await anyio.to_thread.run_sync(lambda: build(store_dir, sources))
            version, modified = built.version, built.modified
            launcher = ExecLauncher(built.path)
        else:
            version, modified = await anyio.to_thread.run_sync(identity, sources)
            if preloaded is not None:
                launcher = preloaded
            else:
                zygote = ZygoteLauncher(sources)
                zygote.begin()  # on this (the event loop's) thread, which outlives the zygote
                try:
                    await anyio.to_thread.run_sync(zygote.wait_ready)
                except BaseException:
                    zygote.close()
                    raise
                launcher = zygote
        pool = WorkerPool(
            launcher,
            settings.workers,
            limits=ClientLimits(settings.client_concurrency, settings.client_budget),
            light_workers=settings.light_workers,
            light_time=settings.light_query_time,
            queue_limit=settings.queue_limit,
        )
        try:
            await pool.start()  # on failure the pool closes itself, and the launcher with it
        except BaseException:
            launcher.close()
            raise
        return cls(version, modified, pool, settings, sources)

    @property
    def version(self) -> str:
        return self._version

    @property
    def modified(self) -> datetime:
        return self._modified

    async def execute(self, request: QueryRequest) -> QueryResponse:
        info = inspect_query(request.query, self._allowlist, max_length=self._settings.max_body)
        job = Job(
            query=request.query,
            kind=info.kind,
            media_type=request.media_type,
            max_rows=WHOLE_ROWS if request.whole else self._settings.max_rows,
            union_default_graph=not info.has_dataset_clause,
            dataset=request.dataset,
            bindings=dict(request.bindings),
            prefixes=info.prefixes,
            base_iri=request.base_iri,
        )
        timeout = request.timeout or self._settings.query_timeout
        answer = await self.pool.run(job, timeout)
        # The worker's chunks; closing the stream before its end replaces that worker (coopkg.store.pool).
        return QueryResponse(info.kind, request.media_type, answer.body, answer.truncated, answer.whole)

    async def quads(self) -> list[ox.Quad]:
        # The files the workers were loaded from, loaded again in a thread: a download is rare and cached per
        # data version by the caller, and this keeps the workers free for queries.
        def read() -> list[ox.Quad]:
            store = ox.Store()
            load_into(store, self._sources)
            return list(store.quads_for_pattern(None, None, None))

        return await anyio.to_thread.run_sync(read)

    async def health(self) -> bool:
        try:
            return await self.ask("ASK {}", timeout=min(HEALTH_TIMEOUT, self._settings.query_timeout)) is True
        except Exception:
            return False

    async def aclose(self) -> None:
        await self.pool.close()
