"""Text analysis: Chinese words, English stems, Han characters, highlighting spans and snippets."""

from __future__ import annotations

from coopkg.search.analysis import analyse, query_words, snippet, spans


def test_chinese_is_split_into_words_and_search_mode_adds_the_shorter_ones() -> None:
    assert [word.term for word in query_words("水资源管理")] == ["水资源", "管理"]
    indexed = analyse("水资源的可持续管理").words
    assert {"水资源", "资源", "管理"} <= set(indexed)
    assert "的" not in indexed  # a stop word on both sides


def test_english_is_case_folded_and_stemmed_alike_in_texts_and_queries() -> None:
    assert analyse("Sponge Cities").words == analyse("sponge city", query=True).words == ["spong", "citi"]


def test_full_width_letters_and_digits_are_their_ascii_selves() -> None:
    assert analyse("ＩＭＯ ２０３０").words == analyse("IMO 2030").words


def test_operators_quotes_and_control_characters_are_not_words() -> None:
    assert [w.term for w in query_words('"水" AND (sponge) OR NOT* -city \\ \x00 ^ NEAR/2')] == [
        "水",
        "spong",
        "not",
        "citi",
        "near",
        "2",
    ]
    assert query_words("\"'()*:^{}[]\\\x00\u202e") == []


def test_spans_mark_stemmed_words_and_chinese_substrings_in_the_original_text() -> None:
    text = "Sponge cities, 海绵城市与水资源的可持续管理"
    words = query_words("sponge city 水资源管理")
    assert [text[start:end] for start, end in spans(text, words)] == ["Sponge", "cities", "水资源", "管理"]


def test_a_snippet_is_a_window_around_the_first_match_and_says_it_is_cut() -> None:
    text = "word " * 40 + "sponge cities " + "word " * 40
    pieces = list(snippet(text, spans(text, query_words("sponge city")), width=60))
    assert pieces[0] == ("…", False)
    assert pieces[-1] == ("…", False)
    assert [piece for piece, matched in pieces if matched] == ["sponge", "cities"]
    assert not pieces[1][0].startswith("ord")  # the window opens at a word boundary
