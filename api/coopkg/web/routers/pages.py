"""The bilingual web pages that are not IRIs of things (home, programmes, comparison, mechanisms, SDG goals,
the query page, downloads), the VoID description and the stylesheet. Server-rendered; everything works
without JavaScript."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse, HTMLResponse

from coopkg.errors import CoopkgError, NotFound
from coopkg.linkeddata import html, listing, programme_pages
from coopkg.linkeddata.catalogue import small_number
from coopkg.linkeddata.describe import Description, render
from coopkg.linkeddata.downloads import BY_NAME, void_access, write_dump
from coopkg.linkeddata.formats import BY_MEDIA_TYPE, RDF_REPRESENTATIONS
from coopkg.linkeddata.i18n import Lang
from coopkg.linkeddata.site import Site, base_context
from coopkg.linkeddata.sparql_files import query_text
from coopkg.queries import default_registry
from coopkg.rdf.namespaces import DATASET
from coopkg.sparql.inspection import inspect_query
from coopkg.store.base import SelectResult, Store
from coopkg.web.conneg import negotiate, prefers_html
from coopkg.web.dependencies import (
    LANG_COOKIE,
    PAGE_CSP,
    AllowlistDep,
    SettingsDep,
    SiteDep,
    StoreDep,
    editor_page_csp,
    page_address,
    page_lang,
)
from coopkg.web.openapi import problems

# Browsers get an error page (HTML), other clients a problem document.
router = APIRouter(tags=["pages"], responses=problems(400, 404, 406, 422, 503, also=["text/html"]))

_STATIC = Path(__file__).resolve().parents[2] / "static"
_STATIC_TYPES = {".css": "text/css", ".js": "text/javascript"}
_DATASET = DATASET


def _page(request: Request, body: str, lang: Lang, status: int = 200) -> HTMLResponse:
    response = HTMLResponse(
        body, status_code=status, headers={"Vary": "Cookie", "Content-Security-Policy": PAGE_CSP}
    )
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


async def _html(
    request: Request, site_: Site, store_: Store, produce: Callable[[], Awaitable[str]]
) -> HTMLResponse:
    """The page `produce` renders, cached per data version, language and query string; a domain error becomes
    an HTML error page for browsers (problem+json for other clients, through the app's one error mapping)."""
    lang = page_lang(request)
    key = ("page", request.url.path, str(request.query_params), lang)
    cached = site_.rendered.get(store_.version, key)
    if cached is not None:
        return _page(request, cached.decode("utf-8"), lang)
    try:
        body = await produce()
    except CoopkgError as error:
        if not prefers_html(request.headers.get("accept")):
            raise
        context = base_context(page_address(request), lang) | {"status": error.status, "title": error.title}
        body = site_.render("error.html", context | {"detail": error.detail})
        return _page(request, body, lang, error.status)
    site_.rendered.put(store_.version, key, body.encode("utf-8"))
    return _page(request, body, lang)


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get(
    "/",
    response_class=HTMLResponse,
    summary="Home page: the programme, its counts and pictures (the programmes index when there are several)",
)
async def home(request: Request, site_: SiteDep, store_: StoreDep) -> HTMLResponse:
    lang = page_lang(request)

    async def produce() -> str:
        if await programme_pages.has_several_programmes(site_, store_):
            return await programme_pages.index(site_, store_, base_context(page_address(request), lang), lang)
        return await html.home(site_, store_, page_address(request), lang)

    return await _html(request, site_, store_, produce)


@router.get("/programmes", response_class=HTMLResponse, summary="The programmes the graph describes")
async def programmes(request: Request, site_: SiteDep, store_: StoreDep) -> HTMLResponse:
    lang = page_lang(request)
    return await _html(
        request,
        site_,
        store_,
        lambda: programme_pages.index(site_, store_, base_context(page_address(request), lang), lang),
    )


@router.get(
    "/compare",
    response_class=HTMLResponse,
    summary="Two programmes side by side: areas, SDG heatmaps, shared mechanisms, matched commitments",
)
async def compare(
    request: Request,
    site_: SiteDep,
    store_: StoreDep,
    a: Annotated[
        str, Query(description="The earlier (left) programme: its slug, e.g. cn-dk-green-2023-2026")
    ] = "",
    b: Annotated[str, Query(description="The later (right) programme: its slug")] = "",
) -> HTMLResponse:
    lang = page_lang(request)
    return await _html(
        request,
        site_,
        store_,
        lambda: programme_pages.compare(site_, store_, base_context(page_address(request), lang), lang, a, b),
    )


@router.get("/mechanisms", response_class=HTMLResponse, summary="The recurring mechanisms")
async def mechanisms(request: Request, site_: SiteDep, store_: StoreDep) -> HTMLResponse:
    return await _html(
        request,
        site_,
        store_,
        lambda: html.mechanisms(site_, store_, page_address(request), page_lang(request)),
    )


@router.get(
    "/sdg/{goal}", response_class=HTMLResponse, summary="An SDG goal and the commitments aligned to it"
)
async def sdg_goal(goal: str, request: Request, site_: SiteDep, store_: StoreDep) -> HTMLResponse:
    number = small_number(goal) or 0  # html.goal refuses anything but 1-17 with a NotFound
    return await _html(
        request,
        site_,
        store_,
        lambda: html.goal(site_, store_, page_address(request), page_lang(request), number),
    )


@router.get(
    "/query",
    response_class=HTMLResponse,
    summary="Query page: SPARQL editor, the named queries as examples, results as a table",
)
async def query_page(
    request: Request, site_: SiteDep, store_: StoreDep, settings: SettingsDep, allowlist: AllowlistDep
) -> HTMLResponse:

    async def run_text(text: str) -> tuple[str, SelectResult | bool]:
        # The same pre-parse guard as /sparql (read-only, SERVICE allowlist, size and depth limits).
        info = inspect_query(text, allowlist, max_length=settings.max_body)
        if info.kind == "ask":
            return info.kind, await store_.ask(text)
        if info.kind == "select":
            return info.kind, await store_.select(text)
        triples = await store_.construct(text)
        rows = [{"subject": t.subject, "predicate": t.predicate, "object": t.object} for t in triples]
        return info.kind, SelectResult(["subject", "predicate", "object"], rows)

    lang = page_lang(request)
    nonce = secrets.token_urlsafe(18)
    body, status = await html.query_page(
        site_, store_, page_address(request), lang, default_registry(), run_text, style_nonce=nonce
    )
    response = _page(request, body, lang, status)
    response.headers["Content-Security-Policy"] = editor_page_csp(nonce)
    response.headers["Cache-Control"] = "no-store"  # a fresh nonce per response
    return response


@router.get("/downloads", response_class=HTMLResponse, summary="Downloads page")
async def downloads(request: Request, site_: SiteDep, store_: StoreDep) -> HTMLResponse:
    return await _html(
        request, site_, store_, lambda: html.downloads_page(site_, page_address(request), page_lang(request))
    )


@router.get(
    "/downloads/{name}",
    summary="The whole graph (coopkg.trig, .nq, .ttl, .nt, .jsonld) or the commitments as CSV",
    responses={200: {"content": {"application/trig": {}, "text/turtle": {}, "text/csv": {}}}},
)
async def download(name: str, request: Request, site_: SiteDep, store_: StoreDep) -> Response:
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if name == "commitments.csv":
        catalogue = await site_.whole_catalogue(store_)
        text = listing.commitments_csv(catalogue.commitments)
        return Response(text, media_type="text/csv; charset=utf-8", headers=disposition)
    dump = BY_NAME.get(name)
    if dump is None:
        raise NotFound(f"/downloads/{name}: no such file; see /downloads for the list")
    version = store_.version
    body = site_.rendered.get(version, ("dump", name))
    if body is None:
        quads = await store_.quads()  # the data the store serves: the remote store's in remote mode
        context_url = _base_url(request) + "/context.jsonld"
        body = await asyncio.to_thread(write_dump, quads, dump, context_url)
        site_.rendered.put(version, ("dump", name), body)
    charset = "; charset=utf-8"
    return Response(body, media_type=dump.media_type + charset, headers=disposition)


@router.get(
    "/.well-known/void",
    summary="VoID/DCAT description of the dataset, with its dumps and SPARQL endpoint",
    responses={200: {"content": {rep.media_type: {} for rep in RDF_REPRESENTATIONS}}},
)
async def void(request: Request, store_: StoreDep) -> Response:
    offers = [rep.media_type for rep in RDF_REPRESENTATIONS]
    representation = BY_MEDIA_TYPE[
        negotiate(request.headers.get("accept"), offers, request.query_params.get("format"))
    ]
    triples = list(await store_.construct(query_text("void")))
    if not triples:
        raise NotFound("this server's data has no VoID description (graph id:graph/meta is empty)")
    triples += void_access(_DATASET, _base_url(request))
    description = Description(
        _DATASET, tuple(sorted(set(triples), key=lambda t: (t.subject != ox.NamedNode(_DATASET), str(t))))
    )
    body = await asyncio.to_thread(
        render, description, representation, _base_url(request) + "/context.jsonld"
    )
    return Response(body, media_type=representation.content_type, headers={"Vary": "Accept"})


@router.get("/static/{name}", include_in_schema=False)
async def static(name: str) -> Response:
    # Only the files that ship in api/coopkg/static/ (a name, never a path).
    path = _STATIC / name
    if "/" in name or "\\" in name or path.suffix not in _STATIC_TYPES or not path.is_file():
        raise NotFound(f"/static/{name}: no such file")
    return FileResponse(
        path,
        media_type=f"{_STATIC_TYPES[path.suffix]}; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600"},
    )
