"""How similar two commitments' texts are: the cosine of character-bigram counts (Chinese) or word counts
(English), from 0 (nothing shared) to 1 (the same).

Used by the build (pairs of similar commitments of a programme and its predecessor, written as derived data)
and by the comparison page (any two programmes), so both give the same score for the same two texts.

Why not a library: the measure is a dozen lines over `collections.Counter`; the libraries that offer it
(scikit-learn's TfidfVectorizer, for one) would bring NumPy and SciPy into a package that needs neither, and
TF-IDF weights would make a pair's score depend on which other programmes are loaded. Edit-distance libraries
(RapidFuzz) measure another thing: reordered clauses, common in a renewed commitment, score low there.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

METHOD = "https://w3id.org/coopkg/def#BigramCosine"
# Below this, two commitments share little more than their frame (定期举行……联委会; the, will).
THRESHOLD = 0.5

# English words that carry no content in a commitment ("the two sides will ...").
_STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "both",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "parties",
        "shall",
        "should",
        "sides",
        "such",
        "that",
        "the",
        "their",
        "this",
        "to",
        "two",
        "will",
        "with",
    }
)
_WORD = re.compile(r"[a-z0-9]+")
# Chinese boilerplate every commitment shares (who, "will", "strengthen ... in the field of"): removed before
# the bigrams are taken, so two commitments on different subjects do not match on their common frame.
_ZH_FRAME = re.compile(
    "中国和丹麦|中丹|双方|两国|进一步|继续|加强|开展|推动|促进|领域|方面|合作|交流|[将应在的和与及等]"
)


def _is_cjk(character: str) -> bool:
    return unicodedata.east_asian_width(character) in ("W", "F") and unicodedata.category(character) == "Lo"


def features(text: str, lang: str) -> Counter[str]:
    """Chinese: overlapping bigrams of the text's letters and digits (punctuation and spaces dropped, so a
    line break or a different enumeration style changes nothing); English: lower-cased content words."""
    if lang.lower().startswith("zh"):
        content = _ZH_FRAME.sub("", unicodedata.normalize("NFKC", text))
        kept = "".join(ch for ch in content if _is_cjk(ch) or ch.isalnum())
        if len(kept) == 1:
            return Counter([kept])
        return Counter(kept[i : i + 2] for i in range(len(kept) - 1))
    words = _WORD.findall(unicodedata.normalize("NFKC", text).lower())
    return Counter(word for word in words if word not in _STOP_WORDS)


def cosine(a: Mapping[str, int], b: Mapping[str, int]) -> float:
    """Cosine of two count vectors; 0.0 when either is empty."""
    if not a or not b:
        return 0.0
    dot = sum(count * b.get(key, 0) for key, count in a.items())
    norm = math.sqrt(sum(c * c for c in a.values())) * math.sqrt(sum(c * c for c in b.values()))
    return dot / norm


def score(text_a: str, text_b: str, lang: str) -> float:
    """The similarity of two texts in the same language, rounded to three decimals."""
    return round(cosine(features(text_a, lang), features(text_b, lang)), 3)


@dataclass(frozen=True)
class Text:
    """A commitment's texts by language (its own text and any rendering), for comparing across languages."""

    iri: str
    texts: Mapping[str, str]  # language tag (zh, en) -> text


@dataclass(frozen=True)
class Match:
    earlier: str
    later: str
    score: float
    lang: str  # the language the two texts were compared in


def common_language(a: Text, b: Text) -> str | None:
    """Chinese when both have a Chinese text, else English when both have one, else None."""
    for lang in ("zh", "en"):
        if lang in a.texts and lang in b.texts:
            return lang
    return None


def matches(earlier: Iterable[Text], later: Iterable[Text], threshold: float = THRESHOLD) -> list[Match]:
    """Every (earlier, later) pair scoring at least `threshold`, best first (then by IRIs, so the order is
    stable). Each text's features are computed once: n + m feature sets for n x m comparisons."""
    earlier_features = [(t, {lang: features(s, lang) for lang, s in t.texts.items()}) for t in earlier]
    later_features = [(t, {lang: features(s, lang) for lang, s in t.texts.items()}) for t in later]
    found: list[Match] = []
    for old, old_features in earlier_features:
        for new, new_features in later_features:
            lang = common_language(old, new)
            if lang is None:
                continue
            value = round(cosine(old_features[lang], new_features[lang]), 3)
            if value >= threshold:
                found.append(Match(old.iri, new.iri, value, lang))
    found.sort(key=lambda m: (-m.score, m.later, m.earlier))
    return found
