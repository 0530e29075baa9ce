"""Turtle and TriG are readable: our IRIs are written in full, not `id:programme\\/cn-dk-…\\/section\\/03`
(pyoxigraph escapes `/` in a prefixed name's local part; valid Turtle, but nobody can cite it). Every RDF
output path is checked, and what is written still parses to the same triples."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from coopkg.rdf.namespaces import ID, PREFIXES, readable_prefixes

PROGRAMME = "programme/cn-dk-green-2023-2026"
N = ox.NamedNode
VALID = Path(__file__).resolve().parent.parent / "data" / "valid" / "test-fixture-2024-2025.ttl"


def ground(quads: list[ox.Quad]) -> set[ox.Quad]:
    return {
        q for q in quads if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
    }


def assert_readable(text: str) -> None:
    escaped = [line for line in text.splitlines() if "\\/" in line or "\\#" in line]
    assert escaped == [], escaped[:5]


@pytest.mark.parametrize(
    "path",
    [
        f"/id/{PROGRAMME}.ttl",
        f"/id/{PROGRAMME}/section/04/item/1.ttl",
        f"/id/{PROGRAMME}/section/03/prose/3.ttl",
        "/id/party/china.ttl",
        "/def.ttl",
    ],
)
def test_described_iris_write_our_iris_in_full(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 200
    assert_readable(answer.text)
    assert f"<{ID}" in answer.text
    # The same triples as N-Triples (blank nodes aside): leaving prefixes out loses nothing.
    written = list(ox.parse(answer.content, format=ox.RdfFormat.TURTLE))
    reference = list(
        ox.parse(client.get(path.removesuffix(".ttl") + ".nt").content, format=ox.RdfFormat.N_TRIPLES)
    )
    assert len(written) == len(reference)
    assert ground(written) == ground(reference)


@pytest.mark.parametrize(
    ("name", "rdf_format"), [("coopkg.ttl", ox.RdfFormat.TURTLE), ("coopkg.trig", ox.RdfFormat.TRIG)]
)
def test_downloads_write_our_iris_in_full(client: TestClient, name: str, rdf_format: ox.RdfFormat) -> None:
    answer = client.get(f"/downloads/{name}")
    assert answer.status_code == 200
    assert_readable(answer.text)
    assert "@prefix coop:" in answer.text  # readable prefixes are still used
    assert len(list(ox.parse(answer.content, format=rdf_format))) > 1000


def test_void_turtle_is_readable(client: TestClient) -> None:
    answer = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    assert_readable(answer.text)


def test_validation_report_turtle_is_readable(client: TestClient) -> None:
    answer = client.post(
        "/validate",
        content=VALID.read_bytes(),
        headers={"Content-Type": "text/turtle", "Accept": "text/turtle"},
    )
    assert answer.status_code == 200
    assert_readable(answer.text)


def test_sparql_construct_turtle_is_readable(client: TestClient) -> None:
    # The query declares `id:`; the serializer would use it for the programme's IRI.
    query = f"PREFIX id: <{ID}> CONSTRUCT {{ <{ID}{PROGRAMME}> ?p ?o }} WHERE {{ <{ID}{PROGRAMME}> ?p ?o }}"
    answer = client.get("/sparql", params={"query": query}, headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    assert_readable(answer.text)


def test_a_namespace_whose_local_names_need_escapes_is_left_out() -> None:
    triples = [
        ox.Triple(
            N(f"{ID}{PROGRAMME}/section/03"),
            N(PREFIXES["coop"] + "area"),
            N("http://metadata.un.org/sdg/6.3"),
        ),
        ox.Triple(N(f"{ID}party/china"), N(PREFIXES["rdf"] + "type"), N(PREFIXES["sdgo"] + "Goal")),
    ]
    kept = readable_prefixes(triples)
    assert "id" not in kept
    # sdg:6.3 is plain, and the longer sdgo: namespace takes the ontology's terms.
    assert {"coop", "sdg", "sdgo", "rdf"} <= set(kept)
    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=kept).decode()
    assert_readable(text)
    assert f"<{ID}party/china>" in text
    assert "sdg:6.3" in text


def test_leaving_a_longer_namespace_out_rechecks_the_shorter_one() -> None:
    # Without `sdgo:`, the ontology term falls to `sdg:` with the local name `ontology#Goal`: sdg: goes too.
    prefixes = {"sdg": "http://metadata.un.org/sdg/", "sdgo": "http://metadata.un.org/sdg/ontology#"}
    triples = [
        ox.Triple(
            N("http://metadata.un.org/sdg/ontology#Goal/x"),
            N(PREFIXES["rdf"] + "type"),
            N("http://metadata.un.org/sdg/6"),
        )
    ]
    assert readable_prefixes(triples, prefixes) == {}
    assert readable_prefixes(triples[:0], prefixes) == prefixes
