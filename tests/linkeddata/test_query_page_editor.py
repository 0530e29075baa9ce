"""What the query page gives its editor script and its no-JavaScript readers: downloads in every format of
the query's form, labelled links, numbers marked for sorting, the examples with bound parameters, and a CSP
that lets the editor's one <style> element in by a per-response nonce and nothing else."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlparse

from fastapi.testclient import TestClient

from coopkg.linkeddata.html import example_text
from coopkg.queries import default_registry

COUNT = "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"


def _downloads(body: str) -> dict[str, str]:
    block = re.search(r'<p class="downloads">(.*?)</p>', body, re.S)
    assert block is not None
    return {
        name: href.replace("&amp;", "&")
        for href, name in re.findall(r'<a href="([^"]+)" download>([^<]+)</a>', block.group(1))
    }


def test_select_and_named_results_download_in_every_results_format(client: TestClient) -> None:
    body = client.get("/query", params={"query": COUNT, "lang": "en"}).text
    links = _downloads(body)
    assert list(links) == ["SPARQL JSON", "SPARQL XML", "CSV", "TSV"]
    for name, fmt in zip(links, ("json", "xml", "csv", "tsv"), strict=True):
        query = parse_qs(urlparse(links[name]).query)
        assert query == {"query": [COUNT], "format": [fmt]}
        answer = client.get(links[name])
        assert answer.status_code == 200, name
    named = _downloads(client.get("/query", params={"name": "mechanisms", "lang": "en"}).text)
    assert list(named) == ["SPARQL JSON", "SPARQL XML", "CSV", "TSV"]
    assert client.get(named["CSV"]).text.startswith("frequency,mechanism,")


def test_construct_results_download_in_every_graph_format(client: TestClient) -> None:
    text = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3"
    links = _downloads(client.get("/query", params={"query": text}).text)
    assert list(links) == ["Turtle", "N-Triples", "JSON-LD", "RDF/XML", "N-Quads", "TriG"]
    for href in links.values():
        assert client.get(href).status_code == 200, href


def test_result_cells_are_labelled_links_and_marked_numbers(client: TestClient) -> None:
    body = client.get("/query", params={"query": COUNT, "lang": "zh"}).text
    assert '<a href="/def?lang=zh#Commitment" lang="zh" title="coop:Commitment">承诺</a>' in body
    assert re.search(r'<td data-number="\d+"><span>\d+</span></td>', body)


def test_editor_data_lists_every_named_query_with_bound_example_text(client: TestClient) -> None:
    body = client.get("/query").text
    found = re.search(r'<script type="application/json" id="query-editor-data">(.*?)</script>', body, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    registry = default_registry()
    assert [example["name"] for example in data["examples"]] == list(registry)
    for example in data["examples"]:
        query = registry[example["name"]]
        assert example["params"] == [param.name for param in query.params]
        if query.params:  # every shipped query has a default or an e.g. for each parameter
            assert "VALUES (" in example["text"], example["name"]
            assert client.get("/query", params={"query": example["text"]}).status_code == 200, example["name"]


def test_example_text_leaves_a_query_unbound_when_no_example_fits() -> None:
    from dataclasses import replace

    query = default_registry()["commitments-by-sdg"]
    bad = replace(query, params=(replace(query.params[0], description="e.g. not-an-iri"),))
    assert example_text(bad) == query.text
    silent = replace(query, params=(replace(query.params[0], description="An SDG goal"),))
    assert example_text(silent) == query.text


def test_query_page_csp_allows_one_style_nonce_and_same_origin_fetches_only(client: TestClient) -> None:
    first, second = client.get("/query"), client.get("/query")
    policy = first.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([A-Za-z0-9_-]{20,})'", policy)
    assert nonce is not None
    assert f'<script src="/static/query-editor.js" defer nonce="{nonce.group(1)}">' in first.text
    assert "script-src 'self';" in policy  # the nonce is for styles; scripts stay 'self' only
    assert "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert second.headers["content-security-policy"] != policy  # fresh per response
    assert first.headers["cache-control"] == "no-store"
    # Other pages keep the plain policy.
    assert "nonce-" not in client.get("/mechanisms").headers["content-security-policy"]
