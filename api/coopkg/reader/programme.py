"""Build one programme's graph: hand-entered facts (programme.ttl), the parsed text, and the prose commitments
(prose.ttl), each statement tied to its exact span of the source file.

IRIs follow docs/design.md. What the text says comes from the parse; what programme.ttl and prose.ttl say is
checked against the parse (headings, item texts, quotes found exactly once, priority-area count), so a
mismatch fails the build with a message naming the file and the resource instead of a silently wrong graph.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from coopkg.errors import UnusableInput
from coopkg.rdf.namespaces import DEF, ID, PREFIXES
from coopkg.reader.model import Document, Section
from coopkg.reader.normalise import Normalised, normalise_text
from coopkg.reader.parser import parse

COOP = DEF
OA, RDF, RDFS = PREFIXES["oa"], PREFIXES["rdf"], PREFIXES["rdfs"]
SKOS, DCT, XSD = PREFIXES["skos"], PREFIXES["dct"], PREFIXES["xsd"]

A = ox.NamedNode(RDF + "type")


def coop(name: str) -> ox.NamedNode:
    return ox.NamedNode(COOP + name)


def integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


def zh(text: str) -> ox.Literal:
    return ox.Literal(text, language="zh")


@dataclass(frozen=True)
class ProgrammeInput:
    slug: str
    folder: Path  # data/programmes/<slug>
    data_dir: Path

    @property
    def iri(self) -> str:
        return f"{ID}programme/{self.slug}"


def read_turtle(path: Path) -> list[ox.Triple]:
    try:
        return [quad.triple for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE)]
    except SyntaxError as error:
        raise UnusableInput(f"{path}: not valid Turtle: {error}") from error
    except OSError as error:
        raise UnusableInput(f"{path}: cannot be read: {error}") from error


class _Graph:
    """A set of triples with small helpers; the Turtle writer sorts it, so insertion order does not matter."""

    def __init__(self) -> None:
        self.triples: set[ox.Triple] = set()

    def add(
        self, subject: str | ox.NamedNode, predicate: ox.NamedNode, obj: ox.NamedNode | ox.Literal | str
    ) -> None:
        s = ox.NamedNode(subject) if isinstance(subject, str) else subject
        o = ox.NamedNode(obj) if isinstance(obj, str) else obj
        self.triples.add(ox.Triple(s, predicate, o))

    def provenance(self, subject: str, document: str, raw: str, span: tuple[int, int]) -> None:
        """`subject coop:source <#source>`: an oa:SpecificResource with position and quote selectors."""
        start, end = span
        source, position, quote = f"{subject}#source", f"{subject}#position", f"{subject}#quote"
        non_negative = ox.NamedNode(XSD + "nonNegativeInteger")
        self.add(subject, coop("source"), source)
        self.add(source, A, ox.NamedNode(OA + "SpecificResource"))
        self.add(source, ox.NamedNode(OA + "hasSource"), document)
        self.add(source, ox.NamedNode(OA + "hasSelector"), position)
        self.add(source, ox.NamedNode(OA + "hasSelector"), quote)
        self.add(position, A, ox.NamedNode(OA + "TextPositionSelector"))
        self.add(position, ox.NamedNode(OA + "start"), ox.Literal(str(start), datatype=non_negative))
        self.add(position, ox.NamedNode(OA + "end"), ox.Literal(str(end), datatype=non_negative))
        self.add(quote, A, ox.NamedNode(OA + "TextQuoteSelector"))
        self.add(quote, ox.NamedNode(OA + "exact"), ox.Literal(raw[start:end]))


def _objects(triples: list[ox.Triple], subject: str, predicate: str) -> list[ox.NamedNode | ox.Literal]:
    return [
        t.object
        for t in triples
        if t.subject == ox.NamedNode(subject)
        and t.predicate == ox.NamedNode(predicate)
        and isinstance(t.object, ox.NamedNode | ox.Literal)
    ]


def _one_literal(triples: list[ox.Triple], subject: str, predicate: str, where: Path) -> str:
    values = [o.value for o in _objects(triples, subject, predicate) if isinstance(o, ox.Literal)]
    if len(values) != 1:
        raise UnusableInput(
            f"{where}: <{subject}> needs exactly one <{predicate}> literal, found {len(values)}"
        )
    return values[0]


def build_programme(programme: ProgrammeInput) -> set[ox.Triple]:
    """The triples of graph id:graph/programme/<slug>."""
    facts_path = programme.folder / "programme.ttl"
    facts = read_turtle(facts_path)
    iri = programme.iri
    if ox.Triple(ox.NamedNode(iri), A, coop("Programme")) not in set(facts):
        raise UnusableInput(
            f"{facts_path}: must describe <{iri}> a coop:Programme (the folder name is the slug)"
        )
    documents = [o for o in _objects(facts, iri, COOP + "sourceDocument") if isinstance(o, ox.NamedNode)]
    if len(documents) != 1:
        raise UnusableInput(
            f"{facts_path}: <{iri}> needs exactly one coop:sourceDocument, found {len(documents)}"
        )
    document = documents[0].value
    source_path = programme.data_dir / _one_literal(facts, document, COOP + "sourceFile", facts_path)
    doc = parse(source_path)
    _check_title_in_text(facts, iri, doc, facts_path)

    graph = _Graph()
    graph.triples.update(facts)
    graph.add(document, coop("sha256"), ox.Literal(hashlib.sha256(doc.raw.encode("utf-8")).hexdigest()))
    sections = _add_sections(graph, doc, iri, document, facts, facts_path)
    _add_priority_areas(graph, doc, iri, document, facts, facts_path)
    _add_commitments(graph, doc, iri, document, sections, facts, programme.folder / "prose.ttl")
    return graph.triples


def _check_title_in_text(facts: list[ox.Triple], programme: str, doc: Document, facts_path: Path) -> None:
    """The programme's Chinese title is the source's own words, so it must occur in the text."""
    text = normalise_text(doc.raw)
    for label in _objects(facts, programme, RDFS + "label"):
        if (
            isinstance(label, ox.Literal)
            and label.language == "zh"
            and normalise_text(label.value) not in text
        ):
            raise UnusableInput(
                f"{facts_path}: the title {label.value!r} of <{programme}> does not occur in {doc.path}; "
                "copy it from the text"
            )


def section_iri(programme: str, number: int) -> str:
    return f"{programme}/section/{number:02d}"


def _add_sections(
    graph: _Graph, doc: Document, programme: str, document: str, facts: list[ox.Triple], facts_path: Path
) -> dict[str, Section]:
    sections: dict[str, Section] = {}
    for number, section in enumerate(doc.sections, start=1):
        iri = section_iri(programme, number)
        sections[iri] = section
        graph.add(programme, coop("hasSection"), iri)
        graph.add(iri, A, coop("Section"))
        graph.add(iri, ox.NamedNode(RDFS + "label"), zh(section.heading.text))
        graph.add(iri, coop("order"), integer(number))
        graph.add(iri, ox.NamedNode(DCT + "isPartOf"), programme)
        graph.provenance(iri, document, doc.raw, section.heading.raw_span())
        for order, paragraph in enumerate(section.paragraphs, start=1):
            paragraph_iri = f"{iri}/paragraph/{order}"
            graph.add(iri, coop("hasParagraph"), paragraph_iri)
            graph.add(paragraph_iri, A, coop("Paragraph"))
            graph.add(paragraph_iri, coop("order"), integer(order))
            graph.add(paragraph_iri, coop("text"), zh(paragraph.text.text))
            graph.add(paragraph_iri, ox.NamedNode(DCT + "isPartOf"), iri)
            graph.provenance(paragraph_iri, document, doc.raw, paragraph.span)
    # The hand-entered section map must name parsed sections by their exact headings.
    for triple in facts:
        subject = triple.subject.value if isinstance(triple.subject, ox.NamedNode) else ""
        if not subject.startswith(f"{programme}/section/"):
            continue
        if subject not in sections:
            raise UnusableInput(
                f"{facts_path}: <{subject}> is not a section of the text, which has {len(sections)} headings"
            )
        if triple.predicate == ox.NamedNode(RDFS + "label") and triple.object != zh(
            sections[subject].heading.text
        ):
            raise UnusableInput(
                f"{facts_path}: <{subject}> is labelled {triple.object} but the text's heading "
                f"(line {sections[subject].line}) is {sections[subject].heading.text!r}; "
                "fix the label or the map"
            )
    return sections


def _add_priority_areas(
    graph: _Graph, doc: Document, programme: str, document: str, facts: list[ox.Triple], facts_path: Path
) -> None:
    declared = _objects(facts, programme, COOP + "priorityArea")
    if not declared:
        return
    found = doc.first_inline_list()
    if found is None:
        raise UnusableInput(
            f"{facts_path}: <{programme}> declares {len(declared)} priority areas but the text has no "
            "numbered list such as 1）…；2）… to take their labels from"
        )
    paragraph, entries = found
    expected = {f"{programme}/area/{entry.number}" for entry in entries}
    if {node.value for node in declared} != expected:
        raise UnusableInput(
            f"{facts_path}: the priority areas must be {programme}/area/1 … /area/{len(entries)}, one per "
            f"entry of the list at line {paragraph.line} of the text ({len(entries)} entries); "
            f"found {len(declared)}"
        )
    scheme = f"{programme}/areas"
    for entry in entries:
        area = f"{programme}/area/{entry.number}"
        graph.add(area, A, coop("CooperationArea"))
        graph.add(area, A, ox.NamedNode(SKOS + "Concept"))
        graph.add(area, ox.NamedNode(RDFS + "label"), zh(entry.label.text))
        graph.add(area, coop("notation"), ox.Literal(entry.notation))
        graph.add(area, coop("order"), integer(entry.number))
        graph.add(area, coop("isPriority"), ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")))
        graph.add(area, ox.NamedNode(SKOS + "inScheme"), scheme)
        graph.add(area, ox.NamedNode(SKOS + "topConceptOf"), scheme)
        graph.add(scheme, ox.NamedNode(SKOS + "hasTopConcept"), area)
        graph.provenance(area, document, doc.raw, entry.span)


@dataclass(frozen=True)
class _Statement:
    iri: str
    stated_as: str  # "EnumeratedItem" | "ProseStatement"
    text: Normalised
    span: tuple[int, int]
    notation: str | None = None
    chapeau: str | None = None


_PROSE_IRI = re.compile(r"(?P<section>.+/section/[0-9]{2})/(?P<kind>prose|item)/(?P<k>[1-9][0-9]*)")


def _add_commitments(
    graph: _Graph,
    doc: Document,
    programme: str,
    document: str,
    sections: dict[str, Section],
    facts: list[ox.Triple],
    prose_path: Path,
) -> None:
    statements: dict[str, list[_Statement]] = {iri: [] for iri in sections}
    for section_id, section in sections.items():
        for k, item in enumerate(section.items, start=1):
            chapeau = f"{section_id}/paragraph/{item.chapeau + 1}" if item.chapeau is not None else None
            statements[section_id].append(
                _Statement(
                    f"{section_id}/item/{k}", "EnumeratedItem", item.text, item.span, item.notation, chapeau
                )
            )
    selections = read_turtle(prose_path) if prose_path.is_file() else []
    subjects = sorted({t.subject.value for t in selections if isinstance(t.subject, ox.NamedNode)})
    prose: dict[str, list[_Statement]] = {}
    for subject in subjects:
        match = _PROSE_IRI.fullmatch(subject)
        if match is None or match["section"] not in sections or not subject.startswith(programme + "/"):
            raise UnusableInput(
                f"{prose_path}: <{subject}> is not a commitment IRI of a section of this programme "
                f"(expected {programme}/section/NN/prose/K or …/item/K with NN among 01…{len(sections):02d})"
            )
        quote = normalise_text(_one_literal(selections, subject, COOP + "text", prose_path))
        section_id = match["section"]
        if match["kind"] == "item":
            items = [s for s in statements[section_id] if s.iri == subject]
            if not items:
                raise UnusableInput(f"{prose_path}: <{subject}>: the section has no such enumerated item")
            if items[0].text.text != quote:
                raise UnusableInput(
                    f"{prose_path}: <{subject}>: coop:text {quote!r} differs from the item's text "
                    f"{items[0].text.text!r}"
                )
            continue
        prose.setdefault(section_id, []).append(_locate(prose_path, subject, quote, sections[section_id]))
    for section_id, found in prose.items():
        _check_prose_numbering(prose_path, section_id, found)
        statements[section_id].extend(found)
    graph.triples.update(t for t in selections if t.predicate != coop("text"))

    for section_id, section_statements in statements.items():
        areas = _objects(facts, section_id, COOP + "area")
        ordered = sorted(section_statements, key=lambda s: (s.span[0], -s.span[1]))
        for order, statement in enumerate(ordered, start=1):
            iri = statement.iri
            graph.add(iri, A, coop("Commitment"))
            graph.add(iri, coop("text"), zh(statement.text.text))
            graph.add(iri, coop("statedAs"), coop(statement.stated_as))
            graph.add(iri, coop("order"), integer(order))
            graph.add(iri, coop("section"), section_id)
            graph.add(iri, coop("programme"), programme)
            for area in areas:
                graph.add(iri, coop("area"), area)
            if statement.notation is not None:
                graph.add(iri, coop("notation"), ox.Literal(statement.notation))
            if statement.chapeau is not None:
                graph.add(iri, coop("chapeau"), statement.chapeau)
            graph.provenance(iri, document, doc.raw, statement.span)


def _locate(prose_path: Path, subject: str, quote: str, section: Section) -> _Statement:
    hits = [(p, i) for p in section.paragraphs for i in p.text.find_all(quote)]
    if len(hits) != 1:
        where = "is not in" if not hits else f"occurs {len(hits)} times in"
        raise UnusableInput(
            f"{prose_path}: <{subject}>: the quote {quote!r} {where} section {section.heading.text!r} "
            f"(line {section.line}); copy the sentence from the text exactly (line breaks and digit spaces "
            "removed), long enough to be unique"
        )
    paragraph, index = hits[0]
    text = paragraph.text.slice(index, index + len(quote))
    return _Statement(subject, "ProseStatement", text, text.raw_span())


def _check_prose_numbering(prose_path: Path, section_id: str, found: list[_Statement]) -> None:
    in_text_order = [s.iri for s in sorted(found, key=lambda s: (s.span[0], -s.span[1]))]
    expected = [f"{section_id}/prose/{k}" for k in range(1, len(found) + 1)]
    if in_text_order != expected:
        numbers = [iri.rsplit("/", 1)[1] for iri in in_text_order]
        raise UnusableInput(
            f"{prose_path}: the prose commitments of <{section_id}> must be numbered 1…{len(found)} in the "
            f"order their quotes appear in the text; in text order they are {numbers}"
        )
