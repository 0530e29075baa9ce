"""Search quality: queries and the hits expected at the top, in both languages (docs/search.md lists what
the search misses). Each row is a real question about the shipped programme."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from coopkg.search.index import SearchIndex, SearchQuery
from coopkg.search.local import index_for

P = "https://w3id.org/coopkg/id/programme/cn-dk-green-2023-2026/"
ID = "https://w3id.org/coopkg/id/"
SDG = "http://metadata.un.org/sdg/"

# query, kind filter (None: all), the IRI expected first, other IRIs expected among the first five
TOP_HITS = [
    # Words, not substrings: the text says 水资源的可持续管理.
    ("水资源管理", "commitment", P + "section/06/item/2", []),
    # Stems: the rendering says "sponge cities"; singular and plural find it alike.
    ("sponge city", None, P + "section/05/item/4", []),
    ("sponge cities", None, P + "section/05/item/4", []),
    ("joint commissions", None, P + "section/04/item/1", []),
    ("海绵城市", None, P + "section/05/item/4", []),
    ("联委会", None, P + "section/04/item/1", [P + "section/07/prose/4"]),
    ("抗微生物药物耐药性", None, P + "section/10/item/3", []),
    ("antimicrobial resistance", None, P + "section/10/item/3", []),
    ("航运减排", None, P + "section/09/item/1", []),
    ("shipping emissions", "commitment", P + "section/09/item/1", []),
    ("全民健康覆盖", None, P + "section/12/prose/1", []),
    ("universal health coverage", "commitment", P + "section/12/prose/1", []),
    # Labels of areas, sections, agencies, frameworks, in either language.
    ("巴黎协定", None, ID + "framework/paris-agreement", []),
    ("Paris Agreement", None, ID + "framework/paris-agreement", []),
    ("国际海事组织", None, ID + "agency/imo", [P + "section/09/item/1"]),
    ("IMO", None, ID + "agency/imo", [P + "section/09/item/1"]),
    ("同一健康", None, ID + "framework/one-health", [P + "section/10/item/3"]),
    ("One Health", None, ID + "framework/one-health", [P + "section/10/item/3"]),
    ("气候和能源", None, None, [P + "section/05", P + "area/1"]),
    ("climate and energy", None, None, [P + "section/05", P + "area/1"]),
    ("知识产权", "area", P + "area/ip", []),
    ("intellectual property", "area", P + "area/ip", []),
    ("可持续旅游", None, P + "section/11", [P + "section/11/prose/2"]),
    # SDG targets, whose labels are in English only, found by a Chinese word through their goal's label.
    ("卫生设施", "target", None, [SDG + "6.1", SDG + "6.2"]),
    ("integrated water resources management", "target", SDG + "6.5", []),
]


@pytest.mark.parametrize(("text", "kind", "first", "also"), TOP_HITS, ids=[row[0] for row in TOP_HITS])
def test_the_expected_hits_come_first(
    shipped_index: SearchIndex, text: str, kind: str | None, first: str | None, also: list[str]
) -> None:
    results = shipped_index.search(SearchQuery(text, kinds=[kind] if kind else [], per_page=5))
    found = [hit.iri for hit in results.hits]
    assert results.matched == "all"
    if first is not None:
        assert found[0] == first, found
    assert set(also) <= set(found), found


def test_an_english_query_finds_a_chinese_only_text_through_the_labels_around_it(
    gaps_store: ox.Store,
) -> None:
    """The invented fixture's commitment has no English rendering; its area is labelled in both languages."""
    index = index_for(gaps_store)
    results = index.search(SearchQuery("ocean governance", kinds=["commitment"]))
    assert [hit.iri for hit in results.hits] == [f"{ID}programme/gaps/section/01/prose/1"]
    # ... ranked by the labels, not by the text: a word of the text itself finds it only in Chinese.
    assert index.search(SearchQuery("fisheries", kinds=["commitment"])).total == 0
    assert index.search(SearchQuery("渔业资源", kinds=["commitment"])).total == 1


def test_a_commitment_text_match_outranks_a_match_in_the_labels_around_it(shipped_index: SearchIndex) -> None:
    results = shipped_index.search(SearchQuery("水资源", kinds=["commitment"], per_page=50))
    in_text = [hit for hit in results.hits if "水资源" in hit.zh[0]]
    only_around = [hit for hit in results.hits if "水资源" not in hit.zh[0]]
    assert in_text
    assert only_around
    assert min(hit.score for hit in in_text) > max(hit.score for hit in only_around)


def test_when_no_document_has_every_word_any_word_is_enough(shipped_index: SearchIndex) -> None:
    results = shipped_index.search(SearchQuery("sponge zzzunknownzzz"))
    assert results.matched == "any"
    assert results.hits[0].iri == P + "section/05/item/4"


def test_words_that_are_not_in_the_data_find_nothing(shipped_index: SearchIndex) -> None:
    results = shipped_index.search(SearchQuery("zzzunknownzzz 不存在的词语"))
    assert (results.total, results.hits) == (0, [])
