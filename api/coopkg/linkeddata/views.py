"""View models of the bilingual pages: plain data the templates lay out, built from the catalogue and
descriptions. Nothing here knows HTTP; every IRI a page shows comes with its local link and its label.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from coopkg.linkeddata.catalogue import Alignment, Catalogue, Commitment, goal_number
from coopkg.linkeddata.describe import Description
from coopkg.linkeddata.i18n import Lang
from coopkg.linkeddata.svg import SDG_COLOURS, programme_areas, programme_commitments
from coopkg.rdf.namespaces import DEF, PREFIXES, RDF_TYPE, SDG, compact, local_href


@dataclass(frozen=True)
class Link:
    iri: str
    href: str | None  # None: not a web address (say a `urn:` or a hostile `javascript:`), shown as text only
    label: str
    lang: str  # the language the label is actually in (for the `lang` attribute)


_SAFE_SCHEMES = ("http://", "https://", "/")


def safe_href(href: str) -> str | None:
    """`href` when it is host-relative or http(s); anything else is never made a link."""
    return href if href.startswith(_SAFE_SCHEMES) and not href.startswith("//") else None


@dataclass(frozen=True)
class AlignmentView:
    target: Link
    code: str | None  # "6.3" for an SDG target, "6" for a goal
    goal: int | None
    colour: str | None
    basis: Link | None
    rationale: str | None


@dataclass(frozen=True)
class CommitmentView:
    iri: str
    href: str
    notation: str | None
    text: str  # the source's own words
    text_lang: str  # their language (the `lang` attribute)
    text_en: str | None  # our unofficial English rendering; None where the source is English
    mechanism: bool
    section: Link
    areas: list[Link]
    frameworks: list[Link]
    agencies: list[Link]
    alignments: list[AlignmentView]
    goals: list[tuple[int, str]]  # distinct goals (number, colour), for badges
    frequency: Link | None
    stated_as: Link | None
    standing: Link | None = None  # the standing mechanism it holds (one resource across programmes)


@dataclass(frozen=True)
class SourceSpan:
    """A quoted span in its context: the text before, the quote itself, the text after."""

    document: Link
    start: int
    end: int
    before: str
    quote: str
    after: str
    matches: bool  # the stored quote equals the file's slice (else the file changed: say so, never guess)


@dataclass
class SectionView:
    link: Link
    order: int
    commitments: list[CommitmentView] = field(default_factory=list)


class Labeller:
    """Links with labels in the page's language, for one catalogue."""

    def __init__(self, catalogue: Catalogue, lang: Lang) -> None:
        self.catalogue = catalogue
        self.lang = lang

    def link(self, iri: str) -> Link:
        label = self.catalogue.label(iri, self.lang)
        if self.catalogue.has_label(iri, self.lang):
            label_lang = self.lang
        elif self.catalogue.has_label(iri, "en") or self.catalogue.has_label(iri, "zh"):
            label_lang = "en" if self.catalogue.has_label(iri, "en") else "zh"
        else:
            label, label_lang = compact(iri), "en"
        href = local_href(iri)
        if href.startswith("/"):
            href = _with_lang(href, self.lang)
        return Link(iri, safe_href(href), label, label_lang)

    def alignment(self, alignment: Alignment) -> AlignmentView:
        target = self.link(alignment.target)
        goal = alignment.goal
        if goal is not None and target.label == compact(alignment.target):
            target = Link(target.iri, target.href, f"SDG {alignment.target[len(SDG) :]}", "en")
        return AlignmentView(
            target=target,
            code=alignment.target[len(SDG) :] if alignment.target.startswith(SDG) else None,
            goal=goal,
            colour=SDG_COLOURS.get(goal) if goal else None,
            basis=self.link(alignment.basis) if alignment.basis else None,
            rationale=alignment.rationale,
        )

    def commitment(self, commitment: Commitment) -> CommitmentView:
        return CommitmentView(
            iri=commitment.iri,
            href=_with_lang(local_href(commitment.iri), self.lang),
            notation=commitment.notation,
            text=commitment.text,
            text_lang=commitment.text_lang,
            text_en=commitment.text_en,
            mechanism=commitment.mechanism,
            section=self.link(commitment.section),
            areas=[self.link(iri) for iri in commitment.areas],
            frameworks=[self.link(iri) for iri in commitment.frameworks],
            agencies=[self.link(iri) for iri in commitment.agencies],
            alignments=[self.alignment(a) for a in commitment.alignments],
            goals=[(goal, SDG_COLOURS[goal]) for goal in sorted(commitment.goals)],
            frequency=self.link(commitment.frequency) if commitment.frequency else None,
            stated_as=self.link(commitment.stated_as) if commitment.stated_as else None,
            standing=self.link(commitment.standing) if commitment.standing else None,
        )


