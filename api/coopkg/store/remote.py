"""A remote SPARQL 1.1 endpoint (Oxigraph server, Fuseki, Virtuoso, GraphDB, QLever) as the gateway's store.

Many stateless gateway workers can stand in front of one real triplestore: this backend holds no data, only
kept-alive connections to the store (`remote_http`), so every call is a coroutine and nothing blocks
the event loop (parsing and re-serialising a big answer runs in a worker thread).

Transfer formats. Whatever the client negotiated, the store is asked for a line-oriented format: SELECT as
SPARQL TSV (one solution per line, terms in N-Triples syntax), CONSTRUCT/DESCRIBE as N-Triples (one triple per
line), ASK as SPARQL JSON. Lines can be counted while they arrive, so the row limit is exact for every output
format: at `max_rows` + 1 rows the connection is closed (the store stops sending) and the answer is flagged
`truncated`. The kept rows are then serialised by pyoxigraph into the negotiated format, the same serialiser
the embedded backend uses, so both backends answer byte for byte alike. Reading up to the limit before the
first byte goes out is what lets the truncation be signalled in a header, and lets every store failure become
a clean 502/503 instead of a body broken midway.

Deadlines. Each request runs under `anyio.fail_after(timeout)`: at the deadline the request is abandoned and
its connection closed, the client gets QueryTimeout. The store keeps computing unless it enforces its own
timeout (docs/remote-backend.md says how to set one).

Errors name the store's URL (without credentials) and nothing else internal: refused, reset or unresolvable
connections are StoreUnavailable (503), a store that breaks the protocol or answers 5xx is BadGateway
(502, or 503 when the store itself says 503), and a 400 for a malformed query is QuerySyntaxError with the
store's own message.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar, TypeVarTuple
from urllib.parse import urlsplit, urlunsplit

import anyio
import pyoxigraph as ox

from coopkg import __version__
from coopkg.errors import (
    BadGateway,
    BadRequest,
    CoopkgError,
    InvalidParameter,
    NotAcceptable,
    QuerySyntaxError,
    QueryTimeout,
    StoreUnavailable,
    UnusableInput,
)
from coopkg.rdf.dataset import GRAPH_META
from coopkg.rdf.namespaces import readable_prefixes
from coopkg.sparql.inspection import ServiceAllowlist, expect_kind, inspect_query
from coopkg.sparql.lexer import tokens
from coopkg.sparql.text import inline_values
from coopkg.store.base import (
    WHOLE_ROWS,
    WHOLE_TIMEOUT,
    Dataset,
    QueryKind,
    QueryRequest,
    QueryResponse,
    Row,
    SelectResult,
    Term,
)
from coopkg.store.engine import GRAPH_FORMATS, RESULTS_FORMATS
from coopkg.store.remote_engines import (
    ACCEPTED_AS,
    ENGINES,
    Engine,
    EngineName,
    classify_error,
    detect,
    is_cut_by_store,
    is_partial_answer,
)
from coopkg.store.remote_http import (
    ConnectionBroke,
    ProtocolViolation,
    StoreConnection,
    StoreResponse,
    StoreUnreachable,
)
from coopkg.store.remote_json import (
    FAST_BODY_LIMIT,
    MalformedResults,
    SelectJsonReader,
    ask_document,
    standard_document,
)
from coopkg.store.remote_xml import XmlResultsBody
from coopkg.store.results import INLINE_PARSE, N_TRIPLES, RESULTS_JSON, RESULTS_XML, TSV

if TYPE_CHECKING:
    from coopkg.settings import Settings

Arguments = TypeVarTuple("Arguments")
Result = TypeVar("Result")
__all__ = ["N_TRIPLES", "RESULTS_JSON", "TSV", "RemoteStore", "public_url"]
# The VoID description changes with every rebuild (triple counts per graph): a cheap fingerprint of the data.
_FINGERPRINT_QUERY = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH_META}> {{ ?s ?p ?o }} }}"
_FINGERPRINT_LIMIT = 100_000  # triples of the VoID description read at most (it has a few dozen)
_HEALTH_QUERY = "ASK {}"
# Every quad: the named graphs, and what the default graph holds beyond them (nothing on a store that serves
# their union as the default graph, as the gateway's contract says; a store's own default graph otherwise).
_QUADS_QUERY = (
    "SELECT ?s ?p ?o ?g WHERE { { GRAPH ?g { ?s ?p ?o } } "
    "UNION { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?any { ?s ?p ?o } } } }"
)
_ERROR_BODY_LIMIT = 2_000  # characters of a store's error message passed on to the client
_ASK_BODY_LIMIT = 64_000  # an ASK answer is a few dozen bytes; more is not an ASK answer
_CHUNK = 64 * 1024  # bytes per chunk of the streamed response body
_INLINE_QUERY = 4096  # characters of a query lexed on the event loop (as the SPARQL router does)
_ABSOLUTE = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]*:")  # an IRI token with a scheme


def _has_relative_iri(query: str) -> bool:
    # Every IRI token starts with `<`: when each `<` of the text opens `<scheme:`, none is relative, and the
    # query need not be lexed (a regex count in C instead of a token loop in Python, on every request).
    if query.count("<") == len(_ABSOLUTE.findall(query)):
        return False
    return any(t.kind == "iri" and not _ABSOLUTE.match(t.text) for t in tokens(query))


def _with_base(query: str, base_iri: str | None) -> str:
    """The query with `BASE <base_iri>` in front when it has relative IRIs: the protocol resolves them against
    the endpoint's URL, which the store does not know (its own URL would be used). Queries without relative
    IRIs go unchanged, so the store's error positions stay right for them. A BASE of the query's own is then
    resolved against this one, as nested BASEs are.
    """
    if base_iri is None or not _has_relative_iri(query):
        return query
    try:
        base = str(ox.NamedNode(base_iri))
    except ValueError:
        raise BadRequest(f"The endpoint URL {base_iri!r} cannot serve as the base IRI.") from None
    return f"BASE {base}\n{query}"


def public_url(url: str) -> str:
    """The URL without user name and password: what error messages and logs may show."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc = f"{netloc}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


