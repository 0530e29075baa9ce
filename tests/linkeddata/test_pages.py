"""The bilingual pages, read as HTML: what each page must show, checked against the graph and the source."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from coopkg import resources
from coopkg.linkeddata.svg import SDG_COLOURS, ink_for

ID = "https://w3id.org/coopkg/id/"
P = "programme/cn-dk-green-2023-2026"
SOURCE = resources.data_dir() / "sources" / "000_e060dfadf5293257.txt"


class Parsed(HTMLParser):
    """Elements with their attributes and the text inside the ones we look for."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.marks: list[str] = []
        self._in_mark = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_mark = self._in_mark or tag == "mark"

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._in_mark = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_mark:
            self.marks.append(data)

    def having(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    @property
    def all_text(self) -> str:
        return "".join(self.text)


def page(client: TestClient, path: str) -> Parsed:
    answer = client.get(path, headers={"Accept": "text/html"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/html")
    parsed = Parsed()
    parsed.feed(answer.text)
    return parsed


def test_home_shows_programme_counts_sections_and_pictures(client: TestClient) -> None:
    home = page(client, "/?lang=en")
    text = home.all_text
    assert "中丹绿色联合工作方案（2023－2026）" in text
    assert "2023–2026" in text
    assert "China" in text
    assert "Denmark" in text
    assert re.search(r"49\s*Commitments", text)
    for order in range(1, 13):
        assert home.having("h3", id=f"section-{order}")
    heatmap = home.having("svg", **{"class": "heatmap"})
    assert len(heatmap) == 1
    columns = home.having("a", **{"class": "goal-column"})
    assert [c["data-goal"] for c in columns] == [str(g) for g in range(1, 18)]
    fills = [a["fill"] for t, a in home.elements if t == "rect" and a.get("fill") in SDG_COLOURS.values()]
    assert set(fills) == set(SDG_COLOURS.values())  # every goal column in its official colour
    assert len(home.having("svg", **{"class": "diagram"})) == 1


def test_heatmap_cells_agree_with_the_named_query(client: TestClient) -> None:
    rows = client.get("/api/queries/area-sdg-matrix").json()["results"]["bindings"]
    expected = {(row["areaLabelEn"]["value"], int(row["goalNumber"]["value"])) for row in rows}
    total = sum(int(row["commitments"]["value"]) for row in rows)
    html = client.get("/?lang=en").text
    cells = re.findall(r'<g class="cell" data-goal="(\d+)" data-count="(\d+)"><title>([^<]*?) · SDG', html)
    assert {(label, int(goal)) for goal, _, label in cells} == expected
    assert sum(int(count) for _, count, _ in cells) == total


def test_commitment_page_bilingual_with_highlighted_quote(client: TestClient) -> None:
    source = SOURCE.read_text(encoding="utf-8")
    item = page(client, f"/id/{P}/section/06/item/4?lang=en")
    text = item.all_text
    assert "支持中国环境与发展国际合作委员会和中欧水资源交流平台。" in text
    assert "Unofficial" in text
    assert item.having("p", **{"class": "text-source", "lang": "zh"})
    assert item.having("p", **{"class": "text-en", "lang": "en"})
    assert "Environment and water resources" in text  # area
    assert "Cooperation area" in text  # its row (left out only where a section names no area)
    assert "China Council for International Cooperation on Environment and Development" in text  # agency
    assert "Basis" in text
    assert "Rationale" in text
    (quote,) = item.marks
    offsets = re.search(r"(\d+)–(\d+)", text[text.index("Offsets") :])
    assert offsets is not None
    start, end = int(offsets[1]), int(offsets[2])
    assert source[start:end] == quote
    assert quote.startswith("（四）")
    source_links = [a["href"] for a in item.having("a") if a.get("href", "").endswith("#span")]  # type: ignore[union-attr]
    assert source_links
    view = page(client, source_links[0])
    assert view.marks == [quote]
    assert view.all_text.replace(quote, "", 1).count("（四）支持中国环境") == 0


def test_zh_en_switch(client: TestClient) -> None:
    en = page(client, f"/id/{P}/section/05?lang=en")
    zh = page(client, f"/id/{P}/section/05?lang=zh")
    assert en.having("html", lang="en")
    assert zh.having("html", lang="zh")
    (switch,) = en.having("a", **{"class": "switch"})
    assert switch["href"] is not None
    assert "lang=zh" in switch["href"]
    assert "Section" in en.all_text
    assert "Commitments" in en.all_text
    assert "章节" in zh.all_text
    assert "承诺" in zh.all_text
    assert "Commitments" not in zh.all_text
    # The choice is remembered for pages visited without ?lang=.
    answer = client.get("/id/programme/cn-dk-green-2023-2026/area/1", cookies={"coopkg_lang": "zh"})
    assert '<html lang="zh">' in answer.text


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (f"/id/{P}/section/05", 7),  # 3 prose + 4 items
        (f"/id/{P}/area/2", 7),
        ("/id/framework/paris-agreement", None),
        ("/id/agency/imo", 1),
        ("/sdg/6", None),
        ("/mechanisms", 4),
    ],
)
def test_listing_pages(client: TestClient, path: str, expected: int | None) -> None:
    parsed = page(client, path + "?lang=en")
    items = [a for t, a in parsed.elements if t == "li" and "commitment" in (a.get("class") or "")]
    if expected is not None:
        assert len(items) == expected
    else:
        assert items


def test_goal_page_lists_targets_and_matches_the_api(client: TestClient) -> None:
    parsed = page(client, "/sdg/6?lang=en")
    items = [a for t, a in parsed.elements if t == "li" and "commitment" in (a.get("class") or "")]
    total = client.get("/api/commitments", params={"sdg": "6"}).json()["total"]
    assert len(items) == total
    assert parsed.having("li", id="target-6.3") or parsed.having("li", id="target-6.5")
    assert client.get("/sdg/18").status_code == 404


def test_every_page_has_csp_and_lang(client: TestClient) -> None:
    for path in ("/", "/query", "/downloads", "/mechanisms", "/def", f"/id/{P}/section/04/item/1", "/sdg/3"):
        answer = client.get(path, headers={"Accept": "text/html"})
        assert "script-src 'self'" in answer.headers["content-security-policy"], path
        assert "unsafe-inline" not in answer.headers["content-security-policy"]
        assert re.search(r'<html lang="(en|zh)">', answer.text), path
        assert "<h1" in answer.text, path


def test_query_page_runs_named_and_typed_queries(client: TestClient) -> None:
    named = page(client, "/query?name=areas&lang=en")
    cells = [a for t, a in named.elements if t == "td"]
    assert len(cells) == 11 * 6  # 11 areas, 6 columns
    text = page(
        client,
        "/query?query=SELECT+%3Fs+WHERE+%7B+%3Fs+a+%3Chttps%3A%2F%2Fw3id.org%2Fcoopkg%2Fdef%23Mechanism%3E+%7D",
    )
    assert len([a for t, a in text.elements if t == "tr"]) == 1 + 4
    refused = client.get("/query", params={"query": "DELETE WHERE { ?s ?p ?o }"})
    assert refused.status_code == 400
    assert "read-only" in refused.text
    bad = client.get("/query", params={"name": "commitments-by-sdg", "p.sdg": "not an iri"})
    assert bad.status_code == 422
    assert "sdg" in bad.text
    example = page(client, "/query?example=mechanisms")
    assert "coop:Mechanism" in example.all_text


def test_downloads_and_void(client: TestClient, shipped_store: object) -> None:
    import pyoxigraph as ox

    assert isinstance(shipped_store, ox.Store)
    listing = page(client, "/downloads")
    hrefs = {a["href"] for a in listing.having("a")}
    for name in ("coopkg.ttl", "coopkg.nt", "coopkg.trig", "coopkg.jsonld", "commitments.csv"):
        assert f"/downloads/{name}" in hrefs
    trig = client.get("/downloads/coopkg.trig")
    quads = list(ox.parse(trig.content, format=ox.RdfFormat.TRIG))
    assert len(quads) == len(shipped_store)
    assert {q.graph_name for q in quads} == {
        q.graph_name for q in shipped_store.quads_for_pattern(None, None, None)
    }
    triples = set(ox.parse(client.get("/downloads/coopkg.nt").content, format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == len({(q.subject, q.predicate, q.object) for q in shipped_store})
    void = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert void.status_code == 200
    described = list(ox.parse(void.content, format=ox.RdfFormat.TURTLE))
    dumps = {q.object.value for q in described if q.predicate.value == "http://rdfs.org/ns/void#dataDump"}
    assert "http://testserver/downloads/coopkg.trig" in dumps
    assert any(q.predicate.value == "http://rdfs.org/ns/void#sparqlEndpoint" for q in described)


def test_ink_contrast() -> None:
    assert ink_for("#FCC30B", 1) == "#111827"  # dark text on SDG 7 yellow
    assert ink_for("#19486A", 1) == "#fff"  # white on SDG 17 navy
    assert ink_for("#19486A", 0.25) == "#111827"  # a pale cell takes dark text


def test_page_errors_are_pages_for_browsers_and_problems_for_apps(client: TestClient) -> None:
    for path in ("/sdg/99", "/sdg/six"):
        browser = client.get(path, headers={"Accept": "text/html"})
        assert browser.status_code == 404
        assert browser.headers["content-type"].startswith("text/html")
        assert "1 to 17" in browser.text
        app = client.get(path, headers={"Accept": "application/json"})
        assert app.status_code == 404
        assert app.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "path",
    [
        "/sdg/" + "9" * 5000,  # int() refuses more than 4300 digits
        "/sdg/%C2%B2",  # "²" is a digit to str.isdigit, not to int()
        "/sdg/%D9%A3",  # Arabic-Indic three
        f"/id/{P}/source?start=%C2%B2&end=3",
        f"/id/{P}/source?start=1&end=" + "9" * 5000,
        f"/id/{P}/source?start=9&end=3",
    ],
)
def test_odd_numbers_are_clear_4xx(client: TestClient, path: str) -> None:
    answer = client.get(path, headers={"Accept": "text/html"})
    assert answer.status_code == (404 if path.startswith("/sdg/") else 422), (path, answer.status_code)
    assert answer.text.strip()
