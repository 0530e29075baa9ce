"""Per-client limits in front of a store whose workers are not ours (the remote backend).

The embedded store's pool applies `coopkg.store.client_budget` itself, charging the time a query held a
worker. A remote store has no pool here: each query is charged with the time the store took to answer it
(the gateway reads the whole answer before sending it on), and the client's requests in progress are capped
the same way. Fair scheduling among clients is then the remote store's business.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TypeVar

import pyoxigraph as ox

from coopkg.store.base import QueryRequest, QueryResponse, Row, SelectResult, Store, Term
from coopkg.store.client_budget import ClientLimits
from coopkg.store.fair_queue import CLIENT, REQUEST

T = TypeVar("T")


class LimitedStore:
    """`inner` with the per-client limits applied to every query (health checks are not limited)."""

    def __init__(self, inner: Store, limits: ClientLimits) -> None:
        self.inner = inner
        self.limits = limits

    async def _limited(self, call: Callable[[], Awaitable[T]]) -> T:
        client = CLIENT.get()
        ticket = self.limits.admit(client, REQUEST.get())  # 429 before the store is asked anything
        started = time.monotonic()
        try:
            return await call()
        finally:
            self.limits.charge(client, time.monotonic() - started)
            ticket.close()

    @property
    def version(self) -> str:
        return self.inner.version

    async def select(
        self, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float | None = None
    ) -> SelectResult:
        return await self._limited(lambda: self.inner.select(query, bindings, timeout=timeout))

    async def select_all(self, query: str) -> list[Row]:
        # The gateway's own reading of the graph (catalogue, search index) is no client's request.
        return await self.inner.select_all(query)

    async def ask(
        self, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float | None = None
    ) -> bool:
        return await self._limited(lambda: self.inner.ask(query, bindings, timeout=timeout))

    async def construct(
        self, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float | None = None
    ) -> Sequence[ox.Triple]:
        return await self._limited(lambda: self.inner.construct(query, bindings, timeout=timeout))

    async def execute(self, request: QueryRequest) -> QueryResponse:
        return await self._limited(lambda: self.inner.execute(request))

    async def quads(self) -> Sequence[ox.Quad]:
        return await self._limited(self.inner.quads)

    async def health(self) -> bool:
        return await self.inner.health()

    async def aclose(self) -> None:
        await self.inner.aclose()