@dataclass(frozen=True)
class _Fetched:
    """What came back from the store, cut at the row limit: the lines of a TSV / N-Triples body, a
    standard SPARQL JSON document (SELECT from a JSON store, every ASK) normalised by `remote_json`, or a
    SPARQL XML document (a whole read from a store that writes XML faster; `remote_xml`)."""

    lines: list[str]
    truncated: bool
    document: bytes | None = None
    # The solutions already in the client's format (remote_json.standard_document), when it made them.
    answer: bytes | None = None
    xml: bytes | None = None

    @property
    def format_name(self) -> str:
        return "XML" if self.xml is not None else "JSON" if self.document is not None else "TSV"


class RemoteStore:
    """The Store protocol (api/coopkg/store/base.py) over the SPARQL 1.1 Protocol."""

    def __init__(
        self,
        query_url: str,
        *,
        timeout: float,
        max_rows: int,
        health_timeout: float = 2.0,
        service_allow: Sequence[str] = (),
        max_query_length: int = 1_000_000,
        engine: EngineName | None = None,
        version_interval: float = 5.0,
    ) -> None:
        parts = urlsplit(query_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UnusableInput(
                f"COOPKG_REMOTE_QUERY_URL={public_url(query_url)!r} is not an http(s) URL; set it to the "
                "store's SPARQL query endpoint, e.g. http://127.0.0.1:7878/query (Oxigraph) or "
                "http://host:3030/ds/sparql (Fuseki)."
            )
        self.query_url = query_url
        self.public_url = public_url(query_url)
        self.timeout = timeout
        self.max_rows = max_rows
        self.health_timeout = min(health_timeout, timeout)
        # Replicas: every gateway re-reads the data fingerprint at most this often while it serves queries,
        # so all of them notice a reload of the store (and drop their caches) within this many seconds.
        self.version_interval = version_interval
        self._version_read_at = -float("inf")
        # The gateway's own guard, again here: no update and no SERVICE beyond the allowlist ever leaves.
        self._allowlist = ServiceAllowlist(list(service_allow))
        self.max_query_length = max_query_length
        self._connection = StoreConnection(query_url, user_agent=f"coopkg/{__version__}")
        # Until the store is reached, a per-process token: ETags then change at least with every restart.
        self._version = f"remote-{uuid.uuid4().hex}"
        # The engine decides the transfer formats (remote_engines); None: recognised on first contact.
        self._fixed_engine = engine is not None
        self._engine: Engine | None = None if engine is None else ENGINES[engine]

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteStore:
        if not settings.remote_query_url:
            raise UnusableInput(
                "COOPKG_STORE=remote needs COOPKG_REMOTE_QUERY_URL, the SPARQL query endpoint of the store "
                "(e.g. http://127.0.0.1:7878/query)."
            )
        return cls(
            settings.remote_query_url,
            timeout=settings.query_timeout,
            max_rows=settings.max_rows,
            service_allow=settings.service_allow,
            max_query_length=settings.max_body,
            engine=None if settings.remote_profile == "auto" else settings.remote_profile,
        )

    @property
    def engine(self) -> Engine | None:
        """The store's engine, once recognised (or as set by COOPKG_REMOTE_PROFILE)."""
        return self._engine

    # -- the Store protocol ------------------------------------------------------------------------------

    @property
    def version(self) -> str:
        return self._version

    async def select(
        self, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float | None = None
    ) -> SelectResult:
        text = self._bind(query, bindings)
        expect_kind(text, "select")
        await self._refresh_version()
        fetched = await self._fetch(text, None, "select", timeout)
        variables, rows = await _off_loop_if_big(_size(fetched), _parse_rows, fetched, self.public_url)
        return SelectResult(variables, rows, fetched.truncated)

    async def select_all(self, query: str) -> list[Row]:
        """One request, read to its end: ordered pages would fail on Virtuoso past 10 000 rows (its
        `MaxSortedTopRows`), and one answer of a few MB is what the store serves fastest."""
        expect_kind(query, "select")
        await self._refresh_version()
        fetched = await self._fetch(
            query, None, "select", max(self.timeout, WHOLE_TIMEOUT), WHOLE_ROWS, whole=True
        )
        if fetched.truncated:
            raise BadGateway(
                f"The SPARQL store {self.public_url} cut an answer the gateway needs whole at its own row "
                "limit; raise that limit (Virtuoso: ResultSetMaxRows in the [SPARQL] section of "
                "virtuoso.ini, docs/remote-backend.md)."
            )
        _, rows = await anyio.to_thread.run_sync(_parse_rows, fetched, self.public_url)
        return rows

    async def ask(
        self, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float | None = None
    ) -> bool:
        text = self._bind(query, bindings)
        expect_kind(text, "ask")
        await self._refresh_version()
        fetched = await self._fetch(text, None, "ask", timeout)
        return _parse_boolean(_ask_body(fetched), self.public_url)

    async def construct(
        self, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float | None = None
    ) -> Sequence[ox.Triple]:
        text = self._bind(query, bindings)
        expect_kind(text, "graph")
        await self._refresh_version()
        fetched = await self._fetch(text, None, "graph", timeout)
        return await _off_loop_if_big(_size(fetched), _parse_triples, fetched.lines, self.public_url)

    async def execute(self, request: QueryRequest) -> QueryResponse:
        await self._refresh_version()
        # Lexing a long query takes a while: in a thread, like the gateway's router does; a short one here
        # (a hop to a thread and back costs more than lexing it).
        if len(request.query) <= _INLINE_QUERY:
            info = inspect_query(request.query, self._allowlist, self.max_query_length)
        else:
            info = await anyio.to_thread.run_sync(
                inspect_query, request.query, self._allowlist, self.max_query_length
            )
        serialise = _serialiser(info.kind, request.media_type, info.prefixes)
        text = _with_base(self._bind(request.query, request.bindings), request.base_iri)
        fetched = await self._fetch(
            text, request.dataset, info.kind, request.timeout, answer_format=serialise.results_format
        )
        if fetched.answer is not None:
            body = fetched.answer
        else:
            body = await _off_loop_if_big(_size(fetched), serialise, fetched, self.public_url)
        # An answer of one chunk is sent at once, without the streaming machinery (a bigger one in chunks).
        whole = body if len(body) <= _CHUNK else None
        return QueryResponse(info.kind, request.media_type, _chunks(body), fetched.truncated, whole=whole)

    async def quads(self) -> list[ox.Quad]:
        fetched = await self._fetch(_QUADS_QUERY, None, "select", WHOLE_TIMEOUT, WHOLE_ROWS, whole=True)
        return await anyio.to_thread.run_sync(_parse_quads, fetched, self.public_url)

    async def health(self) -> bool:
        """True when the store answers `ASK {}` within the health timeout; refreshes the data fingerprint."""
        try:
            await self._fetch(_HEALTH_QUERY, None, "ask", self.health_timeout)
            await self._read_version()
        except CoopkgError:
            return False
        return True

    async def _read_version(self) -> None:
        self._version_read_at = anyio.current_time()
        fetched = await self._fetch(
            _FINGERPRINT_QUERY, None, "graph", self.health_timeout, _FINGERPRINT_LIMIT
        )
        triples = await anyio.to_thread.run_sync(_parse_triples, fetched.lines, self.public_url)
        if triples:
            self._version = "remote-" + _fingerprint(triples)

    async def _refresh_version(self) -> None:
        """Re-read the fingerprint when it is older than `version_interval` (one request does it; a failure
        leaves the old one: the query that follows reports the store's state)."""
        if anyio.current_time() - self._version_read_at <= self.version_interval:  # inf: never
            return
        try:
            await self._read_version()
        except CoopkgError:
            return

    async def aclose(self) -> None:
        await self._connection.aclose()

    # -- the protocol exchange ---------------------------------------------------------------------------

    def _bind(self, query: str, bindings: Mapping[str, Term] | None) -> str:
        if not bindings:
            return query
        terms: dict[str, ox.NamedNode | ox.Literal] = {}
        for name, term in bindings.items():
            if not isinstance(term, ox.NamedNode | ox.Literal):
                raise InvalidParameter(f"?{name} must be an IRI or a literal, not a {type(term).__name__}.")
            terms[name] = term
        try:
            return inline_values(query, terms)
        except ValueError as error:  # a bad parameter name, or a query without `WHERE {` to bind into
            raise InvalidParameter(f"Cannot bind parameters into the query: {error}.") from error

    async def _fetch(
        self,
        query: str,
        dataset: Dataset | None,
        kind: QueryKind,
        timeout: float | None,
        limit: int | None = None,
        *,
        answer_format: ox.QueryResultsFormat | None = None,
        whole: bool = False,
    ) -> _Fetched:
        """Send the query, read the answer up to the row limit; every failure becomes a domain error. A
        SELECT answer may come back already in `answer_format` too (the client's, given by `execute`).
        `whole`: one of the gateway's own whole reads (the engine may have a faster format for them)."""
        deadline = timeout or self.timeout
        try:
            with anyio.fail_after(deadline):
                engine = self._engine or await self._recognise(deadline)
                accept = engine.transfer_format(kind, whole=whole)
                async with self._post(engine, query, dataset, accept, deadline) as response:
                    if kind == "ask":
                        body = await _read_limited(response, _ASK_BODY_LIMIT, self.public_url)
                        return _Fetched([body], False)
                    if kind == "select" and accept == RESULTS_XML:
                        fetched = await _read_xml_rows(response, limit or self.max_rows)
                    elif kind == "select" and accept == RESULTS_JSON:
                        fetched = await _read_json_rows(
                            response, limit or self.max_rows, self.public_url, answer_format
                        )
                    else:
                        fetched = await _read_lines(response, kind, limit or self.max_rows, self.public_url)
                    if is_cut_by_store(response.headers):
                        return replace(fetched, truncated=True)
                    return fetched
        except TimeoutError as error:
            raise QueryTimeout(
                f"The query did not finish within {deadline:g} s at the SPARQL store {self.public_url}; "
                "narrow it (fewer patterns, a LIMIT) and retry."
            ) from error
        except StoreUnreachable as error:
            raise StoreUnavailable(
                f"The SPARQL store {self.public_url} cannot be reached; "
                "the gateway retries on the next request, retry shortly."
            ) from error
        except ConnectionBroke as error:
            # A reset or a connection closed mid-answer is what a dying store looks like: unavailable (503),
            # as the module docstring and SECURITY.md promise, not a protocol fault of a living store.
            raise StoreUnavailable(
                f"The connection to the SPARQL store {self.public_url} broke during the query; retry shortly."
            ) from error
        except ProtocolViolation as error:
            raise BadGateway(
                f"The SPARQL store {self.public_url} broke the HTTP protocol in its answer; retry later."
            ) from error

    async def _recognise(self, deadline: float) -> Engine:
        """The store's engine, from the `Server` header of an `ASK {}` (remote_engines.detect); once."""
        async with self._connection.post([("query", _HEALTH_QUERY)], RESULTS_JSON, deadline) as response:
            await response.read()
        engine = detect(response.headers.get("server"))
        if not self._fixed_engine:
            self._engine = engine
        return engine

    @asynccontextmanager
    async def _post(
        self, engine: Engine, query: str, dataset: Dataset | None, accept: str, deadline: float
    ) -> AsyncIterator[StoreResponse]:
        # A form POST carries queries of any length and is accepted by every SPARQL 1.1 endpoint.
        form = [("query", query)]
        if dataset is not None:
            form += [("default-graph-uri", iri) for iri in dataset.default_graphs]
            form += [("named-graph-uri", iri) for iri in dataset.named_graphs]
        if engine.timeout_parameter:  # the store stops the query itself (and flags what it sends then)
            form.append(("timeout", str(max(1, int(deadline * 1000)))))
        # The connection's own timeouts, a backstop behind the anyio deadline, follow this query's deadline
        # (the gateway's own whole reads may take longer than a client's query).
        async with self._connection.post(form, accept, deadline) as response:
            if not self._fixed_engine:  # every answer refreshes it: a store replaced by another is noticed
                self._engine = detect(response.headers.get("server"))
            await self._check(response, accept)
            yield response

    async def _check(self, response: StoreResponse, accept: str) -> None:
        status = response.status
        if status >= 400 and status != 503:
            text = (await _read_limited(response, _ERROR_BODY_LIMIT, self.public_url, strict=False)).strip()
            recognised = classify_error(text)
            if recognised is not None and recognised.kind == "timeout":
                raise QueryTimeout(
                    f"The SPARQL store {self.public_url} stopped the query at its own time limit "
                    f"({recognised.message}); narrow it (fewer patterns, a LIMIT) and retry."
                )
            if recognised is not None or status == 400:
                message = recognised.message if recognised else text
                raise QuerySyntaxError(f"The SPARQL store {self.public_url} rejected the query: {message}")
        if status == 503:
            raise StoreUnavailable(f"The SPARQL store {self.public_url} is unavailable (503); retry shortly.")
        if status >= 500:
            raise BadGateway(
                f"The SPARQL store {self.public_url} failed on the query (HTTP {status}); retry later."
            )
        if 300 <= status < 400 and "location" in response.headers:
            raise BadGateway(
                f"The SPARQL store {self.public_url} redirects queries (HTTP {status}) to "
                f"{public_url(response.headers['location'])}; the gateway does not follow redirects: set "
                "COOPKG_REMOTE_QUERY_URL to the endpoint's own URL."
            )
        if status != 200:
            raise BadGateway(
                f"The SPARQL store {self.public_url} answered HTTP {status}; check that "
                "COOPKG_REMOTE_QUERY_URL is its SPARQL 1.1 query endpoint and that it accepts form POSTs."
            )
        if is_partial_answer(response.headers):
            raise QueryTimeout(
                f"The SPARQL store {self.public_url} stopped the query at its own time limit and sent an "
                "incomplete answer; narrow the query (fewer patterns, a LIMIT) and retry."
            )
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type not in ACCEPTED_AS[accept]:
            raise BadGateway(
                f"The SPARQL store {self.public_url} answered {media_type or 'without a media type'}, "
                f"not {accept}; use a store that serves standard SPARQL results and N-Triples."
            )


async def _read_json_rows(
    response: StoreResponse, limit: int, where: str, answer_format: ox.QueryResultsFormat | None
) -> _Fetched:
    """A SPARQL JSON SELECT answer up to `limit` solutions; an early return closes the connection."""
    length = response.content_length
    if length is not None and length <= FAST_BODY_LIMIT:
        body = await response.read()
        standard = await _off_loop_if_big(len(body), standard_document, body, limit, answer_format)
        if standard is not None:
            return _Fetched([], False, standard.document, standard.answer)
        reader = SelectJsonReader(limit)
        try:
            reader.feed(body)
            if not reader.finished:
                reader.close()
        except MalformedResults as error:
            raise BadGateway(f"The SPARQL store {where} sent malformed JSON results: {error}.") from None
        return _Fetched([], reader.truncated, reader.document())
    reader = SelectJsonReader(limit)
    trailing = 0  # bytes after the bindings array (`] } }`)
    try:
        async for chunk in response.chunks():
            if reader.finished:
                # Read the few closing bytes too: a body read to its end keeps the connection for the next
                # query (a new connection per query costs milliseconds).
                trailing += len(chunk)
                if trailing > _ERROR_BODY_LIMIT:
                    break
            elif reader.feed(chunk) and reader.truncated:
                break  # at the row limit: closing the connection stops the store sending
        if not reader.finished:
            reader.close()
    except MalformedResults as error:
        raise BadGateway(f"The SPARQL store {where} sent malformed JSON results: {error}.") from None
    return _Fetched([], reader.truncated, reader.document())


async def _read_xml_rows(response: StoreResponse, limit: int) -> _Fetched:
    """A SPARQL XML SELECT answer up to `limit` solutions (a whole read: past it, `truncated`)."""
    body = XmlResultsBody(limit)
    async for chunk in response.chunks():
        if body.feed(chunk):
            break  # closing the connection stops the store sending
    return _Fetched([], body.truncated, xml=body.document())


async def _read_lines(response: StoreResponse, kind: QueryKind, limit: int, where: str) -> _Fetched:
    """Lines of up to `limit` rows (plus the TSV header); an early return closes the connection."""
    lines: list[str] = []
    rows = 0
    async for line in _lines(response, where):
        if kind == "graph" and (not line.strip() or line.lstrip().startswith("#")):
            continue  # N-Triples blank and comment lines carry no triple
        if kind == "select" and not lines:
            lines.append(line)  # the header: ?var<TAB>?var...
            continue
        if rows == limit:
            return _Fetched(lines, True)
        lines.append(line)  # in TSV an empty line is a real row: every variable unbound
        rows += 1
    return _Fetched(lines, False)


async def _lines(response: StoreResponse, where: str) -> AsyncIterator[str]:
    """The body's lines, split at LF only: TSV and N-Triples escape every other line break inside a term
    (a general line splitter would also break at U+2028 and friends, which may stand raw in a literal).
    """
    pending = b""
    async for chunk in response.chunks():
        *complete, pending = (pending + chunk).split(b"\n")
        for line in complete:
            yield _decode(line.removesuffix(b"\r"), where)
    if pending:
        yield _decode(pending.removesuffix(b"\r"), where)


def _decode(line: bytes, where: str) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        raise BadGateway(f"The SPARQL store {where} sent text that is not UTF-8.") from None


async def _read_limited(response: StoreResponse, limit: int, where: str, *, strict: bool = True) -> str:
    """At most `limit` characters of the body; more is a BadGateway (strict) or cut off (error texts)."""
    data = bytearray()
    async for chunk in response.chunks():
        data += chunk
        if len(data) > limit:
            if strict:
                raise BadGateway(f"The SPARQL store {where} sent an oversized answer.")
            break
    return data[:limit].decode("utf-8", errors="replace")


def _fingerprint(triples: Sequence[ox.Triple]) -> str:
    """A digest of a graph that ignores blank node labels (a store renames them on every answer)."""
    graph = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    graph.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)  # stable within one pyoxigraph version
    lines = sorted(f"{quad.triple} ." for quad in graph)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32]


