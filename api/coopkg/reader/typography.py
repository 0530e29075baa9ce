"""How a programme text is laid out, told from the text itself (a steward may state it in programme.ttl).

- `pdf`: a PDF extraction. Lines are cut at a fixed width, so a paragraph runs over several lines; often a
  blank line follows each line, page breaks leave running page numbers (`— 2 —`, `- 3 -`, `Page 4`),
  repeated headers or footers, and English words hyphenated at line ends.
- `web`: text copied from a web page: one paragraph a line (often indented with `　　`), no wrapping.
- `clean`: plain text with paragraphs separated by blank lines, possibly wrapped inside a paragraph.

Page furniture (page numbers, running headers and footers) is found first and never enters any statement.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from enum import Enum

from coopkg.reader.lines import Line
from coopkg.reader.marks import HEADING_STYLES, match_marker


class Typography(Enum):
    PDF = "pdf"
    WEB = "web"
    CLEAN = "clean"


TYPOGRAPHIES = tuple(t.value for t in Typography)

# A line ending in one of these finishes a sentence or clause.
SENTENCE_END = '。：；！？:;!?.…”’"）)》]'

_PAGE_NUMBER = re.compile(
    r"[-—–－‐―]{1,2} ?[0-9]{1,4} ?[-—–－‐―]{1,2}"  # — 2 —, - 3 -
    r"|[0-9]{1,4}"  # a bare page number
    r"|(?:Page|page|PAGE) [0-9]{1,4}(?: (?:of|/) [0-9]{1,4})?"
    r"|[0-9]{1,4} ?/ ?[0-9]{1,4}"
    r"|第 ?[0-9]{1,4} ?页(?: ?[,，/]? ?共 ?[0-9]{1,4} ?页)?"
)
REPEATS = 3  # a short line repeated this often is a running header or footer


def full_width(lines: list[Line]) -> int:
    """The typeset line width: the width most long lines reach (the 90th percentile, robust to outliers)."""
    widths = sorted(line.width for line in lines)
    return widths[math.ceil(0.9 * (len(widths) - 1))] if widths else 0


def typeset_width(lines: list[Line]) -> int:
    """The width lines are cut at: that of most lines, or of the lines cut mid-sentence if they are wider
    (a text of short items has few full lines, but its wrapped ones still reach the width)."""
    cut = [line for line in lines[1:] if line.text[-1] not in SENTENCE_END]
    return max(full_width(lines), full_width(cut))


def furniture(lines: list[Line]) -> set[int]:
    """Numbers of the lines that are page furniture: page numbers, and short lines repeated on every page."""
    found = {line.number for line in lines if _PAGE_NUMBER.fullmatch(line.text)}
    width = full_width(lines)
    counts = Counter(line.text for line in lines)
    for line in lines:
        # a paginated text's running header may be as wide as a line; otherwise only short lines qualify
        if (
            counts[line.text] >= REPEATS
            and line.text[-1] not in SENTENCE_END
            and (found or line.width <= 0.8 * width)
            and match_marker(line.text) is None
        ):
            found.add(line.number)
    return found


def _numbered_heading(line: Line) -> bool:
    marker = match_marker(line.text)
    return marker is not None and marker.style in HEADING_STYLES


def detect(lines: list[Line], furniture_found: bool) -> Typography:
    """Tell the layout from the lines (furniture already removed).

    A wrapped line is long and ends mid-sentence; web text has none (each paragraph is one line). Wrapped text
    with a blank line after nearly every line, page furniture or hyphenated English line ends is a PDF
    extraction; wrapped text whose paragraphs are separated by blank lines is clean text.
    """
    if not lines:
        return Typography.CLEAN
    width = full_width(lines)
    following = list(itertools.pairwise(lines))
    # the first line (a title) is never taken for a wrapped one; an English line followed by a lower-case word
    # is one whatever its width
    wrapped = [
        (line, after)
        for index, (line, after) in enumerate(following)
        if line.text[-1] not in SENTENCE_END
        and (
            (index > 0 and line.width >= 0.85 * width and line.width >= 20 and not _numbered_heading(line))
            or (after.text[0].isascii() and after.text[0].islower())
        )
    ]
    if not wrapped:
        if any(line.indented for line in lines) or not any(line.after_blank for line in lines[1:]):
            return Typography.WEB
        return Typography.CLEAN
    # a PDF extraction puts a blank line after a wrapped line too; clean text continues its paragraph
    double_spaced = sum(after.after_blank for _, after in wrapped) >= 0.5 * len(wrapped)
    hyphenated = any(re.search(r"[a-z]-$", line.text) for line, _ in wrapped)
    if double_spaced or furniture_found or hyphenated:
        return Typography.PDF
    return Typography.CLEAN
