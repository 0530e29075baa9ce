"""Dereferenceable IRIs: every kind of resource by Accept (with q-values) and by suffix, the same triples in
every RDF syntax, JSON-LD through the published context, 404 in the format asked for, caching headers."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

ID = "https://w3id.org/coopkg/id/"
P = "programme/cn-dk-green-2023-2026"
KINDS = {
    "programme": P,
    "section": f"{P}/section/05",
    "paragraph": f"{P}/section/04/paragraph/1",
    "item": f"{P}/section/04/item/1",
    "prose": f"{P}/section/08/prose/2",
    "area": f"{P}/area/1",
    "other-area": f"{P}/area/ip",
    "area-scheme": f"{P}/areas",
    "period": f"{P}/period",
    "source": f"{P}/source",
    "alignment": f"{P}/section/04/item/1/alignment/sdg-17.17",
    "party": "party/china",
    "framework": "framework/paris-agreement",
    "paris-article": "framework/paris-agreement/article/7",
    "agency": "agency/imo",
    "actor-type": "actor-type/academia",
    "agent": "agent/coopkg",
}
SYNTAXES = {
    "text/turtle": ("ttl", ox.RdfFormat.TURTLE),
    "application/n-triples": ("nt", ox.RdfFormat.N_TRIPLES),
    "application/rdf+xml": ("rdf", ox.RdfFormat.RDF_XML),
}


def triples(body: bytes, rdf_format: ox.RdfFormat) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=rdf_format)}


def jsonld_triples(client: TestClient, body: bytes) -> set[ox.Triple]:
    """Parse JSON-LD the way a client does: fetch the context it names (from this server) and inline it."""
    document = json.loads(body)
    context_url = document["@context"]
    assert context_url.endswith("/context.jsonld")
    document["@context"] = client.get("/context.jsonld").json()["@context"]
    return triples(json.dumps(document).encode(), ox.RdfFormat.JSON_LD)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_answers_in_every_syntax_with_the_same_triples(client: TestClient, kind: str) -> None:
    path = f"/id/{KINDS[kind]}"
    turtle = client.get(path, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200, turtle.text
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert "Accept" in turtle.headers["vary"]
    expected = triples(turtle.content, ox.RdfFormat.TURTLE)
    subject = ox.NamedNode(ID + KINDS[kind])
    assert any(t.subject == subject for t in expected)
    for media_type, (suffix, rdf_format) in SYNTAXES.items():
        by_accept = client.get(path, headers={"Accept": media_type})
        by_suffix = client.get(f"{path}.{suffix}")
        for answer in (by_accept, by_suffix):
            assert answer.status_code == 200
            assert answer.headers["content-type"].startswith(media_type)
            assert triples(answer.content, rdf_format) == expected, (kind, media_type)
    for answer in (client.get(path, headers={"Accept": "application/ld+json"}), client.get(f"{path}.jsonld")):
        assert answer.headers["content-type"].startswith("application/ld+json")
        assert jsonld_triples(client, answer.content) == expected, kind
    page = client.get(f"{path}.html")
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_description_has_own_triples_and_labels_of_links(client: TestClient) -> None:
    body = client.get(f"/id/{KINDS['item']}.nt").content
    found = triples(body, ox.RdfFormat.N_TRIPLES)
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    area = ox.NamedNode(f"{ID}{P}/area/6")
    assert ox.Triple(area, label, ox.Literal("加强经济关系", language="zh")) in found
    quote = ox.NamedNode(f"{ID}{KINDS['item']}#quote")
    exact = ox.NamedNode("http://www.w3.org/ns/oa#exact")
    assert ox.Triple(quote, exact, ox.Literal("（一）定期举行双边经贸联委会。")) in found
    # Only labels of the linked area: its own commitments and other facts belong to its description.
    assert not any(t.subject == area and t.predicate != label for t in found)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),  # a browser
        ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
        ("application/ld+json;q=0.2, text/turtle;q=0.9", "text/turtle"),
        ("application/*", "application/ld+json"),  # first application/* offer
        ("*/*", "text/html"),
        ("application/rdf+xml, text/html;q=0", "application/rdf+xml"),
    ],
)
def test_q_values_choose_the_representation(client: TestClient, accept: str, expected: str) -> None:
    answer = client.get(f"/id/{KINDS['section']}", headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(expected)


def test_nothing_acceptable_is_406_problem(client: TestClient) -> None:
    answer = client.get(f"/id/{KINDS['section']}", headers={"Accept": "image/png"})
    assert answer.status_code == 406
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "text/turtle" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/html", "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
    ],
)
def test_unknown_iri_is_404_in_the_format_asked(client: TestClient, accept: str, media_type: str) -> None:
    answer = client.get("/id/programme/no-such-thing", headers={"Accept": accept})
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith(media_type)
    assert "no-such-thing" in answer.text
    if media_type in ("text/turtle", "application/n-triples"):
        assert triples(answer.content, SYNTAXES[media_type][1]) == set()  # a valid, empty graph
    if media_type == "application/rdf+xml":
        assert triples(answer.content, ox.RdfFormat.RDF_XML) == set()
    if media_type == "application/ld+json":
        assert answer.json()["@graph"] == []


def test_unknown_suffixed_iri_is_404_in_the_suffix_format(client: TestClient) -> None:
    answer = client.get("/id/nothing/here.ttl", headers={"Accept": "text/html"})
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/turtle")


def test_etag_gives_304(client: TestClient) -> None:
    first = client.get(f"/id/{KINDS['item']}.ttl")
    again = client.get(f"/id/{KINDS['item']}.ttl", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    other = client.get(f"/id/{KINDS['item']}.nt", headers={"If-None-Match": first.headers["etag"]})
    assert other.status_code == 200


def test_ontology_page_and_turtle(client: TestClient) -> None:
    turtle = client.get("/def", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    graph = triples(turtle.content, ox.RdfFormat.TURTLE)
    assert triples(client.get("/def.ttl").content, ox.RdfFormat.TURTLE) == graph
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    owl_class = ox.NamedNode("http://www.w3.org/2002/07/owl#Class")
    classes = {
        t.subject
        for t in graph
        if t.object == owl_class and isinstance(t.subject, ox.NamedNode) and "/def#" in t.subject.value
    }
    assert ox.NamedNode("https://w3id.org/coopkg/def#Commitment") in classes
    page = client.get("/def", headers={"Accept": "text/html"}).text
    for term in sorted(classes, key=str):
        local = term.value.rsplit("#", 1)[1]
        assert f'id="{local}"' in page, local
        for t in graph:
            if t.subject == term and t.predicate == label:
                assert t.object.value in page  # zh and en labels of every class
    assert "Domain" in page
    assert "Range" in page
    assert "http://www.w3.org/ns/oa#" in page  # reused vocabularies listed
    jsonld = client.get("/def.jsonld")
    assert jsonld.status_code == 200


def test_context_document(client: TestClient) -> None:
    answer = client.get("/context.jsonld")
    assert answer.headers["content-type"].startswith("application/ld+json")
    context = answer.json()["@context"]
    assert context["text"] == {"@id": "coop:text", "@container": "@language"}
    assert context["area"]["@type"] == "@id"


def test_source_text_is_served_exactly(client: TestClient) -> None:
    from coopkg import resources

    answer = client.get(f"/id/{P}/source.txt")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    path = resources.data_dir() / "sources" / "000_e060dfadf5293257.txt"
    assert answer.content == path.read_bytes()


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    head = client.head(f"/id/{KINDS['item']}", headers={"Accept": "text/turtle"})
    assert head.status_code == 200
    assert head.headers["content-type"].startswith("text/turtle")
    assert head.content == b""
    assert client.head("/id/no/such/thing", headers={"Accept": "text/turtle"}).status_code == 404
    assert client.head("/def", headers={"Accept": "text/turtle"}).status_code == 200


@pytest.mark.parametrize("path", ["/id/%25", "/id/a%20b", "/id/%3Cx%3E", "/id/%7B%7D.ttl", "/id/%00"])
def test_paths_that_make_no_valid_iri_are_404_not_500(client: TestClient, path: str) -> None:
    for accept in ("text/turtle", "text/html", "application/ld+json"):
        answer = client.get(path, headers={"Accept": accept})
        assert answer.status_code == 404, (path, accept, answer.text[:200])


def test_alternates_are_announced(client: TestClient) -> None:
    answer = client.get(f"/id/{KINDS['section']}", headers={"Accept": "text/turtle"})
    links = answer.headers["link"]
    expected = (("ttl", "text/turtle"), ("jsonld", "application/ld+json"), ("html", "text/html"))
    for suffix, media_type in expected:
        assert f'</id/{KINDS["section"]}.{suffix}>; rel="alternate"; type="{media_type}"' in links
    page = client.get(f"/id/{KINDS['section']}", headers={"Accept": "text/html"}).text
    assert f'<link rel="alternate" type="text/turtle" href="/id/{KINDS["section"]}.ttl">' in page


def test_jsonld_names_the_context_of_the_host_it_was_asked_on(client: TestClient) -> None:
    """Rendered pages are cached per data version: a second host must not get the first host's context."""
    path = f"/id/{KINDS['item']}"
    accept = {"Accept": "application/ld+json"}
    first = client.get(path, headers={**accept, "Host": "first.example"})
    second = client.get(path, headers={**accept, "Host": "second.example"})
    assert first.status_code == second.status_code == 200
    assert first.json()["@context"] == "http://first.example/context.jsonld"
    assert second.json()["@context"] == "http://second.example/context.jsonld"
    assert first.headers["etag"] != second.headers["etag"]
