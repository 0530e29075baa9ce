"""The pages in headless Chromium: the heatmap's 17 goal columns, a commitment's highlighted quote, the query
page running a named query, the zh/en switch. Screenshots for the README go to docs/screenshots/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
P = "programme/cn-dk-green-2023-2026"


def test_home_shows_the_heatmap_with_17_goal_columns(page: Any, live_server: str) -> None:
    page.goto(f"{live_server}/?lang=en")
    heatmap = page.locator("svg.heatmap")
    assert heatmap.is_visible()
    columns = heatmap.locator("a.goal-column")
    assert columns.count() == 17
    assert [columns.nth(i).get_attribute("data-goal") for i in range(17)] == [str(g) for g in range(1, 18)]
    box = heatmap.bounding_box()
    assert box is not None
    assert box["width"] > 500
    assert page.locator("svg.diagram").is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 1400})
    page.screenshot(path=str(SHOTS / "home.png"))


def test_commitment_page_highlights_its_quote(page: Any, live_server: str) -> None:
    page.goto(f"{live_server}/id/{P}/section/06/item/4?lang=en")
    mark = page.locator("mark.quote")
    assert mark.count() == 1
    quote = mark.inner_text()
    assert quote.startswith("（四）支持中国环境与发展国际合作委员会")
    background = mark.evaluate("element => getComputedStyle(element).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # visibly highlighted
    assert page.locator(".unofficial").is_visible()
    page.screenshot(path=str(SHOTS / "commitment.png"), full_page=True)
    page.get_by_role("link", name="View the source text").click()
    assert page.locator("mark#span").inner_text() == quote  # the same span, highlighted in the whole text


def test_query_page_runs_a_named_query_without_javascript(browser: Any, live_server: str) -> None:
    # Progressive enhancement: with scripts off the editor is the plain textarea of a GET form.
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live_server}/query?lang=en")
    form = page.locator("#q-mechanisms form")
    form.get_by_role("button", name="Run").click()
    page.wait_for_url("**/query?**name=mechanisms**")
    rows = page.locator("table.results tbody tr")
    assert rows.count() == 4
    assert "Results" in page.locator("#results-h").inner_text()
    # The editor form is a plain GET too: type a query and run it.
    page.fill("#query-text", "SELECT ?area WHERE { ?area a <https://w3id.org/coopkg/def#CooperationArea> }")
    page.locator("#sparql-form").get_by_role("button", name="Run").click()
    page.wait_for_url("**/query?**query=**")
    assert page.locator("table.results tbody tr").count() == 11
    assert page.locator(".cm-editor").count() == 0
    context.close()


def test_zh_en_switch(page: Any, live_server: str) -> None:
    page.goto(f"{live_server}/?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h2", has_text="In numbers").count() == 1
    page.locator("a.switch").click()
    assert page.locator("html").get_attribute("lang") == "zh"
    assert page.locator("h2", has_text="数字概览").count() == 1
    # The choice sticks (cookie) when a link without ?lang= is followed.
    page.goto(f"{live_server}/mechanisms")
    assert page.locator("html").get_attribute("lang") == "zh"
    page.locator("a.switch").click()
    assert page.locator("html").get_attribute("lang") == "en"
