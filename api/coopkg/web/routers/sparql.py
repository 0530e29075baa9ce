"""`/sparql`: the SPARQL 1.1 Protocol (query operation), read-only.

GET `?query=`, POST form (`application/x-www-form-urlencoded`) and POST direct (`application/sparql-query`);
`default-graph-uri` / `named-graph-uri` select graphs of the store (never fetched from the web). Updates, by
any route, are refused. GET without a query answers a Service Description (Turtle / JSON-LD) or, for a
browser, an HTML query page. Every value the client sends is checked before a query reaches the store:
body size, encoding, the query text itself (`coopkg.sparql.inspection`), and the negotiated format.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qs

import anyio
from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from coopkg.errors import (
    BadRequest,
    CoopkgError,
    NotAcceptable,
    UnsupportedMediaType,
    UpdateRefused,
)
from coopkg.settings import Settings
from coopkg.sparql.inspection import ServiceAllowlist, inspect_query
from coopkg.store.base import Dataset, QueryRequest, Store
from coopkg.web import query_page
from coopkg.web.conneg import negotiate
from coopkg.web.dependencies import AllowlistDep, DataModifiedDep, SettingsDep, StoreDep
from coopkg.web.http import not_modified, read_body, truncation_headers

router = APIRouter(tags=["SPARQL"])
access_log = logging.getLogger("coopkg.access")

RESULTS_OFFERS = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
    "text/xml",
]
GRAPH_OFFERS = [
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/n-quads",
    "application/trig",
    "application/x-turtle",
    "text/n3",
    "text/rdf+n3",
    "text/plain",
    "application/json",
    "application/xml",
]
# Common aliases and what we actually send for them (Turtle is valid N3; N-Triples was served as text/plain).
CANONICAL = {
    ("select", "application/json"): "application/sparql-results+json",
    ("select", "application/xml"): "application/sparql-results+xml",
    ("select", "text/xml"): "application/sparql-results+xml",
    ("graph", "application/x-turtle"): "text/turtle",
    ("graph", "text/n3"): "text/turtle",
    ("graph", "text/rdf+n3"): "text/turtle",
    ("graph", "text/plain"): "application/n-triples",
    ("graph", "application/json"): "application/ld+json",
    ("graph", "application/xml"): "application/rdf+xml",
}
# `format=` names that mean an RDF format for CONSTRUCT/DESCRIBE (SPARQLWrapper sends format=xml for RDF/XML).
GRAPH_FORMAT_NAMES = {
    "xml": "application/rdf+xml",
    "json": "application/ld+json",
    "n3": "text/turtle",
    "rdf+xml": "application/rdf+xml",
}
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
READ_ONLY = (
    "This endpoint is read-only: SPARQL updates are refused. Send a query (SELECT, ASK, CONSTRUCT, DESCRIBE) "
    "with ?query=, a form field query=, or a body of type application/sparql-query."
)
CACHE_CONTROL = "public, max-age=300"
# Queries up to this length are checked on the event loop (tens of microseconds); longer ones in a thread.
INLINE_INSPECT = 4096


def _parse_params(raw: bytes | str, where: str) -> dict[str, list[str]]:
    """Form or query-string fields; invalid UTF-8 or percent-encoding is a 400, never silently replaced."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return parse_qs(text, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise BadRequest(
            f"The {where} is not valid UTF-8 after percent-decoding; encode the query as UTF-8."
        ) from None


def _one(fields: dict[str, list[str]], name: str) -> str | None:
    values = fields.get(name, [])
    if len(values) > 1:
        raise BadRequest(f"{len(values)} `{name}` parameters were given; send exactly one.")
    return values[0] if values else None


def _charset_ok(content_type: str) -> bool:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return False
    return True


def _dataset(fields: dict[str, list[str]]) -> Dataset | None:
    defaults = tuple(fields.get("default-graph-uri", []))
    named = tuple(fields.get("named-graph-uri", []))
    for iri in defaults + named:
        if not iri or any(c in iri for c in '<>"{}|^`\\ \n\t'):
            raise BadRequest(f"default-graph-uri / named-graph-uri {iri!r} is not an IRI.")
    return Dataset(defaults, named) if defaults or named else None


