"""Lists written inside a paragraph: `1）气候和能源；2）环境和水资源；…` or `(a) energy; (b) water; …`."""

from __future__ import annotations

import re

from coopkg.reader.model import InlineItem
from coopkg.reader.normalise import Normalised

# An inline list mark, not preceded by a digit, letter or opening parenthesis: digits and a closing
# parenthesis, or a letter in parentheses.
_NUMBERED = re.compile(r"(?<![0-9（(])([0-9]+)[）)]")
_LETTERED = re.compile(r"(?<![A-Za-z])[（(]([a-z])[）)]")
_END = {_NUMBERED: "；;。，", _LETTERED: "；;。."}


def _value(numeral: str) -> int:
    return int(numeral) if numeral.isdigit() else ord(numeral) - ord("a") + 1


def inline_list(text: Normalised) -> tuple[InlineItem, ...]:
    """The first run of inline marks numbered 1, 2, 3… (two or more) in a paragraph, with their labels."""
    for pattern in (_NUMBERED, _LETTERED):
        found = _first_run(text, pattern)
        if found:
            return found
    return ()


def _first_run(text: Normalised, pattern: re.Pattern[str]) -> tuple[InlineItem, ...]:
    marks = list(pattern.finditer(text.text))
    for first, mark in enumerate(marks):
        if _value(mark.group(1)) != 1:
            continue
        run = [mark]
        for following in marks[first + 1 :]:
            if _value(following.group(1)) == len(run) + 1:
                run.append(following)
        if len(run) < 2:
            continue
        entries: list[InlineItem] = []
        for index, current in enumerate(run):
            limit = run[index + 1].start() if index + 1 < len(run) else len(text.text)
            end = current.end()
            while end < limit and text.text[end] not in _END[pattern]:
                end += 1
            begin = current.end()
            while begin < end and text.text[begin] == " ":
                begin += 1
            end = _trim(text.text, begin, end)
            if end <= begin:
                continue
            label = text.slice(begin, end)
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


def _trim(text: str, begin: int, end: int) -> int:
    """End of a label without the spaces and the joining `and`/`or` before the next mark."""
    while end > begin and text[end - 1] == " ":
        end -= 1
    for joiner in (" and", " or", ","):
        if text[begin:end].endswith(joiner):
            end -= len(joiner)
    while end > begin and text[end - 1] in " ,":
        end -= 1
    return end
