"""The JSON-LD context and framing: every description expands back to exactly its triples."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

import pyoxigraph as ox
import pytest

from coopkg.linkeddata import describe, jsonld
from coopkg.rdf.namespaces import ID
from coopkg.store.inprocess import InProcessStore

Runner = Callable[[Coroutine[Any, Any, Any]], Any]

ITEM = f"{ID}programme/cn-dk-green-2023-2026/section/04/item/1"


def canonical(triples: object) -> set[ox.Quad]:
    dataset = ox.Dataset([ox.Quad(t.subject, t.predicate, t.object) for t in triples])  # type: ignore[attr-defined]
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


def expand(document: dict[str, object]) -> set[ox.Quad]:
    """Parse a framed document with the published context inlined (as a client that fetched it would)."""
    inlined = dict(document) | jsonld.context()
    return canonical(ox.parse(json.dumps(inlined).encode(), format=ox.RdfFormat.JSON_LD))


def our_iris(store: ox.Store) -> list[str]:
    subjects = {
        quad.subject.value.split("#", 1)[0]
        for quad in store.quads_for_pattern(None, None, None)
        if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(ID)
    }
    return sorted(subjects)


def test_every_description_round_trips(
    shipped_store: ox.Store, memory_store: InProcessStore, run_async: Runner
) -> None:
    iris = our_iris(shipped_store)
    assert len(iris) > 150  # programme, 12 sections, 49 commitments, paragraphs, areas, frameworks, ...
    for iri in iris:
        description = run_async(describe.describe(memory_store, iri))
        document = jsonld.frame(description.triples, iri, "https://example.org/context.jsonld")
        assert expand(document) == canonical(description.triples), iri


def test_ontology_round_trips(memory_store: InProcessStore, run_async: Runner) -> None:
    description = run_async(describe.ontology(memory_store))
    document = jsonld.frame(description.triples, description.iri, "/context.jsonld")
    assert "@graph" in document
    assert expand(document) == canonical(description.triples)


def test_commitment_is_framed_with_short_keys(memory_store: InProcessStore, run_async: Runner) -> None:
    description = run_async(describe.describe(memory_store, ITEM))
    document = jsonld.frame(description.triples, ITEM, "/context.jsonld")
    assert "@graph" not in document  # the commitment is the one top object, everything else nested in it
    assert document["@context"] == "/context.jsonld"
    assert document["@id"] == ITEM
    assert document["type"] == ["Commitment", "Mechanism"]
    assert document["text"] == {"zh": "定期举行双边经贸联委会。"}
    assert document["area"][0]["label"]["zh"] == "加强经济关系"  # type: ignore[index]
    source = document["source"]
    assert isinstance(source, dict)
    selectors = {selector["type"]: selector for selector in source["hasSelector"]}  # type: ignore[index,union-attr]
    assert selectors["TextPositionSelector"]["start"] == 899
    assert selectors["TextQuoteSelector"]["exact"] == "（一）定期举行双边经贸联委会。"
    (alignment,) = document["hasAlignment"]  # type: ignore[misc]
    assert alignment["alignedTo"]["@id"] == "http://metadata.un.org/sdg/17.17"
    assert alignment["alignmentBasis"]["@id"].endswith("#CuratedJudgement")
    assert "rationale" in alignment
    translation = document["translation"]
    assert translation["official"] is False  # type: ignore[index]
    assert translation["value"]["en"].startswith("Hold the bilateral")  # type: ignore[index]


@pytest.mark.parametrize(
    ("literal", "key"),
    [
        (ox.Literal("no language"), "rdfs:label"),  # a label without a tag cannot go in the language map
        (ox.Literal("3.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")), "coop:order"),
        (ox.Literal("007", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), "coop:order"),
    ],
)
def test_values_that_do_not_fit_their_term_are_written_in_full(literal: ox.Literal, key: str) -> None:
    subject = ox.NamedNode(f"{ID}test")
    predicate = ox.NamedNode(jsonld.PREFIXES[key.split(":")[0]] + key.split(":")[1])
    triples = [ox.Triple(subject, predicate, literal)]
    document = jsonld.frame(triples, subject.value, "/context.jsonld")
    assert key in document
    assert expand(document) == canonical(triples)


def test_context_declares_every_term() -> None:
    definitions = jsonld.context()["@context"]
    assert isinstance(definitions, dict)
    for term in jsonld.TERMS:
        assert term.name in definitions
    assert definitions["id"] == jsonld.PREFIXES["id"]  # `id:` stays the prefix of our things
