"""The HTTP exchange with a remote SPARQL store: one form POST per query over kept-alive HTTP/1.1 connections,
each answer read by httptools (llhttp, the parser of Node.js, in C) as it arrives.

The exchange is the narrowest HTTP there is: the gateway POSTs a form and reads one answer, nothing else (no
redirects, cookies, proxies or uploads to negotiate). A general client costs more than all the rest the
gateway does for a light query: aiohttp took 0.15-0.2 ms of CPU per exchange with a local store, this module
0.05 ms (`bench/store_client.py`, one run, side by side; docs/scaling.md), on the path the goal "the gateway
adds at most 1.5 ms to a light query" measures. `coopkg load --to` keeps httpx (digest auth, uploads).

The rest of the remote backend sees only `StoreConnection.post()`, the `StoreResponse` it yields, and three
exceptions of this module (plus TimeoutError from the backstop below).

Queries are read-only (the gateway never sends an update to the store), so a query is sent again, once, when
no answer began: a refused connection (a store restarting) or a kept-alive connection the store closed just
as it was reused. Once the store has begun to answer, nothing is retried.

Connections belong to the event loop that opened them, and a store object may outlive a loop (tests,
command-line tools): a new loop starts with no connection. A big answer does not pile up in memory: reading
from the socket pauses while more than `_HIGH_WATER` bytes wait for the caller.
"""

from __future__ import annotations

import asyncio
import base64
import ssl
import zlib
from collections import deque
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import cast
from urllib.parse import unquote, urlencode, urlsplit

import httptools

FORM = "application/x-www-form-urlencoded"
_IN_FLIGHT = 100  # queries in flight to the store at once, per event loop; more wait for a connection
_HIGH_WATER = 1 << 20  # body bytes waiting for the caller before reading from the socket pauses
_LOW_WATER = 1 << 18  # ... and resumes
_BACKSTOP = 5.0  # seconds after a query's deadline at which its connection is dropped in any case
_CONNECT = 5.0  # seconds a connection may take at most
_DECODED = {"gzip", "x-gzip", "deflate"}  # content codings read (none is asked for; a store may send them)


class StoreUnreachable(Exception):
    """No connection to the store could be made (refused, unresolvable, connect timeout)."""


class ConnectionBroke(Exception):
    """The connection was reset or closed before the answer was complete."""


class ProtocolViolation(Exception):
    """The store broke HTTP (a malformed status line, headers or body framing)."""


