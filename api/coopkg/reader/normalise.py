"""Text normalisation with an exact offset map between normalised and raw text.

The source is a PDF extraction: every PDF line is followed by an empty line, page breaks leave a leading
space, and Latin digits beside CJK characters carry spaces (`2008 年`). `coop:text` is the source's words with
those artefacts removed; the provenance selectors must still point at the raw file. So every normalised
character keeps the code-point offset of the raw character it came from, and a normalised span maps back to a
raw span.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Whitespace that a PDF extraction leaves at the start or end of a line (page-break spaces, ideographic
# indentation, a byte-order mark at the very start).
EDGE_SPACE = " \t\u3000\ufeff"


def is_wide(char: str) -> bool:
    """CJK ideographs and full-width punctuation (East Asian width W or F)."""
    return unicodedata.east_asian_width(char) in "WF"


def display_width(text: str) -> int:
    """Columns the text takes when typeset (wide characters count two): tells short lines from full ones."""
    return sum(2 if is_wide(char) else 1 for char in text)


@dataclass(frozen=True)
class Normalised:
    """Normalised text plus, for each of its characters, the code-point offset it has in the raw file."""

    text: str
    offsets: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.text) != len(self.offsets):
            raise ValueError("every normalised character needs exactly one raw offset")

    def __len__(self) -> int:
        return len(self.text)

    def raw_span(self, start: int = 0, end: int | None = None) -> tuple[int, int]:
        """Raw [start, end) of the normalised characters [start, end): first one to just past the last."""
        stop = len(self.text) if end is None else end
        if not 0 <= start < stop <= len(self.text):
            raise ValueError(f"empty or out-of-range normalised span [{start}, {stop}) of {len(self.text)}")
        return self.offsets[start], self.offsets[stop - 1] + 1

    def slice(self, start: int, end: int | None = None) -> Normalised:
        stop = len(self.text) if end is None else end
        return Normalised(self.text[start:stop], self.offsets[start:stop])

    def find_all(self, needle: str) -> list[int]:
        """Start indices of every (possibly overlapping) occurrence of `needle`."""
        found: list[int] = []
        index = self.text.find(needle)
        while index != -1 and needle:
            found.append(index)
            index = self.text.find(needle, index + 1)
        return found

    @staticmethod
    def join(parts: Iterable[Normalised]) -> Normalised:
        texts: list[str] = []
        offsets: list[int] = []
        for part in parts:
            texts.append(part.text)
            offsets.extend(part.offsets)
        return Normalised("".join(texts), tuple(offsets))


def normalise_lines(raw: str, segments: Iterable[tuple[int, int]]) -> Normalised:
    """Join the raw segments (lines already stripped of their edge spaces) and drop digit-CJK spaces.

    Lines are joined with nothing between them: Chinese has no spaces between words, so a PDF line break
    inside a sentence is an artefact. Spaces are dropped only where a Latin digit meets a wide character, the
    extraction's artefact (`2008 年` -> `2008年`); every other space is the source's own and is kept.
    """
    chars: list[str] = []
    offsets: list[int] = []
    for start, end in segments:
        chars.extend(raw[start:end])
        offsets.extend(range(start, end))
    keep = [True] * len(chars)
    index = 0
    while index < len(chars):
        if chars[index] != " ":
            index += 1
            continue
        run_end = index
        while run_end < len(chars) and chars[run_end] == " ":
            run_end += 1
        before = chars[index - 1] if index > 0 else ""
        after = chars[run_end] if run_end < len(chars) else ""
        if before and after and _digit_meets_wide(before, after):
            for position in range(index, run_end):
                keep[position] = False
        index = run_end
    return Normalised(
        "".join(char for char, kept in zip(chars, keep, strict=True) if kept),
        tuple(offset for offset, kept in zip(offsets, keep, strict=True) if kept),
    )


def normalise_text(text: str) -> str:
    """Normalise a free-standing string the same way (for quotes written by hand in prose.ttl)."""
    lines = [line.strip(EDGE_SPACE) for line in text.splitlines()]
    joined = "".join(lines)
    return normalise_lines(joined, [(0, len(joined))]).text


def _digit_meets_wide(before: str, after: str) -> bool:
    return (before.isascii() and before.isdigit() and is_wide(after)) or (
        after.isascii() and after.isdigit() and is_wide(before)
    )


def join_lines(raw: str, segments: list[tuple[int, int]], spaced: bool) -> Normalised:
    """Join line segments into one block's text: as `normalise_lines` for Chinese; for English (`spaced`), a
    line break between two narrow characters reads as one space (mapped to the break's raw offset), and a
    word hyphenated at the line end (`environ-` / `mental`) is joined without the hyphen.
    """
    if not spaced or len(segments) < 2:
        return normalise_lines(raw, segments)
    parts: list[Normalised] = []
    for index, (start, end) in enumerate(segments):
        part = normalise_lines(raw, [(start, end)])
        following = segments[index + 1] if index + 1 < len(segments) else None
        if following is not None and part.text:
            last, first = part.text[-1], raw[following[0]]
            if last == "-" and len(part.text) > 1 and part.text[-2].isalpha() and first.islower():
                part = part.slice(0, len(part.text) - 1)
            elif not is_wide(last) and not is_wide(first):
                part = Normalised.join([part, Normalised(" ", (end,))])
        parts.append(part)
    return Normalised.join(parts)
