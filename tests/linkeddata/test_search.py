"""GET /api/search (JSON with a JSON-LD context) and the /search page; the search box on every page."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import rdflib
from fastapi.testclient import TestClient

P = "https://w3id.org/coopkg/id/programme/cn-dk-green-2023-2026/"
COOP = rdflib.Namespace("https://w3id.org/coopkg/def#")


def test_the_api_answers_ranked_hits_with_iris_snippets_and_paging(client: TestClient) -> None:
    answer = client.get("/api/search", params={"q": "水资源管理", "per_page": 1})
    assert answer.status_code == 200
    document = answer.json()
    assert document["words"] == ["水资源", "管理"]
    assert document["total"] >= 1
    assert answer.headers["x-total-count"] == str(document["total"])
    first = document["items"][0]
    assert first["id"] == P + "section/06/item/2"
    assert first["type"] == "Commitment"
    snippet = first["snippets"]["zh"]
    assert [snippet["text"][start:end] for start, end in snippet["matches"]][:2] == ["水资源", "管理"]
    if document["total"] > 1:
        assert "page=2" in document["links"]["next"]


def test_the_answer_is_json_ld_whose_hits_are_typed_labelled_resources(client: TestClient) -> None:
    answer = client.get("/api/search", params={"q": "巴黎协定"}, headers={"Accept": "application/ld+json"})
    assert answer.headers["content-type"].startswith("application/ld+json")
    graph = rdflib.Graph().parse(data=answer.text, format="json-ld")
    paris = rdflib.URIRef("https://w3id.org/coopkg/id/framework/paris-agreement")
    assert (paris, rdflib.RDF.type, COOP.Framework) in graph
    assert (paris, rdflib.RDFS.label, rdflib.Literal("巴黎协定", lang="zh")) in graph
    # What describes the search itself (score, snippets, paging) is not read as statements.
    assert not any("score" in str(p) or "snippet" in str(p) for p in graph.predicates())


def test_filters_narrow_the_hits(client: TestClient) -> None:
    def ids(**params: str) -> set[str]:
        document = client.get("/api/search", params={"q": "合作", "per_page": "100", **params}).json()
        return {item["id"] for item in document["items"]}

    everything = ids()
    commitments = ids(kind="commitment")
    assert commitments < everything
    water = ids(kind="commitment", sdg="6")
    assert water
    assert water < commitments
    assert ids(kind="commitment", area="programme/cn-dk-green-2023-2026/area/2") <= {
        iri for iri in commitments if iri.startswith(P + "section/06/")
    }
    assert ids(kind="commitment", party="party/denmark") == commitments


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str | None]] = []
        self.marks = 0
        self.labels: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.forms.append(values)
        if tag == "mark":
            self.marks += 1
        if tag == "label" and values.get("for"):
            self.labels.add(values["for"] or "")


def test_every_page_has_a_labelled_search_box_that_works_without_script(client: TestClient) -> None:
    for path in ("/", "/mechanisms", "/downloads", "/search", f"/id/{P.split('/id/')[1]}section/05"):
        page = _Forms()
        page.feed(client.get(path, params={"lang": "zh"}).text)
        assert {"action": "/search", "method": "get", "class": "site-search", "role": "search"} in page.forms
        assert "site-search-q" in page.labels, path


def test_the_results_page_is_bilingual_and_marks_the_words(client: TestClient) -> None:
    english = client.get("/search", params={"q": "sponge city", "lang": "en"})
    assert english.status_code == 200
    assert '<mark class="hit">sponge</mark> <mark class="hit">cities</mark>' in english.text
    assert 'href="/id/programme/cn-dk-green-2023-2026/section/05/item/4?lang=en"' in english.text
    chinese = client.get("/search", params={"q": "海绵城市", "lang": "zh"})
    assert '<html lang="zh">' in chinese.text
    assert '<mark class="hit">海绵城市</mark>' in chinese.text
    assert "搜索" in chinese.text
    page = _Forms()
    page.feed(chinese.text)
    assert {"search-q", "search-kind", "search-sdg"} <= page.labels


def test_the_page_says_when_nothing_is_found_and_when_the_query_is_unusable(client: TestClient) -> None:
    nothing = client.get("/search", params={"q": "zzzunknownzzz", "lang": "en"})
    assert nothing.status_code == 200
    assert "Nothing found." in nothing.text
    too_long = client.get("/search", params={"q": "x" * 300, "lang": "en"})
    assert too_long.status_code == 400
    assert 'role="alert"' in too_long.text
    assert "at most 256" in too_long.text


def test_commitments_q_and_the_named_query_are_the_same_search(client: TestClient) -> None:
    listed = client.get("/api/commitments", params={"q": "水资源管理", "sort": "relevance"}).json()
    named = client.get(
        "/api/queries/text-search", params={"text": "水资源管理"}, headers={"Accept": "application/json"}
    ).json()
    in_order = [row["commitment"]["value"] for row in named["results"]["bindings"]]
    assert [item["id"] for item in listed["items"]] == in_order == [P + "section/06/item/2"]
    assert json.loads(json.dumps(named))["head"]["vars"][:4] == ["text", "lang", "commitment", "rank"]
