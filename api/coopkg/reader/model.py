"""The intermediate document model the parser produces and the graph builder reads.

Everything here is about the text, nothing about RDF: sections with their verbatim heading, prose paragraphs,
enumerated items with their notation, and inline numbered lists (such as a programme's priority areas).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coopkg.reader.normalise import Normalised


@dataclass(frozen=True)
class InlineItem:
    """One entry of a numbered list written inside a paragraph (`1）气候和能源；2）…`)."""

    number: int
    notation: str  # the mark as written, e.g. "1）"
    label: Normalised  # the entry's words, without the mark or the separator after them
    span: tuple[int, int]  # raw [start, end) from the mark to the end of the label


@dataclass(frozen=True)
class Paragraph:
    text: Normalised  # without its number, if it is a numbered paragraph
    line: int  # 1-based line of the file where it starts
    inline_list: tuple[InlineItem, ...]  # the first numbered list inside the paragraph, if any
    notation: str | None = None  # the number of a numbered paragraph as written ("1.2"), else None
    start: int | None = None  # raw start of a numbered paragraph's number (its span starts there)

    @property
    def span(self) -> tuple[int, int]:
        start, end = self.text.raw_span()
        return (start if self.start is None else self.start), end


@dataclass(frozen=True)
class Item:
    """An enumerated item: its mark (`（二）`, `2）`) starts a line after a finished sentence."""

    notation: str
    number: int  # the number the mark writes (2 for （二）)
    text: Normalised  # the item's words without the mark
    span: tuple[int, int]  # raw [start, end) including the mark
    line: int
    chapeau: int | None  # index (0-based) in the section's paragraphs of the lead-in paragraph, if any
    parent: int | None = None  # index (0-based) in the section's items of the item it is nested in, if any


@dataclass(frozen=True)
class Section:
    heading: Normalised
    line: int
    paragraphs: tuple[Paragraph, ...]
    items: tuple[Item, ...]
    level: int = 1  # 1 for the text's outermost headings, 2 for the headings under them, ...
    parent: int | None = None  # index (0-based) in the document's sections of the section it belongs to


@dataclass(frozen=True)
class Document:
    path: Path
    raw: str  # the file exactly as read (newline="" keeps every code point)
    sections: tuple[Section, ...]
    typography: str = "pdf"  # pdf | web | clean (typography.py)
    language: str = "zh"  # zh | en
    furniture: tuple[int, ...] = ()  # line numbers of page numbers, running headers and footers left out

    def first_inline_list(self) -> tuple[Paragraph, tuple[InlineItem, ...]] | None:
        """The first paragraph (in document order) holding a numbered list, with that list."""
        for section in self.sections:
            for paragraph in section.paragraphs:
                if paragraph.inline_list:
                    return paragraph, paragraph.inline_list
        return None