_PROBLEM = {"application/problem+json": {"schema": {"type": "object"}}}
_ANY = {"schema": {"type": "string"}}
_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": description, "content": _PROBLEM}
    for status, description in {
        400: "Malformed query, update refused, bad parameter",
        403: "SERVICE endpoint not allowed",
        405: "Method not allowed",
        406: "No acceptable result format",
        413: "Body too large",
        415: "Unsupported content type",
        422: "Invalid parameter",
        502: "A SERVICE call failed",
        503: "Timeout, worker stopped, or store unavailable",
    }.items()
}
_GRAPH_LIST = {"type": "array", "items": {"type": "string"}}
_QUERY_PARAMETERS = [
    {
        "name": "query",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE).",
    },
    {"name": "default-graph-uri", "in": "query", "required": False, "schema": _GRAPH_LIST, "explode": True},
    {"name": "named-graph-uri", "in": "query", "required": False, "schema": _GRAPH_LIST, "explode": True},
    {
        "name": "format",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "Overrides Accept: json, xml, csv, tsv, ttl, nt, jsonld, rdfxml, nq, trig, "
        "or a media type.",
    },
]
_GET_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Query results, or the service description / query page when there is no query",
        "content": dict.fromkeys([*RESULTS_OFFERS, *GRAPH_OFFERS, "text/html"], _ANY),
    },
    304: {"description": "Not modified (ETag or Last-Modified matched)"},
    **_ERRORS,
}
_POST_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Query results",
        "content": dict.fromkeys([*RESULTS_OFFERS, *GRAPH_OFFERS], _ANY),
    },
    **_ERRORS,
}
_POST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            FORM: {
                "schema": {
                    "type": "object",
                    "properties": {"query": {"type": "string"}},
                    "required": ["query"],
                }
            },
            DIRECT: {"schema": {"type": "string"}},
        },
    },
    "parameters": _QUERY_PARAMETERS[1:],
}


@router.head("/sparql", include_in_schema=False)
async def sparql_head(
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    allowlist: AllowlistDep,
    modified: DataModifiedDep,
) -> Response:
    return await sparql_get(request, settings, store, allowlist, modified)


@router.get(
    "/sparql",
    summary="SPARQL query (GET), or the service description",
    responses=_GET_RESPONSES,
    openapi_extra={"parameters": _QUERY_PARAMETERS},
)
async def sparql_get(
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    allowlist: AllowlistDep,
    modified: DataModifiedDep,
) -> Response:
    fields = _parse_params(request.scope.get("query_string", b""), "query string")
    if "update" in fields:
        raise UpdateRefused(READ_ONLY)
    query = _one(fields, "query")
    if query is None:
        return await query_page.describe_service(request, store, allowlist)
    return await _run(request, Endpoint(settings, store, allowlist, modified), query, fields, cacheable=True)


@router.post(
    "/sparql",
    summary="SPARQL query (POST form or direct)",
    responses=_POST_RESPONSES,
    openapi_extra=_POST_BODY,
)
async def sparql_post(
    request: Request, settings: SettingsDep, store: StoreDep, allowlist: AllowlistDep
) -> Response:
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    url_fields = _parse_params(request.scope.get("query_string", b""), "query string")
    if "update" in url_fields or media == UPDATE:
        raise UpdateRefused(READ_ONLY)
    if media not in (FORM, DIRECT):
        shown = f"Content-Type {media!r}" if media else "no Content-Type"
        raise UnsupportedMediaType(
            f"A POST with {shown} is not a SPARQL query; send the query as application/sparql-query, "
            "or as the field query= of an application/x-www-form-urlencoded form."
        )
    if not _charset_ok(content_type):
        raise UnsupportedMediaType(f"{content_type}: send the body as UTF-8 (charset=utf-8).")
    body = await read_body(request, settings.max_body)
    if media == FORM:
        form = await anyio.to_thread.run_sync(_parse_params, body, "form body")  # 1 MB takes 0.3 s
        if "update" in form:
            raise UpdateRefused(READ_ONLY)
        fields = {**url_fields}
        for name, values in form.items():
            fields.setdefault(name, []).extend(values)
        query = _one(fields, "query")
        if query is None:
            raise BadRequest("The form has no `query` field; send query=<your SPARQL query>.")
        if "query" in url_fields and "query" in form:
            raise BadRequest("`query` was given both in the URL and in the form; send it once.")
    else:
        try:
            query = body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BadRequest(
                f"The query is not valid UTF-8 (byte {error.start}); send it encoded as UTF-8."
            ) from None
        if "query" in url_fields:
            raise BadRequest("A direct POST carries the query in its body; drop `query` from the URL.")
        fields = url_fields
    return await _run(request, Endpoint(settings, store, allowlist, None), query, fields, cacheable=False)


