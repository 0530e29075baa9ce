"""Deterministic generator of synthetic programmes shaped like the real one (docs/design.md), for benchmarks.

    .venv/bin/python bench/generate.py --triples 1M --seed 1 --out bench/out/data/1M.nq [--sources-dir DIR]

Writes N-Quads (named graphs as in docs/design.md) or N-Triples (`--format nt`, everything in the default
graph), streaming one programme at a time, so 10M triples need a few MB of memory, not GBs. The output holds:
the SDG KOS and ontologies (`id:graph/sdg`), the OWL ontology if present (`id:graph/ontology`), one graph per
synthetic programme, the curated graph (English renderings, SDG alignments to REAL target IRIs of the KOS,
reference entities) and a VoID description (`id:graph/meta`) that says the data is synthetic.

Each programme has a generated Chinese source text; every oa:TextPositionSelector/oa:TextQuoteSelector
pair is consistent with it (`oa:exact == text[start:end]`, code points, end exclusive). The text is wrapped
like the PDF extraction of the real source (lines joined by a blank line), so `oa:exact` keeps line breaks
while `coop:text` is the normalised sentence. `--sources-dir` writes those texts out.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vocab  # a sibling module: bench/ is a folder of scripts, not a package

ROOT = Path(__file__).resolve().parent.parent
SDG_FILES = (ROOT / "data/sdg/sdg-kos-goals-targets-indicators.ttl", ROOT / "data/sdg/sdgs-ontology.ttl")
ONTOLOGY_FILE = ROOT / "ontology/coopkg.ttl"

COOP = "https://w3id.org/coopkg/def#"
ID = "https://w3id.org/coopkg/id/"
SDG = "http://metadata.un.org/sdg/"
SDGO = "http://metadata.un.org/sdg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
TIME = "http://www.w3.org/2006/time#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
ORG = "http://www.w3.org/ns/org#"

A = f"<{RDF}type>"
LABEL = f"<{RDFS}label>"
WRAP = 40  # code points per line of the simulated PDF extraction
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}


def parse_size(text: str) -> int:
    if text in SIZES:
        return SIZES[text]
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: use one of {', '.join(SIZES)} or a number of triples"
        ) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: the number of triples must be positive")
    return value


def esc(text: str) -> str:
    """N-Triples string escaping (UTF-8 output, so CJK characters stay as they are)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def zh(text: str) -> str:
    return f'"{esc(text)}"@zh'


def en(text: str) -> str:
    return f'"{esc(text)}"@en'


def integer(value: int, datatype: str = "integer") -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


class Writer:
    """Buffers N-Quads/N-Triples lines and counts them; `graph` is the current named graph."""

    def __init__(self, out: TextIO, quads: bool) -> None:
        self.out = out
        self.quads = quads
        self.count = 0
        self.graph = ""
        self._buffer: list[str] = []

    def t(self, s: str, p: str, o: str) -> None:
        if self.quads:
            self._buffer.append(f"{s} {p} {o} {self.graph} .\n")
        else:
            self._buffer.append(f"{s} {p} {o} .\n")
        self.count += 1
        if len(self._buffer) >= 20_000:
            self.flush()

    def flush(self) -> None:
        self.out.write("".join(self._buffer))
        self._buffer.clear()


