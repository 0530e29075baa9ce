"""The app's state as FastAPI dependencies: routers take the settings, the store, the linked-data Site and
the SERVICE allowlist through these (`StoreDep`, ...), never by reading `app.state` themselves.

`create_app` puts settings and allowlist on the state, its lifespan the store (and when its data was last
modified); the Site is made on first use. Here too: what every HTML page's request and response share (the
page's address and language, the language cookie, the pages' Content-Security-Policy).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from coopkg.linkeddata.i18n import Lang, pick_lang
from coopkg.linkeddata.site import PageAddress, Site
from coopkg.settings import Settings
from coopkg.sparql.inspection import ServiceAllowlist
from coopkg.store.base import Store

LANG_COOKIE = "coopkg_lang"
# Our pages load only their own stylesheet and script, send forms only here, and are never framed.
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def editor_page_csp(style_nonce: str) -> str:
    """The query page's policy: PAGE_CSP, plus fetches to this origin (the editor runs queries and loads its
    completion list) and the one <style> element CodeMirror writes its editor styles into, allowed by a nonce
    made for this response (CodeMirror's `EditorView.cspNonce`); no inline script, nothing from elsewhere."""
    styles = f"style-src 'self' 'nonce-{style_nonce}'"
    return PAGE_CSP.replace("style-src 'self'", styles) + "; connect-src 'self'"


def settings(request: Request) -> Settings:
    found: Settings = request.app.state.settings
    return found


def store(request: Request) -> Store:
    found: Store = request.app.state.store
    return found


def service_allowlist(request: Request) -> ServiceAllowlist:
    found: ServiceAllowlist = request.app.state.service_allowlist
    return found


def data_modified(request: Request) -> datetime | None:
    """When the served data last changed (Last-Modified), if the store knows."""
    found: datetime | None = getattr(request.app.state, "data_modified", None)
    return found


def site(request: Request) -> Site:
    """The app's Site, made on first use (routers stay free of import-time state)."""
    state = request.app.state
    existing = getattr(state, "linkeddata_site", None)
    if isinstance(existing, Site):
        return existing
    options = settings(request)
    created = Site(  # texts of --data folders
        [path for path in options.data if path.is_dir()], catalogue_programmes=options.catalogue_programmes
    )
    state.linkeddata_site = created
    return created


def page_lang(request: Request) -> Lang:
    return pick_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))


def page_address(request: Request) -> PageAddress:
    return PageAddress(request.url.path, dict(request.query_params))


SettingsDep = Annotated[Settings, Depends(settings)]
StoreDep = Annotated[Store, Depends(store)]
SiteDep = Annotated[Site, Depends(site)]
AllowlistDep = Annotated[ServiceAllowlist, Depends(service_allowlist)]
DataModifiedDep = Annotated[datetime | None, Depends(data_modified)]
