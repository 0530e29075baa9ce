"""Dereferenceable IRIs: `/id/...` (things), `/def` (the ontology) and `/context.jsonld`.

Every IRI under https://w3id.org/coopkg/id/ answers at the same path on this host, as HTML, Turtle, JSON-LD,
N-Triples or RDF/XML, chosen by Accept (q-values) or by a suffix (`.ttl`, `.jsonld`, `.nt`, `.rdf`, `.html`).
Rendered bytes are cached per data version; an unknown IRI is a 404 in the format asked for.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response

from coopkg.errors import NotFound
from coopkg.linkeddata import describe as describing
from coopkg.linkeddata import html, jsonld
from coopkg.linkeddata.formats import (
    BY_MEDIA_TYPE,
    HTML,
    JSON_LD,
    REPRESENTATIONS,
    Representation,
    split_suffix,
)
from coopkg.linkeddata.i18n import Lang
from coopkg.linkeddata.site import Site, base_context
from coopkg.rdf.namespaces import ID, ONTOLOGY, PREFIXES
from coopkg.store.base import Store
from coopkg.web.conneg import negotiate
from coopkg.web.dependencies import LANG_COOKIE, PAGE_CSP, SiteDep, StoreDep, page_address, page_lang
from coopkg.web.http import not_modified
from coopkg.web.openapi import problems

router = APIRouter(tags=["linked data"], responses=problems(404, 406, 503))

_OFFERS = [rep.media_type for rep in REPRESENTATIONS]
_RDF_DOC: dict[str, Any] = {
    "description": "The resource in the negotiated representation.",
    "content": {
        "text/html": {},
        "text/turtle": {},
        "application/ld+json": {},
        "application/n-triples": {},
        "application/rdf+xml": {},
    },
}
_NOT_MODIFIED = {"description": "Not modified: If-None-Match matched the ETag"}
# An unknown IRI is a 404 in the representation asked for (a page, or RDF saying why in a comment); a
# `.../source.txt` that is not served is a problem document.
_ID_NOT_FOUND = {
    "description": "Nothing is known about this IRI",
    "content": _RDF_DOC["content"] | problems(404)[404]["content"],
}


def context_url(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/context.jsonld"


def choose(request: Request, suffix: Representation | None) -> Representation:
    if suffix is not None:
        return suffix
    return BY_MEDIA_TYPE[
        negotiate(request.headers.get("accept"), _OFFERS, request.query_params.get("format"))
    ]


def _alternates(stem: str | None) -> list[tuple[str, str]]:
    """Every representation's URL (suffixed) and media type, for `Link: rel="alternate"` headers."""
    base = "/def" if stem is None else f"/id/{quote(stem)}"
    return [(f"{base}.{rep.suffix}", rep.media_type) for rep in REPRESENTATIONS]


def _etag(version: str, key: str) -> str:
    return '"' + hashlib.sha256(f"{version}\n{key}".encode()).hexdigest()[:32] + '"'


async def _answer(
    request: Request,
    site_: Site,
    store_: Store,
    representation: Representation,
    key: str,
    make: Callable[[], Awaitable[bytes]],
    *,
    negotiated: bool,
    alternates: list[tuple[str, str]] | None = None,
) -> Response:
    """Serve `make()`'s bytes, from the per-version cache when present, with ETag and Vary."""
    lang: Lang = page_lang(request)
    # The base URL too: JSON-LD names its @context by it, so each host the gateway answers for gets its own.
    cache_key = (key, representation.media_type, lang, str(request.query_params), str(request.base_url))
    version = store_.version
    etag = _etag(version, repr(cache_key))
    headers = {"ETag": etag}
    if negotiated:
        headers["Vary"] = "Accept, Cookie" if representation == HTML else "Accept"
    if not_modified(request.headers.get("if-none-match"), None, etag):
        return Response(status_code=304, headers=headers)
    body = site_.rendered.get(version, cache_key)
    if body is None:
        body = site_.rendered.put(version, cache_key, await make())
    if representation == HTML:
        headers["Content-Security-Policy"] = PAGE_CSP
    if alternates:
        headers["Link"] = ", ".join(
            f'<{href}>; rel="alternate"; type="{media}"' for href, media in alternates
        )
    response = Response(body, media_type=representation.content_type, headers=headers)
    if representation == HTML and request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


