"""Run one query on a pyoxigraph store and serialise its result natively, cut at the row limit.

Used inside the query worker processes (`coopkg.store.worker`) and by the in-process store. Nothing here
touches
rdflib: pyoxigraph serialises every format itself. To know whether a result was cut before the first byte is
sent (the cut is signalled in a response header), at most `max_rows + 1` rows or triples are read first; they
are then serialised by pyoxigraph in the negotiated format into whatever writer the caller gives, in chunks.
SELECT rows pass through SPARQL TSV (terms in N-Triples syntax, which `str(term)` writes and pyoxigraph
parses back exactly), because pyoxigraph only serialises solutions it produced itself.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import IO

import pyoxigraph as ox

from coopkg.errors import BadGateway, CoopkgError, InvalidParameter, NotAcceptable, QuerySyntaxError
from coopkg.rdf.namespaces import readable_prefixes
from coopkg.sparql.text import inline_values
from coopkg.store.base import Dataset, QueryKind, Term

RESULTS_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to run one query (picklable: it crosses the process boundary)."""

    query: str
    kind: QueryKind
    media_type: str
    max_rows: int
    union_default_graph: bool  # False when the query has FROM / FROM NAMED or the request gives a dataset
    dataset: Dataset | None = None
    bindings: Mapping[str, Term] | None = None
    prefixes: Mapping[str, str] | None = None
    base_iri: str | None = None


@dataclass
class Prepared:
    """A result read up to the row limit, ready to be written."""

    kind: QueryKind
    truncated: bool
    write: Callable[[IO[bytes]], None]


def _query(store: ox.Store, job: Job) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    options: dict[str, object] = {"base_iri": job.base_iri}
    if job.dataset is not None:
        # The protocol's dataset replaces the query's FROM / FROM NAMED (SPARQL 1.1 Protocol §2.1.4); a
        # graph the store does not hold is simply empty: nothing is ever fetched.
        options["default_graph"] = [ox.NamedNode(iri) for iri in job.dataset.default_graphs]
        options["named_graphs"] = [ox.NamedNode(iri) for iri in job.dataset.named_graphs]
    elif job.union_default_graph:
        options["use_default_graph_as_union"] = True
    text = job.query
    if job.bindings:
        options["substitutions"] = {ox.Variable(name): term for name, term in job.bindings.items()}
        text = _with_values(job.query, job.bindings)
    try:
        return store.query(text, **options)  # type: ignore[arg-type]
    except SyntaxError as error:
        raise QuerySyntaxError(f"The query is not valid SPARQL 1.1: {error}") from None
    except ValueError as error:  # e.g. a bad dataset IRI or a substitution of an unknown variable
        raise InvalidParameter(str(error)) from None
    except OSError as error:  # a SERVICE call that failed, or the store could not be read
        raise BadGateway(f"The query could not be evaluated: {error}") from None


def _with_values(query: str, bindings: Mapping[str, Term]) -> str:
    """The query with its bindings also written as VALUES blocks (coopkg.sparql.text.inline_values).

    pyoxigraph 0.5 applies `substitutions` only after evaluating the whole pattern (~200-400 ms instead of
    1-3 ms for one programme at 1M triples); VALUES blocks are joined first. The substitutions stay as well:
    the same value joined twice changes no answer, and pyoxigraph still refuses a variable the query does not
    project. A query the blocks cannot go into (no explicit `WHERE {`, a blank node) runs as it was.
    """
    terms = {name: term for name, term in bindings.items() if isinstance(term, ox.NamedNode | ox.Literal)}
    if len(terms) != len(bindings):
        return query
    try:
        return inline_values(query, terms)
    except ValueError:
        return query


def prepare(store: ox.Store, job: Job) -> Prepared:
    """Evaluate `job` and read its result up to the row limit. Raises CoopkgError for client mistakes."""
    result = _query(store, job)
    try:
        if isinstance(result, ox.QueryBoolean):
            return _prepare_boolean(result, job)
        if isinstance(result, ox.QuerySolutions):
            return _prepare_solutions(result, job)
        return _prepare_triples(result, job)
    except OSError as error:  # evaluation is lazy: SERVICE errors can surface while iterating
        raise BadGateway(f"The query could not be evaluated: {error}") from None


