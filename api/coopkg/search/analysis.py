"""Text analysis for search: the same steps for what is indexed and for what is asked, so they meet.

Text is NFKC-normalised and case-folded (full-width Latin letters and digits become ASCII). Runs of Han
characters are segmented into words by jieba (the `rjieba` binding of jieba-rs); runs of letters and digits
are words, stemmed by the Snowball English stemmer (PyStemmer), so "cities" and "city" are one term.
Indexing segments in jieba's search mode (水资源 gives 水资源 and 资源); a query in its precise mode.
Each Han character is also kept as a term of its own (`chars`), so a word jieba splits differently in the
text and in the query (or a single character) is still found, as a phrase of characters, ranked lower.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

# Han ideographs (CJK Unified Ideographs and Extension A, compatibility ideographs).
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"([{_HAN}]+)|([^\W_{_HAN}]+)")
_HAN_RUN = re.compile(rf"[{_HAN}]+")
_LATIN_RUN = re.compile(rf"[^\W_{_HAN}]+")
# Words that carry no meaning of their own in a query or a text; dropped on both sides.
# fmt: off
STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "in", "is", "it",
    "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with",
    "的", "了", "和", "与", "及", "或", "在", "是", "将", "等", "之", "其", "并", "对", "为",
})
# fmt: on
_lock = threading.Lock()


@cache
def _segmenter() -> Any:
    import rjieba  # loads jieba's dictionary (about 0.3 s): only when text is first analysed

    return rjieba


_local = threading.local()


def _stemmer() -> Any:
    """This thread's stemmer (PyStemmer's objects must not be shared between threads)."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        import Stemmer

        stemmer = _local.stemmer = Stemmer.Stemmer("english")
    return stemmer


def warm_up() -> None:
    """Load the dictionary and the stemmer now (in a thread while the data loads, not on a request)."""
    with _lock:
        _segmenter().cut("水资源")
        _stemmer().stemWord("cities")


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """The stem of one word of a text as written (highlighting stems the same words over and over)."""
    return str(_stemmer().stemWord(normalise(word)))


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass(frozen=True)
class Analysed:
    """The terms of a text: words (Han words and English stems) and its Han characters one by one."""

    words: list[str]
    chars: list[str]


def analyse(text: str, *, query: bool = False) -> Analysed:
    """Index terms of `text` (jieba search mode) or, with `query`, the terms of a query (precise mode)."""
    words: list[str] = []
    chars: list[str] = []
    stem = _stemmer().stemWord
    segmenter = _segmenter()
    for match in _RUN.finditer(normalise(text)):
        han, latin = match.group(1), match.group(2)
        if han:
            pieces = segmenter.cut(han) if query else segmenter.cut_for_search(han)
            words.extend(piece for piece in pieces if piece not in STOPWORDS)
            chars.extend(han)
        elif latin not in STOPWORDS:
            words.append(stem(latin))
    return Analysed(words, chars)


@dataclass(frozen=True)
class QueryWord:
    """One word of a query: its index term and, for a Han word, its characters (the lower-ranked fallback)."""

    term: str
    chars: tuple[str, ...]


def query_words(text: str) -> list[QueryWord]:
    """The words of a query, each once, in order."""
    seen: set[str] = set()
    found: list[QueryWord] = []
    stem = _stemmer().stemWord
    segmenter = _segmenter()
    for match in _RUN.finditer(normalise(text)):
        han, latin = match.group(1), match.group(2)
        if han:
            pieces = [(piece, tuple(piece)) for piece in segmenter.cut(han) if piece not in STOPWORDS]
        else:
            pieces = [] if latin in STOPWORDS else [(stem(latin), ())]
        for term, chars in pieces:
            if term not in seen:
                seen.add(term)
                found.append(QueryWord(term, chars))
    return found


def spans(text: str, words: list[QueryWord]) -> list[tuple[int, int]]:
    """Code-point spans of `text` that a query's words match (for highlighting), sorted and merged.

    NFKC can change lengths, so matching runs over the text's own characters: Latin words are stemmed one by
    one, and Han query words are found as substrings of the text (what the character fallback matches too).
    """
    if not words:
        return []
    latin = {word.term for word in words if not word.chars}
    han = [word.term for word in words if word.chars]
    found: list[tuple[int, int]] = []
    for match in _LATIN_RUN.finditer(text) if latin else ():
        if _stem(match.group()) in latin:
            found.append(match.span())
    for run in _HAN_RUN.finditer(text) if han else ():
        for term in han:
            start = run.start()
            while (position := text.find(term, start, run.end())) >= 0:
                found.append((position, position + len(term)))
                start = position + 1
    return _merged(sorted(found))


def _merged(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, matched: list[tuple[int, int]], width: int = 90) -> Iterator[tuple[str, bool]]:
    """A window of about `width` code points of `text` around its first match, as (piece, is_match) pairs."""
    if len(text) <= width or not matched:
        start, end = 0, min(len(text), width)
    else:
        start = max(0, min(matched[0][0] - width // 4, len(text) - width))
        space = text.find(" ", start, matched[0][0])
        if start > 0 and 0 <= space - start < 15:  # do not open the window mid-word (English)
            start = space + 1
        end = start + width
    if start > 0:
        yield "…", False
    position = start
    for match_start, match_end in matched:
        if match_end <= start or match_start >= end:
            continue
        match_start, match_end = max(match_start, start), min(match_end, end)
        if match_start > position:
            yield text[position:match_start], False
        yield text[match_start:match_end], True
        position = match_end
    if position < end:
        yield text[position:end], False
    if end < len(text):
        yield "…", False
