"""A new programme's scaffold: programme.ttl and prose.ttl written from what the reader found in its text.

The facts come from the parse (headings verbatim, the priority-area list) or are guesses (title, period,
parties, recurring mechanisms, the section -> area map); every guessed property is listed with
`coop:unreviewed` on its subject, so `coopkg validate` warns until a steward has checked it and deleted that
statement. `coopkg build` builds the scaffold as written: every item is a commitment without any entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from coopkg.reader import guesses
from coopkg.reader.model import Document

ID = "https://w3id.org/coopkg/id/"

_PREFIXES = """@prefix coop: <https://w3id.org/coopkg/def#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def literal(text: str, language: str | None = None) -> str:
    """A Turtle literal, escaped by pyoxigraph."""
    return str(ox.Literal(text, language=language) if language else ox.Literal(text))


def iri(value: str) -> str:
    return str(ox.NamedNode(value))


@dataclass
class Scaffold:
    """The two files' text and what went into them (for the summary)."""

    programme_ttl: str
    prose_ttl: str
    title: str
    period: tuple[int, int] | None
    parties: list[guesses.Party]
    areas: list[str]
    mechanisms: list[guesses.MechanismCandidate]
    section_areas: dict[int, int] = field(default_factory=dict)  # section number -> priority area number


def scaffold(document: Document, slug: str, source_file: str, known_parties: set[str]) -> Scaffold:
    """The scaffold of programme `slug` whose text is `source_file` (relative to the data folder).

    `known_parties` are party IRIs already described in the data folder's curated layer: those are only
    linked; the others get a description here (their labels are guesses too).
    """
    lang = document.language
    programme = f"{ID}programme/{slug}"
    title = guesses.title(document)
    period = guesses.period(title)
    parties = guesses.parties(document, slug)
    found = document.first_inline_list()
    areas = [entry.label.text for entry in found[1]] if found else []
    section_areas = _section_areas(document, areas)
    mechanisms = guesses.mechanisms(document)

    out: list[str] = [
        f"# The programme {slug}, as `coopkg programme init` read it from {source_file}.",
        "# Facts listed with coop:unreviewed are guesses: check each against the text, then delete that line",
        "# (`coopkg validate` warns until then). Section labels are the text's headings verbatim (the build",
        "# checks them); the priority areas' labels and every span come from the text at build time.",
        "",
        _PREFIXES,
    ]
    unreviewed = ["rdfs:label"]
    facts = [f"{iri(programme)} a coop:Programme ;", f"    rdfs:label {literal(title, lang)} ;"]
    if parties:
        facts.append("    coop:party " + " , ".join(iri(f"{ID}party/{p.slug}") for p in parties) + " ;")
        unreviewed.append("coop:party")
    if period:
        facts.append(f"    coop:period {iri(programme + '/period')} ;")
        unreviewed.append("coop:period")
    if areas:
        listed = " ,\n        ".join(iri(f"{programme}/area/{n}") for n in range(1, len(areas) + 1))
        facts.append(f"    coop:priorityArea {listed} ;")
        unreviewed.append("coop:priorityArea")
    facts.append(f"    coop:sourceDocument {iri(programme + '/source')} ;")
    facts.append(f"    coop:unreviewed {' , '.join(unreviewed)} .")
    out += [*facts, ""]
    out += [
        f"{iri(programme + '/source')} a coop:SourceDocument ;",
        f"    rdfs:label {literal(title, lang)} ;",
        '    dct:format "text/plain" ;',
        f"    dct:language {literal(lang)} ;",
        f"    # detected typography: {document.typography}; state it only if the detection is wrong:",
        f'    # coop:typography "{document.typography}" ;',
        f"    coop:sourceFile {literal(source_file)} .",
        "",
    ]
    if period:
        out += _period(programme, period)
    for party in parties:
        if f"{ID}party/{party.slug}" not in known_parties:
            out += _party(party)
    if areas:
        out += [
            f"{iri(programme + '/areas')} a skos:ConceptScheme ;",
            f"    rdfs:label {literal(title, lang)} .",
            "",
        ]
    out += _sections(document, programme, section_areas)
    prose = _prose(document, programme, slug, mechanisms)
    return Scaffold(
        "\n".join(out).rstrip() + "\n", prose, title, period, parties, areas, mechanisms, section_areas
    )


def _period(programme: str, period: tuple[int, int]) -> list[str]:
    base = programme + "/period"
    lines = [
        f"{iri(base)} a time:Interval ;",
        f"    time:hasBeginning {iri(base + '#beginning')} ;",
        f"    time:hasEnd {iri(base + '#end')} .",
        "",
    ]
    for name, year in (("beginning", period[0]), ("end", period[1])):
        lines += [
            f"{iri(f'{base}#{name}')} a time:Instant ;",
            f'    time:inXSDgYear "{year}"^^xsd:gYear .',
            "",
        ]
    return lines


def _party(party: guesses.Party) -> list[str]:
    labels = [literal(party.zh, "zh")] if party.zh else []
    labels += [literal(party.en, "en")] if party.en else []
    return [
        f"{iri(f'{ID}party/{party.slug}')} a coop:Party ;",
        f"    rdfs:label {' , '.join(labels)} ;",
        "    coop:unreviewed rdf:type , rdfs:label .",
        "",
    ]


def _section_areas(document: Document, areas: list[str]) -> dict[int, int]:
    """Section number -> priority area number, when the heading names exactly one area's label."""
    found: dict[int, int] = {}
    for number, section in enumerate(document.sections, start=1):
        named = [n for n, label in enumerate(areas, start=1) if label and label in section.heading.text]
        if len(named) == 1:
            found[number] = named[0]
    return found


def _sections(document: Document, programme: str, section_areas: dict[int, int]) -> list[str]:
    lines = ["# Sections, in document order (labels are the headings verbatim)", ""]
    for number, section in enumerate(document.sections, start=1):
        subject = iri(f"{programme}/section/{number:02d}")
        label = literal(section.heading.text, document.language)
        area = section_areas.get(number)
        if area is None:
            lines += [f"{subject} rdfs:label {label} .", ""]
        else:
            lines += [
                f"{subject} rdfs:label {label} ;",
                f"    coop:area {iri(f'{programme}/area/{area}')} ;",
                "    coop:unreviewed coop:area .",
                "",
            ]
    return lines


def _prose(
    document: Document, programme: str, slug: str, mechanisms: list[guesses.MechanismCandidate]
) -> str:
    lang = document.language
    out = [
        f"# Commitments of {slug} beyond its enumerated items (each item is a commitment without an entry).",
        '# Add a prose commitment as <…/section/NN/prose/K> a coop:Commitment ; coop:text "<the sentence>",',
        "# K in text order within its section. The entries below are candidate recurring mechanisms that",
        "# `coopkg programme init` found by their words (每年, 定期, annually, regularly, ...): check each,",
        "# then delete its coop:unreviewed line (or the whole entry if it is no mechanism).",
        "",
        "@prefix coop: <https://w3id.org/coopkg/def#> .",
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .",
        "",
    ]
    for candidate in mechanisms:
        subject = f"{programme}/section/{candidate.section:02d}/{candidate.kind}/{candidate.index}"
        out += [
            f"# {candidate.words!r} -> coop:{candidate.frequency}",
            f"{iri(subject)} a coop:Commitment , coop:Mechanism ;",
            f"    coop:text {literal(candidate.text, lang)} ;",
            f"    coop:frequency coop:{candidate.frequency} ;",
            "    coop:unreviewed rdf:type , coop:frequency .",
            "",
        ]
    return "\n".join(out).rstrip() + "\n"
