"""View models of the pages across programmes: the programmes index, a party's page and the side-by-side
comparison of two programmes. Plain data built from the catalogue; nothing here knows HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from markupsafe import Markup

from coopkg import similarity
from coopkg.errors import InvalidParameter, NotFound
from coopkg.linkeddata.catalogue import Catalogue, Commitment
from coopkg.linkeddata.i18n import Lang
from coopkg.linkeddata.svg import heatmap, programme_areas, programme_commitments
from coopkg.linkeddata.views import CommitmentView, Labeller, Link, Title, programmes_with_commitments, titles
from coopkg.rdf.namespaces import ID

PROGRAMME_PREFIX = f"{ID}programme/"


@dataclass(frozen=True)
class ProgrammeSummary:
    link: Link
    slug: str
    titles: list[Title]  # its name in each language it has one, the source's language first
    period: str | None
    parties: list[Link]
    predecessor: Link | None
    successors: list[Link]
    commitments: int
    mechanisms: int
    areas: int
    compare_href: str | None  # side by side with its predecessor, when both are described


def slug_of(programme: str) -> str:
    return programme.removeprefix(PROGRAMME_PREFIX)


def compare_href(a: str, b: str, lang: Lang) -> str:
    return "/compare?" + urlencode({"a": slug_of(a), "b": slug_of(b), "lang": lang})


def _begin(catalogue: Catalogue, programme: str) -> str:
    facts = catalogue.programmes.get(programme)
    return (facts.begin or "") if facts else ""


def described_programmes(catalogue: Catalogue) -> list[str]:
    """The programmes with commitments, by the year they begin (then IRI)."""
    return sorted(programmes_with_commitments(catalogue), key=lambda p: (_begin(catalogue, p), p))


def summary(catalogue: Catalogue, programme: str, lang: Lang) -> ProgrammeSummary:
    labeller = Labeller(catalogue, lang)
    facts = catalogue.programmes.get(programme)
    described = catalogue.links.described
    predecessor = facts.predecessor if facts else None
    period = f"{facts.begin}–{facts.end}" if facts and facts.begin and facts.end else None
    return ProgrammeSummary(
        link=labeller.link(programme),
        slug=slug_of(programme),
        titles=titles(catalogue, programme, facts.language if facts else None),
        period=period,
        parties=[labeller.link(p) for p in facts.parties] if facts else [],
        predecessor=labeller.link(predecessor) if predecessor else None,
        successors=[labeller.link(s) for s in catalogue.successors(programme)],
        # Counted from the links: an index of thousands of programmes reads none of their commitments.
        commitments=catalogue.links.count_in("programme", programme, programme),
        mechanisms=catalogue.links.count_in("mechanism", programme, programme),
        areas=len(programme_areas(catalogue, programme)),
        compare_href=(
            compare_href(predecessor, programme, lang) if predecessor and predecessor in described else None
        ),
    )


def programme_summaries(catalogue: Catalogue, lang: Lang) -> list[ProgrammeSummary]:
    return [summary(catalogue, p, lang) for p in described_programmes(catalogue)]


# ---- a party ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyProgramme:
    programme: ProgrammeSummary
    commitments: list[CommitmentView]


@dataclass(frozen=True)
class PartyView:
    link: Link
    programmes: list[PartyProgramme]
    named_only: list[Link]  # programmes the party agreed that the graph names but does not describe
    commitments: int


def party_programmes(catalogue: Catalogue, party: str) -> list[str]:
    """The programmes a party's page shows with their commitments (those it agreed that have some)."""
    described = catalogue.links.described
    return [p.iri for p in catalogue.programmes.values() if party in p.parties and p.iri in described]


def party_view(catalogue: Catalogue, party: str, lang: Lang) -> PartyView:
    labeller = Labeller(catalogue, lang)
    agreed = [p for p in catalogue.programmes.values() if party in p.parties]
    described = catalogue.links.described
    programmes = [
        PartyProgramme(
            summary(catalogue, p.iri, lang),
            [labeller.commitment(c) for c in programme_commitments(catalogue, p.iri)],
        )
        for p in sorted(agreed, key=lambda p: (p.begin or "", p.iri))
        if p.iri in described
    ]
    named_only = [
        labeller.link(p.iri)
        for p in sorted(agreed, key=lambda p: (p.begin or "", p.iri))
        if p.iri not in described
    ]
    return PartyView(
        link=labeller.link(party),
        programmes=programmes,
        named_only=named_only,
        commitments=sum(len(p.commitments) for p in programmes),
    )


