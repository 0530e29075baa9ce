"""Parse a programme's source text (a PDF extraction) into the document model.

The parser knows the typography of such texts, not the lines of one document:
- a PDF line is followed by an empty line; a page break leaves a line that starts with a space instead;
- a heading is a short line without closing punctuation that follows a finished sentence (or opens the file);
- an enumerated item starts a line with a mark (`（一）`, `（1）`, `1）`) right after a finished sentence,
  and its number is 1 or continues the enumeration of the same style (so a wrapped line that happens to
  start with `3）` inside an inline list is not mistaken for an item);
- a paragraph or item ends when the next line is a heading or an item, or when its line ends a sentence well
  short of the full line width (typeset lines are filled to the width, a paragraph's last line is not).
Unexpected structure is an UnusableInput that names the file, the line and what to fix.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from coopkg.errors import UnusableInput
from coopkg.reader.model import Document, InlineItem, Item, Paragraph, Section
from coopkg.reader.normalise import EDGE_SPACE, Normalised, display_width, normalise_lines

# A line ending in one of these finishes a sentence or clause, so the next line may start a new block.
TERMINAL = "。：；！？:;!?"
# A line ending in one of these finishes a paragraph if it is also short.
STRONG_TERMINAL = "。：！？:!?"
# A heading never ends in punctuation of a sentence.
NOT_HEADING_END = TERMINAL + "，、,."
HEADING_MAX = 0.6  # a heading takes at most this share of the full line width
SHORT_LINE = 0.9  # a line ending a paragraph takes less than this share of the full line width

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn-paren", re.compile(r"（([一二三四五六七八九十]+)）")),
    ("num-paren", re.compile(r"[（(]([0-9]+)[）)]")),
    ("num-close", re.compile(r"([0-9]+)[）)]")),
)
# An inline list mark: digits and a closing parenthesis, not preceded by a digit or an opening parenthesis.
_INLINE_MARK = re.compile(r"(?<![0-9（(])([0-9]+)[）)]")
_INLINE_END = "；;。，"


def chinese_number(numeral: str) -> int:
    """一 -> 1, 十 -> 10, 十二 -> 12, 二十三 -> 23 (enumerations do not go beyond 99)."""
    if numeral == "十":
        return 10
    if "十" in numeral:
        tens, _, units = numeral.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    if len(numeral) != 1 or numeral not in _CN_DIGITS:
        raise ValueError(f"not a Chinese numeral below 100: {numeral!r}")
    return _CN_DIGITS[numeral]


@dataclass(frozen=True)
class Line:
    number: int  # 1-based physical line of the file
    start: int  # raw offset of the first character after the edge spaces
    end: int
    text: str

    @property
    def width(self) -> int:
        return display_width(self.text)


@dataclass(frozen=True)
class Marker:
    style: str
    notation: str
    number: int


@dataclass
class _Block:
    kind: str  # "heading" | "paragraph" | "item"
    lines: list[Line]
    marker: Marker | None = None

    @property
    def last(self) -> Line:
        return self.lines[-1]


@dataclass
class _SectionBuilder:
    heading: _Block
    paragraphs: list[Paragraph] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)


def read_source(path: Path) -> str:
    """The file exactly as shipped: newline="" keeps \\r and every code point, so offsets count into it."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except FileNotFoundError as error:
        raise UnusableInput(
            f"{path}: source text not found; check the programme's coop:sourceFile"
        ) from error
    except UnicodeDecodeError as error:
        raise UnusableInput(f"{path}: not UTF-8 ({error}); save the source text as UTF-8") from error


