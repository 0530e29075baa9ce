"""Browsable API docs, offline: `/docs` (Swagger UI) and `/redoc` (ReDoc) over `/openapi.json`.

FastAPI's own pages load their scripts from a CDN (refused by our CSP and by hosts without network), so the
app turns them off and this router serves them instead. The scripts and the stylesheet come from the PyPI
package `fastapi-offline`, which bundles Swagger UI and ReDoc's standalone build; they are served under
`/docs/assets/`. Each page starts its viewer from a script of ours (`/static/*-init.js`, no inline script),
so the CSP keeps `script-src 'self'`; nothing is loaded from another origin.
"""

from __future__ import annotations

from html import escape
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from coopkg.errors import NotFound

router = APIRouter(include_in_schema=False)

# The bundled viewers' own assets, as the package ships them.
_ASSETS = Path(str(files("fastapi_offline") / "static"))
_ASSET_TYPES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "redoc.standalone.js": "text/javascript",
    "favicon.png": "image/png",
}
# Swagger UI and ReDoc style their components at run time (ReDoc inserts <style> elements), hence
# 'unsafe-inline' for styles only; icons are data: images; ReDoc's search runs in a blob: worker; "Try it out"
# and the schema are fetched from this origin only.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="{root}/docs/assets/favicon.png">
{stylesheet}
</head>
<body>
<noscript><p>This viewer needs JavaScript. The API description itself is at
<a href="{openapi}">{openapi}</a> (OpenAPI 3.1, JSON). 此页需要 JavaScript；API 描述见
<a href="{openapi}" lang="zh">{openapi}</a>。</p></noscript>
<div id="{element}" data-openapi="{openapi}"></div>
<script src="{root}/docs/assets/{bundle}"></script>
<script src="{root}/static/{init}"></script>
</body>
</html>
"""


def _page(
    request: Request, title: str, element: str, bundle: str, init: str, css: str | None
) -> HTMLResponse:
    # Behind a proxy that mounts the app under a prefix (root_path), every URL carries it.
    root = escape(request.scope.get("root_path", ""))
    openapi = root + escape(request.app.openapi_url or "/openapi.json")
    stylesheet = f'<link rel="stylesheet" href="{root}/docs/assets/{css}">' if css else ""
    body = _PAGE.format(
        title=escape(title),
        stylesheet=stylesheet,
        element=element,
        openapi=openapi,
        bundle=bundle,
        init=init,
        root=root,
    )
    return HTMLResponse(body, headers={"Content-Security-Policy": DOCS_CSP})


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    title = f"{request.app.title} API: Swagger UI"
    return _page(request, title, "swagger-ui", "swagger-ui-bundle.js", "swagger-init.js", "swagger-ui.css")


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    title = f"{request.app.title} API: ReDoc"
    return _page(request, title, "redoc", "redoc.standalone.js", "redoc-init.js", None)


@router.get("/docs/assets/{name}")
async def asset(name: str) -> FileResponse:
    # Only the four files named above (a name from the table, never a path).
    media_type = _ASSET_TYPES.get(name)
    if media_type is None:
        raise NotFound(f"/docs/assets/{name}: no such file")
    return FileResponse(
        _ASSETS / name,
        media_type=media_type if media_type.startswith("image/") else f"{media_type}; charset=utf-8",
        headers={"Cache-Control": "public, max-age=86400"},
    )
