"""The store protocol every backend implements, and the values that cross it.

Results travel as pyoxigraph terms whatever the backend (a remote endpoint's SPARQL JSON is parsed with
`pyoxigraph.parse_query_results`), so routers never depend on which store runs. Parameters are bound as RDF
terms (`bindings`), never pasted into query text: the embedded store uses pyoxigraph's `substitutions`, the
remote store a VALUES block built from escaped N-Triples terms.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import pyoxigraph as ox

from coopkg.sparql.inspection import QueryKind

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = dict[str, Term]
__all__ = ["Dataset", "QueryKind", "QueryRequest", "QueryResponse", "Row", "SelectResult", "Store", "Term"]


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset of a request (`default-graph-uri` / `named-graph-uri`, or FROM / FROM NAMED)."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryRequest:
    query: str
    bindings: Mapping[str, Term] = field(default_factory=dict)
    dataset: Dataset | None = None
    # Media type the body must be serialised in (already negotiated), e.g. application/sparql-results+json.
    media_type: str = "application/sparql-results+json"
    timeout: float | None = None  # seconds; None means the settings' default
    base_iri: str | None = None  # resolves relative IRIs in the query (the protocol: the endpoint's URL)
    # The gateway's own read (Store.select_all), never a client's: not cut at the row cap (routers: never).
    whole: bool = False


# Rows a whole read may return (a bound, not a cap: islice and the workers' counters need a number), and the
# seconds it may take (the catalogue of 10M triples is read in tens of seconds).
WHOLE_ROWS = 1 << 62
WHOLE_TIMEOUT = 300.0


@dataclass
class QueryResponse:
    kind: QueryKind
    media_type: str
    body: AsyncIterator[bytes]
    truncated: bool = False  # rows (or triples) were cut at the row limit
    # The whole body when the store already holds all of it (a small answer): routers may send it at once
    # instead of streaming `body`, which then needs no closing.
    whole: bytes | None = None


@dataclass(frozen=True)
class SelectResult:
    variables: list[str]
    rows: list[Row]
    truncated: bool = False


@runtime_checkable
class Store(Protocol):
    """What the gateway needs of a backend. Every method is safe to await from the event loop."""

    async def select(
        self, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float | None = None
    ) -> SelectResult: ...

    async def select_all(self, query: str) -> list[Row]:
        """Every row of one of the gateway's own queries (the catalogue, the search index), never cut at the
        row cap that protects clients: a SELECT without its own ORDER BY, LIMIT or OFFSET."""
        ...

    async def ask(
        self, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float | None = None
    ) -> bool: ...

    async def construct(
        self, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float | None = None
    ) -> Sequence[ox.Triple]: ...

    async def execute(self, request: QueryRequest) -> QueryResponse:
        """Run a protocol request and stream its result serialised as `request.media_type`."""
        ...

    async def quads(self) -> Sequence[ox.Quad]:
        """Every quad of the served data, named graphs kept, whatever the row limit (the downloads)."""
        ...

    async def health(self) -> bool:
        """True when the backend answers a trivial ASK."""
        ...

    @property
    def version(self) -> str:
        """An opaque string that changes whenever the served data changes (ETags, cache keys)."""
        ...

    async def aclose(self) -> None: ...
