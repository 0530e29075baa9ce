"""/docs (Swagger UI) and /redoc in headless Chromium, offline: nothing is fetched from another origin, the
CSP refuses nothing it should allow, and Swagger UI's "Try it out" runs a real request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# ReDoc's standalone build shows a "Redocly" logo from its CDN in the sidebar; our CSP (img-src 'self' data:)
# refuses it before any request leaves the browser, and ReDoc hides the image when it fails to load.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@dataclass
class Watched:
    page: Any
    attempted: list[str] = field(default_factory=list)  # requests to another origin (blocked or not)
    answered: list[str] = field(default_factory=list)  # responses from another origin: must stay empty
    errors: list[str] = field(default_factory=list)  # console errors, CSP refusals among them


@pytest.fixture
def watched(page: Any, live_server: str) -> Watched:
    seen = Watched(page)

    def foreign(url: str) -> bool:
        return not url.startswith((live_server, "data:", "blob:"))

    page.on("request", lambda request: seen.attempted.append(request.url) if foreign(request.url) else None)
    page.on("response", lambda answer: seen.answered.append(answer.url) if foreign(answer.url) else None)
    page.on("console", lambda message: seen.errors.append(message.text) if message.type == "error" else None)
    return seen


def test_swagger_ui_tries_a_request_out(watched: Watched, live_server: str) -> None:
    page = watched.page
    page.goto(f"{live_server}/docs")
    operation = page.locator("#operations-Health-health_health_get")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert '"status"' in operation.locator(".live-responses-table tbody .microlight").first.inner_text()
    assert watched.attempted == []
    assert watched.errors == []


def test_redoc_renders_the_operations(watched: Watched, live_server: str) -> None:
    page = watched.page
    page.goto(f"{live_server}/redoc")
    page.get_by_role("heading", name="Validate RDF against the coopkg SHACL shapes").first.wait_for()
    assert page.locator(".api-info h1").inner_text().startswith("coopkg")
    assert watched.answered == []
    assert set(watched.attempted) <= {REDOC_LOGO}
    assert [error for error in watched.errors if REDOC_LOGO not in error] == []