def _size(fetched: _Fetched) -> int:
    if fetched.xml is not None:
        return len(fetched.xml)
    return len(fetched.document) if fetched.document is not None else sum(map(len, fetched.lines))


async def _off_loop_if_big(size: int, work: Callable[[*Arguments], Result], *arguments: *Arguments) -> Result:
    """`work(*arguments)` on the event loop for a small answer (parsing or serialising a few kB takes well
    under a millisecond, less than the hop to a worker thread and back), in a worker thread for a big one."""
    if size <= INLINE_PARSE:
        return work(*arguments)
    return await anyio.to_thread.run_sync(work, *arguments)


async def _chunks(body: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(body), _CHUNK):
        yield body[start : start + _CHUNK]


# -- parsing and serialising (run in a worker thread: CPU work off the event loop) ----------------------


def _solutions(fetched: _Fetched, where: str) -> ox.QuerySolutions:
    body: str | bytes
    if fetched.xml is not None:
        body, results_format = fetched.xml, ox.QueryResultsFormat.XML
    elif fetched.document is not None:
        body, results_format = fetched.document, ox.QueryResultsFormat.JSON
    else:
        if not fetched.lines:
            raise BadGateway(f"The SPARQL store {where} sent an empty SELECT answer (no TSV header).")
        body, results_format = "\n".join(fetched.lines) + "\n", ox.QueryResultsFormat.TSV
    try:
        parsed = ox.parse_query_results(body, format=results_format)
    except SyntaxError as error:
        raise BadGateway(
            f"The SPARQL store {where} sent malformed {fetched.format_name} results: {error}"
        ) from None
    if isinstance(parsed, ox.QuerySolutions):
        return parsed
    del parsed
    raise BadGateway(f"The SPARQL store {where} answered a SELECT query with a boolean.")