def standing_mechanism_view(catalogue: Catalogue, standing: str, lang: Lang) -> PartyView:
    """A standing mechanism's page: the programmes that hold it, each with the commitments that do."""
    labeller = Labeller(catalogue, lang)
    holding = [c for c in catalogue.commitments if c.standing == standing]
    programmes = sorted({c.programme for c in holding}, key=lambda p: (_begin(catalogue, p), p))
    return PartyView(
        link=labeller.link(standing),
        programmes=[
            PartyProgramme(
                summary(catalogue, p, lang), [labeller.commitment(c) for c in holding if c.programme == p]
            )
            for p in programmes
        ],
        named_only=[],
        commitments=len(holding),
    )


# ---- two programmes side by side ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchView:
    left: CommitmentView
    right: CommitmentView
    score: float
    lang: str  # the language the texts were compared in
    same_mechanism: Link | None  # both hold this standing mechanism


@dataclass
class ComparisonView:
    left: ProgrammeSummary
    right: ProgrammeSummary
    left_areas: list[Link]
    right_areas: list[Link]
    left_heatmap: Markup
    right_heatmap: Markup
    matches: list[MatchView]
    shared_mechanisms: list[tuple[Link, list[CommitmentView], list[CommitmentView]]]
    shared_parties: list[Link]
    threshold: float = similarity.THRESHOLD
    unmatched_left: int = 0
    unmatched_right: int = field(default=0)


def programme_iri(value: str, catalogue: Catalogue) -> str:
    """A programme given as its slug or its IRI, refused (404) unless the graph describes it."""
    if not value:
        raise InvalidParameter(
            "compare needs two programmes: /compare?a={slug}&b={slug}, e.g. see /programmes"
        )
    iri = value if value.startswith(PROGRAMME_PREFIX) else PROGRAMME_PREFIX + value
    if iri not in set(programmes_with_commitments(catalogue)):
        raise NotFound(f"{value!r}: no programme with commitments by that slug; /programmes lists them")
    return iri


def _texts(commitment: Commitment) -> similarity.Text:
    """The source's own text in its language, and our English rendering where the source is not English."""
    texts = {commitment.text_lang: commitment.text}
    if commitment.text_en:
        texts.setdefault("en", commitment.text_en)
    return similarity.Text(commitment.iri, texts)


def comparison_view(catalogue: Catalogue, a: str, b: str, lang: Lang) -> ComparisonView:
    left, right = programme_iri(a, catalogue), programme_iri(b, catalogue)
    if left == right:
        raise InvalidParameter(f"a and b are the same programme ({slug_of(left)}); choose two different ones")
    labeller = Labeller(catalogue, lang)
    left_commitments = programme_commitments(catalogue, left)
    right_commitments = programme_commitments(catalogue, right)
    by_iri = {c.iri: c for c in left_commitments + right_commitments}
    found = similarity.matches([_texts(c) for c in left_commitments], [_texts(c) for c in right_commitments])
    matches = []
    for match in found:
        old, new = by_iri[match.earlier], by_iri[match.later]
        same = old.standing if old.standing and old.standing == new.standing else None
        matches.append(
            MatchView(
                labeller.commitment(old),
                labeller.commitment(new),
                match.score,
                match.lang,
                labeller.link(same) if same else None,
            )
        )
    standing = sorted(
        {c.standing for c in left_commitments if c.standing}
        & {c.standing for c in right_commitments if c.standing}
    )
    shared_mechanisms = [
        (
            labeller.link(s),
            [labeller.commitment(c) for c in left_commitments if c.standing == s],
            [labeller.commitment(c) for c in right_commitments if c.standing == s],
        )
        for s in standing
    ]
    left_facts, right_facts = catalogue.programmes.get(left), catalogue.programmes.get(right)
    shared_parties = sorted(
        set(left_facts.parties if left_facts else ()) & set(right_facts.parties if right_facts else ())
    )
    return ComparisonView(
        left=summary(catalogue, left, lang),
        right=summary(catalogue, right, lang),
        left_areas=[labeller.link(area) for area in programme_areas(catalogue, left)],
        right_areas=[labeller.link(area) for area in programme_areas(catalogue, right)],
        left_heatmap=heatmap(catalogue, left, lang, title_id="heatmap-title-a"),
        right_heatmap=heatmap(catalogue, right, lang, title_id="heatmap-title-b"),
        matches=matches,
        shared_mechanisms=shared_mechanisms,
        shared_parties=[labeller.link(p) for p in shared_parties],
        unmatched_left=len(left_commitments) - len({m.earlier for m in found}),
        unmatched_right=len(right_commitments) - len({m.later for m in found}),
    )
