"""coopkg.reader.links: the derived graph (successor links and similarity pairs) the build writes."""

from __future__ import annotations

import pyoxigraph as ox

from coopkg.reader.links import derived_triples, similarity_iri

ID = "https://w3id.org/coopkg/id/"
COOP = "https://w3id.org/coopkg/def#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _commitment(programme: str, path: str, text: str, lang: str = "zh") -> list[ox.Triple]:
    iri = ox.NamedNode(f"{ID}programme/{programme}/{path}")
    return [
        ox.Triple(iri, RDF_TYPE, ox.NamedNode(COOP + "Commitment")),
        ox.Triple(iri, ox.NamedNode(COOP + "programme"), ox.NamedNode(f"{ID}programme/{programme}")),
        ox.Triple(iri, ox.NamedNode(COOP + "text"), ox.Literal(text, language=lang)),
    ]


def _predecessor(later: str, earlier: str) -> ox.Triple:
    return ox.Triple(
        ox.NamedNode(f"{ID}programme/{later}"),
        ox.NamedNode(COOP + "predecessor"),
        ox.NamedNode(f"{ID}programme/{earlier}"),
    )


def _objects(triples: set[ox.Triple], subject: str, local: str) -> set[str]:
    return {
        t.object.value for t in triples if t.subject.value == subject and t.predicate.value == COOP + local
    }


def test_every_predecessor_gets_its_successor_back() -> None:
    derived = derived_triples([_predecessor("b", "a"), _predecessor("c", "b")])
    assert derived == {
        ox.Triple(
            ox.NamedNode(f"{ID}programme/a"),
            ox.NamedNode(COOP + "successor"),
            ox.NamedNode(f"{ID}programme/b"),
        ),
        ox.Triple(
            ox.NamedNode(f"{ID}programme/b"),
            ox.NamedNode(COOP + "successor"),
            ox.NamedNode(f"{ID}programme/c"),
        ),
    }


def test_similar_commitments_of_a_programme_and_its_predecessor_become_attributed_pairs() -> None:
    triples = [
        _predecessor("b", "a"),
        *_commitment("a", "section/04/item/1", "定期举行双边经贸联委会。"),
        *_commitment("a", "section/05/item/1", "有机食品和农业。"),
        *_commitment("b", "section/01/item/1", "继续定期举行双边经贸联委会。"),
        *_commitment(
            "c", "section/01/item/1", "定期举行双边经贸联委会。"
        ),  # not b's predecessor or successor
    ]
    derived = derived_triples(triples)
    pairs = {t.subject.value for t in derived if t.predicate == RDF_TYPE}
    later, earlier = f"{ID}programme/b/section/01/item/1", f"{ID}programme/a/section/04/item/1"
    pair = f"{later}/similar/a/section/04/item/1"
    assert pairs == {pair}
    assert pair == similarity_iri(earlier, later)
    assert _objects(derived, pair, "earlierCommitment") == {earlier}
    assert _objects(derived, pair, "laterCommitment") == {later}
    assert _objects(derived, pair, "similarityMethod") == {COOP + "BigramCosine"}
    (score,) = (t.object for t in derived if t.subject.value == pair and t.predicate.value == COOP + "score")
    assert isinstance(score, ox.Literal)
    assert score.datatype.value == "http://www.w3.org/2001/XMLSchema#decimal"
    assert score.value == "1.000"  # 继续 is part of the frame: the same commission
    attributed = {
        t.object.value for t in derived if t.predicate.value == "http://www.w3.org/ns/prov#wasAttributedTo"
    }
    assert attributed == {f"{ID}agent/coopkg"}


def test_an_english_rendering_stands_in_when_the_languages_differ() -> None:
    rendering = ox.NamedNode(f"{ID}programme/a/section/01/item/1#en")
    triples = [
        _predecessor("b", "a"),
        *_commitment("a", "section/01/item/1", "定期举行双边经贸联委会。"),
        ox.Triple(
            ox.NamedNode(f"{ID}programme/a/section/01/item/1"), ox.NamedNode(COOP + "translation"), rendering
        ),
        ox.Triple(
            rendering,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#value"),
            ox.Literal("Hold the Joint Economic and Trade Commission regularly.", language="en"),
        ),
        *_commitment(
            "b", "section/01/item/1", "Hold the Joint Economic and Trade Commission every year.", "en"
        ),
    ]
    assert any(t.predicate == RDF_TYPE for t in derived_triples(triples))


def test_the_shipped_build_derives_the_successor_of_the_named_predecessor() -> None:
    from coopkg import resources

    text = (resources.data_dir() / "generated" / "derived.ttl").read_text(encoding="utf-8")
    assert "<https://w3id.org/coopkg/id/programme/cn-dk-2017-2020> coop:successor" in text
    assert "coop:Similarity" not in text  # the predecessor is named, not described: nothing to compare