def _with_lang(href: str, lang: str) -> str:
    path, hash_mark, fragment = href.partition("#")
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}lang={lang}{hash_mark}{fragment}"


@dataclass(frozen=True)
class Title:
    text: str
    lang: str


def titles(catalogue: Catalogue, iri: str, first: str | None) -> list[Title]:
    """The zh and en labels `iri` really has (never one language's fallback tagged as the other), the
    language `first` (a programme's source language) leading; the IRI's last segment when it has none."""
    order = sorted(("zh", "en"), key=lambda lang: lang != first)
    found = [Title(catalogue.label(iri, lang), lang) for lang in order if catalogue.has_label(iri, lang)]
    unique = [t for i, t in enumerate(found) if t.text not in {f.text for f in found[:i]}]
    return unique or [Title(compact(iri), "en")]


@dataclass
class ProgrammeView:
    link: Link
    titles: list[Title]  # its name in each language it has one, the source's language first
    parties: list[Link]
    period: str | None
    predecessor: Link | None
    basis: Link | None
    counts: dict[str, int]
    sections: list[SectionView]
    successors: list[Link] = field(default_factory=list)


def programme_view(catalogue: Catalogue, programme: str, lang: Lang) -> ProgrammeView:
    labeller = Labeller(catalogue, lang)
    facts = catalogue.programmes.get(programme)
    commitments = programme_commitments(catalogue, programme)
    sections = [t for t in catalogue.of_kind("section") if t.part_of == programme]
    sections.sort(key=lambda t: (t.order or 0, t.iri))
    by_section: dict[str, list[Commitment]] = defaultdict(list)
    for commitment in commitments:
        by_section[commitment.section].append(commitment)
    section_views = [
        SectionView(
            labeller.link(s.iri), s.order or 0, [labeller.commitment(c) for c in by_section.get(s.iri, [])]
        )
        for s in sections
    ]
    counts = {
        "commitments": len(commitments),
        "mechanisms": sum(1 for c in commitments if c.mechanism),
        "sections": len(sections),
        "areas": len(programme_areas(catalogue, programme)),
        "frameworks": len({f for c in commitments for f in c.frameworks}),
        "alignments": sum(len(c.alignments) for c in commitments),
        "goals": len({g for c in commitments for g in c.goals}),
    }
    period = None
    if facts and facts.begin and facts.end:
        period = f"{facts.begin}–{facts.end}"
    return ProgrammeView(
        link=labeller.link(programme),
        titles=titles(catalogue, programme, facts.language if facts else None),
        parties=[labeller.link(p) for p in facts.parties] if facts else [],
        period=period,
        predecessor=labeller.link(facts.predecessor) if facts and facts.predecessor else None,
        basis=labeller.link(facts.basis) if facts and facts.basis else None,
        counts=counts,
        sections=section_views,
        successors=[labeller.link(s) for s in catalogue.successors(programme)],
    )


def programmes_with_commitments(catalogue: Catalogue) -> list[str]:
    return sorted(catalogue.links.described)


