"""The shapes across programmes on the shipped graph together with the invented programmes of tests/invented/
(not real agreements) and the derived graph the build's code computes over both: the successor links, standing
mechanisms and similarity pairs conform. (The invented programmes have no source text, so the shapes of source
spans are not what this checks.)"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from coopkg.rdf import dataset
from coopkg.validation.run import validate_files
from invented_programmes import INVENTED, invented_store

ACROSS_PROGRAMMES = {
    f"https://w3id.org/coopkg/shapes#{name}"
    for name in (
        "Programme-successor",
        "SuccessorInverseShape",
        "PredecessorInverseShape",
        "Mechanism-standingMechanism",
        "StandingMechanismShape",
        "SimilarityShape",
        "Similarity-earlier",
        "Similarity-later",
        "Similarity-score",
        "Similarity-method",
        "Similarity-attributed",
        "SimilarityOfTwoShape",
    )
}


def test_the_links_across_programmes_conform(tmp_path: Path) -> None:
    store = invented_store()
    derived = [
        q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(dataset.GRAPH_DERIVED))
    ]
    assert any(t.predicate.value.endswith("#laterCommitment") for t in derived)  # pairs were derived
    derived_file = tmp_path / "derived.ttl"
    derived_file.write_bytes(ox.serialize(derived, format=ox.RdfFormat.TURTLE))
    shipped = [
        s.path for s in dataset.shipped_graphs() if s.graph not in (dataset.GRAPH_DERIVED, dataset.GRAPH_META)
    ]
    shipped = [p for p in shipped if p.parent.name == "generated"]  # the ontology and SDG come as context
    report = validate_files([*shipped, INVENTED, derived_file])
    reported = {(r.source_shape, r.focus_node) for r in report.results if r.source_shape in ACROSS_PROGRAMMES}
    assert reported == set()
    # and without the derived graph, every predecessor link lacks its successor (a warning, not a violation)
    without = validate_files([*shipped, INVENTED])
    missing = {r.focus_node for r in without.results if r.source_shape.endswith("#PredecessorInverseShape")}
    assert missing == {
        "https://w3id.org/coopkg/id/programme/cn-dk-green-2023-2026",
        "https://w3id.org/coopkg/id/programme/test-invented-2027-2030",
        "https://w3id.org/coopkg/id/programme/test-invented-2031-2034",
    }
