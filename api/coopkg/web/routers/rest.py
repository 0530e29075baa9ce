"""REST for apps: the named queries as endpoints (`/api/queries/...`) and the resources (`/api/commitments`,
`/api/areas`, `/api/sections`, `/api/frameworks`, `/api/agencies`, `/api/sdg/goals`).

Named-query parameters are validated by the registry's types and reach SPARQL only as RDF terms in a VALUES
block; resource filters never reach SPARQL at all (they are matched against the catalogue in memory).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response

from coopkg.errors import InvalidParameter, NotFound
from coopkg.linkeddata import describe as describing
from coopkg.linkeddata import listing
from coopkg.linkeddata.formats import JSON_LD
from coopkg.queries import NamedQuery, QueryRegistry, bind, inline_values
from coopkg.queries.params import ParamKind
from coopkg.queries.run import search_block, with_search
from coopkg.rdf.namespaces import DEF, ID
from coopkg.search.request import clean_text
from coopkg.settings import Settings
from coopkg.store.base import QueryRequest, Store
from coopkg.store.results import read_all
from coopkg.web.conneg import negotiate
from coopkg.web.dependencies import SettingsDep, SiteDep, StoreDep
from coopkg.web.http import TOTAL_COUNT, truncation_headers
from coopkg.web.openapi import problems
from coopkg.web.routers.search import current_index

router = APIRouter(prefix="/api", tags=["resources"], responses=problems(404, 406, 422, 503))

_JSON = "application/json"
_CSV = "text/csv"
_SPARQL_JSON = "application/sparql-results+json"
_COMMITMENT_EXAMPLE = {
    "id": f"{ID}programme/cn-dk-green-2023-2026/section/04/item/1",
    "key": "programme/cn-dk-green-2023-2026/section/04/item/1",
    "notation": "（一）",
    "text": {
        "zh": "定期举行双边经贸联委会。",
        "en": "Hold the bilateral Joint Economic and Trade Commission...",
    },
    "textLanguage": "zh",
    "englishOfficial": False,
    "section": {
        "id": f"{ID}programme/cn-dk-green-2023-2026/section/04",
        "label": {"zh": "贸易：加强经济关系"},
    },
    "areas": [{"id": f"{ID}programme/cn-dk-green-2023-2026/area/6", "label": {"zh": "加强经济关系"}}],
    "mechanism": True,
    "alignments": [
        {"target": {"id": "http://metadata.un.org/sdg/17.17"}, "goal": 17, "basis": "...#CuratedJudgement"}
    ],
}


def _json(document: Any, *, headers: dict[str, str] | None = None, media_type: str = _JSON) -> Response:
    return Response(json.dumps(document, ensure_ascii=False), media_type=media_type, headers=headers)


@router.get(
    "/commitments",
    summary="Commitments, filtered, sorted and paged",
    description=(
        "Filters combine (AND). `area`, `section` and `framework` take an IRI or an id relative to "
        "https://w3id.org/coopkg/id/; `sdg` takes a goal (`6`), a target (`6.3`) or its IRI and matches "
        "alignments to the goal or any of its targets; `q` searches the Chinese text and our English "
        "rendering through the search index (docs/search.md: Chinese words, English stems; every word "
        "must occur), and `sort=relevance` orders by its BM25 rank. Paging: `Link` headers (first, prev, "
        "next, last) and `X-Total-Count`. JSON by default, "
        "CSV by Accept or `format=csv`."
    ),
    responses={
        200: {
            "content": {
                _JSON: {"example": {"total": 1, "page": 1, "per_page": 50, "items": [_COMMITMENT_EXAMPLE]}},
                _CSV: {},
            }
        }
    },
)
async def commitments(
    request: Request,
    site_: SiteDep,
    store_: StoreDep,
    area: Annotated[str | None, Query(examples=["programme/cn-dk-green-2023-2026/area/1"])] = None,
    section: Annotated[str | None, Query(examples=["programme/cn-dk-green-2023-2026/section/05"])] = None,
    sdg: Annotated[str | None, Query(examples=["6", "6.3", "http://metadata.un.org/sdg/13"])] = None,
    framework: Annotated[str | None, Query(examples=["framework/paris-agreement"])] = None,
    mechanism: Annotated[
        bool | None, Query(description="Only mechanisms (true) or only the others (false)")
    ] = None,
    q: Annotated[str | None, Query(max_length=200, examples=["水", "water"])] = None,
    sort: Annotated[
        str, Query(description="document, section or goals (prefix - to reverse), or relevance (with q)")
    ] = "document",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=listing.MAX_PER_PAGE)] = 50,
    format: Annotated[str | None, Query(description="json or csv (overrides Accept)")] = None,
) -> Response:
    media = negotiate(request.headers.get("accept"), [_JSON, _CSV], format)
    key = ("coopkg", str(request.query_params), media)
    cached = site_.listings.get(store_.version, key)
    if cached is not None:  # the same listing of the same data version
        return Response(cached[0], media_type=media, headers=cached[1])
    filters = listing.Filters(area, section, sdg, framework, mechanism, q)
    programmes = await listing.programmes_to_read(site_, store_, filters)
    catalogue = await (
        site_.whole_catalogue(store_) if programmes is None else site_.catalogue_of(store_, programmes)
    )
    ranks = await _search_ranks(request, store_, q) if q is not None and q.strip() else None
    items = listing.sort_commitments(listing.filter_commitments(catalogue, filters, ranks), sort, ranks)
    headers = {"Vary": "Accept"}
    if media == _CSV:
        body = listing.commitments_csv(items).encode("utf-8")
    else:
        paged = listing.paginate(items, page, per_page)
        document = {
            "total": paged.total,
            "page": paged.page,
            "per_page": paged.per_page,
            "links": _links(request, paged),
            "items": [listing.commitment_json(catalogue, c) for c in paged.items],
        }
        body = json.dumps(document, ensure_ascii=False).encode("utf-8")
        headers |= {TOTAL_COUNT: str(paged.total), "Link": str(document["links"])}
    site_.listings.put(store_.version, key, (body, headers))
    return Response(body, media_type=media, headers=headers)


async def _search_ranks(request: Request, store_: Store, q: str) -> dict[str, int]:
    """Commitments the search index finds for `q` (every word), with their rank: the one search of
    /api/search, /search and the text-search named query."""
    index = await current_index(request, store_)
    return await asyncio.to_thread(index.matching, clean_text(q), "commitment")


def _links(request: Request, paged: listing.Page) -> str:
    def url(page: int) -> str:
        params = dict(request.query_params) | {"page": str(page)}
        return f"{request.url.path}?{urlencode(params)}"

    relations = [("first", 1), ("last", paged.last_page)]
    if paged.page > 1:
        relations.append(("prev", min(paged.page - 1, paged.last_page)))
    if paged.page < paged.last_page:
        relations.append(("next", paged.page + 1))
    return ", ".join(f'<{url(page)}>; rel="{rel}"' for rel, page in relations)


@router.get(
    "/commitments/{key:path}",
    summary="One commitment as framed JSON-LD",
    description="`key` is the commitment's IRI after https://w3id.org/coopkg/id/ (the `key` of the list).",
    responses={
        200: {
            "content": {
                "application/ld+json": {
                    "example": {"@context": "/context.jsonld", "@id": "…", "type": ["Commitment"]}
                }
            }
        }
    },
)
async def commitment(key: str, request: Request, site_: SiteDep, store_: StoreDep) -> Response:
    iri = ID + key
    description = await describing.describe(store_, iri)
    catalogue = await site_.catalogue_of(store_, description.linked(iri, DEF + "programme"))
    if catalogue.commitment(iri) is None:
        raise NotFound(f"no commitment {key!r}; list them at /api/commitments (their `key`)")
    context_url = str(request.base_url).rstrip("/") + "/context.jsonld"
    body = await asyncio.to_thread(describing.render, description, JSON_LD, context_url)
    return Response(body, media_type="application/ld+json")


def _entity_route(path: str, kind: str, summary: str) -> None:
    async def endpoint(site_: SiteDep, store_: StoreDep) -> Response:
        return _json(listing.entities(await site_.directory_catalogue(store_), kind))

    example = [{"id": f"{ID}…", "label": {"zh": "…", "en": "…"}, "commitments": 5}]
    router.add_api_route(
        path, endpoint, methods=["GET"], summary=summary, name=f"list_{kind}",
        responses={200: {"content": {_JSON: {"example": example}}}},
    )  # fmt: skip


_entity_route("/areas", "area", "Cooperation areas with their number of commitments")
_entity_route("/sections", "section", "Sections (document order) with their areas and number of commitments")
_entity_route("/frameworks", "framework", "Frameworks the commitments cite, with counts")
_entity_route("/agencies", "agency", "Agencies the commitments name, with counts")


@router.get(
    "/sdg/goals",
    summary="The 17 SDG goals with the number of commitments aligned to each (goal or one of its targets)",
    responses={
        200: {
            "content": {
                _JSON: {
                    "example": [
                        {
                            "id": "http://metadata.un.org/sdg/6",
                            "number": 6,
                            "label": {"en": "Clean water and sanitation"},
                            "colour": "#26BDE2",
                            "commitments": 7,
                        }
                    ]
                }
            }
        }
    },
)
async def sdg_goals(site_: SiteDep, store_: StoreDep) -> Response:
    return _json(listing.goals(await site_.directory_catalogue(store_)))


# ---- named queries ----------------------------------------------------------------------------------------

_SCHEMAS: dict[ParamKind, dict[str, Any]] = {
    ParamKind.IRI: {"type": "string", "format": "iri"},
    ParamKind.STRING: {"type": "string"},
    ParamKind.LANGSTRING: {"type": "string", "pattern": "@[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$"},
    ParamKind.INTEGER: {"type": "integer"},
}
_EXAMPLES: dict[ParamKind, str] = {
    ParamKind.IRI: "http://metadata.un.org/sdg/6",
    ParamKind.STRING: "水",
    ParamKind.LANGSTRING: "water@en",
    ParamKind.INTEGER: "3",
}


def _parameters(query: NamedQuery) -> list[dict[str, Any]]:
    parameters = []
    for param in query.params:
        schema = dict(_SCHEMAS.get(param.kind, {"type": "string"}))
        if param.kind is ParamKind.ENUM:
            schema["enum"] = list(param.choices)
        if param.default is not None:
            schema["default"] = int(param.default) if param.kind is ParamKind.INTEGER else param.default
        example = param.default or (param.choices[0] if param.choices else _EXAMPLES.get(param.kind, ""))
        parameters.append(
            {
                "name": param.name,
                "in": "query",
                "required": param.required,
                "description": f"{param.description} ({param.expected})",
                "schema": schema,
                "example": example,
            }
        )
    parameters.append(
        {
            "name": "format",
            "in": "query",
            "required": False,
            "description": "json or csv (overrides Accept)",
            "schema": {"type": "string", "enum": ["json", "csv"]},
        }
    )
    return parameters


def _named_endpoint(query: NamedQuery) -> Callable[[Request, Store, Settings], Awaitable[Response]]:
    async def endpoint(request: Request, store_: StoreDep, settings: SettingsDep) -> Response:
        return await run_named(request, store_, query, settings.max_rows)

    return endpoint


async def run_named(request: Request, store_: Store, query: NamedQuery, max_rows: int) -> Response:
    """Validate the parameters, bind them as RDF terms, run, answer as SPARQL JSON or CSV."""
    fmt = request.query_params.get("format")
    media = negotiate(request.headers.get("accept"), [_JSON, _SPARQL_JSON, _CSV], fmt)
    values = {key: value for key, value in request.query_params.items() if key != "format"}
    repeated = [key for key in values if len(request.query_params.getlist(key)) > 1]
    if repeated:
        raise InvalidParameter(f"parameter {repeated[0]!r} is given more than once; give one value")
    bindings = bind(query, values)
    text = query.text
    if query.search:  # answered from the search index: its hits are bound before the query runs
        index = await current_index(request, store_)
        block = await asyncio.to_thread(search_block, query, bindings, index)
        text = with_search(query, block)
    text = inline_values(text, bindings)
    # Written by the store's own SPARQL results writer (pyoxigraph's), as /sparql answers are.
    transfer = _CSV if media == _CSV else _SPARQL_JSON
    response = await store_.execute(QueryRequest(text, media_type=transfer))
    body = response.whole if response.whole is not None else await read_all(response.body)
    headers = {"Vary": "Accept"} | truncation_headers(response.truncated, max_rows)
    content_type = "text/csv; charset=utf-8" if media == _CSV else media
    return Response(body, media_type=content_type, headers=headers)


def build_queries_router(registry: QueryRegistry) -> APIRouter:
    """`GET /api/queries` and one `GET /api/queries/{name}` per named query, typed from its header."""
    named = APIRouter(prefix="/api/queries", tags=["named queries"], responses=problems(406, 422, 503))
    listing_example = [
        {"name": name, "title": query.title, "href": f"/api/queries/{name}"}
        for name, query in list(registry.items())[:2]
    ]

    async def list_queries(request: Request) -> Response:
        return _json(
            [
                {
                    "name": name,
                    "title": query.title,
                    "description": query.description,
                    "href": f"/api/queries/{name}",
                    "parameters": [
                        {
                            "name": p.name,
                            "type": p.type_label,
                            "required": p.required,
                            "default": p.default,
                            "description": p.description,
                        }
                        for p in query.params
                    ],
                }
                for name, query in registry.items()
            ]
        )

    named.add_api_route(
        "", list_queries, methods=["GET"], summary="The named queries, their descriptions and parameters",
        responses={200: {"content": {_JSON: {"example": listing_example}}}},
    )  # fmt: skip
    for name, query in registry.items():
        named.add_api_route(
            f"/{name}",
            _named_endpoint(query),
            methods=["GET"],
            name=f"query_{name.replace('-', '_')}",
            summary=query.title,
            description=query.description,
            openapi_extra={"parameters": _parameters(query)},
            responses={
                200: {
                    "description": "SPARQL 1.1 results (JSON) or CSV",
                    "content": {_JSON: {}, _SPARQL_JSON: {}, _CSV: {}},
                },
                422: {
                    **problems(422)[422],
                    "description": "A parameter is missing or not a value of its type",
                },
            },
        )
    return named