def source_span(
    description: Description, text: str | None, labeller: Labeller, reach: int = 160
) -> SourceSpan | None:
    """The resource's quoted span (from its #position/#quote selectors) with up to `reach` characters of the
    text around it, cut at line breaks."""
    oa = PREFIXES["oa"]
    start = end = None
    quote = document = None
    for triple in description.triples:
        predicate, obj = triple.predicate.value, triple.object
        if predicate == oa + "start" and isinstance(obj, ox.Literal):
            start = int(obj.value)
        elif predicate == oa + "end" and isinstance(obj, ox.Literal):
            end = int(obj.value)
        elif predicate == oa + "exact" and isinstance(obj, ox.Literal):
            quote = obj.value
        elif predicate == oa + "hasSource" and isinstance(obj, ox.NamedNode):
            document = obj.value
    if start is None or end is None or quote is None or document is None:
        return None
    if text is None:
        return SourceSpan(labeller.link(document), start, end, "", quote, "", matches=False)
    matches = text[start:end] == quote
    before = text[max(0, start - reach) : start]
    after = text[end : end + reach]
    # Start and stop at line breaks, so the context never begins or ends mid-sentence when it can help it.
    if start - reach > 0 and "\n" in before:
        before = before.split("\n", 1)[1]
    if end + reach < len(text) and "\n" in after:
        after = after.rsplit("\n", 1)[0]
    return SourceSpan(labeller.link(document), start, end, before, text[start:end], after, matches)


@dataclass(frozen=True)
class PropertyRow:
    predicate: Link
    values: list[Link | tuple[str, str | None]]  # a link, or (literal text, its language or None)


def property_rows(
    description: Description, labeller: Labeller, subject: str | None = None
) -> list[PropertyRow]:
    """The subject's own triples as rows (type first), each value a link or a literal with its language."""
    about = description.about(subject or description.iri)
    grouped: dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]] = defaultdict(list)
    for triple in about:
        if not isinstance(triple.object, ox.Triple):
            grouped[triple.predicate.value].append(triple.object)
    rows = []
    for predicate in sorted(grouped, key=lambda p: (p != RDF_TYPE, compact(p))):
        values: list[Link | tuple[str, str | None]] = []
        for obj in sorted(grouped[predicate], key=str):
            if isinstance(obj, ox.NamedNode):
                values.append(labeller.link(obj.value))
            elif isinstance(obj, ox.Literal):
                values.append((obj.value, obj.language))
            else:
                values.append((f"_:{obj.value}", None))
        rows.append(PropertyRow(labeller.link(predicate), values))
    return rows


def kind_of(description: Description) -> str:
    """The page kind for a described resource, from its classes (most specific first)."""
    about = description.about(description.iri)
    types = {
        t.object.value for t in about if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode)
    }
    for local, kind in (
        ("Commitment", "commitment"),
        ("Programme", "programme"),
        ("Section", "section"),
        ("CooperationArea", "area"),
        ("Framework", "framework"),
        ("Agency", "agency"),
        ("Party", "party"),
        ("StandingMechanism", "standing-mechanism"),
        ("SourceDocument", "source"),
    ):
        if DEF + local in types:
            return kind
    return "resource"


def related_commitments(catalogue: Catalogue, kind: str, iri: str) -> list[Commitment]:
    """The commitments a section, area, framework, agency or SDG goal page lists (from a catalogue with the
    programmes `coopkg.linkeddata.html.related_programmes` names)."""
    if kind == "section":
        return [c for c in catalogue.commitments if c.section == iri]
    if kind == "area":
        return [c for c in catalogue.commitments if iri in c.areas]
    if kind == "framework":
        # A framework also lists commitments aligned to one of its parts (e.g. a Paris Agreement article).
        return [
            c
            for c in catalogue.commitments
            if iri in c.frameworks or any(t == iri or t.startswith(iri + "/") for t in c.targets)
        ]
    if kind == "agency":
        return [c for c in catalogue.commitments if iri in c.agencies]
    goal = goal_number(iri)
    if kind == "goal" and goal is not None:
        return [c for c in catalogue.commitments if goal in c.goals]
    return []
