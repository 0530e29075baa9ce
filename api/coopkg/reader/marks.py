"""Enumeration marks at the start of a line: which style, which number, and how it is written.

A mark's style says what kind of structure it usually opens, never for certain: `第一章`, `一、` and `I.`
number headings; `（一）`, `1．`, `（1）`, `1）`, `(a)`, `(i)` number items (or, when the line reads as a
heading, sub-headings); `1.1` numbers a paragraph. blocks.py decides from the context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_CN = "[一二三四五六七八九十]+"

# Styles whose marks number headings (never items).
HEADING_STYLES = frozenset({"chapter", "cn-comma", "roman-dot"})
# The style of numbered paragraphs (1.1, 2.3.1).
DECIMAL = "decimal"

# (style, pattern): group "n" is the numeral; the whole match is the notation as written. Order matters:
# `1.1` before `1.`, `（一）` before `（1）`.
_LINE_MARKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"第(?P<n>{_CN}|[0-9]+)[章部节篇条](?:分)?")),
    ("chapter", re.compile(r"(?:Chapter|CHAPTER|Part|PART|Article|ARTICLE|Section|SECTION) (?P<n>[0-9]+)\b")),
    ("cn-comma", re.compile(rf"(?P<n>{_CN})、")),
    ("cn-paren", re.compile(rf"（(?P<n>{_CN})）")),
    (DECIMAL, re.compile(r"(?P<n>[0-9]{1,2}(?:\.[0-9]{1,2})+)\.?(?= |\u3000|[^\x00-\x7f])")),
    ("num-dot", re.compile(r"(?P<n>[0-9]{1,2})(?:[．、]|\.(?=[ \u3000]|[^\x00-\x7f0-9]))")),
    ("num-paren", re.compile(r"[（(](?P<n>[0-9]{1,2})[）)]")),
    ("num-close", re.compile(r"(?P<n>[0-9]{1,2})[）)]")),
    ("roman-dot", re.compile(r"(?P<n>[IVX]{1,5})\.(?= )")),
    ("roman-paren", re.compile(r"[（(](?P<n>(?:i{1,3}|iv|vi{0,3}|ix|xi{0,3}))[）)]")),
    ("alpha-paren", re.compile(r"[（(](?P<n>[a-z])[）)]")),
    ("alpha-close", re.compile(r"(?P<n>[a-z])\)(?= )")),
)


@dataclass(frozen=True)
class Marker:
    style: str
    notation: str  # the mark as written, e.g. "（二）", "1．", "(a)", "1.2"
    number: int  # the number it writes (2 for （二）; for 1.2, the last part)
    length: int  # characters of the line the mark and the spaces after it take

    @property
    def path(self) -> tuple[int, ...]:
        """A decimal mark's parts (1.2 -> (1, 2)); other marks: their number."""
        if self.style == DECIMAL:
            return tuple(int(part) for part in self.notation.rstrip(".").split("."))
        return (self.number,)


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


def roman_number(numeral: str) -> int:
    """i -> 1, iv -> 4, XII -> 12."""
    values = [_ROMAN[char] for char in numeral.lower()]
    total = 0
    for index, value in enumerate(values):
        total += -value if index + 1 < len(values) and values[index + 1] > value else value
    return total


def _number(style: str, numeral: str) -> int:
    if style == DECIMAL:
        return int(numeral.split(".")[-1])
    if numeral.isdigit():
        return int(numeral)
    if style.startswith("roman"):
        return roman_number(numeral)
    if style.startswith("alpha"):
        return ord(numeral) - ord("a") + 1
    return chinese_number(numeral)


def match_marker(text: str) -> Marker | None:
    """The enumeration mark a line starts with, unless the line is an inline list (`1）…；2）…`).

    A line that is only a mark is no item. A line holding the next mark of the same style after its first one
    is an inline list written on one line, not an item.
    """
    for style, pattern in _LINE_MARKS:
        match = pattern.match(text)
        if not match:
            continue
        end = match.end()
        while end < len(text) and text[end] in " \u3000\t":
            end += 1
        if end >= len(text):
            return None
        number = _number(style, match["n"])
        if style not in HEADING_STYLES and style != DECIMAL and _continues_inline(pattern, text, end, number):
            return None
        return Marker(style, match.group(0), number, end)
    return None


def _continues_inline(pattern: re.Pattern[str], text: str, start: int, number: int) -> bool:
    """True when a mark numbered `number + 1` of the same style follows later in the line."""
    for later in re.finditer(pattern.pattern.lstrip("^"), text[start:]):
        numeral = later["n"]
        try:
            if numeral.isdigit() and int(numeral) == number + 1:
                return True
            if not numeral.isdigit() and len(numeral) == 1 and ord(numeral) == ord("a") + number:
                return True
        except ValueError:
            continue
    return False


def alternative_alpha(marker: Marker) -> Marker | None:
    """`(i)`, `(v)`, `(x)` read as letters: the same mark as an alpha-paren item (i is the 9th letter)."""
    if marker.style != "roman-paren" or len(marker.notation.strip("（）()")) != 1:
        return None
    letter = marker.notation.strip("（）()")
    return Marker("alpha-paren", marker.notation, ord(letter) - ord("a") + 1, marker.length)
