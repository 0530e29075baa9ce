"""The SPARQL editor on /query in headless Chromium: Ctrl+Enter runs the typed query in place (the URL becomes
its permalink), completion offers our terms, a syntax error is marked before running, the results table sorts,
filters and pages and an aggregate is drawn as a bar chart, the examples menu loads a named query, nothing is
refused by the page's CSP, and axe-core (frontend/node_modules, from npm) finds no WCAG 2.1 AA violation.
The screenshot for the README goes to docs/screenshots/query.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
BUNDLE = ROOT / "api" / "coopkg" / "static" / "query-editor.js"
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
COUNT_QUERY = "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)"
GOALS_QUERY = """PREFIX coop: <https://w3id.org/coopkg/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sdgo: <http://metadata.un.org/sdg/ontology#>

# Commitments per SDG goal (an alignment to a target counts for its goal)
SELECT ?goal (COUNT(DISTINCT ?commitment) AS ?commitments)
WHERE {
  ?commitment coop:hasAlignment/coop:alignedTo ?target .
  ?target skos:broader* ?goal .
  ?goal a sdgo:Goal .
}
GROUP BY ?goal
ORDER BY DESC(?commitments)"""
# Directives a script or stylesheet of ours would break. (Chromium's own contenteditable typing may try a
# style attribute, style-src-attr, which is refused harmlessly: CodeMirror redraws the line from its state.)
GUARDED = ("script-src", "script-src-elem", "connect-src", "style-src-elem", "img-src", "default-src")


@pytest.fixture
def editor(page: Any, live_server: str) -> Iterator[tuple[Any, list[str]]]:
    if not BUNDLE.is_file():
        pytest.skip(f"{BUNDLE.name} is not built: run `make assets` (npm ci + esbuild in frontend/)")
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if message.text.startswith("CSP ") else None,
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.log('CSP ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile))"
    )
    page.goto(f"{live_server}/query?lang=en")
    page.wait_for_selector(".cm-content")
    yield page, violations
    assert not [v for v in violations if v.split()[1] in GUARDED], violations


def type_query(page: Any, text: str) -> None:
    page.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def editor_text(page: Any) -> str:
    return str(page.evaluate("window.coopkgQueryEditor.state.doc.toString()"))


def test_ctrl_enter_runs_the_query_and_the_url_is_its_permalink(editor: tuple[Any, list[str]]) -> None:
    page, _ = editor
    assert page.locator("#query-text").is_hidden()  # the textarea stays in the form, behind the editor
    type_query(page, COUNT_QUERY)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#query-output table.results tbody tr")
    assert parse_qs(urlparse(page.url).query)["query"] == [COUNT_QUERY]
    assert page.locator("#results-h").inner_text().startswith("Results")
    # Downloads in every results format of a SELECT.
    assert page.locator(".downloads a").all_inner_texts() == ["SPARQL JSON", "SPARQL XML", "CSV", "TSV"]
    # IRIs link to their pages, labelled: coop:Commitment shows as "Commitment".
    link = page.locator("table.results a[title='coop:Commitment']")
    assert link.inner_text() == "Commitment"
    assert link.get_attribute("href") == "/def?lang=en#Commitment"
    # The permalink reproduces the result without the editor's help.
    page.reload()
    page.wait_for_selector("#query-output table.results tbody tr")
    assert editor_text(page) == COUNT_QUERY


def test_results_sort_filter_page_and_chart(editor: tuple[Any, list[str]]) -> None:
    page, _ = editor
    type_query(page, COUNT_QUERY)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".results-controls")
    rows = page.locator("table.results tbody tr")
    status = page.locator(".results-status")
    total = int(status.inner_text().rsplit(" ", 1)[-1])
    assert total > 25
    assert rows.count() == 25  # first page
    page.get_by_role("button", name="Next").click()
    assert rows.count() == min(25, total - 25)
    n_header = page.locator("table.results th").nth(1)
    n_header.get_by_role("button").click()
    assert n_header.get_attribute("aria-sort") == "ascending"
    numbers = [int(text) for text in page.locator("table.results tbody tr td:nth-child(2)").all_inner_texts()]
    assert numbers == sorted(numbers)
    assert status.inner_text().startswith("Rows 1–25")  # sorting goes back to the first page
    page.get_by_label("Filter rows").fill("commitment")
    texts = page.locator("table.results tbody tr td:first-child").all_inner_texts()
    assert texts
    assert all("commitment" in text.lower() for text in texts)
    chart = page.locator("figure.results-chart svg[role=img]")
    assert chart.is_visible()
    assert chart.locator("rect.bar").count() == len(texts)  # the chart shows the rows the filter keeps
    page.get_by_label("Filter rows").fill("")
    assert chart.locator("rect.bar").count() == total
    assert "n by class" in page.locator("figure.results-chart figcaption").inner_text()


def test_completion_offers_our_terms_and_adds_their_prefix(editor: tuple[Any, list[str]]) -> None:
    page, _ = editor
    type_query(page, "SELECT ?c WHERE { ?c a ")
    page.keyboard.type("coop:Commi")
    option = page.locator(".cm-tooltip-autocomplete li", has_text="coop:Commitment").first
    option.wait_for()
    assert "承诺" in option.inner_text()  # with its labels
    option.click()  # (Enter works too, once CodeMirror's 75 ms interaction delay has passed)
    text = editor_text(page)
    assert "?c a coop:Commitment" in text
    assert text.startswith("PREFIX coop: <https://w3id.org/coopkg/def#>\n")
    # SDG goals are terms too.
    page.keyboard.type(" . ?c coop:hasAlignment/coop:alignedTo sdg:1")
    page.locator(".cm-tooltip-autocomplete li", has_text="sdg:14").first.wait_for()
    # Terms are found by their labels too, in either language.
    type_query(page, "SELECT ?c WHERE { ?c a ")
    page.keyboard.type("承诺")
    page.locator(".cm-tooltip-autocomplete li", has_text="coop:Commitment").first.wait_for()
    page.keyboard.press("Escape")
    page.keyboard.type(" . ?c coop:hasAlignment/coop:alignedTo sanitation")
    option = page.locator(".cm-tooltip-autocomplete li", has_text="Clean water and sanitation").first
    option.wait_for()
    option.click()
    assert editor_text(page).endswith("coop:alignedTo sdg:6")


def test_syntax_error_is_marked_before_running(editor: tuple[Any, list[str]], live_server: str) -> None:
    page, _ = editor
    type_query(page, "SELECT ?x WHERE { ?x ?y }")
    mark = page.locator(".cm-lintRange-error")
    mark.first.wait_for()
    assert page.url == f"{live_server}/query?lang=en"  # nothing ran
    assert page.locator(".cm-lint-marker-error").count() == 1
    type_query(page, "SELECT ?x WHERE { ?x a coop:Commitment }")
    page.locator(".cm-lintRange-error").first.wait_for()  # an undeclared prefix is marked too
    type_query(page, "SELECT ?x WHERE { ?x ?y ?z } LIMIT 1")
    expect(page.locator(".cm-lintRange-error")).to_have_count(0)  # the linter ran again and removed the mark


def test_examples_menu_loads_a_named_query_with_its_parameters(editor: tuple[Any, list[str]]) -> None:
    page, _ = editor
    page.get_by_label("Examples").select_option("commitments-by-sdg")
    text = editor_text(page)
    assert "coop:hasAlignment" in text
    assert "VALUES (?sdg) { (<http://metadata.un.org/sdg/6>) }" in text  # its parameter, bound to the example
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#query-output table.results tbody tr")
    # The grammar marks none of our named queries: no false error marks on real SPARQL.
    menu = page.get_by_label("Examples")
    names = [value for value in menu.locator("option").evaluate_all("o => o.map(x => x.value)") if value]
    assert len(names) >= 11
    marks = page.locator(".cm-lintRange-error")
    for name in names:
        type_query(page, "SELECT {")  # a mark first, so that its removal shows the linter read the example
        marks.first.wait_for()
        menu.select_option(name)
        expect(marks, f"false error mark in {name}").to_have_count(0)


def _axe_violations(page: Any) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the driver: the page's CSP does not apply
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in result["violations"]]


def test_axe_finds_no_wcag_aa_violations(editor: tuple[Any, list[str]]) -> None:
    page, _ = editor
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run `make assets` (npm ci in frontend/)")
    assert _axe_violations(page) == []
    type_query(page, GOALS_QUERY)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("figure.results-chart")
    assert page.locator("table.results a", has_text="Clean water and sanitation").count() == 1
    assert _axe_violations(page) == []
    page.locator(".cm-content").click()
    page.keyboard.press("Control+Home")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SHOTS / "query.png"), full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": 1500}
    )


def test_a_refused_query_shows_the_servers_reason_in_place(editor: tuple[Any, list[str]]) -> None:
    page, _ = editor
    type_query(page, "DELETE WHERE { ?s ?p ?o }")
    page.keyboard.press("Control+Enter")
    alert = page.locator("#query-output [role=alert]")
    alert.wait_for()
    assert "read-only" in alert.inner_text()
    assert page.locator(".cm-editor").is_visible()  # the editor keeps the text to fix


def test_the_editor_speaks_chinese_on_the_chinese_page(page: Any, live_server: str) -> None:
    if not BUNDLE.is_file():
        pytest.skip(f"{BUNDLE.name} is not built: run `make assets`")
    page.goto(f"{live_server}/query?lang=zh")
    page.wait_for_selector(".cm-content")
    assert page.get_by_label("示例").count() == 1
    type_query(page, COUNT_QUERY)
    page.keyboard.press("Control+Enter")
    page.get_by_label("筛选行").wait_for()
    assert page.locator(".results-status").inner_text().startswith("第 1–25 行")
    assert "lang=zh" in page.url


def test_axe_finds_no_wcag_aa_violations_on_the_plain_form(page: Any, live_server: str) -> None:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run `make assets` (npm ci in frontend/)")
    # The page as a reader without JavaScript gets it: the editor's script never arrives. (Scripts stay on
    # for the page itself, since axe cannot be evaluated in a page whose JavaScript is disabled.)
    page.route("**/static/query-editor.js", lambda route: route.abort())
    page.goto(f"{live_server}/query?lang=en&name=areas")
    assert page.locator("#query-text").is_visible()
    assert page.locator(".cm-editor").count() == 0
    assert page.locator("table.results tbody tr").count() == 11
    assert _axe_violations(page) == []
