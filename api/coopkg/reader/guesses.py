"""What `coopkg programme init` guesses from a parsed text: title, period, parties, recurring mechanisms.

Every guess is a candidate for a steward to confirm (the scaffold marks it `coop:unreviewed`); none is
asserted as reviewed. Mechanisms are found by the words programmes use for recurrence (每年, 定期, 每两年,
annually, regularly, twice a year, ...); parties by country names and by the way agreements name their
parties (甲国政府和乙国政府, the Government of the Republic of X).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coopkg.reader.model import Document, Section

# name as written -> (slug, zh label, en label); a small table of frequent partners, not a gazetteer
KNOWN_PARTIES: dict[str, tuple[str, str, str]] = {}
for _slug, _zh, _en in (
    ("china", "中国", "China"),
    ("denmark", "丹麦", "Denmark"),
    ("germany", "德国", "Germany"),
    ("france", "法国", "France"),
    ("united-kingdom", "英国", "United Kingdom"),
    ("netherlands", "荷兰", "Netherlands"),
    ("norway", "挪威", "Norway"),
    ("sweden", "瑞典", "Sweden"),
    ("finland", "芬兰", "Finland"),
    ("new-zealand", "新西兰", "New Zealand"),
    ("australia", "澳大利亚", "Australia"),
    ("canada", "加拿大", "Canada"),
    ("japan", "日本", "Japan"),
    ("singapore", "新加坡", "Singapore"),
    ("brazil", "巴西", "Brazil"),
    ("south-africa", "南非", "South Africa"),
    ("european-union", "欧盟", "European Union"),
):
    KNOWN_PARTIES[_zh] = KNOWN_PARTIES[_en] = (_slug, _zh, _en)

_ZH_PARTY = re.compile(r"([\u4e00-\u9fff]国)(?=政府|和|与|及|同|、|双方|两国)")
_EN_PARTY = re.compile(
    r"(?:Government|Republic|Kingdom|State|Federation|Commonwealth|Principality) of (?:the )?"
    r"((?:Republic|Kingdom) of (?:the )?)?([A-Z][a-z]+(?: [A-Z][a-z]+)?)"
)
_NOT_PARTIES = {
    "两国",
    "各国",
    "本国",
    "我国",
    "该国",
    "外国",
    "全国",
    "大国",
    "强国",
    "他国",
    "邻国",
    "和国",
}

# (frequency term, pattern): the first match wins, so the more specific words come first
FREQUENCIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "Semiannual",
        re.compile(r"每半年|每年两次|一年两次|twice a year|semi-?annual(?:ly)?|biannual(?:ly)?", re.I),
    ),
    ("Biennial", re.compile(r"每两年|每隔一年|every (?:two|2|other) years?|biennial(?:ly)?", re.I)),
    ("Annual", re.compile(r"每年|年度|annual(?:ly)?|every year|each year|once a year|yearly", re.I)),
    ("Regular", re.compile(r"定期|regular(?:ly)?|periodic(?:ally)?", re.I)),
)
_SENTENCE = {
    "zh": re.compile(r"[^。！？；]+[。！？；]?"),
    "en": re.compile(r".+?(?:[.!?;](?= |$)|$)"),
}
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")


@dataclass(frozen=True)
class Party:
    slug: str
    name: str  # as the text writes it
    zh: str | None
    en: str | None
    known: bool  # from the table (its description may already exist in the curated layer)


@dataclass(frozen=True)
class MechanismCandidate:
    section: int  # 1-based section number
    kind: str  # "item" | "prose"
    index: int  # the item's K, or the sentence's order among the section's prose candidates
    text: str  # the item's text or the sentence (normalised), its quote
    words: str  # the words that name the frequency, as written
    frequency: str  # the coop: term


def title(document: Document) -> str:
    """The first heading that reads as a title (holds a year or a programme word), else the first heading."""
    words = re.compile(r"方案|计划|规划|纲要|备忘录|协定|programme|program|plan|agreement|memorandum", re.I)
    for section in document.sections[:3]:
        if words.search(section.heading.text) or _YEAR.search(section.heading.text):
            return section.heading.text
    return document.sections[0].heading.text


def period(heading: str) -> tuple[int, int] | None:
    """First and last year named in the title, when it names two (2023－2026, 2025-2029)."""
    years = [int(year) for year in _YEAR.findall(heading)]
    if len(years) >= 2 and years[0] <= years[-1]:
        return years[0], years[-1]
    return None


def parties(document: Document, programme_slug: str) -> list[Party]:
    """Candidate parties in order of first mention (at most the first few sections are read)."""
    text = "".join(
        section.heading.text + "".join(p.text.text for p in section.paragraphs)
        for section in document.sections[:4]
    )
    found: list[tuple[int, str]] = []
    for name in KNOWN_PARTIES:
        position = text.find(name)
        if position != -1:
            found.append((position, name))
    for match in _ZH_PARTY.finditer(text):
        found.append((match.start(1), match.group(1)))
    for match in _EN_PARTY.finditer(text):
        found.append((match.start(2), match.group(2)))
    result: list[Party] = []
    seen: set[str] = set()
    for _, name in sorted(found):
        known = KNOWN_PARTIES.get(name)
        if name in _NOT_PARTIES or any(name in other.name or other.name in name for other in result):
            continue
        if known is not None:
            party = Party(known[0], name, known[1], known[2], True)
        else:
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") if name.isascii() else ""
            slug = slug or f"{programme_slug}-party-{len(result) + 1}"
            chinese = not name.isascii()
            party = Party(slug, name, name if chinese else None, None if chinese else name, False)
        if party.slug not in seen:
            seen.add(party.slug)
            result.append(party)
    return result


def frequency_of(text: str) -> tuple[str, str] | None:
    """(coop term, words as written) of the first recurrence the text names."""
    for term, pattern in FREQUENCIES:
        match = pattern.search(text)
        if match:
            return term, match.group(0)
    return None


def mechanisms(document: Document) -> list[MechanismCandidate]:
    """Items and prose sentences that name a recurrence; a prose sentence must be unique in its section."""
    found: list[MechanismCandidate] = []
    for number, section in enumerate(document.sections, start=1):
        for k, item in enumerate(section.items, start=1):
            hit = frequency_of(item.text.text)
            if hit:
                found.append(MechanismCandidate(number, "item", k, item.text.text, hit[1], hit[0]))
        order = 0
        for sentence in _sentences(section, document.language):
            hit = frequency_of(sentence)
            if hit:
                order += 1
                found.append(MechanismCandidate(number, "prose", order, sentence, hit[1], hit[0]))
    return found


def _sentences(section: Section, language: str) -> list[str]:
    """The section's prose sentences in text order, each occurring once in the section's paragraphs."""
    texts = [p.text.text for p in section.paragraphs]
    pattern = _SENTENCE.get(language, _SENTENCE["en"])
    sentences = [s.strip() for text in texts for s in pattern.findall(text) if len(s.strip()) > 4]
    return [s for s in sentences if sum(text.count(s) for text in texts) == 1]
