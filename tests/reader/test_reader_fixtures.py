"""The reader on three invented programmes in typographies it was not written for (fixtures/programmes/).

Expected items (section, mark, parent item, raw span, text) were read off the files by hand; every span is
also checked against the raw text: it starts with the mark and holds the item's words.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coopkg.reader.parser import parse

FIXTURES = Path(__file__).parent / "fixtures" / "programmes"

# (section number, mark, parent item index in the section or None, raw [start, end), text)
Expected = tuple[int, str, int | None, tuple[int, int], str]

WEB_ZH: list[Expected] = [
    (4, "1．", None, (204, 228), "开展红树林和海草床生态系统的联合调查与修复。"),
    (4, "2．", None, (229, 246), "共享海洋保护区管理经验，包括："),
    (4, "（1）", 1, (247, 261), "保护区规划与分区管理；"),
    (4, "（2）", 1, (262, 277), "生态监测技术与数据共享。"),
    (4, "3．", None, (278, 299), "每两年联合举办一次海洋生态保护研讨会。"),
    (5, "1．", None, (310, 327), "建立海洋灾害预警信息交换机制。"),
    (5, "2．", None, (328, 347), "定期开展风暴潮和海啸应急演练交流。"),
    (6, "（一）", None, (355, 390), "双方同意每年召开一次海洋合作联合委员会会议，回顾本方案执行情况。"),
    (6, "（二）", None, (391, 412), "双方将指定联络人负责日常沟通与协调。"),
    (6, "（三）", None, (413, 441), "双方鼓励两国科研机构、企业和社会组织参与合作项目。"),
]
CLEAN_EN: list[Expected] = [
    (
        3,
        "(a)",
        None,
        (506, 593),
        "exchange of experience in soil monitoring and the restoration of degraded farmland;",
    ),
    (3, "(b)", None, (595, 652), "joint research on water-saving irrigation, including:"),
    (3, "(i)", 1, (654, 696), "drip irrigation for smallholder farms;"),
    (3, "(ii)", 1, (698, 750), "the reuse of treated wastewater in agriculture;"),
    (3, "(c)", None, (752, 799), "training of agricultural extension workers."),
]
PDF_EN: list[Expected] = [
    (
        3,
        "(a)",
        None,
        (745, 893),
        "the planning and operation of power systems with high shares of wind and solar power, "
        "including grid flexibility, storage and demand response;",
    ),
    (3, "(b)", None, (895, 954), "energy efficiency in buildings and industry, including:"),
    (3, "(i)", 1, (956, 1012), "minimum energy performance standards for appliances;"),
    (
        3,
        "(ii)",
        1,
        (1059, 1148),
        "energy audits and energy management systems for small and medium-sized enterprises;",
    ),
    (3, "(c)", None, (1150, 1215), "the development of offshore wind power and its supply chains."),
]
CASES = {
    "web-zh-ocean.txt": ("web", "zh", WEB_ZH),
    "clean-en-agriculture.txt": ("clean", "en", CLEAN_EN),
    "pdf-en-energy.txt": ("pdf", "en", PDF_EN),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_typography_language_and_items(name: str) -> None:
    typography, language, expected = CASES[name]
    document = parse(FIXTURES / name)
    assert (document.typography, document.language) == (typography, language)
    found = [
        (number, item.notation, item.parent, item.span, item.text.text)
        for number, section in enumerate(document.sections, start=1)
        for item in section.items
    ]
    assert found == expected
    for _, mark, _, (start, end), _ in expected:
        assert document.raw[start:end].startswith(mark)


def test_web_zh_headings_sub_headings_and_the_item_that_shares_their_mark() -> None:
    document = parse(FIXTURES / "web-zh-ocean.txt")
    assert [(s.heading.text, s.level, s.parent) for s in document.sections] == [
        ("甲乙两国海洋合作联合工作方案（2025—2027年）", 1, None),
        ("一、总体目标", 2, 0),
        ("二、重点合作领域", 2, 0),
        ("（一）海洋生态保护", 3, 2),  # a sub-heading: it heads a paragraph and items 1．2．3．
        ("（二）海洋防灾减灾", 3, 2),
        ("三、合作机制", 2, 0),
        ("四、附则", 2, 0),
    ]
    chapeau = document.sections[3].paragraphs[0]
    assert chapeau.text.text == "双方将在以下方面开展合作："
    assert [item.chapeau for item in document.sections[3].items] == [0, 0, None, None, 0]
    found = document.first_inline_list()
    assert found is not None
    assert [entry.label.text for entry in found[1]] == ["海洋生态保护", "海洋防灾减灾", "蓝色经济"]


def test_clean_en_numbered_paragraphs_and_lettered_inline_list() -> None:
    document = parse(FIXTURES / "clean-en-agriculture.txt")
    assert [s.heading.text for s in document.sections][1:] == [
        "1. Background",
        "2. Areas of cooperation",
        "3. Institutional arrangements",
        "4. Final provisions",
    ]
    numbered = [(p.notation, p.text.text[:24]) for s in document.sections for p in s.paragraphs]
    assert numbered == [
        ("1.1", "The Republic of Avalon a"),
        ("1.2", "The Participants have id"),
        ("2.1", "The Participants will co"),
        ("2.2", "The Participants will su"),
        ("3.1", "A Joint Working Group wi"),
        ("3.2", "The Participants will re"),
        ("4.1", "This Programme takes eff"),
    ]
    paragraph = document.sections[1].paragraphs[0]
    assert document.raw[paragraph.span[0] :].startswith("1.1 The Republic")
    assert paragraph.text.text.endswith(
        "recall their Memorandum of Understanding on agricultural cooperation signed in 2019."
    )
    found = document.first_inline_list()
    assert found is not None
    assert [e.label.text for e in found[1]] == [
        "soil health",
        "water efficiency in irrigation",
        "agricultural innovation",
    ]


def test_pdf_en_furniture_is_left_out_and_hyphenation_rejoined() -> None:
    document = parse(FIXTURES / "pdf-en-energy.txt")
    furniture = [document.raw.splitlines()[n - 1] for n in document.furniture]
    assert sorted(set(furniture)) == [
        "- 1 -",
        "- 2 -",
        "- 3 -",
        "- 4 -",
        "Avalon-Cathay Clean Energy Programme",
    ]
    texts = [p.text.text for s in document.sections for p in s.paragraphs] + [
        i.text.text for s in document.sections for i in s.items
    ]
    for text in texts:
        assert not re.search(r"- [0-9] -|Avalon-Cathay Clean Energy Programme", text)
    first = document.sections[1].paragraphs[0].text.text
    assert "the integration of power systems" in first  # inte- / gration
    across = document.sections[1].paragraphs[1]
    assert across.text.text.startswith(
        "The Sides will hold an Energy Dialogue at ministerial level twice a year,"
    )
    assert "- 1 -" in document.raw[across.span[0] : across.span[1]]  # the raw span crosses the page break


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_statement_span_is_exact(name: str) -> None:
    """Every normalised character maps to a raw character (or a line break read as a space)."""
    document = parse(FIXTURES / name)
    for section in document.sections:
        for text in (
            [section.heading] + [p.text for p in section.paragraphs] + [i.text for i in section.items]
        ):
            for char, offset in zip(text.text, text.offsets, strict=True):
                raw = document.raw[offset]
                assert raw == char or (char == " " and raw in "\r\n"), (name, char, raw)
