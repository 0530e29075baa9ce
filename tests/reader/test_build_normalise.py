"""Normalisation keeps an exact map from every normalised character back to the raw file."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkg.reader.normalise import Normalised, display_width, normalise_lines, normalise_text


def test_joins_lines_and_drops_digit_spaces_keeping_offsets() -> None:
    raw = "国于 2008 年建\n\n立关系。"
    text = normalise_lines(raw, [(0, 10), (12, 16)])
    assert text.text == "国于2008年建立关系。"
    # every normalised character is the raw character at its offset
    assert all(raw[offset] == char for char, offset in zip(text.text, text.offsets, strict=True))
    assert text.raw_span() == (0, 16)
    assert raw[slice(*text.raw_span(2, 7))] == "2008 年"


def test_spaces_between_latin_words_and_cjk_punctuation_stay() -> None:
    raw = "the One Health 视角"
    assert normalise_lines(raw, [(0, len(raw))]).text == "the One Health 视角"


def test_digit_space_removed_on_either_side_of_cjk() -> None:
    assert normalise_text("2021 年 11 月，《联合国 2030 年") == "2021年11月，《联合国2030年"


def test_normalise_text_strips_page_break_spaces_and_line_breaks() -> None:
    assert normalise_text(" 为实现《巴黎\n 协定》目标") == "为实现《巴黎协定》目标"


def test_find_all_and_slice_keep_the_map() -> None:
    text = normalise_lines("甲乙甲乙", [(0, 4)])
    assert text.find_all("甲乙") == [0, 2]
    assert text.slice(2).offsets == (2, 3)


def test_bad_spans_are_refused() -> None:
    text = Normalised("甲乙", (5, 6))
    with pytest.raises(ValueError, match="out-of-range"):
        text.raw_span(1, 1)
    with pytest.raises(ValueError, match="one raw offset"):
        Normalised("甲", ())


def test_display_width_counts_wide_characters_twice() -> None:
    assert display_width("中文ab") == 6


@given(
    st.lists(
        st.text(alphabet=st.sampled_from("中文年。 12ab\n"), min_size=1, max_size=12),
        min_size=1,
        max_size=5,
    )
)
def test_every_normalised_character_is_its_raw_character(parts: list[str]) -> None:
    raw = "\n\n".join(parts)
    segments, position = [], 0
    for part in parts:
        segments.append((position, position + len(part)))
        position += len(part) + 2
    text = normalise_lines(raw, segments)
    assert all(raw[offset] == char for char, offset in zip(text.text, text.offsets, strict=True))
    assert list(text.offsets) == sorted(set(text.offsets))  # strictly increasing: spans are contiguous ranges
    assert not any(
        text.text[i] == " "
        and text.text[i + 1 : i + 2].isdigit()
        and text.text[i - 1 : i] in ("中", "文", "年", "。")
        for i in range(1, len(text.text))
    )
