"""Shared by the pool and zygote tests: a started worker pool, closed however the test ends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from coopkg.store.engine import Job
from coopkg.store.pool import Launcher, WorkerPool

LOOKUP = "SELECT ?p ?o WHERE { <https://w3id.org/coopkg/id/programme/cn-dk-green-2023-2026> ?p ?o }"
# A cross product over the whole graph: runs far longer than any test's timeout.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def job(query: str, max_rows: int = 1_000_000) -> Job:
    return Job(query, "select", "text/tab-separated-values", max_rows=max_rows, union_default_graph=True)


@asynccontextmanager
async def running(launcher: Launcher, size: int) -> AsyncIterator[WorkerPool]:
    pool = WorkerPool(launcher, size)
    await pool.start()
    try:
        yield pool
    finally:
        await pool.close()
