"""Read a programme's source text into the document model: typography, page furniture, blocks, sections.

The reader knows kinds of typography (typography.py), marks (marks.py), how items nest (enumeration.py) and
where blocks start (blocks.py), not the lines of one document. Unexpected structure is an UnusableInput that
names the file, the line and what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from coopkg.errors import UnusableInput
from coopkg.reader.blocks import Block, Layout, read_blocks
from coopkg.reader.inline import inline_list
from coopkg.reader.lines import Line, read_source, split_lines
from coopkg.reader.marks import chinese_number, match_marker
from coopkg.reader.model import Document, Item, Paragraph, Section
from coopkg.reader.normalise import Normalised, is_wide, join_lines
from coopkg.reader.typography import Typography, detect, furniture, typeset_width

__all__ = ["chinese_number", "detect_language", "match_marker", "parse", "parse_text", "read_source"]


def detect_language(text: str) -> str:
    """zh when at least a fifth of the letters are CJK, else en."""
    letters = [char for char in text if char.isalpha()]
    wide = sum(1 for char in letters if is_wide(char))
    return "zh" if letters and wide * 5 >= len(letters) else "en"


def parse(path: Path, typography: Typography | None = None, language: str | None = None) -> Document:
    """Parse one source file; typography and language are detected unless given."""
    return parse_text(path, read_source(path), typography, language)


def parse_text(
    path: Path, raw: str, typography: Typography | None = None, language: str | None = None
) -> Document:
    all_lines = split_lines(raw)
    if not all_lines:
        raise UnusableInput(f"{path}: the source text is empty; expected headings, paragraphs and items")
    left_out = furniture(all_lines)
    lines = [line for line in all_lines if line.number not in left_out]
    if not lines:
        raise UnusableInput(f"{path}: the source text holds only page numbers or running headers")
    lang = language or detect_language(raw)
    found = typography or detect(lines, bool(left_out))
    blocks = read_blocks(path, lines, Layout(found, typeset_width(lines), lang))
    return Document(
        path, raw, tuple(_sections(raw, blocks, lang)), found.value, lang, tuple(sorted(left_out))
    )


def _segments(lines: list[Line]) -> list[tuple[int, int]]:
    return [(line.start, line.end) for line in lines]


@dataclass
class _SectionParts:
    heading: Normalised
    line: int
    level: int
    parent: int | None
    paragraphs: list[Paragraph] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)


def _sections(raw: str, blocks: list[Block], lang: str) -> list[Section]:
    spaced = lang != "zh"
    parts: list[_SectionParts] = []
    # block index -> index of its paragraph / item within its section
    paragraph_at: dict[int, int] = {}
    item_at: dict[int, int] = {}
    kinds: list[str] = []  # heading kinds in order of first appearance: their nesting level
    for index, block in enumerate(blocks):
        text = join_lines(raw, _segments(block.lines), spaced)
        if block.kind == "heading":
            if block.heading_kind not in kinds:
                kinds.append(block.heading_kind)
            level = kinds.index(block.heading_kind) + 1
            parent = next((k for k in range(len(parts) - 1, -1, -1) if parts[k].level < level), None)
            parts.append(_SectionParts(text, block.last.number, level, parent))
        elif block.kind == "paragraph":
            paragraph_at[index] = len(parts[-1].paragraphs)
            parts[-1].paragraphs.append(_paragraph(block, text))
        else:
            item_at[index] = len(parts[-1].items)
            parts[-1].items.append(_item(block, text, paragraph_at, item_at))
    return [Section(p.heading, p.line, tuple(p.paragraphs), tuple(p.items), p.level, p.parent) for p in parts]


def _paragraph(block: Block, text: Normalised) -> Paragraph:
    if block.marker is None:
        return Paragraph(text, block.lines[0].number, inline_list(text))
    words = text.slice(_mark_length(text, block.marker.notation))
    return Paragraph(
        words, block.lines[0].number, inline_list(words), block.marker.notation, text.raw_span()[0]
    )


def _item(block: Block, text: Normalised, paragraph_at: dict[int, int], item_at: dict[int, int]) -> Item:
    marker = block.marker
    if marker is None:  # every item block is created with its marker
        raise AssertionError("item block without a marker")
    words = text.slice(_mark_length(text, marker.notation))  # non-empty: match_marker wants text after it
    return Item(
        notation=marker.notation,
        number=marker.number,
        text=words,
        span=text.raw_span(),
        line=block.lines[0].number,
        chapeau=paragraph_at.get(block.chapeau) if block.chapeau is not None else None,
        parent=item_at.get(block.parent) if block.parent is not None else None,
    )


def _mark_length(text: Normalised, notation: str) -> int:
    """The mark and the spaces after it."""
    length = len(notation)
    while length < len(text.text) - 1 and text.text[length] in " \u3000\t":
        length += 1
    return length