class _Connection(asyncio.Protocol):
    """One connection to the store; one exchange at a time. httptools calls the `on_*` methods."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self._parser = httptools.HttpResponseParser(self)
        self._waiter: asyncio.Future[None] | None = None
        self._backstop: asyncio.TimerHandle | None = None
        self._in_flight = False
        self.closed = False
        self._reset()

    def _reset(self) -> None:
        self.status = 0
        self.headers: dict[str, str] = {}
        self.answered = False  # a byte of the answer arrived: the query is never sent again
        self.head_read = False
        self.complete = False
        self.error: BaseException | None = None
        self.body: deque[bytes] = deque()
        self._buffered = 0
        self._paused = False
        self._keep_alive = False  # the store keeps the connection open after this answer
        self._ends_at_close = False  # neither Content-Length nor chunked: the body ends with the connection
        self._decoder: zlib._Decompress | None = None

    # -- the caller's side -----------------------------------------------------------------------------

    @property
    def reusable(self) -> bool:
        """Idle and kept alive by the store: the last answer arrived whole and nothing else came."""
        return not self.closed and not self._in_flight

    def send(self, request: bytes, expiry: float) -> None:
        """Send `request`; at the loop time `expiry` the exchange is dropped if it is not over (`expire`)."""
        self._reset()
        self._in_flight = True
        assert self.transport is not None  # set by connection_made before the connection is handed out
        self._backstop = asyncio.get_running_loop().call_at(expiry, self.expire)
        self.transport.write(request)

    def finish(self) -> bool:
        """The exchange is over (the caller is done with the answer); True when the connection may serve the
        next one: the answer arrived whole and the store keeps the connection alive."""
        self._in_flight = False
        if self._backstop is not None:
            self._backstop.cancel()
            self._backstop = None
        if self.complete and self.error is None and not self.closed and self._keep_alive:
            self.body.clear()
            if self._paused and self.transport is not None:
                self.transport.resume_reading()
            return True
        self.close()
        return False

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def expire(self) -> None:
        """The backstop: the query outlived its deadline by `_BACKSTOP` seconds."""
        self._fail(TimeoutError("the store did not finish answering within the query's deadline"))
        if self.transport is not None:
            self.transport.abort()

    async def wait_for_head(self) -> None:
        while not self.head_read:
            if self.error is not None:
                raise self.error
            await self.wait()

    @property
    def decoding(self) -> bool:
        """The body arrives in a content coding (gzip, deflate) and is decoded here."""
        return self._decoder is not None

    def take(self) -> bytes | None:
        """The next piece of the body, None when none is waiting."""
        if not self.body:
            return None
        chunk = self.body.popleft()
        self._buffered -= len(chunk)
        if self._paused and self._buffered <= _LOW_WATER and not self.closed and self.transport is not None:
            self._paused = False
            self.transport.resume_reading()
        return chunk

    async def wait(self) -> None:
        """Until the store sends more, ends the answer, or the exchange fails."""
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def _fail(self, error: BaseException) -> None:
        if self.error is None and not self.complete:
            self.error = error
        self._wake()

    # -- asyncio's side --------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not subclasses of asyncio.Transport, but have its methods.
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        if not self._in_flight:  # bytes on an idle connection (a store's 408 before it closes): unusable
            self.close()
            return
        self.answered = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as error:
            self._fail(ProtocolViolation(f"malformed HTTP: {error}"))
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._in_flight and not self.complete:
            if self.error is None and self.head_read and self._ends_at_close and exc is None:
                self.on_message_complete()  # an answer framed by the end of the connection
            else:
                reason = f": {exc}" if exc else ""
                where = "in the middle of the answer" if self.answered else "before answering"
                self._fail(ConnectionBroke(f"the store closed the connection {where}{reason}"))
        self._wake()

    def on_header(self, name: bytes, value: bytes) -> None:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1").strip()
        self.headers[key] = f"{self.headers[key]}, {text}" if key in self.headers else text

    def on_headers_complete(self) -> None:
        status = self._parser.get_status_code()
        if 100 <= status < 200:  # an interim answer (100 Continue): the real one follows
            self.headers = {}
            return
        self.status = status
        self._keep_alive = self._parser.should_keep_alive()  # read now: the parser forgets it at the end
        chunked = "chunked" in self.headers.get("transfer-encoding", "").lower()
        self._ends_at_close = (
            not chunked and "content-length" not in self.headers and status not in (204, 304)
        )
        coding = self.headers.get("content-encoding", "identity").strip().lower()
        if coding in _DECODED:
            self._decoder = zlib.decompressobj(zlib.MAX_WBITS | 32)  # a gzip or zlib header, detected
        elif coding != "identity":
            self._fail(ProtocolViolation(f"a body in the content coding {coding!r}, which was not asked for"))
            self.close()
            return
        self.head_read = True
        self._wake()

    def on_body(self, data: bytes) -> None:
        if self._decoder is not None:
            try:
                data = self._decoder.decompress(data)
            except zlib.error as error:
                self._fail(ProtocolViolation(f"a body that does not decompress: {error}"))
                self.close()
                return
        if data:
            self.body.append(data)
            self._buffered += len(data)
            if not self._paused and self._buffered > _HIGH_WATER and self.transport is not None:
                self._paused = True
                self.transport.pause_reading()
            self._wake()

    def on_message_complete(self) -> None:
        if not self.head_read:  # the end of an interim answer
            return
        if self._decoder is not None:
            rest = self._decoder.flush()
            if rest:
                self.body.append(rest)
        self.complete = True
        self._wake()


class StoreResponse:
    """The status and headers of the store's answer (names lower-cased), and its body as it arrives."""

    __slots__ = ("_connection", "headers", "status")

    def __init__(self, connection: _Connection) -> None:
        self._connection = connection
        self.status = connection.status
        self.headers = connection.headers

    @property
    def content_length(self) -> int | None:
        """The body's length as the store announced it (None when it did not, or sent it compressed)."""
        if self._connection.decoding:
            return None
        length = self.headers.get("content-length", "")
        return int(length) if length.isdigit() else None

    async def read(self) -> bytes:
        """The whole body."""
        return b"".join([chunk async for chunk in self.chunks()])

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body in the pieces it arrives in; stopping early closes the connection (the store stops)."""
        connection = self._connection
        while True:
            chunk = connection.take()
            if chunk is not None:
                yield chunk
            elif connection.complete:
                return
            elif connection.error is not None:
                raise connection.error
            else:
                await connection.wait()


class StoreConnection:
    """Kept-alive connections to one SPARQL query endpoint (http or https; a user and password in the URL
    are sent as Basic authentication)."""

    def __init__(self, url: str, *, user_agent: str) -> None:
        self.url = url
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{url!r} is not an http(s) URL")
        self._host = parts.hostname
        self._port = parts.port or (443 if parts.scheme == "https" else 80)
        self._tls = parts.scheme == "https"
        self._tls_context: ssl.SSLContext | None = None
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        lines = [
            f"POST {target} HTTP/1.1",
            f"Host: {parts.netloc.rpartition('@')[2]}",
            f"User-Agent: {user_agent}",
            f"Content-Type: {FORM}",
        ]
        if parts.username is not None:
            secret = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
            lines.append(f"Authorization: Basic {base64.b64encode(secret).decode('ascii')}")
        self._head = "\r\n".join(lines) + "\r\n"
        self._idle: list[_Connection] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots = asyncio.Semaphore(_IN_FLIGHT)

    @asynccontextmanager
    async def post(
        self, form: Sequence[tuple[str, str]], accept: str, deadline: float
    ) -> AsyncIterator[StoreResponse]:
        """POST the form; the response is open until the block ends. `deadline` (seconds) bounds the whole
        exchange as a backstop behind the caller's own (anyio.fail_after), `_BACKSTOP` seconds later."""
        body = urlencode(form).encode()
        head = f"{self._head}Accept: {accept}\r\nContent-Length: {len(body)}\r\n\r\n"
        request = head.encode("latin-1") + body
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._idle, self._loop, self._slots = [], loop, asyncio.Semaphore(_IN_FLIGHT)
        async with self._slots:
            expiry = loop.time() + deadline + _BACKSTOP
            connection = await self._exchange(request, loop, min(deadline, _CONNECT), expiry)
            try:
                yield StoreResponse(connection)
            finally:
                if connection.finish():
                    self._idle.append(connection)

    async def aclose(self) -> None:
        idle, self._idle = self._idle, []
        if self._loop is asyncio.get_running_loop():
            for connection in idle:
                connection.close()

    async def _exchange(
        self, request: bytes, loop: asyncio.AbstractEventLoop, connect_within: float, expiry: float
    ) -> _Connection:
        """A connection that sent `request` and has the head of its answer."""
        for attempt in (1, 2):
            try:
                # The second try never reuses a kept-alive connection: after one the store closed, the others
                # are likely closed too (a restarted store).
                connection = await self._connection(loop, connect_within, reuse=attempt == 1)
            except StoreUnreachable:
                if attempt == 2:
                    raise
                continue
            connection.send(request, expiry)
            try:
                await connection.wait_for_head()
            except ConnectionBroke:
                connection.finish()
                if connection.answered or attempt == 2:
                    raise
                stale, self._idle = self._idle, []
                for other in stale:
                    other.close()
                continue
            except BaseException:  # cancelled by the caller's deadline, the backstop, a malformed head
                connection.finish()
                raise
            return connection
        raise AssertionError("unreachable")  # the second attempt returns or raises

    async def _connection(
        self, loop: asyncio.AbstractEventLoop, connect_within: float, *, reuse: bool
    ) -> _Connection:
        while reuse and self._idle:
            connection = self._idle.pop()
            if connection.reusable:
                return connection
        try:
            async with asyncio.timeout(connect_within):
                _, protocol = await loop.create_connection(
                    _Connection,
                    self._host,
                    self._port,
                    ssl=self._tls_settings(),
                    server_hostname=self._host if self._tls else None,
                )
        except (OSError, TimeoutError) as error:
            reason = str(error) or type(error).__name__
            raise StoreUnreachable(f"cannot connect to {self._host}:{self._port}: {reason}") from error
        return protocol

    def _tls_settings(self) -> ssl.SSLContext | None:
        if self._tls and self._tls_context is None:
            # The system's trusted certificates (SSL_CERT_FILE / SSL_CERT_DIR point elsewhere).
            self._tls_context = ssl.create_default_context()
        return self._tls_context