# pyoxigraph's result iterators must be dropped by the thread that made them: a traceback that reaches the
# event loop must not keep one alive, hence `from None` and the `del` in `finally` below.


def _parse_rows(fetched: _Fetched, where: str) -> tuple[list[str], list[Row]]:
    solutions = _solutions(fetched, where)
    name = fetched.format_name
    try:
        variables = [variable.value for variable in solutions.variables]
        rows: list[Row] = []
        for solution in solutions:
            rows.append({name: term for name in variables if (term := solution[name]) is not None})
            del solution
    except SyntaxError as error:  # the parser is lazy: a bad line surfaces while iterating
        raise BadGateway(f"The SPARQL store {where} sent malformed {name} results: {error}") from None
    finally:
        del solutions
    return variables, rows


def _ask_body(fetched: _Fetched) -> str:
    return fetched.lines[0]


def _ask_document(body: str, where: str) -> bytes:
    """The store's ASK answer as a standard boolean document (Virtuoso answers ASK as a SELECT)."""
    try:
        return ask_document(body)
    except MalformedResults as error:
        raise BadGateway(f"The SPARQL store {where} sent a malformed ASK answer: {error}") from None


def _parse_quads(fetched: _Fetched, where: str) -> list[ox.Quad]:
    _, rows = _parse_rows(fetched, where)
    quads: list[ox.Quad] = []
    for row in rows:
        subject, predicate, obj, graph = row.get("s"), row.get("p"), row.get("o"), row.get("g")
        if not isinstance(predicate, ox.NamedNode) or obj is None:
            raise BadGateway(f"The SPARQL store {where} answered the quads query with an incomplete row.")
        if not isinstance(subject, ox.NamedNode | ox.BlankNode | ox.Triple):
            raise BadGateway(f"The SPARQL store {where} answered the quads query with a literal subject.")
        if graph is not None and not isinstance(graph, ox.NamedNode | ox.BlankNode):
            raise BadGateway(f"The SPARQL store {where} answered the quads query with a bad graph name.")
        quads.append(ox.Quad(subject, predicate, obj, graph))
    return quads


