"""Property tests: generated programmes, in every typography and both languages, read back exactly.

Hypothesis writes a programme (title, headed sections, an optional lead-in, items with nested items), lays it
out as web text, clean text or a PDF extraction (lines cut at a fixed width, a blank line after each line,
page numbers and a running header at random page breaks), and checks that the reader finds every item with
its mark, its parent, its words, and the exact raw offsets the generator wrote it at.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from coopkg.reader.parser import parse_text

CN_NUMERALS = "一二三四五六七八九十"
ROMAN = ["I", "II", "III", "IV", "V", "VI"]
LOWER_ROMAN = ["i", "ii", "iii", "iv"]
ZH_WORDS = [
    "合作",
    "交流",
    "双方",
    "推动",
    "能源",
    "城市",
    "水资源",
    "研究",
    "项目",
    "技术",
    "经验",
    "绿色",
    "发展",
]
EN_WORDS = [
    "the",
    "parties",
    "will",
    "promote",
    "energy",
    "water",
    "research",
    "joint",
    "projects",
    "exchange",
]
WIDTH = {"zh": 36, "en": 72}  # characters a PDF or clean line holds


@dataclass
class ItemSpec:
    words: str  # the item's text, as the reader should give it back
    children: list[str] = field(default_factory=list)


@dataclass
class SectionSpec:
    heading: str
    lead_in: str | None
    items: list[ItemSpec]


def sentence(draw: st.DrawFn, language: str, end: str) -> str:
    words = draw(
        st.lists(st.sampled_from(ZH_WORDS if language == "zh" else EN_WORDS), min_size=3, max_size=40)
    )
    if language == "zh":
        return "".join(words) + end
    return " ".join(words).capitalize() + end


@st.composite
def programmes(draw: st.DrawFn) -> tuple[str, str, list[SectionSpec]]:
    language = draw(st.sampled_from(["zh", "en"]))
    typography = draw(st.sampled_from(["web", "clean", "pdf"]))
    colon, stop = ("：", "。") if language == "zh" else (":", ".")
    sections = []
    for number in range(draw(st.integers(1, 4))):
        title_words = draw(
            st.lists(st.sampled_from(ZH_WORDS if language == "zh" else EN_WORDS), min_size=1, max_size=3)
        )
        words = "".join(title_words) if language == "zh" else " ".join(title_words).title()
        heading = f"{CN_NUMERALS[number]}、{words}" if language == "zh" else f"{ROMAN[number]}. {words}"
        lead_in = sentence(draw, language, colon) if draw(st.booleans()) else None
        items = []
        for _ in range(draw(st.integers(1, 5))):
            children = [sentence(draw, language, stop) for _ in range(draw(st.integers(0, 3)))]
            items.append(ItemSpec(sentence(draw, language, colon if children else stop), children))
        sections.append(SectionSpec(heading, lead_in, items))
    return language, typography, sections


def marks(language: str, index: int, nested: bool) -> str:
    if language == "zh":
        return f"{index + 1}．" if nested else f"（{CN_NUMERALS[index]}）"
    return f"({LOWER_ROMAN[index]}) " if nested else f"({'abcdef'[index]}) "


@dataclass
class Layout:
    """The raw text being written, and where each expected item landed."""

    language: str
    typography: str
    breaks: set[int]  # line numbers after which a page ends (PDF)
    header: bool
    raw: list[str] = field(default_factory=list)
    length: int = 0
    lines_written: int = 0
    page: int = 1
    wrapped: bool = False

    def put(self, text: str) -> None:
        self.raw.append(text)
        self.length += len(text)

    def line(self, text: str) -> tuple[int, int]:
        """Write one line; returns its raw [start, end)."""
        if self.typography == "pdf" and self.lines_written in self.breaks:
            footer = f"— {self.page} —" if self.language == "zh" else f"- {self.page} -"
            self.put(footer + "\n\n")
            if self.header:
                self.put("Running Header Of The Test Programme\n\n")
            self.page += 1
        start = self.length
        self.put(text)
        end = self.length
        self.put("\n\n" if self.typography in ("pdf",) else "\n")
        self.lines_written += 1
        return start, end

    def block(self, text: str, indent: bool = False) -> tuple[int, int]:
        """Write a block (wrapped unless web text); returns the raw [start, end) of its text."""
        if self.typography == "web":
            if indent and self.language == "zh":
                self.put("\u3000\u3000")
            span = self.line(text)
        else:
            width = WIDTH[self.language]
            if self.language == "zh":
                pieces = [text[i : i + width] for i in range(0, len(text), width)]
            else:
                pieces = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
            spans = [self.line(piece) for piece in pieces]
            self.wrapped = self.wrapped or len(pieces) > 1
            span = (spans[0][0], spans[-1][1])
        if self.typography == "clean":
            self.put("\n")  # a blank line after every block
        return span


def render(
    language: str, typography: str, sections: list[SectionSpec], breaks: set[int], header: bool
) -> tuple[Layout, list[tuple[int, str, int | None, tuple[int, int], str]]]:
    layout = Layout(language, typography, breaks, header)
    layout.block(
        "甲乙合作联合工作方案（2025－2027）" if language == "zh" else "Joint Work Programme 2025-2027"
    )
    expected: list[tuple[int, str, int | None, tuple[int, int], str]] = []
    for number, section in enumerate(sections, start=2):
        layout.block(section.heading)
        if section.lead_in:
            layout.block(section.lead_in, indent=True)
        k = 0
        for index, item in enumerate(section.items):
            mark = marks(language, index, nested=False)
            span = layout.block(mark + item.words)
            parent = k
            expected.append((number, mark.strip(), None, span, item.words))
            k += 1
            for child_index, child in enumerate(item.children):
                child_mark = marks(language, child_index, nested=True)
                span = layout.block(child_mark + child)
                expected.append((number, child_mark.strip(), parent, span, child))
                k += 1
    return layout, expected


@settings(max_examples=120, deadline=None)
@given(programmes(), st.data())
def test_every_generated_item_comes_back_verbatim_with_exact_offsets(
    programme: tuple[str, str, list[SectionSpec]], data: st.DataObject
) -> None:
    language, typography, sections = programme
    breaks = set(data.draw(st.lists(st.integers(1, 80), max_size=6)))
    first, _ = render(language, typography, sections, breaks, header=False)
    # a running header is only recognisable as one when it repeats on at least three pages
    pages = len([b for b in breaks if b < first.lines_written])
    layout, expected = render(language, typography, sections, breaks, header=pages >= 3)
    raw = "".join(layout.raw)
    document = parse_text(Path("generated.txt"), raw)
    if layout.wrapped:  # a text whose every block is one line reads the same in any typography
        assert document.typography == typography, raw
    found = [
        (number, item.notation, item.parent, item.span, item.text.text)
        for number, section in enumerate(document.sections, start=1)
        for item in section.items
    ]
    assert found == expected, raw
    for _, mark, _, (start, end), _ in expected:
        assert raw[start:end].startswith(mark)
    for section in document.sections:
        for item in section.items:
            assert "—" not in item.text.text
            assert "Running Header" not in item.text.text
