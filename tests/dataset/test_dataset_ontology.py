"""The ontology: every term labelled in zh and en with an en definition; every coop: term used anywhere in the
shipped data (parsed and curated) is defined; reused vocabularies are explained."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from coopkg.rdf import dataset

COOP = "https://w3id.org/coopkg/def#"
PREFIXES = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
ONTOLOGY = f"<{dataset.GRAPH_ONTOLOGY}>"


def values(store: ox.Store, query: str) -> set[str]:
    result = store.query(PREFIXES + query)
    assert isinstance(result, ox.QuerySolutions)
    return {row[0].value for row in result if row[0] is not None}


def defined_terms(store: ox.Store) -> set[str]:
    return values(
        store,
        f"SELECT ?t WHERE {{ GRAPH {ONTOLOGY} {{ ?t a ?kind }} FILTER(STRSTARTS(STR(?t), '{COOP}')) }}",
    )


def test_every_term_has_zh_and_en_labels_and_an_en_definition(shipped_store: ox.Store) -> None:
    terms = defined_terms(shipped_store)
    assert len(terms) > 50
    for lang in ("zh", "en"):
        labelled = values(
            shipped_store,
            f"SELECT ?t WHERE {{ GRAPH {ONTOLOGY} {{ ?t rdfs:label ?l FILTER(lang(?l) = '{lang}') }} }}",
        )
        assert terms - labelled == set(), f"terms without a {lang} label"
    defined = values(
        shipped_store,
        f"SELECT ?t WHERE {{ GRAPH {ONTOLOGY} {{ ?t skos:definition ?d FILTER(lang(?d) = 'en') }} }}",
    )
    assert terms - defined == set()


@pytest.mark.parametrize(
    "name",
    [
        "Programme",
        "Party",
        "Section",
        "CooperationArea",
        "Commitment",
        "Mechanism",
        "Framework",
        "Agency",
        "ActorType",
        "Alignment",
        "Paragraph",
        "Translation",
        "EnumeratedItem",
        "ProseStatement",
        "ExplicitInText",
        "CuratedJudgement",
        "Annual",
        "Regular",
        "Frequencies",
    ],
)
def test_core_terms_exist(shipped_store: ox.Store, name: str) -> None:
    assert COOP + name in defined_terms(shipped_store)


def test_properties_have_domain_or_range(shipped_store: ox.Store) -> None:
    properties = values(
        shipped_store,
        f"SELECT ?p WHERE {{ GRAPH {ONTOLOGY} {{ ?p a ?k "
        "FILTER(?k IN (owl:ObjectProperty, owl:DatatypeProperty)) } }",
    )
    bounded = values(
        shipped_store,
        f"SELECT ?p WHERE {{ GRAPH {ONTOLOGY} {{ {{ ?p rdfs:range ?r }} UNION {{ ?p rdfs:domain ?d }} }} }}",
    )
    assert properties
    assert properties - bounded == set()


def test_every_coop_term_used_in_the_data_is_defined(shipped_store: ox.Store) -> None:
    graphs = [
        f"<{g}>"
        for g in dict.fromkeys(s.graph for s in dataset.shipped_graphs())
        if g != dataset.GRAPH_ONTOLOGY
    ]
    used: set[str] = set()
    for graph in graphs:
        used |= values(
            shipped_store,
            f"SELECT DISTINCT ?t WHERE {{ GRAPH {graph} {{ {{ ?s ?t ?o }} UNION {{ ?s ?p ?t }} }} "
            f"FILTER(isIRI(?t) && STRSTARTS(STR(?t), '{COOP}') && STR(?t) != '{COOP}') }}",
        )
    assert len(used) > 20
    assert used - defined_terms(shipped_store) == set()


def test_reused_vocabularies_are_explained_and_used(shipped_store: ox.Store) -> None:
    comment = values(
        shipped_store,
        f"SELECT ?c WHERE {{ GRAPH {ONTOLOGY} {{ <https://w3id.org/coopkg/def> rdfs:comment ?c }} }}",
    ).pop()
    supers = values(
        shipped_store,
        f"SELECT ?s WHERE {{ GRAPH {ONTOLOGY} {{ {{ ?t rdfs:subClassOf ?s }} "
        "UNION { ?t rdfs:subPropertyOf ?s } } "
        f"FILTER(isIRI(?s) && !STRSTARTS(STR(?s), '{COOP}')) }}",
    )
    namespaces = {
        "SKOS": "http://www.w3.org/2004/02/skos/core#",
        "W3C ORG": "http://www.w3.org/ns/org#",
        "PROV-O": "http://www.w3.org/ns/prov#",
        "DCTERMS": "http://purl.org/dc/terms/",
    }
    for name, namespace in namespaces.items():
        assert name in comment
        assert any(s.startswith(namespace) for s in supers), f"no term is a subclass/subproperty of {name}"
    for name in ("OWL-Time", "Web Annotation", "UN SDG ontology"):
        assert name in comment


def test_ontology_metadata(shipped_store: ox.Store) -> None:
    for predicate in (
        "owl:versionIRI",
        "owl:versionInfo",
        "<http://purl.org/dc/terms/license>",
        "<http://purl.org/dc/terms/creator>",
        "<http://purl.org/dc/terms/created>",
        "<http://purl.org/dc/terms/modified>",
    ):
        found = values(
            shipped_store,
            f"SELECT ?v WHERE {{ GRAPH {ONTOLOGY} {{ <https://w3id.org/coopkg/def> {predicate} ?v }} }}",
        )
        assert found, predicate