def _results_format(job: Job) -> ox.QueryResultsFormat:
    fmt = RESULTS_FORMATS.get(job.media_type)
    if fmt is None:
        raise NotAcceptable(f"{job.media_type} cannot carry SELECT or ASK results.")
    return fmt


def _prepare_boolean(result: ox.QueryBoolean, job: Job) -> Prepared:
    fmt = _results_format(job)
    body = result.serialize(format=fmt) or b""

    def write(out: IO[bytes]) -> None:
        out.write(body)

    return Prepared("ask", False, write)


class _Enough(Exception):
    """Raised through pyoxigraph's serialiser to stop it once the row limit is passed."""


class _RowLimitedTsv(io.RawIOBase):
    """Receives pyoxigraph's SPARQL TSV serialisation and keeps the header and at most `limit` rows.

    One row is one line (TSV escapes line breaks in literals); seeing a line beyond the limit means the
    answer is truncated, and raising stops the evaluation there, so memory stays bounded by the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.data = bytearray()
        self.truncated = False
        self._wanted = limit + 1  # lines kept: the header and `limit` rows
        self._lines = 0

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        if self.truncated:  # the serialiser flushes its buffer once more while unwinding: already have it
            raise _Enough
        block = bytes(chunk)
        found = block.count(b"\n")
        if self._lines + found <= self._wanted:
            self.data += block
            self._lines += found
            return len(block)
        cut = -1
        for _ in range(self._wanted - self._lines):  # the end of the last line kept
            cut = block.index(b"\n", cut + 1)
        self.data += block[: cut + 1]
        self.truncated = True
        raise _Enough


def _prepare_solutions(result: ox.QuerySolutions, job: Job) -> Prepared:
    fmt = _results_format(job)
    # Rows pass through SPARQL TSV, serialised and cut at the row limit natively (no Python object per
    # term), then, for other formats, parsed back (natively) into solutions to serialise.
    rows = _RowLimitedTsv(job.max_rows)
    with contextlib.suppress(_Enough):
        result.serialize(rows, format=ox.QueryResultsFormat.TSV)  # type: ignore[arg-type]
    data = bytes(rows.data)

    def write(out: IO[bytes]) -> None:
        if fmt == ox.QueryResultsFormat.TSV:
            out.write(data)
            return
        solutions = ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV)
        solutions.serialize(out, format=fmt)

    return Prepared("select", rows.truncated, write)


def _prepare_triples(result: ox.QueryTriples, job: Job) -> Prepared:
    fmt = GRAPH_FORMATS.get(job.media_type)
    if fmt is None:
        raise NotAcceptable(f"{job.media_type} cannot carry CONSTRUCT or DESCRIBE results.")
    triples = list(islice(result, job.max_rows + 1))
    truncated = len(triples) > job.max_rows
    del triples[job.max_rows :]
    # The query's own PREFIXes, less those whose local names would need escapes (`id:programme\/…`).
    prefixes = (
        readable_prefixes(triples, job.prefixes or {})
        if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG)
        else None
    )

    def write(out: IO[bytes]) -> None:
        ox.serialize(triples, out, format=fmt, prefixes=prefixes)

    return Prepared("graph", truncated, write)


class ChunkWriter(io.RawIOBase):
    """A binary writer that hands out chunks of about `size` bytes to `emit` as serialisation proceeds."""

    def __init__(self, emit: Callable[[bytes], None], size: int = 64 * 1024) -> None:
        super().__init__()
        self._emit = emit
        self._size = size
        self._buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self._buffer += data
        if len(self._buffer) >= self._size:
            self.emit()
        return len(data)

    def flush(self) -> None:
        """Nothing: the serialiser flushes at its end, and the caller decides how the rest goes out."""

    def emit(self) -> None:
        """Hand out what is buffered as one chunk."""
        if self._buffer:
            self._emit(bytes(self._buffer))
            self._buffer.clear()

    def take(self) -> bytes:
        """What was written and not yet handed out (all of it, for an answer smaller than one chunk)."""
        data = bytes(self._buffer)
        self._buffer.clear()
        return data


def error_payload(error: CoopkgError) -> tuple[str, str]:
    """A picklable form of a domain error (class name, detail) to send across a process boundary."""
    return type(error).__name__, error.detail
