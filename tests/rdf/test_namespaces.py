"""Compact names of IRIs (pages, tables, error messages): the longest known namespace wins."""

from __future__ import annotations

import pytest

from coopkg.rdf.namespaces import compact


@pytest.mark.parametrize(
    ("iri", "name"),
    [
        ("http://metadata.un.org/sdg/ontology#Goal", "sdgo:Goal"),  # sdgo: lies inside sdg:
        ("http://metadata.un.org/sdg/6.3", "sdg:6.3"),
        ("https://w3id.org/coopkg/def#Commitment", "coop:Commitment"),
        ("https://w3id.org/coopkg/id/programme/x/section/01", "id:programme/x/section/01"),
        ("http://www.w3.org/2004/02/skos/core#prefLabel", "skos:prefLabel"),
        ("https://example.org/not/known", "https://example.org/not/known"),
        ("http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/2004/02/skos/core#"),  # no local name
    ],
)
def test_compact(iri: str, name: str) -> None:
    assert compact(iri) == name