def _parse_boolean(body: str, where: str) -> bool:
    try:
        parsed = ox.parse_query_results(_ask_document(body, where), format=ox.QueryResultsFormat.JSON)
    except SyntaxError as error:
        raise BadGateway(f"The SPARQL store {where} sent a malformed ASK answer: {error}") from None
    answer = bool(parsed) if isinstance(parsed, ox.QueryBoolean) else None
    del parsed
    if answer is None:
        raise BadGateway(f"The SPARQL store {where} answered an ASK query with solutions.")
    return answer


def _parse_triples(lines: list[str], where: str) -> list[ox.Triple]:
    """N-Triples lines as triples (tabs between terms, as Virtuoso writes them, are N-Triples too)."""
    parser = ox.parse("\n".join(lines) + "\n", format=ox.RdfFormat.N_TRIPLES)
    triples: list[ox.Triple] = []
    try:
        for quad in parser:
            triples.append(quad.triple)
    except SyntaxError as error:
        raise BadGateway(f"The SPARQL store {where} sent malformed N-Triples: {error}") from None
    finally:
        del parser
    return triples


def _serialiser(kind: QueryKind, media_type: str, prefixes: Mapping[str, str]) -> _Serialiser:
    """What turns fetched lines into the negotiated format (the embedded engine's formats and prefixes)."""
    if kind == "graph":
        rdf_format = GRAPH_FORMATS.get(media_type)
        if rdf_format is None:
            raise NotAcceptable(f"{media_type} cannot carry CONSTRUCT or DESCRIBE results.")
        keep = dict(prefixes) if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        return _Serialiser(kind, rdf_format=rdf_format, prefixes=keep)
    results_format = RESULTS_FORMATS.get(media_type)
    if results_format is None:
        raise NotAcceptable(f"{media_type} cannot carry SELECT or ASK results.")
    return _Serialiser(kind, results_format=results_format)


