"""The shipped graph in an in-memory pyoxigraph store, behind the gateway's Store protocol (built once)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

import pyoxigraph as ox
import pytest

from api.store.base import QueryRequest, QueryResponse, Row, SelectResult, Term


class MemoryStore:
    """Just enough of the Store protocol for the linked-data layer: select and construct, in a thread."""

    def __init__(self, store: ox.Store, version: str = "test") -> None:
        self._store = store
        self._version = version

    def _query(self, query: str) -> ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean:
        return self._store.query(query, use_default_graph_as_union=True)

    async def select(
        self, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float | None = None
    ) -> SelectResult:
        assert not bindings, "the linked-data layer binds values in the query text (VALUES), never here"

        def run() -> SelectResult:
            solutions = self._query(query)
            assert isinstance(solutions, ox.QuerySolutions)
            names = [variable.value for variable in solutions.variables]
            rows: list[Row] = []
            for solution in solutions:
                rows.append({name: solution[name] for name in names if solution[name] is not None})
            return SelectResult(names, rows)

        return await asyncio.to_thread(run)

    async def ask(
        self, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float | None = None
    ) -> bool:
        return bool(await asyncio.to_thread(self._query, query))

    async def construct(
        self, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float | None = None
    ) -> Sequence[ox.Triple]:
        assert not bindings
        return await asyncio.to_thread(lambda: list(self._query(query)))  # type: ignore[arg-type]

    async def execute(self, request: QueryRequest) -> QueryResponse:
        raise NotImplementedError(
            "protocol requests are the gateway's; the linked-data layer never makes them"
        )

    async def health(self) -> bool:
        return True

    @property
    def version(self) -> str:
        return self._version

    async def aclose(self) -> None:
        return None


@pytest.fixture(scope="session")
def memory_store(shipped_store: ox.Store) -> MemoryStore:
    return MemoryStore(shipped_store)