def _choose(accept: str | None, offers: list[str], kind: str, formats: list[str]) -> str:
    """The negotiated media type; `format=` overrides Accept. Clients such as SPARQLWrapper repeat `format`
    (a short name and a media type): the first value that names an available format wins."""
    if not formats:
        return negotiate(accept, offers)
    first_error: NotAcceptable | None = None
    for value in formats:
        name = GRAPH_FORMAT_NAMES.get(value.strip().lower(), value) if kind == "graph" else value
        try:
            return negotiate(accept, offers, name)
        except NotAcceptable as error:
            first_error = first_error or error
    assert first_error is not None
    raise first_error


def _etag(version: str, query: str, dataset: Dataset | None, media_type: str) -> str:
    digest = hashlib.sha256(repr((version, query, dataset, media_type)).encode("utf-8")).hexdigest()[:32]
    return f'"{digest}"'


@dataclass(frozen=True)
class Endpoint:
    """What a query run needs of the app's state."""

    settings: Settings
    store: Store
    allowlist: ServiceAllowlist
    modified: datetime | None  # when the data last changed (Last-Modified), if known


async def _run(
    request: Request, endpoint: Endpoint, query: str, fields: dict[str, list[str]], *, cacheable: bool
) -> Response:
    settings, store, allowlist = endpoint.settings, endpoint.store, endpoint.allowlist
    started = time.perf_counter()
    try:
        if len(query) <= INLINE_INSPECT:
            info = inspect_query(query, allowlist, settings.max_body)
        else:  # lexing a query near the body limit takes most of a second: in a thread, others are served
            info = await anyio.to_thread.run_sync(inspect_query, query, allowlist, settings.max_body)
    except CoopkgError as error:  # refused before reaching the store: logged too, with its status
        _log(request, "-", error.status, started, 0, False)
        raise
    dataset = _dataset(fields)
    offers = RESULTS_OFFERS if info.kind in ("select", "ask") else GRAPH_OFFERS
    chosen = _choose(request.headers.get("accept"), offers, info.kind, fields.get("format", []))
    media_type = CANONICAL.get(("select" if info.kind == "ask" else info.kind, chosen), chosen)
    headers = {"Vary": "Accept"}
    if cacheable:
        etag = _etag(store.version, query, dataset, media_type)
        headers["ETag"] = etag
        headers["Cache-Control"] = CACHE_CONTROL
        if endpoint.modified is not None:
            headers["Last-Modified"] = format_datetime(endpoint.modified, usegmt=True)
        conditions = request.headers.get("if-none-match"), request.headers.get("if-modified-since")
        if not_modified(*conditions, etag, endpoint.modified):
            return Response(status_code=304, headers=headers)
    else:
        headers["Cache-Control"] = "no-store"
    try:
        url = str(request.url.replace(query="", fragment=""))
        response = await store.execute(QueryRequest(query, {}, dataset, media_type, None, url))
    except Exception as error:
        status = getattr(error, "status", 500)
        _log(request, info.form, status, started, 0, False)
        raise
    headers |= truncation_headers(response.truncated, settings.max_rows)
    content_type = media_type + ("; charset=utf-8" if media_type.startswith("text/") else "")
    if request.method == "HEAD":
        await _close(response.body)
        return Response(status_code=200, headers=headers, media_type=content_type)
    if response.whole is not None:  # a small answer, already complete: no streaming machinery needed
        # Logged once the answer is sent (Starlette runs a response's background task then): the client does
        # not wait for the log line, and its duration includes sending.
        logged = BackgroundTask(
            _log, request, info.form, 200, started, len(response.whole), response.truncated
        )
        return Response(response.whole, headers=headers, media_type=content_type, background=logged)
    return StreamingResponse(
        _logged(request, info.form, started, response.body, response.truncated),
        media_type=content_type,
        headers=headers,
    )


async def _logged(
    request: Request, form: str, started: float, body: AsyncIterator[bytes], truncated: bool
) -> AsyncIterator[bytes]:
    size = 0
    status = 200
    try:
        async for chunk in body:
            size += len(chunk)
            yield chunk
    except BaseException:
        status = 499  # the client went away or the stream broke midway
        raise
    finally:
        await _close(body)  # hands the store's resources back (a worker, a connection) at once
        _log(request, form, status, started, size, truncated)


async def _close(body: AsyncIterator[bytes]) -> None:
    close = getattr(body, "aclose", None)
    if close is not None:
        await close()


def _log(request: Request, form: str, status: int, started: float, size: int, truncated: bool) -> None:
    peer = request.scope.get("client")  # read from the scope: Request.client and .url build objects
    access_log.info(
        "%s %s %s %s status=%d duration_ms=%.1f bytes=%d truncated=%s",
        peer[0] if peer else "-",
        request.method,
        request.scope["path"],
        form,
        status,
        (time.perf_counter() - started) * 1000,
        size,
        str(truncated).lower(),
    )
