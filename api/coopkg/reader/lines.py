"""Reading a source file exactly as shipped and cutting it into physical lines with their raw offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from coopkg.errors import UnusableInput
from coopkg.reader.normalise import EDGE_SPACE, display_width

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based physical line of the file
    start: int  # raw offset of the first character after the edge spaces
    end: int
    text: str
    after_blank: bool = False  # an empty line (or the start of the file) comes right before it
    indented: bool = False  # it starts with an ideographic space (web-page paragraph indentation)

    @cached_property  # asked for many times (typeset width, headings, paragraph ends)
    def width(self) -> int:
        return display_width(self.text)


def read_source(path: Path) -> str:
    """The file exactly as shipped: newline="" keeps \\r and every code point, so offsets count into it."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except FileNotFoundError as error:
        raise UnusableInput(
            f"{path}: source text not found; check the programme's coop:sourceFile"
        ) from error
    except IsADirectoryError as error:
        raise UnusableInput(f"{path}: is a folder, not a source text file") from error
    except UnicodeDecodeError as error:
        raise UnusableInput(f"{path}: not UTF-8 ({error}); save the source text as UTF-8") from error


def split_lines(raw: str) -> list[Line]:
    """Non-empty physical lines, stripped of edge spaces, with their raw offsets and 1-based numbers."""
    lines: list[Line] = []
    blank_before = True
    for number, match in enumerate(_LINE.finditer(raw), start=1):
        content = match.group(0).rstrip("\r\n")
        stripped = content.strip(EDGE_SPACE)
        if stripped:
            lead = len(content) - len(content.lstrip(EDGE_SPACE))
            start = match.start() + lead
            indented = "\u3000" in content[:lead]
            lines.append(Line(number, start, start + len(stripped), stripped, blank_before, indented))
            blank_before = False
        else:
            blank_before = True
        if match.end() == len(raw):
            break
    return lines
