"""Search: `GET /api/search` (JSON with a JSON-LD context) and the results page `GET /search` (bilingual, no
script needed). Both ask the one index of the data version (`coopkg.search`), which `/api/commitments?q=` and
the `text-search` named query use too.

The query text never reaches SQL or SPARQL: it is analysed into words, and only those, quoted, reach FTS5.
A text too long is a 400 problem; one without any word (operators, quotes, punctuation) finds nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

import anyio
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse

from coopkg.errors import BadRequest, CoopkgError
from coopkg.linkeddata.i18n import Lang
from coopkg.linkeddata.site import Site, base_context
from coopkg.rdf.namespaces import local_href
from coopkg.search.documents import KINDS
from coopkg.search.index import MAX_QUERY_CHARS, Hit, SearchIndex, SearchQuery
from coopkg.search.request import MAX_PER_PAGE, Filters, results_json, search_query
from coopkg.search.service import SearchService
from coopkg.store.base import Store
from coopkg.web.conneg import prefers_html
from coopkg.web.dependencies import LANG_COOKIE, PAGE_CSP, page_address, page_lang, site, store
from coopkg.web.openapi import problems

router = APIRouter(tags=["search"], responses=problems(400, 422, 503))
SiteDep = Annotated[Site, Depends(site)]
StoreDep = Annotated[Store, Depends(store)]


def search_service(request: Request) -> SearchService:
    service: SearchService = request.app.state.search
    return service


async def current_index(request: Request, store_: Store) -> SearchIndex:
    """The index of the data version `store_` serves now (built at start-up; rebuilt if the data changed)."""
    return await search_service(request).index(store_)


def _links(request: Request, query: SearchQuery, total: int) -> dict[str, str]:
    last = max(1, -(-total // query.per_page))

    def url(page: int) -> str:
        return f"{request.url.path}?{urlencode(dict(request.query_params) | {'page': str(page)})}"

    links = {"first": url(1), "last": url(last)}
    if query.page > 1:
        links["prev"] = url(min(query.page - 1, last))
    if query.page < last:
        links["next"] = url(query.page + 1)
    return links


Q = Annotated[str, Query(description="Words to find, in Chinese or English (at most 256 characters)")]
Page = Annotated[int, Query(ge=1, le=100_000)]
PerPage = Annotated[int, Query(ge=1, le=MAX_PER_PAGE)]
Opt = Annotated[str | None, Query()]


@router.get(
    "/api/search",
    summary="Ranked bilingual search over commitments and the labels of programmes, sections, areas, "
    "agencies, frameworks, parties and SDG goals and targets",
    description=(
        "Chinese is segmented into words (jieba), English is stemmed (Snowball); hits are ranked by BM25, "
        "best first, with highlighted snippets (`matches` are code-point offsets into the snippet's `text`). "
        "Every word must occur; when no document has them all, documents with any of them are returned "
        "(`matched`: `any`). Filters: `programme`, `area`, `framework`, `party` (an IRI or an id relative "
        "to https://w3id.org/coopkg/id/), `sdg` (a goal `6`, a target `6.3`, or its IRI), `kind`. "
        "docs/search.md describes the analysis and what it misses."
    ),
    responses={200: {"content": {"application/ld+json": {}, "application/json": {}}}},
)
async def api_search(
    request: Request,
    store_: StoreDep,
    q: Q,
    programme: Opt = None,
    area: Opt = None,
    sdg: Opt = None,
    framework: Opt = None,
    party: Opt = None,
    kind: Opt = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> Response:
    query = search_query(q, Filters(programme, area, sdg, framework, party, kind), page, per_page)
    if not query.text.strip():
        raise BadRequest("parameter 'q' is empty; give a word to search for (Chinese or English)")
    index = await current_index(request, store_)
    results = await anyio.to_thread.run_sync(index.search, query)
    document = results_json(query, results, _links(request, query, results.total))
    accept = request.headers.get("accept") or ""
    media = "application/ld+json" if "application/ld+json" in accept else "application/json"
    return Response(
        json.dumps(document, ensure_ascii=False),
        media_type=media,
        headers={"X-Total-Count": str(results.total), "Vary": "Accept"},
    )


@dataclass(frozen=True)
class HitView:
    href: str | None
    iri: str
    kind: str
    kind_label: str
    title: list[tuple[str, bool]]
    title_lang: str
    other: list[tuple[str, bool]] | None
    other_lang: str


_KIND_WORDS: dict[str, tuple[str, str]] = {
    "commitment": ("Commitment", "承诺"),
    "programme": ("Programme", "工作方案"),
    "section": ("Section", "章节"),
    "area": ("Cooperation area", "合作领域"),
    "agency": ("Agency", "机构"),
    "framework": ("Framework", "框架"),
    "party": ("Party", "缔约方"),
    "goal": ("SDG goal", "可持续发展目标"),
    "target": ("SDG target", "可持续发展具体目标"),
}


def _href(iri: str, lang: Lang) -> str | None:
    href = local_href(iri)
    if href.startswith("/"):
        path, mark, fragment = href.partition("#")
        return f"{path}?lang={lang}{mark}{fragment}"
    return href if href.startswith(("http://", "https://")) else None


def hit_view(hit: Hit, lang: Lang) -> HitView:
    first = lang if lang in hit.snippets else next(iter(hit.snippets), lang)
    other_lang = "en" if first == "zh" else "zh"
    title = list(hit.snippets.get(first, [(hit.iri, False)]))
    if hit.notation and hit.kind == "commitment" and first == "zh":
        title.insert(0, (hit.notation, False))
    return HitView(
        href=_href(hit.iri, lang),
        iri=hit.iri,
        kind=hit.kind,
        kind_label=_KIND_WORDS[hit.kind][0 if lang == "en" else 1],
        title=title,
        title_lang=first,
        other=hit.snippets.get(other_lang),
        other_lang=other_lang,
    )


@router.get(
    "/search",
    response_class=HTMLResponse,
    summary="Search page: the form and ranked results, in Chinese or English",
    responses=problems(400, 422, also=["text/html"]),
)
async def search_page(
    request: Request,
    site_: SiteDep,
    store_: StoreDep,
    q: Annotated[str, Query()] = "",
    programme: Opt = None,
    area: Opt = None,
    sdg: Opt = None,
    framework: Opt = None,
    party: Opt = None,
    kind: Opt = None,
    page: Page = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20,
) -> HTMLResponse:
    lang = page_lang(request)
    filters = Filters(programme, area, sdg, framework, party, kind)
    context = base_context(page_address(request), lang) | {
        "q": q[:MAX_QUERY_CHARS],
        "filters": filters,
        "kinds": [(k, _KIND_WORDS[k][0 if lang == "en" else 1]) for k in KINDS],
        "results": None,
        "hits": [],
        "error": None,
    }
    status = 200
    try:
        query = search_query(q, filters, page, per_page)
        if query.text.strip():
            index = await current_index(request, store_)
            results = await anyio.to_thread.run_sync(index.search, query)
            links = _links(request, query, results.total)
            context |= {
                "results": results,
                "hits": [hit_view(hit, lang) for hit in results.hits],
                "first": (page - 1) * per_page + 1,
                "prev": links.get("prev"),
                "next": links.get("next"),
                "page": page,
                "last_page": max(1, -(-results.total // per_page)),
            }
    except CoopkgError as error:
        if not prefers_html(request.headers.get("accept")) and error.status >= 500:
            raise
        status = error.status if error.status < 500 else 503
        context["error"] = error.detail
    body = site_.render("search.html", context)
    response = HTMLResponse(
        body,
        status_code=status,
        headers={"Vary": "Cookie", "Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-store"},
    )
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response