@dataclass(frozen=True)
class _Serialiser:
    kind: QueryKind
    results_format: ox.QueryResultsFormat | None = None
    rdf_format: ox.RdfFormat | None = None
    prefixes: dict[str, str] | None = None  # Turtle and TriG: the query's own PREFIXes, as the embedded store

    def __call__(self, fetched: _Fetched, where: str) -> bytes:
        if self.rdf_format is not None:
            triples = _parse_triples(fetched.lines, where)
            # Same prefixes as the embedded engine: the query's own, less those needing escapes.
            prefixes = None if self.prefixes is None else readable_prefixes(triples, self.prefixes)
            return ox.serialize(triples, format=self.rdf_format, prefixes=prefixes) or b""
        assert self.results_format is not None  # set for every non-graph kind by _serialiser()
        if self.kind == "ask":
            _parse_boolean(_ask_body(fetched), where)  # checked first: the same errors and messages as ask()
            parsed: ox.QuerySolutions | ox.QueryBoolean = ox.parse_query_results(
                _ask_document(_ask_body(fetched), where), format=ox.QueryResultsFormat.JSON
            )
        else:
            parsed = _solutions(fetched, where)
        try:
            return parsed.serialize(format=self.results_format) or b""
        except SyntaxError as error:
            raise BadGateway(f"The SPARQL store {where} sent malformed results: {error}") from None
        finally:
            del parsed
