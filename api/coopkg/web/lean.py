"""A lean path for SPARQL queries by GET and HEAD: the same handler, without what has nothing to do for them.

A query sent by GET (`/sparql?query=…`) is the gateway's most frequent request, and about half of its Python
cost was FastAPI's routing, its request handler (dependency solving for an endpoint that has none) and the
pass-through of middleware that leave such a request untouched (measured with `bench/overhead.py`). This
pure-ASGI wrapper, installed inside the response cache, sends those requests straight to the very handlers
of the `/sparql` route (`coopkg.web.routers.sparql.sparql_get` / `sparql_head`), with the app's own security
headers and its own handler of domain errors: one implementation of every check, only the routing is skipped.

It takes a request only when nothing skipped could change the answer: CORS (no `Origin` header) and gzip (no
`Accept-Encoding`; the response cache strips it on a miss and compresses itself) would pass it through as it
is. Every other request, and any `/sparql` request it does not take, goes through the full stack. An
unexpected error propagates to the app's outermost error handler, as from a route. A middleware that must see
every query (a per-client budget, a rate limit) is added outside this one, never inside (a test checks which
middleware sit inside).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from fastapi.responses import StreamingResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from coopkg.web import dependencies
from coopkg.web.routers.sparql import sparql_get, sparql_head

ErrorHandler = Callable[[Request, Exception], Awaitable[Response]]
# Request headers with which a skipped middleware would act (CORS, gzip): such requests take the full path.
_FULL_PATH_HEADERS = frozenset({b"origin", b"accept-encoding"})


class LeanSparqlQueries:
    """Pure-ASGI: GET/HEAD `/sparql?query=…` to the route's handler directly; everything else to `app`."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        secure: Callable[[ASGIApp], ASGIApp],
        errors: tuple[type[Exception], ErrorHandler],
        gzip_minimum: int,
    ) -> None:
        self.app = app
        self.gzip_minimum = gzip_minimum  # the app's GZipMiddleware minimum_size
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
        # The Vary the skipped middleware add (shared caches must know the answer depends on them): gzip to
        # answers it could compress (streamed, or of at least its minimum size), CORS to every answer.
        vary = response.headers.getlist("vary")
        if isinstance(response, StreamingResponse) or len(response.body) >= self.gzip_minimum:
            vary.append("Accept-Encoding")
        response.headers["vary"] = ", ".join([*vary, "Origin"])
        await response(scope, receive, send)


def _lean(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["path"] != "/sparql" or scope["method"] not in ("GET", "HEAD"):
        return False
    if b"query=" not in scope["query_string"]:  # the service description, the HTML query page
        return False
    return not any(name in _FULL_PATH_HEADERS for name, _ in scope["headers"])
