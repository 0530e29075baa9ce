"""The HTTP exchange with a remote SPARQL store: one form POST per query, over aiohttp's client.

aiohttp parses responses in C. In front of a fast store the client is most of what the gateway adds to a
light query: httpx took about 1.0 ms of CPU per light query to Virtuoso, aiohttp 0.25 ms (one run, side by
side, docs/scaling.md). The rest of the remote backend sees only `StoreConnection.post()` and the
`StoreResponse` it yields, and three exceptions of this module instead of aiohttp's many.

Queries are read-only (the gateway never sends an update to the store), so a query is sent again, once, when
no answer began: a refused connection (a store restarting) or a kept-alive connection the store closed just
as it was reused. Once the store has begun to answer, nothing is retried.

One aiohttp session per event loop: a session belongs to the loop that made it, and a store object may
outlive a loop (tests, command-line tools). aiohttp runs on asyncio only, as the gateway does (uvicorn).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from urllib.parse import urlencode

import aiohttp

FORM = "application/x-www-form-urlencoded"


class StoreUnreachable(Exception):
    """No connection to the store could be made (refused, unresolvable, connect timeout)."""


class ConnectionBroke(Exception):
    """The connection was reset or closed before the answer was complete."""


class ProtocolViolation(Exception):
    """The store broke HTTP (a malformed status line, headers or body framing)."""


class StoreResponse:
    """The status and headers of the store's answer, and its body as it arrives."""

    __slots__ = ("_response", "headers", "status")

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response
        self.status = response.status
        # Lower-cased names: what remote_engines' header checks look up.
        self.headers = {name.lower(): value for name, value in response.headers.items()}

    @property
    def content_length(self) -> int | None:
        length = self.headers.get("content-length", "")
        return int(length) if length.isdigit() else None

    async def read(self) -> bytes:
        """The whole body (up to its Content-Length, or its end)."""
        return await self._response.read()

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body in the pieces it arrives in; stopping early closes the connection (the store stops)."""
        async for chunk in self._response.content.iter_any():
            yield chunk


class StoreConnection:
    """A pool of kept-alive connections to one SPARQL query endpoint."""

    def __init__(self, url: str, *, user_agent: str) -> None:
        self.url = url
        self._headers = {"User-Agent": user_agent}
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @asynccontextmanager
    async def post(
        self, form: Sequence[tuple[str, str]], accept: str, deadline: float
    ) -> AsyncIterator[StoreResponse]:
        """POST the form; the response is open until the block ends. aiohttp's own timeouts are a backstop
        behind the caller's deadline (anyio.fail_after), so they follow it."""
        body = urlencode(form).encode()
        headers = {"Accept": accept, "Content-Type": FORM}
        timeout = aiohttp.ClientTimeout(total=deadline + 5.0, connect=min(deadline, 5.0))
        session = self._session_of_this_loop()
        for attempt in (1, 2):
            try:
                response = await session.post(self.url, data=body, headers=headers, timeout=timeout)
                break
            except (aiohttp.ClientConnectorError, aiohttp.ServerDisconnectedError) as error:
                if attempt == 2:
                    raise _translated(error) from error
            except aiohttp.ClientError as error:
                raise _translated(error) from error
        try:
            yield StoreResponse(response)
        except aiohttp.ClientError as error:  # raised while the caller read the body
            raise _translated(error) from error
        finally:
            response.release()  # back to the pool when read to its end; closed otherwise

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None and self._loop is asyncio.get_running_loop():
            await session.close()

    def _session_of_this_loop(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            # A session of a loop that has ended cannot be closed from this one: it is dropped.
            self._session = aiohttp.ClientSession(
                headers=self._headers,
                connector=aiohttp.TCPConnector(limit=100),
                raise_for_status=False,
            )
            self._loop = loop
        return self._session


def _translated(error: aiohttp.ClientError) -> Exception:
    """This module's exception for one of aiohttp's; its read timeouts stay TimeoutError (the caller's
    deadline and this backstop end the same way)."""
    if isinstance(error, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError):
        return StoreUnreachable(str(error))
    if isinstance(error, aiohttp.ServerTimeoutError):
        return TimeoutError(str(error))
    # A body cut short of its framing (Content-Length not reached, a broken chunk), a reset, a connection
    # closed before the answer: what a store killed mid-answer looks like.
    if isinstance(
        error, aiohttp.ClientPayloadError | aiohttp.ServerDisconnectedError | aiohttp.ClientOSError
    ):
        return ConnectionBroke(str(error))
    return ProtocolViolation(str(error))  # a malformed status line or headers, and the rest
