"""XSS: served with a graph whose literals and IRIs carry markup (data/xss.ttl), every HTML page reachable
from the home page and from the hostile resources shows that markup as text, links only to safe schemes, and
sends a Content-Security-Policy with the usual security headers.

Pages are checked by parsing them (html.parser), not by looking for strings: a page passes when no element,
attribute or URL came from the data, whatever the escaping style.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from attack_html import Page
from fastapi.testclient import TestClient

DATA = Path(__file__).parent / "data" / "xss.ttl"
ID = "https://w3id.org/coopkg/id/"
HOSTILE = [
    f"{ID}programme/xss",
    f"{ID}programme/xss/area/1",
    f"{ID}programme/xss/section/01",
    f"{ID}programme/xss/section/01/item/1",
]
MAX_PAGES = 60


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    from coopkg.settings import Settings
    from coopkg.web.app import create_app

    with TestClient(create_app(Settings(data=[DATA]))) as instance:
        yield instance


def crawl(client: TestClient) -> dict[str, tuple[Page, dict[str, str]]]:
    queue = ["/", *(urlsplit(iri).path for iri in HOSTILE)]
    seen: dict[str, tuple[Page, dict[str, str]]] = {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        answer = client.get(path, headers={"Accept": "text/html"})
        assert answer.status_code < 500, f"{path}: {answer.status_code}"
        if not answer.headers.get("content-type", "").startswith("text/html"):
            continue
        page = Page()
        page.feed(answer.text)
        seen[path] = (page, dict(answer.headers))
        for link in page.links:
            target = urlsplit(urljoin("http://testserver" + path, link))
            if (
                target.netloc == "testserver"
                and target.path not in seen
                and not target.path.startswith("/sparql")
            ):
                queue.append(target.path)
    return seen


@pytest.fixture(scope="module")
def pages(client: TestClient) -> dict[str, tuple[Page, dict[str, str]]]:
    found = crawl(client)
    assert len(found) >= len(HOSTILE), f"only {sorted(found)} rendered as HTML"
    return found


def test_every_page_shows_the_markup_as_text(pages: dict[str, tuple[Page, dict[str, str]]]) -> None:
    problems = {path: page.problems for path, (page, _) in pages.items() if page.problems}
    assert problems == {}


def test_hostile_values_are_rendered_not_dropped(pages: dict[str, tuple[Page, dict[str, str]]]) -> None:
    """Escaping, not deletion: the text of the programme page still carries the labels, characters intact."""
    text = "".join(pages["/id/programme/xss"][0].text)
    assert "<script>alert('label-zh')</script>" in text or "<img src=x onerror=alert('label-en')>" in text
    item = "".join(pages["/id/programme/xss/section/01/item/1"][0].text)
    assert "{{7*7}} ${7*7}" in item, "template syntax in data was evaluated or dropped"


def test_every_page_sends_a_content_security_policy_and_security_headers(
    pages: dict[str, tuple[Page, dict[str, str]]],
) -> None:
    for path, (_, headers) in pages.items():
        csp = headers.get("content-security-policy", "")
        assert "default-src" in csp, f"{path}: no CSP default-src ({csp!r})"
        assert "'unsafe-inline'" not in csp.split("script-src")[-1].split(";")[0], f"{path}: {csp}"
        assert "'unsafe-eval'" not in csp, f"{path}: {csp}"
        assert "frame-ancestors" in csp or headers.get("x-frame-options", "").upper() in (
            "DENY",
            "SAMEORIGIN",
        )
        assert headers.get("x-content-type-options") == "nosniff", path
        assert headers.get("referrer-policy"), path
