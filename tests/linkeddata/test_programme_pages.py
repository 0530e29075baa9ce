"""The pages across programmes (programmes index, party page, side-by-side comparison), on a gateway serving
the shipped graph with the invented programmes of tests/invented/ (not real agreements), in both languages.

Expectations come from the shipped design (49 commitments, 4 mechanisms) and from how the invented programmes
were written (make_invented.py), never from the pages' own output.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from coopkg.settings import Settings
from coopkg.web.app import create_app
from invented_programmes import SECOND_SUCCESSOR, SHIPPED, SUCCESSOR, invented_store, write_trig

ID = "https://w3id.org/coopkg/id/"
HTML = {"Accept": "text/html"}
COMPARE = "/compare?a=cn-dk-green-2023-2026&b=test-invented-2027-2030"


class Page(HTMLParser):
    """Links, ids, headings' text and the whole text of a page."""

    def __init__(self, body: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: list[str] = []
        self.html_lang = ""
        self.text: list[str] = []
        self.headings: dict[str, list[str]] = {}  # whitespace collapsed once fed
        self._heading: str | None = None
        self.feed(body)
        self.headings = {tag: [" ".join(h.split()) for h in found] for tag, found in self.headings.items()}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        if found.get("id"):
            self.ids.append(found["id"] or "")
        if tag == "html":
            self.html_lang = found.get("lang") or ""
        if tag in ("h1", "h2"):
            self._heading = tag
            self.headings.setdefault(tag, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._heading:
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading:
            self.headings[self._heading][-1] += data

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture(scope="module")
def invented_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = write_trig(invented_store(), tmp_path_factory.mktemp("invented") / "graph.trig")
    with TestClient(create_app(Settings(data=[path]))) as instance:
        yield instance


def _page(client: TestClient, url: str, status: int = 200) -> Page:
    response = client.get(url, headers=HTML)
    assert response.status_code == status, (url, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    assert "<script" not in response.text  # works without JavaScript
    return Page(response.text)


def _local(href: str) -> str:
    return f"/id/{href.removeprefix(ID)}"


@pytest.mark.parametrize("url", ["/?lang=en", "/programmes?lang=en"])
def test_with_several_programmes_the_home_page_is_the_programmes_index(
    invented_client: TestClient, url: str
) -> None:
    page = _page(invented_client, url)
    assert page.headings["h1"] == ["Programmes"]
    for programme in (SHIPPED, SUCCESSOR, SECOND_SUCCESSOR):
        assert f"{_local(programme)}?lang=en" in page.links
    # each described successor offers the comparison with its predecessor
    compare_links = [urlsplit(href) for href in page.links if href.startswith("/compare?")]
    pairs = {(parse_qs(u.query)["a"][0], parse_qs(u.query)["b"][0]) for u in compare_links}
    assert pairs == {
        ("cn-dk-green-2023-2026", "test-invented-2027-2030"),
        ("test-invented-2027-2030", "test-invented-2031-2034"),
    }
    assert "China–Denmark Green Joint Work Programme (2023–2026)" in page.all_text
    assert {"compare-a", "compare-b"} <= set(page.ids)  # the comparison form, labelled selects


def test_the_programmes_index_in_chinese(invented_client: TestClient) -> None:
    page = _page(invented_client, "/programmes?lang=zh")
    assert page.html_lang == "zh"
    assert page.headings["h1"] == ["工作方案"]
    assert "中丹绿色联合工作方案（2023－2026）" in page.all_text
    assert "测试用虚构中丹合作方案（2027－2030）" in page.all_text
    assert "与前一方案比较" in page.all_text
    # programmes in the order of their periods
    text = page.all_text
    assert text.index("2023–2026") < text.index("2027–2030") < text.index("2031–2034")


def test_with_one_programme_the_home_page_stays_the_programme(client: TestClient) -> None:
    page = _page(client, "/?lang=en")
    assert page.headings["h1"][0].startswith("中丹绿色联合工作方案（2023－2026）")
    assert "heatmap" in page.ids
    index = _page(client, "/programmes?lang=en")
    assert f"{_local(SHIPPED)}?lang=en" in index.links
    assert "compare-a" not in index.ids  # nothing to compare with one programme


@pytest.mark.parametrize(("lang", "title", "word"), [("en", "China", "Commitments"), ("zh", "中国", "承诺")])
def test_a_partys_page_lists_its_programmes_and_commitments(
    invented_client: TestClient, lang: str, title: str, word: str
) -> None:
    page = _page(invented_client, f"/id/party/china?lang={lang}")
    assert page.html_lang == lang
    assert page.headings["h1"] == [title]
    programme_headings = page.headings["h2"][:3]
    assert len(programme_headings) == 3
    # 49 shipped + 5 + 3 invented commitments, each linked
    commitment_links = [h for h in page.links if re.search(r"/(item|prose)/\d+\?lang=", h)]
    assert len(commitment_links) == 49 + 5 + 3
    assert f"{_local(SUCCESSOR)}/section/02/prose/1?lang={lang}" in commitment_links
    assert f"57 {word}" in page.all_text
    # the named-only predecessor of the shipped programme is listed apart, as a link
    assert f"/id/programme/cn-dk-2017-2020?lang={lang}" in page.links


def test_a_partys_page_on_the_shipped_graph_alone(client: TestClient) -> None:
    page = _page(client, "/id/party/denmark?lang=en")
    assert page.headings["h1"] == ["Denmark"]
    assert len([h for h in page.links if re.search(r"/(item|prose)/\d+\?lang=", h)]) == 49


def test_the_comparison_shows_both_programmes_their_heatmaps_and_the_matches(
    invented_client: TestClient,
) -> None:
    response = invented_client.get(COMPARE + "&lang=en", headers=HTML)
    assert response.status_code == 200
    page = Page(response.text)
    assert page.headings["h1"] == ["Compare two programmes"]
    # two heatmaps, each with its own title id (no duplicate ids on the page)
    assert {"heatmap-title-a", "heatmap-title-b"} <= set(page.ids)
    assert len(page.ids) == len(set(page.ids))
    assert response.text.count('class="heatmap"') == 2
    # areas of both sides: 11 of the shipped programme (7 priority + 4 others), 2 invented
    assert "Cooperation areas (11)" in page.all_text
    assert "Cooperation areas (2)" in page.all_text
    # the four commitments written after shipped ones, best first; the two renewed mechanisms tagged
    assert "Matched commitments (4)" in page.all_text
    scores = [float(s) for s in re.findall(r"<td><strong>([01]\.\d{3})</strong>", response.text)]
    assert len(scores) == 4
    assert scores == sorted(scores, reverse=True)
    assert scores[:2] == [1.0, 1.0]
    assert response.text.count("same standing mechanism") == 2
    assert "Standing mechanisms both hold (2)" in page.all_text
    for href in (
        "/id/mechanism/cn-dk-joint-economic-trade-commission?lang=en",
        f"{_local(SHIPPED)}/section/05/item/4?lang=en",
        f"{_local(SUCCESSOR)}/section/02/item/1?lang=en",
    ):
        assert href in page.links


def test_the_comparison_in_chinese(invented_client: TestClient) -> None:
    page = _page(invented_client, COMPARE + "&lang=zh")
    assert page.html_lang == "zh"
    assert page.headings["h1"] == ["比较两个工作方案"]
    assert "相似承诺 (4)" in page.all_text
    assert "同一常设机制" in page.all_text


def test_the_comparison_links_lead_somewhere(invented_client: TestClient) -> None:
    page = _page(invented_client, COMPARE + "&lang=en")
    local = sorted({href for href in page.links if href.startswith("/") and not href.startswith("/sdg/")})
    assert len(local) > 20
    for href in local:
        assert invented_client.get(href, headers=HTML).status_code == 200, href


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("a=cn-dk-green-2023-2026&b=nowhere", 404, "nowhere"),
        ("a=cn-dk-green-2023-2026&b=cn-dk-green-2023-2026", 422, "same programme"),
        ("b=cn-dk-green-2023-2026", 422, "two programmes"),
        ("a=cn-dk-2017-2020&b=cn-dk-green-2023-2026", 404, "cn-dk-2017-2020"),  # named, not described
    ],
)
def test_a_bad_comparison_is_a_clear_error_page(
    invented_client: TestClient, query: str, status: int, says: str
) -> None:
    page = _page(invented_client, f"/compare?{query}&lang=en", status)
    assert says in page.all_text


def test_the_navigation_links_the_programmes_index(client: TestClient) -> None:
    assert "/programmes?lang=en" in _page(client, "/mechanisms?lang=en").links


@pytest.mark.parametrize(
    ("lang", "title"),
    [("en", "China–Denmark Joint Economic and Trade Commission"), ("zh", "中丹双边经贸联委会")],
)
def test_a_standing_mechanisms_page_lists_the_programmes_that_hold_it(
    invented_client: TestClient, lang: str, title: str
) -> None:
    page = _page(invented_client, f"/id/mechanism/cn-dk-joint-economic-trade-commission?lang={lang}")
    assert page.headings["h1"] == [title]
    # held by the shipped programme's 04/item/1 and the first item of each invented programme, in period order
    holders = [h for h in page.links if re.search(r"/(item|prose)/\d+\?lang=", h)]
    assert holders == [
        f"{_local(SHIPPED)}/section/04/item/1?lang={lang}",
        f"{_local(SUCCESSOR)}/section/01/item/1?lang={lang}",
        f"{_local(SECOND_SUCCESSOR)}/section/01/item/1?lang={lang}",
    ]


def test_a_similarity_pair_dereferences_as_data_marked_as_ours(invented_client: TestClient) -> None:
    pair = f"{_local(SUCCESSOR)}/section/02/prose/1/similar/cn-dk-green-2023-2026/section/07/prose/4"
    turtle = invented_client.get(pair, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    for fact in ("coop:Similarity", "coop:BigramCosine", "<https://w3id.org/coopkg/id/agent/coopkg>"):
        assert fact in turtle.text
    document = invented_client.get(pair, headers={"Accept": "application/ld+json"}).json()
    assert document["score"] == "1"  # xsd:decimal, written as a string (jsonld.py says why)
    assert document["type"] == "Similarity"
    assert _page(invented_client, pair + "?lang=zh").html_lang == "zh"


def test_a_programme_page_links_its_successor(invented_client: TestClient) -> None:
    page = _page(invented_client, f"{_local(SHIPPED)}?lang=en")
    assert f"{_local(SUCCESSOR)}?lang=en" in page.links
    assert "Successors" in page.all_text


@pytest.mark.parametrize("path", ["04/item/1", "07/prose/4"])
def test_a_mechanism_commitment_links_its_standing_mechanism(client: TestClient, path: str) -> None:
    page = _page(client, f"{_local(SHIPPED)}/section/{path}?lang=zh")
    assert "常设机制" in page.all_text
    assert any(href.startswith("/id/mechanism/cn-dk-") for href in page.links)


def test_a_comparison_is_computed_once_whatever_else_the_query_string_holds(
    invented_client: TestClient,
) -> None:
    site = invented_client.app.state.linkeddata_site  # type: ignore[attr-defined]
    before = len(site.comparisons._items)
    for extra in ("x=1", "x=2", "y=3"):
        assert (
            invented_client.get(
                f"/compare?a=test-invented-2027-2030&b=test-invented-2031-2034&{extra}"
            ).status_code
            == 200
        )
    assert len(site.comparisons._items) == before + 1