class SourceText:
    """A programme's source text built block by block (heading, paragraph, item), PDF-wrapped."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.length = 0  # code points so far

    def add(self, normalised: str) -> tuple[int, str]:
        """Append a block; return its raw start offset and raw text."""
        if self.blocks:
            self.blocks.append("\n\n")
            self.length += 2
        start = self.length
        raw = "\n\n".join(normalised[i : i + WRAP] for i in range(0, len(normalised), WRAP))
        self.blocks.append(raw)
        self.length += len(raw)
        return start, raw

    @staticmethod
    def span(block_start: int, raw: str, start: int, end: int) -> tuple[int, int, str]:
        """Raw (start, end, exact) of the normalised slice [start, end) of a block.

        Normalised code point i sits at raw offset i + 2 * (i // WRAP): each wrap adds two line breaks.
        """
        raw_start = start + 2 * (start // WRAP)
        raw_end = end - 1 + 2 * ((end - 1) // WRAP) + 1
        return block_start + raw_start, block_start + raw_end, raw[raw_start:raw_end]

    def text(self) -> str:
        return "".join(self.blocks)


def load_sdg_targets() -> dict[str, str]:
    """Target notation (e.g. '6.3') -> IRI, for every sdgo:Target in the official KOS."""
    targets: dict[str, str] = {}
    for triple in ox.parse(path=str(SDG_FILES[0]), format=ox.RdfFormat.TURTLE):
        if triple.predicate.value == f"{RDF}type" and triple.object.value == f"{SDGO}Target":
            iri = triple.subject.value
            targets[iri.removeprefix(SDG)] = iri
    return targets


def copy_graph(writer: Writer, path: Path, graph: str) -> None:
    """Stream an RDF file into the output under `graph`."""
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    if fmt is None:
        raise SystemExit(f"error: cannot tell the RDF format of {path} from its extension")
    writer.graph = graph
    labels: dict[str, str] = {}  # the parser's random blank-node ids -> stable ones (same seed, same bytes)

    def term(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
        if isinstance(node, ox.BlankNode):
            return labels.setdefault(node.value, f"_:{path.stem.replace('-', '_')}_{len(labels)}")
        return str(node)

    for triple in ox.parse(path=str(path), format=fmt):
        writer.t(term(triple.subject), str(triple.predicate), term(triple.object))


@dataclass
class Ctx:
    """Everything a programme's generation needs, plus the curated-graph lines it produces."""

    rng: random.Random
    writer: Writer
    targets: dict[str, str]
    curated: list[tuple[str, str, str]] = field(default_factory=list)


def provenance(ctx: Ctx, subject: str, doc: str, start: int, end: int, exact: str) -> None:
    w = ctx.writer
    base = subject[1:-1]
    src, pos, quote = f"<{base}#source>", f"<{base}#position>", f"<{base}#quote>"
    w.t(subject, f"<{COOP}source>", src)
    w.t(src, A, f"<{OA}SpecificResource>")
    w.t(src, f"<{OA}hasSource>", doc)
    w.t(src, f"<{OA}hasSelector>", pos)
    w.t(src, f"<{OA}hasSelector>", quote)
    w.t(pos, A, f"<{OA}TextPositionSelector>")
    w.t(pos, f"<{OA}start>", integer(start, "nonNegativeInteger"))
    w.t(pos, f"<{OA}end>", integer(end, "nonNegativeInteger"))
    w.t(quote, A, f"<{OA}TextQuoteSelector>")
    w.t(quote, f"<{OA}exact>", f'"{esc(exact)}"')


def translation_and_alignments(ctx: Ctx, commitment: str, english: str, topic: vocab.Topic) -> None:
    """Curated-graph lines for one commitment: its English rendering and 1-2 SDG alignments."""
    base = commitment[1:-1]
    tr = f"<{base}#en>"
    c = ctx.curated
    c += [
        (commitment, f"<{COOP}translation>", tr),
        (tr, A, f"<{COOP}Translation>"),
        (tr, f"<{COOP}translationOf>", commitment),
        (tr, f"<{RDF}value>", en(english)),
        (tr, f"<{PROV}wasAttributedTo>", f"<{ID}agent/coopkg>"),
        (tr, f"<{COOP}official>", '"false"^^<http://www.w3.org/2001/XMLSchema#boolean>'),
    ]
    available = [t for t in topic.targets if t in ctx.targets]
    for notation in ctx.rng.sample(available, k=min(len(available), ctx.rng.choice((1, 1, 2)))):
        al = f"<{base}/alignment/sdg-{notation}>"
        c += [
            (commitment, f"<{COOP}hasAlignment>", al),
            (al, A, f"<{COOP}Alignment>"),
            (al, f"<{COOP}alignedTo>", f"<{ctx.targets[notation]}>"),
            (al, f"<{COOP}alignmentBasis>", f"<{COOP}CuratedJudgement>"),
            (
                al,
                f"<{COOP}rationale>",
                en(
                    f"Synthetic benchmark alignment: the commitment concerns {topic.en}, "
                    f"which SDG target {notation} addresses."
                ),
            ),
            (al, f"<{PROV}wasAttributedTo>", f"<{ID}agent/coopkg>"),
        ]


def reference(ctx: Ctx) -> None:
    """Parties, frameworks, agencies, actor types and our agent, once, in the curated graph."""
    w = ctx.writer
    w.graph = f"<{ID}graph/curated>"
    for partner in (vocab.CHINA, *vocab.PARTNERS):
        s = f"<{ID}party/{partner.slug}>"
        w.t(s, A, f"<{COOP}Party>")
        w.t(s, LABEL, zh(partner.zh_common))
        w.t(s, LABEL, en(short_en(partner)))
        w.t(s, f"<{SKOS}altLabel>", zh(partner.zh))
        w.t(s, f"<{SKOS}altLabel>", en(partner.en))
        if partner.wikidata:
            w.t(s, f"<{SKOS}exactMatch>", f"<http://www.wikidata.org/entity/{partner.wikidata}>")
    for slug, name_zh, name_en in vocab.FRAMEWORKS:
        s = f"<{ID}framework/{slug}>"
        w.t(s, A, f"<{COOP}Framework>")
        w.t(s, LABEL, zh(name_zh))
        w.t(s, LABEL, en(name_en))
    for article in vocab.PARIS_ARTICLES:
        s = f"<{ID}framework/paris-agreement/article/{article}>"
        w.t(s, A, f"<{COOP}Framework>")
        w.t(s, f"<{DCT}isPartOf>", f"<{ID}framework/paris-agreement>")
        w.t(s, LABEL, zh(f"《巴黎协定》第{article}条"))
        w.t(s, LABEL, en(f"Paris Agreement, Article {article}"))
    for partner in vocab.PARTNERS:
        s = f"<{ID}framework/cn-{partner.code}-csp>"
        w.t(s, A, f"<{COOP}Framework>")
        w.t(s, LABEL, zh(f"中{partner.zh_short}关于建立全面战略伙伴关系的联合声明"))
        w.t(
            s,
            LABEL,
            en(f"Joint statement of China and {short_en(partner)} on a comprehensive strategic partnership"),
        )
    for slug, name_zh, name_en in vocab.AGENCIES:
        s = f"<{ID}agency/{slug}>"
        w.t(s, A, f"<{COOP}Agency>")
        w.t(s, LABEL, zh(name_zh))
        w.t(s, LABEL, en(name_en))
    for slug, name_zh, name_en in vocab.ACTOR_TYPES:
        s = f"<{ID}actor-type/{slug}>"
        w.t(s, A, f"<{COOP}ActorType>")
        w.t(s, LABEL, zh(name_zh))
        w.t(s, LABEL, en(name_en))
    agent = f"<{ID}agent/coopkg>"
    w.t(agent, A, f"<{PROV}SoftwareAgent>")
    w.t(agent, LABEL, zh("coopkg 项目"))
    w.t(agent, LABEL, en("the coopkg project"))


def short_en(partner: vocab.Partner) -> str:
    return partner.slug.replace("-", " ").title()


@dataclass
class Sentence:
    zh: str
    en: str
    commitment: bool
    frequency: str | None = None
    frameworks: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()


class Programme:
    """One synthetic programme: writes its graph, queues its curated lines, keeps its source text."""

    def __init__(
        self, ctx: Ctx, index: int, predecessor: str | None, partner: vocab.Partner, year: int
    ) -> None:
        self.ctx, self.w, self.rng = ctx, ctx.writer, ctx.rng
        self.partner = partner
        self.slug = f"synth-{partner.code}-{index:06d}"
        self.iri = f"{ID}programme/{self.slug}"
        self.doc = f"<{self.iri}/source>"
        self.predecessor = predecessor
        self.years = (year, year + 3)
        self.title_zh = f"中{partner.zh_short}绿色联合工作方案（{year}－{year + 3}）"
        self.title_en = f"China–{short_en(partner)} Green Joint Work Programme ({year}–{year + 3})"
        self.source = SourceText()
        self.topics = self.rng.sample(vocab.TOPICS, k=self.rng.randint(4, 7))
        self.parties_zh = f"中国和{partner.zh_common}"
        self.parties_en = f"China and {short_en(partner)}"

    def curate(self, s: str, p: str, o: str) -> None:
        self.ctx.curated.append((s, p, o))

    def write(self) -> None:
        w, p = self.w, f"<{self.iri}>"
        w.graph = f"<{ID}graph/programme/{self.slug}>"
        w.t(p, A, f"<{COOP}Programme>")
        w.t(p, LABEL, zh(self.title_zh))
        self.curate(p, LABEL, en(self.title_en))
        self.curate(
            p,
            f"<{RDFS}comment>",
            en(
                f"Synthetic benchmark programme made by bench/generate.py "
                f"(seed-determined); {self.title_en} does not exist."
            ),
        )
        for party in (vocab.CHINA, self.partner):
            w.t(p, f"<{COOP}party>", f"<{ID}party/{party.slug}>")
        self.period(p)
        if self.predecessor:
            w.t(p, f"<{COOP}predecessor>", f"<{ID}programme/{self.predecessor}>")
        w.t(p, f"<{COOP}basis>", f"<{ID}framework/cn-{self.partner.code}-csp>")
        for slug, _, _ in vocab.ACTOR_TYPES:
            w.t(p, f"<{COOP}involvesActorType>", f"<{ID}actor-type/{slug}>")
        w.t(p, f"<{COOP}sourceDocument>", self.doc)
        self.areas(p)
        self.background(p)
        self.preamble(p)
        for n, topic in enumerate(self.topics, start=1):
            self.topic_section(p, 2 + n, n, topic)
        # Written last: the digest is of the finished text.
        w.t(self.doc, A, f"<{COOP}SourceDocument>")
        w.t(self.doc, f"<{DCT}format>", '"text/plain"')
        w.t(self.doc, f"<{DCT}language>", '"zh"')
        w.t(self.doc, f"<{COOP}sourceFile>", f'"sources/{self.slug}.txt"')
        digest = hashlib.sha256(self.source.text().encode("utf-8")).hexdigest()
        w.t(self.doc, f"<{COOP}sha256>", f'"{digest}"')
        w.t(self.doc, LABEL, zh(f"《{self.title_zh}》原文"))
        self.curate(self.doc, LABEL, en(f"Source text of the {self.title_en}"))

    def period(self, p: str) -> None:
        w, period = self.w, f"<{self.iri}/period>"
        w.t(p, f"<{COOP}period>", period)
        w.t(period, A, f"<{TIME}Interval>")
        for end, year in (("beginning", self.years[0]), ("end", self.years[1])):
            instant = f"<{self.iri}/period#{end}>"
            w.t(period, f"<{TIME}has{end.title()}>", instant)
            w.t(instant, A, f"<{TIME}Instant>")
            w.t(instant, f"<{TIME}inXSDgYear>", f'"{year}"^^<{XSD}gYear>')

    def areas(self, p: str) -> None:
        w, scheme = self.w, f"<{self.iri}/areas>"
        w.t(scheme, A, f"<{SKOS}ConceptScheme>")
        w.t(scheme, LABEL, zh(f"《{self.title_zh}》合作领域"))
        self.curate(scheme, LABEL, en(f"Cooperation areas of the {self.title_en}"))
        entries = [(str(n), t.zh, t.en, True) for n, t in enumerate(self.topics, start=1)]
        for key, name_zh, name_en, priority in [
            *entries,
            ("general", "总体合作", "general cooperation", False),
        ]:
            area = f"<{self.iri}/area/{key}>"
            if priority:
                w.t(p, f"<{COOP}priorityArea>", area)
            w.t(area, A, f"<{COOP}CooperationArea>")
            w.t(area, A, f"<{SKOS}Concept>")
            w.t(area, f"<{SKOS}inScheme>", scheme)
            w.t(area, f"<{SKOS}topConceptOf>", scheme)
            w.t(scheme, f"<{SKOS}hasTopConcept>", area)
            if priority:
                w.t(area, f"<{COOP}notation>", f'"{key}）"')  # as numbered in the preamble's list
            w.t(area, LABEL, zh(name_zh))
            w.t(area, f"<{COOP}isPriority>", f'"{str(priority).lower()}"^^<{XSD}boolean>')
            self.curate(area, LABEL, en(name_en))

    def section_head(self, p: str, order: int, heading_zh: str, heading_en: str, area: str | None) -> str:
        w, sec = self.w, f"<{self.iri}/section/{order:02d}>"
        w.t(p, f"<{COOP}hasSection>", sec)
        w.t(sec, A, f"<{COOP}Section>")
        w.t(sec, LABEL, zh(heading_zh))
        self.curate(sec, LABEL, en(heading_en))
        w.t(sec, f"<{COOP}order>", integer(order))
        w.t(sec, f"<{DCT}isPartOf>", p)
        if area:
            w.t(sec, f"<{COOP}area>", f"<{self.iri}/area/{area}>")
        start, raw = self.source.add(heading_zh)
        provenance(self.ctx, sec, self.doc, *self.source.span(start, raw, 0, len(heading_zh)))
        return sec

    def background(self, p: str) -> None:
        sec = self.section_head(p, 1, "背景", "Background", None)
        topic = self.topics[0]
        facts = [
            Sentence(f.format(p=self.parties_zh, t=topic.zh, s=topic.subjects[0][0]), "", False)
            for f in vocab.FACTS
        ]
        self.paragraph(sec, 1, facts, area=None, topic=topic, counter=[0])

    def preamble(self, p: str) -> None:
        sec = self.section_head(p, 2, f"《{self.title_zh}》", self.title_en, "general")
        fw = self.rng.sample(vocab.FRAMEWORKS[:3], k=2)
        listing = "；".join(f"{n}）{t.zh}" for n, t in enumerate(self.topics, start=1))
        sentences = [
            Sentence(
                f"双方同意实施《{self.title_zh}》，推动两国各领域互利合作。",
                f"The two sides agree to implement the {self.title_en} and promote mutually beneficial "
                "cooperation in all fields.",
                True,
            ),
            Sentence(
                f"这包括落实《{fw[0][1]}》和《{fw[1][1]}》。",
                f"This includes implementing the {fw[0][2]} and the {fw[1][2]}.",
                True,
                frameworks=(fw[0][0], fw[1][0]),
            ),
            Sentence(f"重点合作领域如下：{listing}。", "", False),
            Sentence(
                "上述合作领域的交流旨在促进双方政府机构、商业代表、利益相关组织和学术界等参与的对话和联合项目。",
                "Exchanges in these areas aim to promote dialogue and joint projects involving government "
                "agencies, business representatives, stakeholder organisations and academia of both sides.",
                True,
            ),
        ]
        self.paragraph(sec, 1, sentences, area="general", topic=self.topics[0], counter=[0])

    def topic_sentence(self, topic: vocab.Topic) -> Sentence:
        rng = self.rng
        s_zh, s_en = rng.choice(topic.subjects)
        roll = rng.random()
        if roll < 0.15:
            slug, a_zh, a_en = rng.choice(vocab.AGENCIES)
            return Sentence(
                f"双方将在{a_zh}框架下加强{s_zh}方面的合作。",
                f"The two sides will strengthen cooperation on {s_en} within the framework of the {a_en}.",
                True,
                agencies=(slug,),
            )
        if roll < 0.25:
            slug, f_zh, f_en = rng.choice(vocab.FRAMEWORKS)
            return Sentence(
                f"双方将围绕{s_zh}共同落实《{f_zh}》。",
                f"The two sides will jointly implement the {f_en} as regards {s_en}.",
                True,
                frameworks=(slug,),
            )
        if roll < 0.45:
            return Sentence(rng.choice(vocab.FACTS).format(p=self.parties_zh, t=topic.zh, s=s_zh), "", False)
        t_zh, t_en, freq = rng.choice(vocab.PROSE)
        return Sentence(
            t_zh.format(p=self.parties_zh, s=s_zh, t=topic.zh),
            t_en.format(P=self.parties_en, s=s_en, t=topic.en),
            True,
            frequency=freq,
        )

    def topic_section(self, p: str, order: int, area_n: int, topic: vocab.Topic) -> None:
        rng = self.rng
        sec = self.section_head(
            p,
            order,
            f"{topic.zh}：{topic.heading_zh}",
            f"{topic.en.capitalize()}: {topic.heading_en}",
            str(area_n),
        )
        counter = [0]  # commitment order within the section, items and prose together
        n_paragraphs = rng.randint(1, 3)
        for k in range(1, n_paragraphs + 1):
            sentences = [self.topic_sentence(topic) for _ in range(rng.randint(2, 5))]
            self.paragraph(sec, k, sentences, area=str(area_n), topic=topic, counter=counter)
        if rng.random() < 0.6:
            chapeau_text = f"根据《{self.title_zh}》，{self.parties_zh}将："
            chapeau = self.paragraph(
                sec,
                n_paragraphs + 1,
                [Sentence(chapeau_text, "", False)],
                area=str(area_n),
                topic=topic,
                counter=counter,
            )
            for i in range(1, rng.randint(2, 6) + 1):
                s_zh, s_en = rng.choice(topic.subjects)
                t_zh, t_en = rng.choice(vocab.ITEMS)
                body = t_zh.format(s=s_zh)
                notation = f"（{vocab.CN_NUMERALS[i - 1]}）"
                start, raw = self.source.add(notation + body)
                counter[0] += 1
                c = f"<{self.iri}/section/{order:02d}/item/{i}>"
                self.commitment(
                    c,
                    sec,
                    Sentence(body, t_en.format(s=s_en), True),
                    str(area_n),
                    topic,
                    counter[0],
                    self.source.span(start, raw, 0, len(notation) + len(body)),
                )
                self.w.t(c, f"<{COOP}notation>", f'"{notation}"')
                self.w.t(c, f"<{COOP}chapeau>", chapeau)

    def paragraph(
        self,
        sec: str,
        k: int,
        sentences: list[Sentence],
        *,
        area: str | None,
        topic: vocab.Topic,
        counter: list[int],
    ) -> str:
        w, para = self.w, f"<{sec[1:-1]}/paragraph/{k}>"
        text = "".join(s.zh for s in sentences)
        w.t(sec, f"<{COOP}hasParagraph>", para)
        w.t(para, A, f"<{COOP}Paragraph>")
        w.t(para, f"<{COOP}order>", integer(k))
        w.t(para, f"<{COOP}text>", zh(text))
        start, raw = self.source.add(text)
        provenance(self.ctx, para, self.doc, *self.source.span(start, raw, 0, len(text)))
        offset = 0
        for sentence in sentences:
            if sentence.commitment and area is not None:
                counter[0] += 1
                c = f"<{sec[1:-1]}/prose/{counter[0]}>"
                span = self.source.span(start, raw, offset, offset + len(sentence.zh))
                self.commitment(c, sec, sentence, area, topic, counter[0], span)
            offset += len(sentence.zh)
        return para

    def commitment(
        self,
        c: str,
        sec: str,
        sentence: Sentence,
        area: str,
        topic: vocab.Topic,
        order: int,
        span: tuple[int, int, str],
    ) -> None:
        w = self.w
        w.t(c, A, f"<{COOP}Commitment>")
        if sentence.frequency:
            w.t(c, A, f"<{COOP}Mechanism>")
            w.t(c, f"<{COOP}frequency>", f"<{COOP}{sentence.frequency}>")
        w.t(c, f"<{COOP}order>", integer(order))
        w.t(c, f"<{COOP}text>", zh(sentence.zh))
        kind = "EnumeratedItem" if "/item/" in c else "ProseStatement"
        w.t(c, f"<{COOP}statedAs>", f"<{COOP}{kind}>")
        w.t(c, f"<{COOP}section>", sec)
        w.t(c, f"<{COOP}programme>", f"<{self.iri}>")
        w.t(c, f"<{COOP}area>", f"<{self.iri}/area/{area}>")
        for slug in sentence.frameworks:
            w.t(c, f"<{COOP}citesFramework>", f"<{ID}framework/{slug}>")
        for slug in sentence.agencies:
            w.t(c, f"<{COOP}involvesAgency>", f"<{ID}agency/{slug}>")
        provenance(self.ctx, c, self.doc, *span)
        translation_and_alignments(self.ctx, c, sentence.en, topic)


def generate(
    out: TextIO, *, triples: int, seed: int, quads: bool, shipped: bool, sources_dir: Path | None
) -> Iterator[str]:
    """Write the dataset; yield each programme slug as it is done (callers may report progress)."""
    writer = Writer(out, quads)
    if sources_dir is not None:
        sources_dir.mkdir(parents=True, exist_ok=True)
    ctx = Ctx(random.Random(seed), writer, load_sdg_targets())
    if shipped:
        for path in SDG_FILES:
            copy_graph(writer, path, f"<{ID}graph/sdg>")
        if ONTOLOGY_FILE.exists():
            copy_graph(writer, ONTOLOGY_FILE, f"<{ID}graph/ontology>")
    reference(ctx)
    last: dict[str, tuple[str, int]] = {}  # partner code -> (slug, start year) of its latest programme
    index = 0
    while writer.count < triples - 12:  # 12: the VoID description written last
        index += 1
        partner = ctx.rng.choice(vocab.PARTNERS)
        previous = last.get(partner.code)
        year = previous[1] + 4 if previous else ctx.rng.randrange(2000, 2030)
        programme = Programme(ctx, index, previous[0] if previous else None, partner, year)
        programme.write()
        last[partner.code] = (programme.slug, year)
        writer.graph = f"<{ID}graph/curated>"
        for s, p, o in ctx.curated:
            writer.t(s, p, o)
        ctx.curated.clear()
        if previous:  # what `coopkg build` derives: the inverse of coop:predecessor (id:graph/derived)
            writer.graph = f"<{ID}graph/derived>"
            writer.t(
                f"<{ID}programme/{previous[0]}>", f"<{COOP}successor>", f"<{ID}programme/{programme.slug}>"
            )
        if sources_dir is not None:
            (sources_dir / f"{programme.slug}.txt").write_text(programme.source.text(), encoding="utf-8")
        yield programme.slug
    meta(writer, seed, index)
    writer.flush()


def meta(writer: Writer, seed: int, programmes: int) -> None:
    writer.graph = f"<{ID}graph/meta>"
    d = f"<{ID}dataset>"
    writer.t(d, A, f"<{VOID}Dataset>")
    writer.t(d, f"<{DCT}title>", zh("coopkg 合成基准数据"))
    writer.t(d, f"<{DCT}title>", en("coopkg synthetic benchmark data"))
    writer.t(
        d,
        f"<{DCT}description>",
        en(
            f"{programmes} synthetic programmes generated by bench/generate.py with "
            f"seed {seed}. Not real commitments: for performance measurement only."
        ),
    )
    writer.t(d, f"<{PROV}wasAttributedTo>", f"<{ID}agent/coopkg>")
    writer.t(d, f"<{VOID}triples>", integer(writer.count + 1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--triples", type=parse_size, default=SIZES["10k"], help="10k, 100k, 1M, 10M or a number"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="output file (.nq or .nt)")
    parser.add_argument("--format", choices=("nq", "nt"), help="default: from --out's extension")
    parser.add_argument("--no-shipped", action="store_true", help="leave out the SDG KOS and the ontology")
    parser.add_argument("--sources-dir", type=Path, help="also write each programme's source text here")
    args = parser.parse_args(argv)
    fmt = args.format or args.out.suffix.lstrip(".")
    if fmt not in ("nq", "nt"):
        parser.error(f"cannot tell the format from {args.out.name!r}: name it .nq or .nt, or pass --format")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    tmp = args.out.with_name(args.out.name + ".partial")  # never leave a truncated file under the real name
    with tmp.open("w", encoding="utf-8", buffering=1 << 20) as out:
        programmes = sum(
            1
            for _ in generate(
                out,
                triples=args.triples,
                seed=args.seed,
                quads=fmt == "nq",
                shipped=not args.no_shipped,
                sources_dir=args.sources_dir,
            )
        )
    tmp.replace(args.out)
    print(f"{args.out}: {programmes} programmes in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
