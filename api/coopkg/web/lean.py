"""A lean path for SPARQL queries by GET and HEAD: the same handler, without what has nothing to do for them.

A query sent by GET (`/sparql?query=…`) is the gateway's most frequent request, and about half of its Python
cost was FastAPI's routing, its request handler (dependency solving for an endpoint that has none) and the
pass-through of middleware that leave such a request untouched (measured with `bench/overhead.py`). This
pure-ASGI wrapper, installed inside the response cache, sends those requests straight to the very handlers
of the `/sparql` route (`coopkg.web.routers.sparql.sparql_get` / `sparql_head`), with the app's own security
headers and its own handler of domain errors: one implementation of every check, only the routing is skipped.

It takes a request only when nothing skipped could change the answer: CORS would pass it through as it is (no
`Origin` header), and gzip is applied here by the app's own gzip middleware (the response cache strips
`Accept-Encoding` on a miss and compresses itself; in front of a remote store there is no response cache, and
every client that sends `Accept-Encoding`, httpx and browsers included, took the full path: about 1 ms of CPU
more per query, measured with a light query through the gateway on Virtuoso). Every other request, and any
`/sparql` request it does not take, goes through the full stack. An unexpected error propagates to the app's
outermost error handler, as from a route. A middleware that must see every query (a per-client budget, a rate
limit) is added outside this one, never inside (a test checks which middleware sit inside).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coopkg.web import dependencies
from coopkg.web.compression import FittedGZipMiddleware
from coopkg.web.routers.sparql import sparql_get, sparql_head

ErrorHandler = Callable[[Request, Exception], Awaitable[Response]]
# Request headers with which a skipped middleware would act (CORS): such requests take the full path.
_FULL_PATH_HEADERS = frozenset({b"origin"})


class LeanSparqlQueries:
    """Pure-ASGI: GET/HEAD `/sparql?query=…` to the route's handler directly; everything else to `app`."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        secure: Callable[[ASGIApp], ASGIApp],
        errors: tuple[type[Exception], ErrorHandler],
    ) -> None:
        self.app = app
        self.error_type, self.on_error = errors
        self.answer = secure(self._answer)  # the app's security headers, the same wrapper as the full path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if _lean(scope):
            await self.answer(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        handler = sparql_get if scope["method"] == "GET" else sparql_head
        try:
            # The route's dependencies, by the very functions FastAPI would call (coopkg.web.dependencies).
            response = await handler(
                request,
                dependencies.settings(request),
                dependencies.store(request),
                dependencies.service_allowlist(request),
                dependencies.data_modified(request),
            )
        except self.error_type as error:
            response = await self.on_error(request, error)
        # Compression by the app's own gzip middleware, as on the full path: it compresses when the client
        # accepts gzip and adds `Vary: Accept-Encoding` to answers it could compress. Then the Vary that CORS
        # adds to every answer (shared caches must know the answer depends on it).

        async def varying_on_origin(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(raw=message["headers"]).add_vary_header("Origin")
            await send(message)

        compress = FittedGZipMiddleware(response)
        await compress(scope, receive, varying_on_origin)


def _lean(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["path"] != "/sparql" or scope["method"] not in ("GET", "HEAD"):
        return False
    if b"query=" not in scope["query_string"]:  # the service description, the HTML query page
        return False
    return not any(name in _FULL_PATH_HEADERS for name, _ in scope["headers"])
