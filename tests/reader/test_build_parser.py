"""The parser on the real source, on a second (synthetic) programme, and on broken structure.

Expectations come from the text itself: the item lines are found with a plain regex over the raw file, the
headings are the design card's table (docs/design.md), which the lead read off the source.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coopkg.errors import UnusableInput
from coopkg.reader.parser import chinese_number, match_marker, parse

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "data" / "sources" / "000_e060dfadf5293257.txt"
FIXTURE = Path(__file__).parent / "fixtures" / "synthetic" / "sources" / "synthetic.txt"

HEADINGS = [
    "背景",
    "《中丹绿色联合工作方案（2023－2026）》",
    "加强高层对话",
    "贸易：加强经济关系",
    "气候和能源：为气候共同努力",
    "环境和水资源：确保水资源质量和生态系统功能",
    "研究、创新与高等教育：助力绿色转型",
    "知识产权：加强知识产权合作",
    "海事：绿色航运和绿色海事技术合作",
    "粮食和农业：提升质量和可持续性",
    "旅游：可持续发展",
    "健康：人人享有",
]
ITEMS_PER_SECTION = [0, 0, 0, 2, 4, 6, 4, 0, 3, 5, 0, 2]
PRIORITY_AREAS = [
    "气候和能源",
    "环境和水资源",
    "绿色航运和绿色海事技术",
    "改善粮食和农业质量和可持续性",
    "改善公共卫生",
    "加强经济关系",
    "科学和技术",
]


def raw_text(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def item_line_offsets(raw: str) -> list[int]:
    """Offsets of every （一）-style mark that starts a line (after an optional page-break space)."""
    return [m.start(1) for m in re.finditer(r"(?m)^ ?(（[一二三四五六七八九十]+）)", raw)]


@pytest.fixture(scope="module")
def document():  # type: ignore[no-untyped-def]
    return parse(SOURCE)


def test_headings_are_the_sections_in_document_order(document) -> None:  # type: ignore[no-untyped-def]
    assert [section.heading.text for section in document.sections] == HEADINGS


def test_every_item_line_of_the_text_is_one_item(document) -> None:  # type: ignore[no-untyped-def]
    raw = document.raw
    expected = item_line_offsets(raw)
    assert len(expected) == 26
    items = [item for section in document.sections for item in section.items]
    assert [item.span[0] for item in items] == expected
    assert [len(section.items) for section in document.sections] == ITEMS_PER_SECTION
    for item in items:
        assert raw[item.span[0] : item.span[1]].startswith(item.notation)
        assert item.text.text.endswith("。")
        assert "\n" not in item.text.text


def test_item_texts_have_pdf_breaks_removed(document) -> None:  # type: ignore[no-untyped-def]
    item = document.sections[9].items[2]
    assert item.notation == "（三）"
    assert (
        item.text.text
        == "动物健康、动物福利、人畜共患传染病以及兽药，包括“同一健康”视角下的抗微生物药物耐药性。"
    )
    assert "\n\n" in document.raw[item.span[0] : item.span[1]]


def test_chapeau_is_the_colon_paragraph_before_the_enumeration(document) -> None:  # type: ignore[no-untyped-def]
    for section in document.sections:
        for item in section.items:
            assert item.chapeau is not None
            assert section.paragraphs[item.chapeau].text.text.endswith("：")


def test_preamble_list_gives_the_seven_priority_areas(document) -> None:  # type: ignore[no-untyped-def]
    found = document.first_inline_list()
    assert found is not None
    paragraph, entries = found
    assert paragraph in document.sections[1].paragraphs
    assert [entry.label.text for entry in entries] == PRIORITY_AREAS
    assert [entry.notation for entry in entries] == [f"{n}）" for n in range(1, 8)]
    # the list's "3）" starts a wrapped line: it must not have become an item
    assert document.sections[1].items == ()


def test_page_break_space_inside_a_sentence_is_removed(document) -> None:  # type: ignore[no-untyped-def]
    text = document.sections[4].paragraphs[0].text.text
    assert "为实现《巴黎协定》目标" in text
    assert " " not in text


def test_paragraph_after_a_page_break_following_a_heading(document) -> None:  # type: ignore[no-untyped-def]
    section = document.sections[9]
    assert section.paragraphs[0].text.text.startswith("中国和丹麦认识到")


def test_a_second_programme_in_the_same_style_goes_through() -> None:
    document = parse(FIXTURE)
    assert [s.heading.text for s in document.sections] == [
        "背景",
        "《甲乙可持续城市联合工作方案（2025－2027）》",
        "城市交通：推动绿色出行",
        "建筑节能：提升能效",
        "城市水务",
    ]
    transport, buildings = document.sections[2], document.sections[3]
    assert [i.notation for i in transport.items] == ["（一）", "（二）", "（三）"]
    assert transport.items[0].text.text.endswith("运营管理经验交流。")  # joined across a page break
    assert [i.notation for i in buildings.items] == ["1）", "2）"]
    assert [p.text.text for p in buildings.paragraphs][-1] == "双方将定期评估合作进展。"
    found = document.first_inline_list()
    assert found is not None
    assert [e.label.text for e in found[1]] == ["城市交通", "建筑节能", "城市水务"]
    assert document.sections[0].paragraphs[0].text.text.endswith("并于2024年同意制定新的联合工作方案。")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "source.txt"
    path.write_text(text, encoding="utf-8", newline="")
    return path


FULL = "双方将在这一领域加强合作并开展交流，推动两国各领域互利合作和共同发展，"  # a full-width line


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        (f"{FULL}\n\n合作。", "before the first heading"),
        (f"背景\n\n{FULL}\n\n如下：\n\n（一）甲。\n\n（三）乙。", "out of sequence"),
        (f"背景\n\n{FULL}\n\n合作。\n\n结语", "has no text under it"),
    ],
)
def test_unexpected_structure_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(UnusableInput, match=message) as caught:
        parse(path)
    assert str(path) in caught.value.detail


def test_a_heading_right_after_a_heading_opens_an_empty_section(tmp_path: Path) -> None:
    document = parse(write(tmp_path, f"背景\n\n概述\n\n{FULL}\n\n合作。"))
    assert [(s.heading.text, len(s.paragraphs)) for s in document.sections] == [("背景", 0), ("概述", 1)]


def test_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, f"背景\n\n{FULL}\n\n如下：\n\n（一）甲。\n\n（三）乙。")
    with pytest.raises(UnusableInput, match=rf"{re.escape(str(path))}:9: item （三）"):
        parse(path)


def test_non_utf8_source_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("背景".encode("gbk"))
    with pytest.raises(UnusableInput, match="not UTF-8"):
        parse(path)


def test_missing_source_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UnusableInput, match="not found"):
        parse(tmp_path / "nope.txt")


def test_markers_and_numerals() -> None:
    assert chinese_number("十二") == 12
    assert chinese_number("二十") == 20
    assert chinese_number("十") == 10
    marker = match_marker("（十一）某项。")
    assert marker is not None
    assert (marker.style, marker.notation, marker.number) == ("cn-paren", "（十一）", 11)
    assert match_marker("1）气候；2）能源。") is None  # an inline list, not an item
    assert match_marker("（2023－2026）》") is None
    with pytest.raises(ValueError, match="numeral"):
        chinese_number("百")
