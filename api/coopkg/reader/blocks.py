"""From lines to blocks: headings, paragraphs (numbered or not) and enumerated items, nested.

Where a block starts depends on the typography: in a PDF extraction, after a line that finishes a sentence
well short of the typeset width (or before a heading or item); in web text, at every line; in clean text,
after a blank line (or before a line that starts with an item's mark). What a block is:
- a heading: a short line without closing punctuation, or a line numbered as headings are (第一章, 一、, I.);
- an enumerated item: a line starting with a mark (（一）, 1．, （1）, 1）, (a), (i)) that is number 1 of a
  new enumeration or continues an open one (enumeration.py nests them);
- a numbered paragraph: a line starting with 1.1, 2.3.1, …;
- a sub-heading: an item-marked line that reads as a heading and heads its own items or paragraphs
  (（一）海洋生态保护 above 1．2．3．), while （一）双方同意每年… stays an item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from coopkg.errors import UnusableInput
from coopkg.reader.enumeration import Enumerations
from coopkg.reader.lines import Line
from coopkg.reader.marks import DECIMAL, HEADING_STYLES, Marker, match_marker
from coopkg.reader.typography import Typography

# A line ending in one of these finishes a sentence or clause, so the next line may start a new block.
TERMINAL = "。：；！？:;!?."
# A line ending in one of these finishes a paragraph if it is also short.
STRONG_TERMINAL = "。：！？:!?."
# A heading never ends in punctuation of a sentence.
NOT_HEADING_END = TERMINAL + "，、,."
HEADING_MAX = 0.6  # in a PDF extraction, a heading takes at most this share of the full line width
SHORT_LINE = 0.9  # a line ending a paragraph takes less than this share of the full line width
HEADING_COLUMNS = {"zh": 50, "en": 90}  # elsewhere, a heading is at most this wide (CJK characters count 2)


@dataclass
class Block:
    kind: str  # "heading" | "paragraph" | "item"
    lines: list[Line]
    marker: Marker | None = None
    parent: int | None = None  # an item's enclosing item (index into the block list)
    chapeau: int | None = None  # an item's lead-in paragraph (index into the block list)
    heading_kind: str = "plain"  # a heading's kind: "plain" or its mark's style (its level follows from it)

    @property
    def last(self) -> Line:
        return self.lines[-1]


@dataclass
class Layout:
    typography: Typography
    width: int  # the typeset width (PDF)
    language: str

    def looks_like_heading(self, line: Line, following: Line | None = None) -> bool:
        if line.text[-1] in NOT_HEADING_END:
            return False
        if self.typography is Typography.CLEAN and following is not None and not following.after_blank:
            return False  # in clean text a heading is a block of its own; this line wraps on
        if self.typography is Typography.PDF:
            return line.width <= HEADING_MAX * self.width
        return line.width <= HEADING_COLUMNS.get(self.language, 50)

    def at_boundary(self, current: Block | None, line: Line) -> bool:
        """May `line` start a new block after `current`?"""
        if current is None or current.kind == "heading" or self.typography is Typography.WEB:
            return True
        if self.typography is Typography.CLEAN and line.after_blank:
            return True
        return current.last.text[-1] in TERMINAL

    def ended(self, current: Block, line: Line) -> bool:
        """Did the paragraph or item `current` end before `line` (which is no heading or item)?"""
        if self.typography is Typography.WEB:
            return True
        if self.typography is Typography.CLEAN:
            return line.after_blank
        last = current.last
        return last.text[-1] in STRONG_TERMINAL and last.width < SHORT_LINE * self.width


@dataclass
class _Reader:
    path: Path
    layout: Layout
    blocks: list[Block] = field(default_factory=list)
    enumerations: Enumerations = field(default_factory=Enumerations)

    def read(self, lines: list[Line]) -> list[Block]:
        for index, line in enumerate(lines):
            self._line(line, lines[index + 1] if index + 1 < len(lines) else None)
        if self.blocks and self.blocks[-1].kind == "heading":
            last = self.blocks[-1].last
            raise UnusableInput(f"{self.path}:{last.number}: heading {last.text!r} has no text under it")
        _promote_sub_headings(self.blocks, self.layout)
        return self.blocks

    def _line(self, line: Line, following: Line | None) -> None:
        current = self.blocks[-1] if self.blocks else None
        boundary = self.layout.at_boundary(current, line)
        marker = match_marker(line.text) if boundary else None
        if marker is not None and self._marked(line, marker, current, following):
            return
        title = current is None and line.text[-1] not in NOT_HEADING_END  # a title may be long
        if boundary and (title or self.layout.looks_like_heading(line, following)):
            self._heading(line, "plain")
        elif current is None:
            raise UnusableInput(
                f"{self.path}:{line.number}: text before the first heading ({line.text[:20]!r}…); "
                "a programme text must start with a heading or title "
                "(a short line without closing punctuation)"
            )
        elif current.kind == "heading" or self.layout.ended(current, line):
            self.blocks.append(Block("paragraph", [line]))
        else:
            current.lines.append(line)

    def _marked(self, line: Line, marker: Marker, current: Block | None, following: Line | None) -> bool:
        """Start a block for a line with a mark; False when the mark starts nothing (the line is prose)."""
        if marker.style in HEADING_STYLES and self.layout.looks_like_heading(line, following):
            self._heading(line, marker.style, marker)
            return True
        if marker.style == DECIMAL:
            if current is None:
                return False
            self.enumerations.clear()
            self.blocks.append(Block("paragraph", [line], marker))
            return True
        if current is None:
            return False
        after_item = current.kind == "item"
        placed = self.enumerations.place(marker, len(self.blocks), after_item)
        if placed is None and self.layout.looks_like_heading(line, following):
            self._heading(line, marker.style, marker)
            return True
        if placed is None:
            if (
                marker.style == "cn-paren"
                and current is not None
                and current.last.text[-1] in STRONG_TERMINAL
            ):
                expected = self.enumerations.expected(marker.style)
                raise UnusableInput(
                    f"{self.path}:{line.number}: item {marker.notation} is out of sequence (expected number "
                    f"{expected} or a new enumeration starting at 1); "
                    "fix the numbering or the line break before it"
                )
            return False
        chosen, parent, opens = placed
        if opens:
            lead_in = len(self.blocks) - 1
            ends_in_colon = current.kind == "paragraph" and current.last.text[-1] in "：:"
            self.enumerations.set_chapeau(lead_in if ends_in_colon else None)
        block = Block("item", [line], chosen, parent, self.enumerations.chapeau())
        self.blocks.append(block)
        return True

    def _heading(self, line: Line, kind: str, marker: Marker | None = None) -> None:
        self.enumerations.clear()
        self.blocks.append(Block("heading", [line], marker, heading_kind=kind))


def read_blocks(path: Path, lines: list[Line], layout: Layout) -> list[Block]:
    return _Reader(path, layout).read(lines)


def _promote_sub_headings(blocks: list[Block], layout: Layout) -> None:
    """An item that reads as a heading and heads nested items or paragraphs is a sub-heading.

    Only the first of a run of siblings decides (a list of short items whose last one is followed by a
    paragraph stays a list); a later sibling follows the decision made for the earlier ones.
    """
    promoted: set[int] = set()
    for index, block in enumerate(blocks):
        if block.kind != "item" or block.marker is None or not layout.looks_like_heading(block.last):
            continue
        if len(block.lines) > 1:
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        heads = following is not None and (
            following.kind == "paragraph" or (following.kind == "item" and following.parent == index)
        )
        sibling_before = _previous_sibling(blocks, index)
        first_or_following = sibling_before is None or sibling_before in promoted
        if heads and first_or_following:
            promoted.add(index)
    for index in sorted(promoted):
        block = blocks[index]
        style = block.marker.style if block.marker else "plain"
        block.kind, block.heading_kind, block.parent, block.chapeau = "heading", style, None, None
    for block in blocks:
        if block.parent in promoted:
            block.parent = None


def _previous_sibling(blocks: list[Block], index: int) -> int | None:
    """The block of the same mark style and parent before `index`, up to the enclosing heading."""
    block = blocks[index]
    style = block.marker.style if block.marker else None
    for earlier in range(index - 1, -1, -1):
        other = blocks[earlier]
        same_style = other.marker is not None and other.marker.style == style
        if other.kind == "heading" and not same_style:
            return None
        if same_style and other.parent == block.parent:
            return earlier
    return None