def split_lines(raw: str) -> list[Line]:
    """Non-empty physical lines, stripped of edge spaces, with their raw offsets and 1-based numbers."""
    lines: list[Line] = []
    for number, match in enumerate(re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", raw), start=1):
        content = match.group(0).rstrip("\r\n")
        stripped = content.strip(EDGE_SPACE)
        if stripped:
            start = match.start() + (len(content) - len(content.lstrip(EDGE_SPACE)))
            lines.append(Line(number, start, start + len(stripped), stripped))
        if match.end() == len(raw):
            break
    return lines


def full_width(lines: list[Line]) -> int:
    """The typeset line width: the width most long lines reach (the 90th percentile, robust to outliers)."""
    widths = sorted(line.width for line in lines)
    return widths[math.ceil(0.9 * (len(widths) - 1))]


def match_marker(text: str) -> Marker | None:
    """The enumeration mark a line starts with, unless the line is an inline list (`1）…；2）…`)."""
    for style, pattern in _MARKERS:
        match = pattern.match(text)
        if match and len(text) > match.end():
            numeral = match.group(1)
            number = int(numeral) if numeral.isdigit() else chinese_number(numeral)
            if any(
                m.group(1).isdigit() and int(m.group(1)) == number + 1
                for m in pattern.finditer(text, match.end())
            ):
                return None
            return Marker(style, match.group(0), number)
    return None


def parse(path: Path) -> Document:
    """Parse one source file into sections, paragraphs and items."""
    text = read_source(path)
    lines = split_lines(text)
    if not lines:
        raise UnusableInput(f"{path}: the source text is empty; expected headings, paragraphs and items")
    blocks = _blocks(path, lines, full_width(lines))
    return Document(path, text, tuple(_sections(text, blocks)))


def _blocks(path: Path, lines: list[Line], width: int) -> list[_Block]:
    blocks: list[_Block] = []
    last_number: dict[str, int] = {}  # per enumeration style, the number of its last item in this section
    for line in lines:
        current = blocks[-1] if blocks else None
        boundary = current is None or current.kind == "heading" or current.last.text[-1] in TERMINAL
        marker = match_marker(line.text) if boundary else None
        if marker and marker.number in (1, last_number.get(marker.style, 0) + 1):
            last_number[marker.style] = marker.number
            blocks.append(_Block("item", [line], marker))
        elif marker and marker.style == "cn-paren" and current and current.last.text[-1] in STRONG_TERMINAL:
            expected = last_number.get(marker.style, 0) + 1
            raise UnusableInput(
                f"{path}:{line.number}: item {marker.notation} is out of sequence (expected number "
                f"{expected} or a new enumeration starting at 1); "
                "fix the numbering or the line break before it"
            )
        elif boundary and not marker and _looks_like_heading(line, width):
            if current is not None and current.kind == "heading":
                raise UnusableInput(
                    f"{path}:{line.number}: heading {line.text!r} follows heading {current.last.text!r} "
                    f"(line {current.last.number}) with no text between them; sub-headings are not supported"
                )
            last_number.clear()
            blocks.append(_Block("heading", [line]))
        elif current is None:
            raise UnusableInput(
                f"{path}:{line.number}: text before the first heading ({line.text[:20]!r}…); "
                "a programme text must start with a section heading "
                "(a short line without closing punctuation)"
            )
        elif current.kind == "heading" or _ends_paragraph(current.last, width):
            blocks.append(_Block("paragraph", [line]))
        else:
            current.lines.append(line)
    if blocks[-1].kind == "heading":
        raise UnusableInput(
            f"{path}:{blocks[-1].last.number}: heading {blocks[-1].last.text!r} has no text under it"
        )
    return blocks


def _looks_like_heading(line: Line, width: int) -> bool:
    return line.text[-1] not in NOT_HEADING_END and line.width <= HEADING_MAX * width


def _ends_paragraph(line: Line, width: int) -> bool:
    return line.text[-1] in STRONG_TERMINAL and line.width < SHORT_LINE * width


def _sections(raw: str, blocks: list[_Block]) -> list[Section]:
    builders: list[_SectionBuilder] = []
    # per enumeration style, the lead-in paragraph of its open enumeration
    chapeau: dict[str, int | None] = {}
    previous: _Block | None = None
    for block in blocks:
        if block.kind == "heading":
            builders.append(_SectionBuilder(block))
            chapeau.clear()
        else:
            section = builders[-1]
            text = normalise_lines(raw, [(line.start, line.end) for line in block.lines])
            if block.kind == "paragraph":
                section.paragraphs.append(Paragraph(text, block.lines[0].number, inline_list(text)))
            else:
                section.items.append(_item(block, text, section, previous, chapeau))
        previous = block
    return [
        Section(
            heading=normalise_lines(raw, [(b.heading.last.start, b.heading.last.end)]),
            line=b.heading.last.number,
            paragraphs=tuple(b.paragraphs),
            items=tuple(b.items),
        )
        for b in builders
    ]


def _item(
    block: _Block,
    text: Normalised,
    section: _SectionBuilder,
    previous: _Block | None,
    chapeau: dict[str, int | None],
) -> Item:
    marker = block.marker
    if marker is None:  # every item block is created with its marker
        raise AssertionError("item block without a marker")
    if marker.number == 1:
        # A new enumeration: its chapeau is the paragraph right before it, if that paragraph ends in a colon.
        lead_in = section.paragraphs[-1] if previous is not None and previous.kind == "paragraph" else None
        chapeau[marker.style] = (
            len(section.paragraphs) - 1 if lead_in is not None and lead_in.text.text[-1] in "：:" else None
        )
    words = text.slice(len(marker.notation))  # non-empty: match_marker wants text after the mark
    return Item(
        notation=marker.notation,
        number=marker.number,
        text=words,
        span=text.raw_span(),
        line=block.lines[0].number,
        chapeau=chapeau.get(marker.style),
    )


def inline_list(text: Normalised) -> tuple[InlineItem, ...]:
    """The first run of inline marks numbered 1, 2, 3… (two or more) in a paragraph, with their labels."""
    marks = list(_INLINE_MARK.finditer(text.text))
    for first, mark in enumerate(marks):
        if mark.group(1) != "1":
            continue
        run = [mark]
        for following in marks[first + 1 :]:
            if int(following.group(1)) == len(run) + 1:
                run.append(following)
        if len(run) < 2:
            continue
        entries: list[InlineItem] = []
        for index, current in enumerate(run):
            limit = run[index + 1].start() if index + 1 < len(run) else len(text.text)
            end = current.end()
            while end < limit and text.text[end] not in _INLINE_END:
                end += 1
            label = text.slice(current.end(), end)
            if not label.text.strip():
                continue
            entries.append(
                InlineItem(
                    number=index + 1,
                    notation=current.group(0),
                    label=label,
                    span=(text.offsets[current.start()], label.raw_span()[1]),
                )
            )
        return tuple(entries)
    return ()