async def _not_found(
    request: Request, site_: Site, representation: Representation, error: NotFound, iri: str
) -> Response:
    """A 404 in the representation asked for: a page, or an empty graph with a comment saying why."""
    headers = {"Vary": "Accept"}
    if representation == HTML:
        lang = page_lang(request)
        body = site_.render(
            "error.html",
            base_context(page_address(request), lang)
            | {"status": 404, "title": "Not found", "detail": error.detail},
        )
        headers["Content-Security-Policy"] = PAGE_CSP
        return Response(body, status_code=404, media_type=HTML.content_type, headers=headers)
    if representation == JSON_LD:
        document = {"@context": context_url(request), "@id": iri, "@graph": [], "detail": error.detail}
        text = json.dumps(document, ensure_ascii=False)
    elif representation.media_type == "application/rdf+xml":
        text = (
            '<?xml version="1.0" encoding="utf-8"?>\n<!-- Not found: '
            + error.detail.replace("--", "- -")
            + f' -->\n<rdf:RDF xmlns:rdf="{PREFIXES["rdf"]}"/>\n'
        )
    else:
        text = "# Not found: " + error.detail.replace("\n", " ") + "\n"
    return Response(text, status_code=404, media_type=representation.content_type, headers=headers)


@router.get(
    "/context.jsonld",
    summary="The JSON-LD context of coopkg's JSON-LD",
    response_class=Response,
    responses={200: {"description": "The context", "content": {"application/ld+json": {}}}},
)
async def context_document() -> Response:
    return Response(
        json.dumps(jsonld.context(), ensure_ascii=False, indent=2),
        media_type="application/ld+json",
        headers={"Cache-Control": "public, max-age=3600"},
    )


@router.get(
    "/def",
    summary="The coopkg ontology (documentation page or RDF)",
    responses={200: _RDF_DOC, 304: _NOT_MODIFIED},
)
async def ontology(request: Request, site_: SiteDep, store_: StoreDep) -> Response:
    return await _ontology(request, site_, store_, None)


@router.get(
    "/def.{suffix}",
    summary="The coopkg ontology in the format the suffix names",
    responses={200: _RDF_DOC, 304: _NOT_MODIFIED},
)
async def ontology_suffixed(suffix: str, request: Request, site_: SiteDep, store_: StoreDep) -> Response:
    _, representation = split_suffix(f"def.{suffix}")
    if representation is None:
        raise NotFound(f"/def.{suffix}: unknown suffix; use .ttl, .jsonld, .nt, .rdf or .html")
    return await _ontology(request, site_, store_, representation)


async def _ontology(request: Request, site_: Site, store_: Store, suffix: Representation | None) -> Response:
    representation = choose(request, suffix)

    async def make() -> bytes:
        if representation == HTML:
            return (await html.ontology(site_, store_, page_address(request), page_lang(request))).encode()
        description = await describing.ontology(store_)
        return await asyncio.to_thread(describing.render, description, representation, context_url(request))

    return await _answer(
        request,
        site_,
        store_,
        representation,
        ONTOLOGY,
        make,
        negotiated=suffix is None,
        alternates=_alternates(None),
    )


@router.get(
    "/id/{path:path}",
    summary="Any coopkg IRI: page or RDF description",
    responses={
        200: {**_RDF_DOC, "content": _RDF_DOC["content"] | {"text/plain": {}}},
        304: _NOT_MODIFIED,
        404: _ID_NOT_FOUND,
    },
)
async def thing(path: str, request: Request, site_: SiteDep, store_: StoreDep) -> Response:
    if path.endswith("/source.txt"):
        return await _source_text(site_, store_, ID + path.removesuffix(".txt"))
    stem, suffix = split_suffix(path)
    representation = choose(request, suffix)
    iri = ID + stem

    async def make() -> bytes:
        if representation == HTML:
            return (
                await html.resource(site_, store_, page_address(request), page_lang(request), iri)
            ).encode()
        description = await describing.describe(store_, iri)
        return await asyncio.to_thread(describing.render, description, representation, context_url(request))

    try:
        return await _answer(
            request,
            site_,
            store_,
            representation,
            iri,
            make,
            negotiated=suffix is None,
            alternates=_alternates(stem),
        )
    except NotFound as error:
        return await _not_found(request, site_, representation, error, iri)


async def _source_text(site_: Site, store_: Store, document: str) -> Response:
    """A programme's source text file exactly as the offsets count it (`text/plain`)."""
    catalogue = await site_.directory_catalogue(store_)  # the programmes' facts only
    programme = next((p for p in catalogue.programmes.values() if p.document == document), None)
    text = await site_.source_text(programme.file if programme else None)
    if text is None:
        raise NotFound(f"no source text is served for <{document}>")
    return Response(text, media_type="text/plain; charset=utf-8")


# HEAD answers like GET (servers send no body for it): link checkers and crawlers probe IRIs this way.
@router.head("/id/{path:path}", include_in_schema=False)
async def thing_head(path: str, request: Request, site_: SiteDep, store_: StoreDep) -> Response:
    return await thing(path, request, site_, store_)


@router.head("/def", include_in_schema=False)
async def ontology_head(request: Request, site_: SiteDep, store_: StoreDep) -> Response:
    return await _ontology(request, site_, store_, None)
