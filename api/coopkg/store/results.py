"""Turning serialised results back into pyoxigraph terms, for the typed Store methods (select/ask/construct).

The embedded store's workers answer in bytes; the typed methods ask for line formats pyoxigraph parses
natively (SPARQL TSV, N-Triples, SPARQL JSON for booleans) and parse them here, off the event loop.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Mapping, Sequence

import anyio
import pyoxigraph as ox

from coopkg.errors import BadGateway
from coopkg.sparql.inspection import QueryKind, expect_kind
from coopkg.store.base import WHOLE_TIMEOUT, QueryRequest, QueryResponse, Row, SelectResult, Term

TSV = "text/tab-separated-values"
N_TRIPLES = "application/n-triples"
RESULTS_JSON = "application/sparql-results+json"
RESULTS_XML = "application/sparql-results+xml"
TRANSFER_FORMAT: dict[QueryKind, str] = {"select": TSV, "ask": RESULTS_JSON, "graph": N_TRIPLES}
# Answers up to this size are parsed on the event loop (well under a millisecond); bigger ones in a thread.
INLINE_PARSE = 64 * 1024


async def read_all(body: AsyncIterator[bytes]) -> bytes:
    parts = [chunk async for chunk in body]
    return b"".join(parts)


def parse_select(data: bytes, truncated: bool) -> SelectResult:
    solutions = ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV)
    if not isinstance(solutions, ox.QuerySolutions):
        raise BadGateway("The store answered a SELECT query with a boolean.")
    names = [variable.value for variable in solutions.variables]
    rows: list[Row] = []
    for solution in solutions:
        row: Row = {}
        for name, term in zip(names, solution, strict=True):
            if term is not None:
                row[name] = term
        rows.append(row)
    return SelectResult(names, rows, truncated)


def parse_boolean(data: bytes) -> bool:
    answer = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    if not isinstance(answer, ox.QueryBoolean):
        raise BadGateway("The store answered an ASK query with solutions.")
    return bool(answer)


def parse_triples(data: bytes) -> list[ox.Triple]:
    return [quad.triple for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]


def as_bindings(bindings: Mapping[str, Term] | None) -> dict[str, Term]:
    return dict(bindings or {})


class TypedQueries(ABC):
    """select / ask / construct on top of a store's `execute`, for stores that answer in bytes."""

    @abstractmethod
    async def execute(self, request: QueryRequest) -> QueryResponse:
        """Run a protocol request (each concrete store answers it its own way)."""

    async def _typed(
        self, query: str, bindings: Mapping[str, Term] | None, timeout: float | None, kind: QueryKind
    ) -> tuple[bytes, bool]:
        expect_kind(query, kind)
        request = QueryRequest(query, as_bindings(bindings), None, TRANSFER_FORMAT[kind], timeout)
        response = await self.execute(request)
        if response.whole is not None:
            return response.whole, response.truncated
        return await read_all(response.body), response.truncated

    async def select(
        self, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float | None = None
    ) -> SelectResult:
        data, truncated = await self._typed(query, bindings, timeout, "select")
        if len(data) <= INLINE_PARSE:
            return parse_select(data, truncated)
        return await anyio.to_thread.run_sync(parse_select, data, truncated)

    async def select_all(self, query: str) -> list[Row]:
        """One read without the row cap (`QueryRequest.whole`): ordered pages would run the whole query again
        for every page (the catalogue of 10M triples took more than 6 minutes that way in Oxigraph)."""
        expect_kind(query, "select")
        request = QueryRequest(query, {}, None, TSV, WHOLE_TIMEOUT, whole=True)
        response = await self.execute(request)
        data = response.whole if response.whole is not None else await read_all(response.body)
        if response.truncated:
            raise BadGateway("The store cut an answer the gateway needs whole.")
        if len(data) <= INLINE_PARSE:
            return parse_select(data, False).rows
        return (await anyio.to_thread.run_sync(parse_select, data, False)).rows

    async def ask(
        self, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float | None = None
    ) -> bool:
        data, _ = await self._typed(query, bindings, timeout, "ask")
        return parse_boolean(data)

    async def construct(
        self, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float | None = None
    ) -> Sequence[ox.Triple]:
        data, _ = await self._typed(query, bindings, timeout, "graph")
        if len(data) <= INLINE_PARSE:
            return parse_triples(data)
        return await anyio.to_thread.run_sync(parse_triples, data)
