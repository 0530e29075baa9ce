"""Writes tests/data/valid/test-fixture-2024-2025.ttl and one file per constraint in tests/data/invalid/.

    .venv/bin/python tests/data/make_fixtures.py

The valid file describes a small FICTITIOUS programme (its source text, in valid/sources/, says so),
written to prove the shapes are not tailored to the real programme. Each invalid file is that programme
with ONE change that breaks exactly one shape; its header says which shape and which focus node(s) the
report must name (`# expect: <shape> <focus>`), and tests/validation/test_fixtures.py checks that nothing
else is reported.
The files are committed; rerun this script after changing the fixture or adding a case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "valid" / "sources" / "test-fixture-2024-2025.txt"

COOP = Namespace("https://w3id.org/coopkg/def#")
SH_NS = "https://w3id.org/coopkg/shapes#"
ID = "https://w3id.org/coopkg/id/"
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
TIME = Namespace("http://www.w3.org/2006/time#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCT = Namespace("http://purl.org/dc/terms/")
SDG = Namespace("http://metadata.un.org/sdg/")
WD = Namespace("http://www.wikidata.org/entity/")

P = URIRef(f"{ID}programme/test-fixture-2024-2025")
PRED = URIRef(f"{ID}programme/test-fixture-2020-2023")
DOC = URIRef(f"{P}/source")
PERIOD = URIRef(f"{P}/period")
AGENT = URIRef(f"{ID}agent/coopkg")
CHINA, DENMARK = URIRef(f"{ID}party/china"), URIRef(f"{ID}party/denmark")
CHARTER = URIRef(f"{ID}framework/test-fixture-charter")
AGENCY = URIRef(f"{ID}agency/test-fixture-water-office")
ACADEMIA = URIRef(f"{ID}actor-type/academia")
AREAS = URIRef(f"{P}/areas")
MECHANISM = URIRef(f"{ID}mechanism/test-fixture-water-dialogue")


def iri(path: str) -> URIRef:
    return URIRef(f"{P}/{path}")


SIMILARITY = URIRef(f"{P}/section/03/item/1/similar/test-fixture-2024-2025/section/02/prose/1")


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def integer(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def offset(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.nonNegativeInteger)


TEXT = SOURCE.read_text(encoding="utf-8") if SOURCE.is_file() else ""


def span(quote: str) -> tuple[int, int]:
    start = TEXT.index(quote)
    return start, start + len(quote)


def provenance(g: Graph, subject: URIRef, raw: str) -> None:
    start, end = span(raw)
    source, position, quote = (URIRef(f"{subject}#{name}") for name in ("source", "position", "quote"))
    g.add((subject, COOP.source, source))
    g.add((source, RDF.type, OA.SpecificResource))
    g.add((source, OA.hasSource, DOC))
    g.add((source, OA.hasSelector, position))
    g.add((source, OA.hasSelector, quote))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, offset(start)))
    g.add((position, OA.end, offset(end)))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(raw)))


def labelled(g: Graph, node: URIRef, kind: URIRef, zh_label: str, en_label: str) -> None:
    g.add((node, RDF.type, kind))
    g.add((node, RDFS.label, zh(zh_label)))
    g.add((node, RDFS.label, en(en_label)))


def valid_graph() -> Graph:
    g = Graph()
    labelled(
        g, P, COOP.Programme, "测试用虚构合作方案（2024－2025）", "Fictitious test programme (2024–2025)"
    )
    for predicate, value in (
        (COOP.party, CHINA),
        (COOP.party, DENMARK),
        (COOP.period, PERIOD),
        (COOP.predecessor, PRED),
        (COOP.basis, CHARTER),
        (COOP.priorityArea, iri("area/1")),
        (COOP.priorityArea, iri("area/2")),
        (COOP.involvesActorType, ACADEMIA),
        (COOP.sourceDocument, DOC),
    ):
        g.add((P, predicate, value))
    labelled(
        g,
        PRED,
        COOP.Programme,
        "测试用虚构前期方案（2020－2023）",
        "Fictitious earlier test programme (2020–2023)",
    )

    g.add((DOC, RDF.type, COOP.SourceDocument))
    g.add((DOC, DCT["format"], Literal("text/plain")))
    g.add((DOC, COOP.sourceFile, Literal("sources/test-fixture-2024-2025.txt")))
    g.add((DOC, COOP.sha256, Literal(hashlib.sha256(TEXT.encode("utf-8")).hexdigest())))

    g.add((PERIOD, RDF.type, TIME.Interval))
    for name, predicate, year in (("beginning", TIME.hasBeginning, "2024"), ("end", TIME.hasEnd, "2025")):
        instant = URIRef(f"{PERIOD}#{name}")
        g.add((PERIOD, predicate, instant))
        g.add((instant, RDF.type, TIME.Instant))
        g.add((instant, TIME.inXSDgYear, Literal(year, datatype=XSD.gYear)))

    labelled(
        g, AREAS, SKOS.ConceptScheme, "测试用虚构合作方案合作领域", "Areas of the fictitious test programme"
    )
    for slug, zh_label, en_label, priority in (
        ("1", "水资源", "Water resources", True),
        ("2", "教育", "Education", True),
        ("general", "总体合作", "General cooperation", False),
    ):
        area = iri(f"area/{slug}")
        labelled(g, area, COOP.CooperationArea, zh_label, en_label)
        g.add((area, COOP.isPriority, Literal(priority)))
        g.add((area, SKOS.inScheme, AREAS))

    sections = (
        ("01", "背景", "Background", None),
        ("02", "《测试用虚构合作方案（2024－2025）》", "Fictitious test programme (2024–2025)", "general"),
        ("03", "水资源：加强交流", "Water: more exchanges", "1"),
        ("04", "教育：扩大合作", "Education: wider cooperation", "2"),
    )
    for order, (number, heading, english, area) in enumerate(sections, start=1):
        section = iri(f"section/{number}")
        labelled(g, section, COOP.Section, heading, english)
        g.add((section, COOP.order, integer(order)))
        g.add((section, DCT.isPartOf, P))
        g.add((P, COOP.hasSection, section))
        if area:
            g.add((section, COOP.area, iri(f"area/{area}")))
        provenance(g, section, heading)

    paragraphs = {
        "01": ("本文件是 coopkg 测试用的虚构合作方案，仅用于验证数据形状，并非\n\n真实的政府间文件。",),
        "02": (
            "双方同意在水资源和教育领域开展交流，重点合作领域如下：1）水资源；\n\n2）教育。双方愿共同推动可持续发展目标的实现。",
        ),
        "03": ("为落实本方案，双方将：",),
        "04": ("双方将推动高等院校之间的学生交流。",),
    }
    for number, texts in paragraphs.items():
        for k, raw in enumerate(texts, start=1):
            paragraph = iri(f"section/{number}/paragraph/{k}")
            g.add((paragraph, RDF.type, COOP.Paragraph))
            g.add((paragraph, COOP.order, integer(k)))
            g.add((paragraph, COOP.text, zh(raw.replace("\n\n", ""))))
            g.add((iri(f"section/{number}"), COOP.hasParagraph, paragraph))
            provenance(g, paragraph, raw)

    commitments = (
        (
            "02/prose/1",
            "双方愿共同推动可持续发展目标的实现。",
            "general",
            None,
            "The two sides are willing to work together towards the Sustainable Development Goals.",
            [("sdg-17", SDG["17"], COOP.ExplicitInText, "The text names the Sustainable Development Goals.")],
        ),
        (
            "03/item/1",
            "（一）每年举行水资源政策对话。",
            "1",
            "（一）",
            "Hold a water policy dialogue every year.",
            [
                (
                    "sdg-6.5",
                    SDG["6.5"],
                    COOP.CuratedJudgement,
                    "A recurring dialogue on water policy supports integrated water resources management.",
                )
            ],
        ),
        (
            "03/item/2",
            "（二）支持城市节水示范项目。",
            "1",
            "（二）",
            "Support urban water-saving demonstration projects.",
            [
                ("sdg-6.4", SDG["6.4"], COOP.CuratedJudgement, "Water saving raises water-use efficiency."),
                ("sdg-11.6", SDG["11.6"], COOP.CuratedJudgement, "The projects are urban."),
            ],
        ),
        (
            "04/prose/1",
            "双方将推动高等院校之间的学生交流。",
            "2",
            None,
            "The two sides will promote student exchanges between higher-education institutions.",
            [
                (
                    "sdg-4.b",
                    SDG["4.b"],
                    COOP.CuratedJudgement,
                    "Student exchanges between universities relate to scholarships for higher education.",
                )
            ],
        ),
    )
    for path, raw, area, notation, english, alignments in commitments:
        commitment = iri(f"section/{path}")
        number, kind, k = path.split("/")
        g.add((commitment, RDF.type, COOP.Commitment))
        g.add((commitment, COOP.order, integer(int(k))))
        g.add((commitment, COOP.text, zh(raw)))
        g.add((commitment, COOP.statedAs, COOP.EnumeratedItem if kind == "item" else COOP.ProseStatement))
        g.add((commitment, COOP.section, iri(f"section/{number}")))
        g.add((commitment, COOP.programme, P))
        g.add((commitment, COOP.area, iri(f"area/{area}")))
        if notation:
            g.add((commitment, COOP.notation, Literal(notation)))
            g.add((commitment, COOP.chapeau, iri(f"section/{number}/paragraph/1")))
        provenance(g, commitment, raw)
        translation = URIRef(f"{commitment}#en")
        g.add((commitment, COOP.translation, translation))
        g.add((translation, RDF.type, COOP.Translation))
        g.add((translation, COOP.translationOf, commitment))
        g.add((translation, RDF.value, en(english)))
        g.add((translation, PROV.wasAttributedTo, AGENT))
        g.add((translation, COOP.official, Literal(False)))
        for slug, target, basis, rationale in alignments:
            alignment = URIRef(f"{commitment}/alignment/{slug}")
            g.add((commitment, COOP.hasAlignment, alignment))
            g.add((alignment, RDF.type, COOP.Alignment))
            g.add((alignment, COOP.alignedTo, target))
            g.add((alignment, COOP.alignmentBasis, basis))
            g.add((alignment, COOP.rationale, en(rationale)))
            g.add((alignment, PROV.wasAttributedTo, AGENT))
    item1 = iri("section/03/item/1")
    g.add((item1, RDF.type, COOP.Mechanism))
    g.add((item1, COOP.frequency, COOP.Annual))
    g.add((iri("section/02/prose/1"), COOP.citesFramework, CHARTER))
    g.add((iri("section/03/item/2"), COOP.involvesAgency, AGENCY))

    labelled(g, CHINA, COOP.Party, "中国", "China")
    g.add((CHINA, SKOS.exactMatch, WD.Q148))
    labelled(g, DENMARK, COOP.Party, "丹麦", "Denmark")
    g.add((DENMARK, SKOS.exactMatch, WD.Q35))
    labelled(g, CHARTER, COOP.Framework, "测试用虚构宪章", "Fictitious test charter")
    labelled(g, AGENCY, COOP.Agency, "测试用虚构水务办公室", "Fictitious test water office")
    labelled(g, ACADEMIA, COOP.ActorType, "学术界", "academia")
    labelled(g, AGENT, PROV.SoftwareAgent, "coopkg 项目", "the coopkg project")
    # Across programmes: the predecessor's successor link (the build's inverse), a standing mechanism the
    # water dialogue holds, and one similarity as the build writes them (here within the programme, which the
    # shapes allow: the fixture has no second programme with commitments).
    g.add((PRED, COOP.successor, P))
    labelled(
        g,
        MECHANISM,
        COOP.StandingMechanism,
        "测试用虚构水资源政策对话",
        "Fictitious test water policy dialogue",
    )
    g.add((iri("section/03/item/1"), COOP.standingMechanism, MECHANISM))
    g.add((SIMILARITY, RDF.type, COOP.Similarity))
    g.add((SIMILARITY, COOP.earlierCommitment, iri("section/02/prose/1")))
    g.add((SIMILARITY, COOP.laterCommitment, iri("section/03/item/1")))
    g.add((SIMILARITY, COOP.score, Literal("0.500", datatype=XSD.decimal)))
    g.add((SIMILARITY, COOP.similarityMethod, COOP.BigramCosine))
    g.add((SIMILARITY, PROV.wasAttributedTo, AGENT))
    return g


# ------------------------------------------------------------------------------------------------ mutations

Mutation = Callable[[Graph], list[URIRef]]  # changes the graph, returns the focus nodes the report must name
CASES: dict[str, tuple[str, Mutation, str]] = {}  # file stem -> (shape local name, mutation, what it does)


def case(stem: str, shape: str, description: str) -> Callable[[Mutation], Mutation]:
    def register(mutation: Mutation) -> Mutation:
        CASES[stem] = (shape, mutation, description)
        return mutation

    return register


def rename(g: Graph, old: URIRef, new: URIRef) -> None:
    for s, p, o in list(g):
        if old in (s, p, o):
            g.remove((s, p, o))
            g.add((new if s == old else s, new if p == old else p, new if o == old else o))


def replace(g: Graph, s: URIRef, p: URIRef, new: object) -> None:
    g.remove((s, p, None))
    g.add((s, p, new))  # type: ignore[arg-type]


I1, I2 = iri("section/03/item/1"), iri("section/03/item/2")
PR1, PR4 = iri("section/02/prose/1"), iri("section/04/prose/1")
S01, S03 = iri("section/01"), iri("section/03")
PARA = iri("section/03/paragraph/1")


def _simple(
    stem: str, shape: str, description: str, edit: Callable[[Graph], None], focus: list[URIRef]
) -> None:
    def mutation(g: Graph) -> list[URIRef]:
        edit(g)
        return focus

    CASES[stem] = (shape, mutation, description)


_simple(
    "label-zh",
    "LabelZh",
    "the programme has no Chinese label",
    lambda g: g.remove((P, RDFS.label, zh("测试用虚构合作方案（2024－2025）"))),
    [P],
)
_simple(
    "label-zh-twice",
    "LabelZh",
    "the programme has two Chinese labels (sh:qualifiedMaxCount)",
    lambda g: g.add((P, RDFS.label, zh("另一个中文标签"))),
    [P],
)
_simple(
    "label-en",
    "LabelEn",
    "a section has no English label",
    lambda g: g.remove((S03, RDFS.label, en("Water: more exchanges"))),
    [S03],
)
_simple(
    "label-languages",
    "LabelLanguages",
    "a framework has a French label",
    lambda g: g.add((CHARTER, RDFS.label, Literal("Charte fictive", lang="fr"))),
    [CHARTER],
)
_simple(
    "order-positive",
    "OrderPositive",
    "a paragraph's order is 0",
    lambda g: replace(g, PARA, COOP.order, integer(0)),
    [PARA],
)
_simple(
    "text-zh",
    "TextZh",
    "a commitment's text is tagged @en",
    lambda g: replace(g, I2, COOP.text, en("Support urban water-saving demonstration projects.")),
    [I2],
)
_simple(
    "text-zh-empty",
    "TextZh",
    "a commitment's text is empty (sh:minLength)",
    lambda g: replace(g, I2, COOP.text, zh("")),
    [I2],
)
_simple(
    "one-source",
    "OneSource",
    "a paragraph has no coop:source",
    lambda g: g.remove((PARA, COOP.source, None)),
    [PARA],
)
_simple(
    "translation-link",
    "TranslationLink",
    "coop:translation points to a paragraph",
    lambda g: g.add((I2, COOP.translation, PARA)),
    [I2],
)
_simple(
    "programme-iri",
    "ProgrammeShape",
    "the predecessor's IRI is not lower-case",
    lambda g: rename(g, PRED, URIRef(f"{ID}programme/Test_Fixture_2020")),
    [URIRef(f"{ID}programme/Test_Fixture_2020")],
)
_simple(
    "programme-predecessor",
    "Programme-predecessor",
    "the predecessor is a framework (that names the programme back as its successor)",
    lambda g: (
        replace(g, P, COOP.predecessor, CHARTER),
        g.remove((PRED, COOP.successor, P)),
        g.add((CHARTER, COOP.successor, P)),
    ),
    [P],
)
_simple(
    "programme-source-document",
    "Programme-sourceDocument",
    "a second coop:sourceDocument, which is a period",
    lambda g: g.add((P, COOP.sourceDocument, PERIOD)),
    [P],
)
_simple(
    "programme-party", "Programme-party", "only one party", lambda g: g.remove((P, COOP.party, DENMARK)), [P]
)
_simple("programme-period", "Programme-period", "no period", lambda g: g.remove((P, COOP.period, None)), [P])
_simple(
    "programme-basis",
    "Programme-basis",
    "the basis is a party",
    lambda g: replace(g, P, COOP.basis, CHINA),
    [P],
)
_simple(
    "programme-priority-area",
    "Programme-priorityArea",
    "a priority area that is a section",
    lambda g: g.add((P, COOP.priorityArea, S03)),
    [P],
)
_simple(
    "programme-has-section",
    "Programme-hasSection",
    "coop:hasSection lists a paragraph",
    lambda g: g.add((P, COOP.hasSection, PARA)),
    [P],
)
_simple(
    "programme-actor-type",
    "Programme-involvesActorType",
    "an actor type that is a party",
    lambda g: g.add((P, COOP.involvesActorType, CHINA)),
    [P],
)
_simple(
    "source-document-iri",
    "SourceDocumentShape",
    "the source document's IRI does not end in /source",
    lambda g: rename(g, DOC, URIRef(f"{P}/text")),
    [URIRef(f"{P}/text")],
)
_simple(
    "source-document-format",
    "SourceDocument-format",
    "dct:format is application/pdf",
    lambda g: replace(g, DOC, DCT["format"], Literal("application/pdf")),
    [DOC],
)
_simple(
    "source-document-file",
    "SourceDocument-sourceFile",
    "coop:sourceFile is an xsd:anyURI",
    lambda g: replace(
        g, DOC, COOP.sourceFile, Literal("sources/test-fixture-2024-2025.txt", datatype=XSD.anyURI)
    ),
    [DOC],
)
_simple(
    "source-document-sha256",
    "SourceDocument-sha256",
    "coop:sha256 is an xsd:hexBinary",
    lambda g: replace(
        g, DOC, COOP.sha256, Literal(hashlib.sha256(TEXT.encode()).hexdigest(), datatype=XSD.hexBinary)
    ),
    [DOC],
)
_simple(
    "section-iri",
    "SectionShape",
    "a section number has one digit",
    lambda g: rename(g, S01, iri("section/1")),
    [iri("section/1")],
)
_simple(
    "section-is-part-of",
    "Section-isPartOf",
    "a section is part of no programme",
    lambda g: g.remove((S01, DCT.isPartOf, None)),
    [S01],
)
_simple(
    "section-area",
    "Section-area",
    "a section's area is a party",
    lambda g: g.add((S03, COOP.area, CHINA)),
    [S03],
)
_simple(
    "section-has-paragraph",
    "Section-hasParagraph",
    "coop:hasParagraph lists a commitment",
    lambda g: g.add((S03, COOP.hasParagraph, I1)),
    [S03],
)
_simple(
    "paragraph-iri",
    "ParagraphShape",
    "a paragraph IRI says para instead of paragraph",
    lambda g: rename(g, PARA, iri("section/03/para/1")),
    [iri("section/03/para/1")],
)
_simple(
    "paragraph-in-section",
    "Paragraph-inSection",
    "no section lists a paragraph",
    lambda g: g.remove((S03, COOP.hasParagraph, PARA)),
    [PARA],
)
_simple(
    "area-iri",
    "CooperationAreaShape",
    "an area slug has capitals",
    lambda g: rename(g, iri("area/general"), iri("area/General")),
    [iri("area/General")],
)
_simple(
    "area-is-priority",
    "CooperationArea-isPriority",
    "an area without coop:isPriority",
    lambda g: g.remove((iri("area/2"), COOP.isPriority, None)),
    [iri("area/2")],
)
_simple(
    "area-in-scheme",
    "CooperationArea-inScheme",
    "an area in no scheme",
    lambda g: g.remove((iri("area/2"), SKOS.inScheme, None)),
    [iri("area/2")],
)
_simple(
    "commitment-iri",
    "CommitmentShape",
    "a commitment IRI says clause",
    lambda g: rename(g, PR4, iri("section/04/clause/1")),
    [iri("section/04/clause/1")],
)
_simple(
    "enumerated-item-notation",
    "EnumeratedItemNotationShape",
    "an enumerated item without its marker",
    lambda g: g.remove((I2, COOP.notation, None)),
    [I2],
)
_simple(
    "commitment-stated-as",
    "Commitment-statedAs",
    "coop:statedAs is a frequency",
    lambda g: replace(g, I2, COOP.statedAs, COOP.Regular),
    [I2],
)
_simple(
    "commitment-notation",
    "Commitment-notation",
    "the notation is tagged @zh",
    lambda g: replace(g, I2, COOP.notation, zh("（二）")),
    [I2],
)
_simple(
    "commitment-chapeau",
    "Commitment-chapeau",
    "the chapeau is a section",
    lambda g: replace(g, I2, COOP.chapeau, S03),
    [I2],
)
_simple(
    "commitment-section",
    "Commitment-section",
    "a commitment in no section",
    lambda g: g.remove((I2, COOP.section, None)),
    [I2],
)
_simple(
    "commitment-programme",
    "Commitment-programme",
    "a commitment of no programme",
    lambda g: g.remove((I2, COOP.programme, None)),
    [I2],
)
_simple(
    "commitment-area",
    "Commitment-area",
    "a commitment's area is a party",
    lambda g: g.add((I2, COOP.area, CHINA)),
    [I2],
)
_simple(
    "commitment-cites-framework",
    "Commitment-citesFramework",
    "a cited framework that is a party",
    lambda g: g.add((I2, COOP.citesFramework, CHINA)),
    [I2],
)
_simple(
    "commitment-involves-agency",
    "Commitment-involvesAgency",
    "an agency that is a framework",
    lambda g: g.add((I2, COOP.involvesAgency, CHARTER)),
    [I2],
)
_simple(
    "commitment-has-alignment",
    "Commitment-hasAlignment",
    "coop:hasAlignment points to a translation",
    lambda g: g.add((I2, COOP.hasAlignment, URIRef(f"{I2}#en"))),
    [I2],
)
_simple(
    "commitment-translated",
    "Commitment-translated",
    "a commitment without an English rendering (warning)",
    lambda g: g.remove((PR4, COOP.translation, None)),
    [PR4],
)


@case("commitment-aligned", "Commitment-aligned", "a commitment without any alignment (warning)")
def _unaligned(g: Graph) -> list[URIRef]:
    alignment = URIRef(f"{PR4}/alignment/sdg-4.b")
    g.remove((PR4, COOP.hasAlignment, None))
    g.remove((alignment, None, None))
    return [PR4]


_simple(
    "mechanism-frequency",
    "Mechanism-frequency",
    "a mechanism without a frequency",
    lambda g: g.remove((I1, COOP.frequency, None)),
    [I1],
)
_simple(
    "specific-resource-iri",
    "SpecificResourceShape",
    "a source passage IRI ends in #src",
    lambda g: rename(g, URIRef(f"{I2}#source"), URIRef(f"{I2}#src")),
    [URIRef(f"{I2}#src")],
)
_simple(
    "specific-resource-has-source",
    "SpecificResource-hasSource",
    "a passage in a period, not a document",
    lambda g: replace(g, URIRef(f"{PARA}#source"), OA.hasSource, PERIOD),
    [URIRef(f"{PARA}#source")],
)
_simple(
    "specific-resource-position",
    "SpecificResource-position",
    "a passage without a position selector",
    lambda g: g.remove((URIRef(f"{PARA}#source"), OA.hasSelector, URIRef(f"{PARA}#position"))),
    [URIRef(f"{PARA}#source")],
)
_simple(
    "specific-resource-quote",
    "SpecificResource-quote",
    "a passage without a quote selector",
    lambda g: g.remove((URIRef(f"{PARA}#source"), OA.hasSelector, URIRef(f"{PARA}#quote"))),
    [URIRef(f"{PARA}#source")],
)
_simple(
    "position-selector-iri",
    "TextPositionSelectorShape",
    "a position selector IRI ends in #pos",
    lambda g: rename(g, URIRef(f"{PARA}#position"), URIRef(f"{PARA}#pos")),
    [URIRef(f"{PARA}#pos")],
)
_simple(
    "position-start",
    "TextPositionSelector-start",
    "oa:start is an xsd:integer",
    lambda g: replace(g, URIRef(f"{PARA}#position"), OA.start, integer(span("为落实本方案，双方将：")[0])),
    [URIRef(f"{PARA}#position")],
)
_simple(
    "position-end",
    "TextPositionSelector-end",
    "no oa:end",
    lambda g: g.remove((URIRef(f"{PARA}#position"), OA.end, None)),
    [URIRef(f"{PARA}#position")],
)
_simple(
    "quote-selector-iri",
    "TextQuoteSelectorShape",
    "a quote selector IRI ends in #q",
    lambda g: rename(g, URIRef(f"{PARA}#quote"), URIRef(f"{PARA}#q")),
    [URIRef(f"{PARA}#q")],
)
_simple(
    "quote-exact",
    "TextQuoteSelector-exact",
    "oa:exact is tagged @zh",
    lambda g: replace(g, URIRef(f"{PARA}#quote"), OA.exact, zh("为落实本方案，双方将：")),
    [URIRef(f"{PARA}#quote")],
)
_simple(
    "interval-iri",
    "IntervalShape",
    "the period IRI ends in /term",
    lambda g: rename(g, PERIOD, iri("term")),
    [iri("term")],
)
_simple(
    "interval-has-beginning",
    "Interval-hasBeginning",
    "a period without a beginning",
    lambda g: g.remove((PERIOD, TIME.hasBeginning, None)),
    [PERIOD],
)
_simple(
    "interval-has-end",
    "Interval-hasEnd",
    "the end of the period is the programme",
    lambda g: replace(g, PERIOD, TIME.hasEnd, P),
    [PERIOD],
)
_simple(
    "instant-iri",
    "InstantShape",
    "an instant outside our IRI space",
    lambda g: rename(g, URIRef(f"{PERIOD}#beginning"), URIRef("urn:x-test:beginning")),
    [URIRef("urn:x-test:beginning")],
)
_simple(
    "instant-year",
    "Instant-inXSDgYear",
    "a year given as xsd:integer",
    lambda g: replace(g, URIRef(f"{PERIOD}#end"), TIME.inXSDgYear, integer(2025)),
    [URIRef(f"{PERIOD}#end")],
)
_simple(
    "translation-iri",
    "TranslationShape",
    "a translation IRI ends in #english",
    lambda g: rename(g, URIRef(f"{I2}#en"), URIRef(f"{I2}#english")),
    [URIRef(f"{I2}#english")],
)
_simple(
    "translation-marked-as-ours",
    "TranslationMarkedAsOursShape",
    "an unofficial rendering attributed to someone else",
    lambda g: replace(g, URIRef(f"{I2}#en"), PROV.wasAttributedTo, URIRef(f"{ID}agent/someone-else")),
    [URIRef(f"{I2}#en")],
)
_simple(
    "translation-of",
    "Translation-translationOf",
    "a translation of nothing",
    lambda g: g.remove((URIRef(f"{I2}#en"), COOP.translationOf, None)),
    [URIRef(f"{I2}#en")],
)
_simple(
    "translation-value",
    "Translation-value",
    "the rendering is tagged @fr",
    lambda g: replace(g, URIRef(f"{I2}#en"), RDF.value, Literal("Soutenir des projets.", lang="fr")),
    [URIRef(f"{I2}#en")],
)
_simple(
    "translation-official",
    "Translation-official",
    "coop:official is a string",
    lambda g: replace(g, URIRef(f"{I2}#en"), COOP.official, Literal("no")),
    [URIRef(f"{I2}#en")],
)


@case("translation-attributed", "Translation-attributed", "an official translation attributed to a literal")
def _attributed_to_literal(g: Graph) -> list[URIRef]:
    translation = URIRef(f"{I2}#en")
    replace(g, translation, COOP.official, Literal(True))
    replace(g, translation, PROV.wasAttributedTo, Literal("the ministry"))
    return [translation]


_simple(
    "alignment-iri",
    "AlignmentShape",
    "an alignment IRI says goal6",
    lambda g: rename(g, URIRef(f"{I1}/alignment/sdg-6.5"), URIRef(f"{I1}/alignment/goal6")),
    [URIRef(f"{I1}/alignment/goal6")],
)
_simple(
    "alignment-aligned-to",
    "Alignment-alignedTo",
    "an alignment to two targets",
    lambda g: g.add((URIRef(f"{I1}/alignment/sdg-6.5"), COOP.alignedTo, SDG["6.4"])),
    [URIRef(f"{I1}/alignment/sdg-6.5")],
)
_simple(
    "alignment-basis",
    "Alignment-basis",
    "the basis is a frequency",
    lambda g: replace(g, URIRef(f"{I1}/alignment/sdg-6.5"), COOP.alignmentBasis, COOP.Annual),
    [URIRef(f"{I1}/alignment/sdg-6.5")],
)
_simple(
    "alignment-rationale",
    "Alignment-rationale",
    "the rationale is only in Chinese",
    lambda g: replace(g, URIRef(f"{I1}/alignment/sdg-6.5"), COOP.rationale, zh("定期的水政策对话。")),
    [URIRef(f"{I1}/alignment/sdg-6.5")],
)
_simple(
    "alignment-attributed",
    "Alignment-attributed",
    "an alignment attributed to someone else",
    lambda g: replace(
        g, URIRef(f"{I1}/alignment/sdg-6.5"), PROV.wasAttributedTo, URIRef(f"{ID}agent/someone-else")
    ),
    [URIRef(f"{I1}/alignment/sdg-6.5")],
)
_simple(
    "alignment-of-commitment",
    "Alignment-ofCommitment",
    "no commitment lists an alignment",
    lambda g: g.remove((I2, COOP.hasAlignment, URIRef(f"{I2}/alignment/sdg-11.6"))),
    [URIRef(f"{I2}/alignment/sdg-11.6")],
)
_simple(
    "party-iri",
    "PartyShape",
    "a party IRI with a capital",
    lambda g: rename(g, DENMARK, URIRef(f"{ID}party/Denmark")),
    [URIRef(f"{ID}party/Denmark")],
)
_simple(
    "party-exact-match",
    "Party-exactMatch",
    "a party without its Wikidata link (warning)",
    lambda g: g.remove((DENMARK, SKOS.exactMatch, None)),
    [DENMARK],
)
_simple(
    "framework-iri",
    "FrameworkShape",
    "a framework IRI with an underscore",
    lambda g: rename(g, CHARTER, URIRef(f"{ID}framework/test_charter")),
    [URIRef(f"{ID}framework/test_charter")],
)
_simple(
    "agency-iri",
    "AgencyShape",
    "an agency outside id:agency/",
    lambda g: rename(g, AGENCY, URIRef(f"{ID}organisation/water-office")),
    [URIRef(f"{ID}organisation/water-office")],
)
_simple(
    "actor-type-iri",
    "ActorTypeShape",
    "an actor type outside id:actor-type/",
    lambda g: rename(g, ACADEMIA, URIRef(f"{ID}actors/academia")),
    [URIRef(f"{ID}actors/academia")],
)


@case("controlled-concept-iri", "ControlledConceptShape", "a frequency defined outside the ontology")
def _frequency_elsewhere(g: Graph) -> list[URIRef]:
    biennial = URIRef(f"{ID}frequency/biennial")
    labelled(g, biennial, COOP.Frequency, "每两年", "Biennial")
    g.add((biennial, SKOS.inScheme, COOP.Frequencies))
    return [biennial]


@case("controlled-concept-in-scheme", "ControlledConcept-inScheme", "a frequency in no scheme")
def _frequency_without_scheme(g: Graph) -> list[URIRef]:
    biennial = COOP.Biennial
    labelled(g, biennial, COOP.Frequency, "每两年", "Biennial")
    return [biennial]


_simple(
    "source-text-missing",
    "SourceText-value",
    "the source file does not exist (warning)",
    lambda g: replace(g, DOC, COOP.sourceFile, Literal("sources/no-such-file.txt")),
    [DOC],
)
_simple(
    "source-text-hash",
    "SourceTextHashShape",
    "the recorded sha256 is another file's",
    lambda g: replace(g, DOC, COOP.sha256, Literal(hashlib.sha256(b"another file").hexdigest())),
    [DOC],
)
_simple(
    "quote-matches-source",
    "QuoteMatchesSourceShape",
    "a quote of the right length but other words",
    lambda g: replace(g, URIRef(f"{I2}#quote"), OA.exact, Literal("（二）支持乡村节水示范项目。")),
    [URIRef(f"{I2}#source")],
)
_simple(
    "quote-length",
    "QuoteLengthShape",
    "a quote one character short",
    lambda g: replace(g, URIRef(f"{I2}#quote"), OA.exact, Literal("（二）支持城市节水示范项目")),
    [URIRef(f"{I2}#source")],
)


@case("start-before-end", "StartBeforeEndShape", "oa:start after oa:end")
def _start_after_end(g: Graph) -> list[URIRef]:
    position = URIRef(f"{I2}#position")
    end = span("（二）支持城市节水示范项目。")[1]
    replace(g, position, OA.start, offset(end + 3))
    return [position]


@case("end-within-text", "EndWithinTextShape", "a passage that runs past the end of the file")
def _past_the_end(g: Graph) -> list[URIRef]:
    position = URIRef(f"{I2}#position")
    length = len("（二）支持城市节水示范项目。")
    replace(g, position, OA.start, offset(len(TEXT) + 5 - length))
    replace(g, position, OA.end, offset(len(TEXT) + 5))
    return [position]


@case("passage-of-one-commitment", "PassageOfOneCommitmentShape", "two commitments share one passage")
def _shared_passage(g: Graph) -> list[URIRef]:
    replace(g, I2, COOP.source, URIRef(f"{I1}#source"))
    return [I1, I2]


@case("passage-in-programme-source", "PassageInProgrammeSourceShape", "a passage in another programme's text")
def _other_document(g: Graph) -> list[URIRef]:
    other = URIRef(f"{PRED}/source")
    for _, p, o in list(g.triples((DOC, None, None))):
        g.add((other, p, o))
    replace(g, URIRef(f"{I2}#source"), OA.hasSource, other)
    return [I2]


_simple(
    "notation-unique",
    "NotationUniqueShape",
    "two items of a section marked （一）",
    lambda g: replace(g, I2, COOP.notation, Literal("（一）")),
    [I1, I2],
)


@case("section-of-programme", "SectionOfProgrammeShape", "a commitment in a section of another programme")
def _foreign_section(g: Graph) -> list[URIRef]:
    foreign = URIRef(f"{PRED}/section/01")
    labelled(g, foreign, COOP.Section, "前期方案的一节", "A section of the earlier programme")
    g.add((foreign, COOP.order, integer(1)))
    g.add((foreign, DCT.isPartOf, PRED))
    g.add((foreign, COOP.source, URIRef(f"{S03}#source")))
    g.add((PRED, COOP.hasSection, foreign))
    replace(g, I2, COOP.section, foreign)
    return [I2]


_simple(
    "section-reachable",
    "SectionReachableShape",
    "the programme does not list a section",
    lambda g: g.remove((P, COOP.hasSection, S01)),
    [S01],
)
_simple(
    "period-order",
    "PeriodOrderShape",
    "a period that ends before it begins",
    lambda g: replace(g, URIRef(f"{PERIOD}#beginning"), TIME.inXSDgYear, Literal("2026", datatype=XSD.gYear)),
    [PERIOD],
)
_simple(
    "alignment-target",
    "AlignmentTargetShape",
    "an alignment to SDG target 6.99, which does not exist",
    lambda g: replace(g, URIRef(f"{I1}/alignment/sdg-6.5"), COOP.alignedTo, SDG["6.99"]),
    [URIRef(f"{I1}/alignment/sdg-6.5")],
)
_simple(
    "defined-terms",
    "DefinedTermsShape",
    "a misspelt property coop:sectoin",
    lambda g: g.add((I2, COOP.sectoin, S03)),
    [I2],
)
_simple(
    "defined-terms-untyped",
    "UntypedDefinedTermsShape",
    "a misspelt property coop:sectoin on a node without rdf:type",
    lambda g: g.add((URIRef(f"{I2}/note"), COOP.sectoin, S03)),
    [URIRef("https://w3id.org/coopkg/def")],
)


HEADER = (
    "# Test fixture for coopkg's SHACL shapes (tests/data/make_fixtures.py writes it; do not edit by hand).\n"
)


# ------------------------------------------------------------- across programmes (successor, mechanisms)


@case(
    "programme-successor",
    "Programme-successor",
    "the successor is a framework (that names the programme back)",
)
def _successor_framework(g: Graph) -> list[URIRef]:
    g.add((PRED, COOP.successor, CHARTER))
    g.add((CHARTER, COOP.predecessor, PRED))
    return [PRED]


@case(
    "successor-inverse",
    "SuccessorInverseShape",
    "a successor that does not name the programme as predecessor",
)
def _successor_not_inverse(g: Graph) -> list[URIRef]:
    other = URIRef(f"{ID}programme/test-fixture-2026-2027")
    labelled(
        g,
        other,
        COOP.Programme,
        "测试用虚构后续方案（2026－2027）",
        "Fictitious later test programme (2026–2027)",
    )
    g.add((P, COOP.successor, other))
    return [P]


_simple(
    "predecessor-inverse",
    "PredecessorInverseShape",
    "the predecessor has no coop:successor back (a graph built without id:graph/derived)",
    lambda g: g.remove((PRED, COOP.successor, P)),
    [P],
)
_simple(
    "mechanism-standing-mechanism",
    "Mechanism-standingMechanism",
    "a mechanism's standing mechanism is a framework",
    lambda g: replace(g, I1, COOP.standingMechanism, CHARTER),
    [I1],
)
_simple(
    "standing-mechanism-iri",
    "StandingMechanismShape",
    "a standing mechanism outside id:mechanism/",
    lambda g: rename(g, MECHANISM, URIRef(f"{ID}committee/water-dialogue")),
    [URIRef(f"{ID}committee/water-dialogue")],
)
_simple(
    "similarity-iri",
    "SimilarityShape",
    "a similarity outside <later commitment>/similar/…",
    lambda g: rename(g, SIMILARITY, URIRef(f"{ID}similarity/1")),
    [URIRef(f"{ID}similarity/1")],
)
_simple(
    "similarity-earlier",
    "Similarity-earlier",
    "a similarity without its earlier commitment",
    lambda g: g.remove((SIMILARITY, COOP.earlierCommitment, None)),
    [SIMILARITY],
)
_simple(
    "similarity-later",
    "Similarity-later",
    "a similarity whose later commitment is a framework",
    lambda g: replace(g, SIMILARITY, COOP.laterCommitment, CHARTER),
    [SIMILARITY],
)
_simple(
    "similarity-score",
    "Similarity-score",
    "a score above 1",
    lambda g: replace(g, SIMILARITY, COOP.score, Literal("1.5", datatype=XSD.decimal)),
    [SIMILARITY],
)
_simple(
    "similarity-method",
    "Similarity-method",
    "a similarity that does not say how it was computed",
    lambda g: g.remove((SIMILARITY, COOP.similarityMethod, None)),
    [SIMILARITY],
)
_simple(
    "similarity-attributed",
    "Similarity-attributed",
    "a similarity attributed to someone else than the coopkg project",
    lambda g: replace(g, SIMILARITY, PROV.wasAttributedTo, URIRef(f"{ID}agent/someone")),
    [SIMILARITY],
)
_simple(
    "similarity-of-two",
    "SimilarityOfTwoShape",
    "a similarity of a commitment with itself",
    lambda g: replace(g, SIMILARITY, COOP.earlierCommitment, I1),
    [SIMILARITY],
)


def serialise(g: Graph) -> str:
    for prefix, namespace in (
        ("coop", COOP),
        ("dct", DCT),
        ("oa", OA),
        ("prov", PROV),
        ("time", TIME),
        ("skos", SKOS),
        ("sdg", SDG),
        ("wd", WD),
        ("xsd", XSD),
    ):
        g.bind(prefix, namespace)
    return str(g.serialize(format="turtle"))


def main() -> None:
    valid = HERE / "valid" / "test-fixture-2024-2025.ttl"
    valid.write_text(
        HEADER
        + "# A small FICTITIOUS programme (see valid/sources/), valid against every shape.\n"
        + serialise(valid_graph()),
        encoding="utf-8",
    )
    invalid_dir = HERE / "invalid"
    invalid_dir.mkdir(exist_ok=True)
    for old in invalid_dir.glob("*.ttl"):
        old.unlink()
    for stem, (shape, mutation, description) in sorted(CASES.items()):
        g = valid_graph()
        focus = mutation(g)
        expect = "".join(f"# expect: <{SH_NS}{shape}> <{node}>\n" for node in focus)
        (invalid_dir / f"{stem}.ttl").write_text(
            HEADER + f"# Breaks exactly coopsh:{shape}: {description}.\n" + expect + serialise(g),
            encoding="utf-8",
        )
    print(f"wrote {valid} and {len(CASES)} invalid cases in {invalid_dir}")


if __name__ == "__main__":
    main()
