"""The web application: `create_app(settings)` builds it; nothing happens at import time.

The lifespan opens the store and puts it on `app.state.store` (with `app.state.settings`). Domain errors
(`coopkg.errors.CoopkgError`) become RFC 9457 problem documents here, in one place; so do request-validation
errors, unknown routes and methods, and anything unexpected (a generic 500 without a traceback).
Routers are imported plainly and mounted by `_routers()`: adding a resource is one line there.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coopkg import __version__
from coopkg.errors import CoopkgError
from coopkg.queries import default_registry
from coopkg.rdf.namespaces import PROBLEM
from coopkg.search.service import SearchService
from coopkg.settings import Settings
from coopkg.sparql.inspection import ServiceAllowlist
from coopkg.store.base import Store
from coopkg.store.pool import Launcher
from coopkg.web import api_docs, http, openapi
from coopkg.web.client_address import ClientAddress
from coopkg.web.compression import FittedGZipMiddleware
from coopkg.web.lean import LeanSparqlQueries
from coopkg.web.response_cache import ResponseCache
from coopkg.web.routers import health, ids, pages, rest, search, sparql, validate, vocabulary
from coopkg.web.trusted_host import TrustedHost, warn_if_exposed

PROBLEM_BASE = PROBLEM
# What scripts on other origins may read: validators, the cut-off answer, paging, the validation summary.
EXPOSED_HEADERS = [
    "ETag",
    "Last-Modified",
    http.TRUNCATED,
    http.ROW_LIMIT,
    http.TOTAL_COUNT,
    "Link",
    "Coopkg-Conforms",
    "Coopkg-Violations",
    "Coopkg-Warnings",
    "Coopkg-Infos",
]
# Defaults for every response; a route that sends HTML sets its own Content-Security-Policy.
SECURITY_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"strict-origin-when-cross-origin",
    b"x-frame-options": b"DENY",
    b"content-security-policy": b"default-src 'none'; frame-ancestors 'none'",
}
log = logging.getLogger("coopkg")


def problem(
    status: int,
    slug: str,
    title: str,
    detail: str,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    extensions: dict[str, object] | None = None,
) -> JSONResponse:
    body: dict[str, object] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body |= {name: value for name, value in (extensions or {}).items() if name not in body}
    return JSONResponse(body, status_code=status, media_type="application/problem+json", headers=headers)


async def _coopkg_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, CoopkgError)
    extensions = getattr(error, "extensions", None)  # RFC 9457 members some problems add (the 429s)
    return problem(
        error.status, error.slug, error.title, error.detail, request.url.path, error.headers, extensions
    )


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    details = "; ".join(
        f"{'.'.join(str(part) for part in item.get('loc', ()))}: {item.get('msg', 'invalid')}"
        for item in error.errors()
    )
    return problem(
        422, "invalid-parameter", "Invalid parameter", details or "Invalid request.", request.url.path
    )


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    slugs = {404: "not-found", 405: "method-not-allowed"}
    detail = str(error.detail)
    if error.status_code == 404:
        detail = f"Nothing at {request.url.path}."
    elif error.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}; use GET or POST."
    return problem(
        error.status_code,
        slugs.get(error.status_code, "http-error"),
        str(error.detail),
        detail,
        request.url.path,
        dict(error.headers or {}),
    )


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem(
        500,
        "internal-error",
        "Internal error",
        "The server failed to answer this request; the error is logged. Please report it.",
        request.url.path,
    )


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response that does not set them (pure ASGI: streaming is untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in SECURITY_HEADERS.items() if name not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _routers() -> list[APIRouter]:
    """Every router, in mounting order; the named queries' routes are typed from the shipped query files."""
    return [
        health.router,
        sparql.router,
        ids.router,
        rest.router,
        rest.build_queries_router(default_registry()),
        vocabulary.router,
        pages.router,
        search.router,
        validate.router,
        api_docs.router,
    ]


async def _build_search_index(app: FastAPI, store: Store) -> None:
    """The search index of the data, built as soon as the data is loaded, while the gateway already serves
    everything else (docs/search.md: at 1M triples the build takes about as long as loading the data); a
    search asked meanwhile waits for it. A store that cannot be read now (a remote one still starting) is no
    reason not to serve: the first search builds it then."""
    try:
        await app.state.search.index(store)
    except CoopkgError as error:
        log.warning("search index not built at start-up (%s): the first search will build it", error.detail)


def create_app(
    settings: Settings, store: Store | None = None, *, preloaded: Launcher | None = None
) -> FastAPI:
    """The application. `store` replaces the one the settings name (tests pass an InProcessStore); the app
    then leaves closing it to the caller. `preloaded`: the embedded store's data, already loaded (`coopkg
    serve` loads it before the server starts, so bad data is one clear error line); the app closes it."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if store is not None:
            app.state.store = store
            app.state.data_modified = None
            building = asyncio.create_task(_build_search_index(app, store))
            yield
            building.cancel()
            app.state.search.close()
            return
        from coopkg.store.factory import open_store

        opened = await open_store(settings, preloaded)
        app.state.store = opened.store
        app.state.data_modified = opened.modified
        building = asyncio.create_task(_build_search_index(app, opened.store))
        try:
            yield
        finally:
            building.cancel()
            app.state.search.close()
            await opened.store.aclose()

    app = FastAPI(
        title="coopkg",
        version=__version__,
        description="SPARQL endpoint and linked data of the coopkg knowledge graph (read-only).",
        lifespan=lifespan,
        # FastAPI's Swagger UI and ReDoc pages load their scripts from a CDN, which our CSP (and offline
        # hosts) refuse: coopkg.web.api_docs serves both with bundled assets instead.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.service_allowlist = ServiceAllowlist(settings.service_allow)
    app.state.search = SearchService(settings.search_dir)
    app.add_exception_handler(CoopkgError, _coopkg_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
    for router in _routers():
        app.include_router(router)
    openapi.complete(app, hosts_checked=bool(settings.public_url or settings.allowed_hosts))
    app.add_middleware(FittedGZipMiddleware)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type", "If-None-Match", "If-Modified-Since"],
        expose_headers=EXPOSED_HEADERS,
        max_age=600,
    )
    app.add_middleware(SecurityHeaders)
    # SPARQL GETs straight to their route's handler (coopkg.web.lean), with the headers and errors above.
    # Middleware added above this line never see them: whatever must (budgets, limits) goes below it.
    app.add_middleware(
        LeanSparqlQueries,
        secure=SecurityHeaders,
        errors=(CoopkgError, _coopkg_error),
    )
    # Outermost: a repeat GET of a query or an IRI page is answered before FastAPI is entered.
    app.add_middleware(ResponseCache, state_app=app, max_bytes=settings.cache_mb * 1024 * 1024)
    # Outside the cache: the client a query is charged to, and the host links (and cache keys) are built on.
    app.add_middleware(ClientAddress, trusted_proxies=settings.trusted_proxies)
    app.add_middleware(TrustedHost, public_url=settings.public_url, allowed_hosts=settings.allowed_hosts)
    warn_if_exposed(settings)
    return app
