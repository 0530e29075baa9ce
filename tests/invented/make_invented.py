# ruff: noqa: E501 - the invented texts are data, one per line
"""Writes tests/invented/invented-programmes.trig: two INVENTED programmes for the cross-programme tests.

    .venv/bin/python tests/invented/make_invented.py

Not real agreements (README.md): a successor of the shipped programme (test-invented-2027-2030) and its own
successor (test-invented-2031-2034), both between the shipped programme's parties, renewing two of its standing
mechanisms, with commitments written to be near or far from the shipped ones. Only parsed-programme and curated
triples are written; the derived graph (successors, similarities) is computed by the tests with the build's own
code (coopkg.reader.links), as `coopkg build` would.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
ID = "https://w3id.org/coopkg/id/"
COOP = "https://w3id.org/coopkg/def#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
TIME = "http://www.w3.org/2006/time#"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SDG = "http://metadata.un.org/sdg/"
SHIPPED = f"{ID}programme/cn-dk-green-2023-2026"
JETC = f"{ID}mechanism/cn-dk-joint-economic-trade-commission"
STC = f"{ID}mechanism/cn-dk-science-technology-joint-committee"

# slug -> (zh title, en title, begin, end, predecessor, areas, sections)
# areas: key -> (zh, en); sections: (zh heading, en heading, area key, commitments)
# commitments: (kind "item"/"prose", zh text, en text, frequency or None, standing mechanism or None, SDG targets)
PROGRAMMES = {
    "test-invented-2027-2030": (
        "测试用虚构中丹合作方案（2027－2030）",
        "Invented test programme, China–Denmark (2027–2030)",
        "2027",
        "2030",
        SHIPPED,
        {"1": ("经济关系", "Economic relations"), "2": ("城市与科技", "Cities, science and technology")},
        [
            (
                "经贸合作",
                "Trade and economic cooperation",
                "1",
                [
                    (
                        "item",
                        "继续定期举行双边经贸联委会。",
                        "Continue to hold the bilateral Joint Economic and Trade Commission regularly.",
                        "Regular",
                        JETC,
                        [],
                    ),
                    (
                        "item",
                        "加强在产品认证、税务和竞争领域的双边对话与协作。",
                        "Strengthen bilateral dialogue and coordination on product certification, taxation and competition.",
                        None,
                        None,
                        ["17.11"],
                    ),
                ],
            ),
            (
                "城市与科技",
                "Cities, science and technology",
                "2",
                [
                    (
                        "item",
                        "城市可持续发展，包括气候变化适应和海绵城市建设。",
                        "Sustainable urban development, including climate adaptation and building sponge cities.",
                        None,
                        None,
                        ["11.b", "13.1"],
                    ),
                    (
                        "prose",
                        "中国和丹麦将定期举行政府间科技合作联委会会议。",
                        "China and Denmark will regularly hold meetings of the intergovernmental Joint Committee on Scientific and Technological Cooperation.",
                        "Regular",
                        STC,
                        ["17.6"],
                    ),
                    (
                        "prose",
                        "双方将在极地科学考察领域开展交流。",
                        "The two sides will hold exchanges on polar scientific expeditions.",
                        None,
                        None,
                        [],
                    ),
                ],
            ),
        ],
    ),
    "test-invented-2031-2034": (
        "测试用虚构中丹合作方案（2031－2034）",
        "Invented test programme, China–Denmark (2031–2034)",
        "2031",
        "2034",
        f"{ID}programme/test-invented-2027-2030",
        {"1": ("经贸", "Trade and economy"), "2": ("公共卫生", "Public health")},
        [
            (
                "经贸",
                "Trade and economy",
                "1",
                [
                    (
                        "item",
                        "每年举行一次双边经贸联委会。",
                        "Hold the bilateral Joint Economic and Trade Commission once a year.",
                        "Annual",
                        JETC,
                        [],
                    ),
                    (
                        "prose",
                        "双方将在产品认证和税务领域加强双边对话。",
                        "The two sides will strengthen bilateral dialogue on product certification and taxation.",
                        None,
                        None,
                        ["17.11"],
                    ),
                ],
            ),
            (
                "公共卫生",
                "Public health",
                "2",
                [
                    (
                        "prose",
                        "双方将在公共卫生领域开展交流。",
                        "The two sides will hold exchanges on public health.",
                        None,
                        None,
                        ["3.d"],
                    )
                ],
            ),
        ],
    ),
}
NOTATIONS = "一二三四五六七八九十"


def main() -> None:
    quads: list[ox.Quad] = []

    def add(graph: str, s: str, p: str, o: str | ox.Literal) -> None:
        obj = ox.NamedNode(o) if isinstance(o, str) else o
        quads.append(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), obj, ox.NamedNode(graph)))

    def zh(text: str) -> ox.Literal:
        return ox.Literal(text, language="zh")

    def en(text: str) -> ox.Literal:
        return ox.Literal(text, language="en")

    def integer(value: int) -> ox.Literal:
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))

    curated = f"{ID}graph/curated"
    for slug, (title_zh, title_en, begin, end, predecessor, areas, sections) in PROGRAMMES.items():
        graph = f"{ID}graph/programme/{slug}"
        p = f"{ID}programme/{slug}"
        add(graph, p, RDF + "type", COOP + "Programme")
        add(graph, p, RDFS + "label", zh(title_zh))
        add(curated, p, RDFS + "label", en(title_en))
        for party in ("china", "denmark"):
            add(graph, p, COOP + "party", f"{ID}party/{party}")
        add(graph, p, COOP + "predecessor", predecessor)
        period = f"{p}/period"
        add(graph, p, COOP + "period", period)
        add(graph, period, RDF + "type", TIME + "Interval")
        for name, prop, year in (("beginning", "hasBeginning", begin), ("end", "hasEnd", end)):
            instant = f"{period}#{name}"
            add(graph, period, TIME + prop, instant)
            add(graph, instant, RDF + "type", TIME + "Instant")
            add(graph, instant, TIME + "inXSDgYear", ox.Literal(year, datatype=ox.NamedNode(XSD + "gYear")))
        scheme = f"{p}/areas"
        add(graph, scheme, RDF + "type", SKOS + "ConceptScheme")
        for key, (area_zh, area_en) in areas.items():
            area = f"{p}/area/{key}"
            add(graph, p, COOP + "priorityArea", area)
            add(graph, area, RDF + "type", COOP + "CooperationArea")
            add(graph, area, RDFS + "label", zh(area_zh))
            add(curated, area, RDFS + "label", en(area_en))
            add(graph, area, COOP + "isPriority", ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")))
            add(graph, area, COOP + "order", integer(int(key)))
            add(graph, area, SKOS + "inScheme", scheme)
        for number, (heading_zh, heading_en, area_key, commitments) in enumerate(sections, start=1):
            section = f"{p}/section/{number:02d}"
            area = f"{p}/area/{area_key}"
            add(graph, p, COOP + "hasSection", section)
            add(graph, section, RDF + "type", COOP + "Section")
            add(graph, section, RDFS + "label", zh(heading_zh))
            add(curated, section, RDFS + "label", en(heading_en))
            add(graph, section, COOP + "order", integer(number))
            add(graph, section, DCT + "isPartOf", p)
            add(graph, section, COOP + "area", area)
            counters = {"item": 0, "prose": 0}
            for order, (kind, text_zh, text_en, frequency, standing, targets) in enumerate(
                commitments, start=1
            ):
                counters[kind] += 1
                c = f"{section}/{kind}/{counters[kind]}"
                add(graph, c, RDF + "type", COOP + "Commitment")
                if frequency:
                    add(graph, c, RDF + "type", COOP + "Mechanism")
                    add(graph, c, COOP + "frequency", COOP + frequency)
                if standing:
                    add(curated, c, COOP + "standingMechanism", standing)
                add(graph, c, COOP + "text", zh(text_zh))
                add(graph, c, COOP + "order", integer(order))
                add(graph, c, COOP + "section", section)
                add(graph, c, COOP + "programme", p)
                add(graph, c, COOP + "area", area)
                if kind == "item":
                    add(graph, c, COOP + "notation", ox.Literal(f"（{NOTATIONS[counters[kind] - 1]}）"))
                    add(graph, c, COOP + "statedAs", COOP + "EnumeratedItem")
                else:
                    add(graph, c, COOP + "statedAs", COOP + "ProseStatement")
                rendering = f"{c}#en"
                add(curated, c, COOP + "translation", rendering)
                add(curated, rendering, RDF + "type", COOP + "Translation")
                add(curated, rendering, COOP + "translationOf", c)
                add(curated, rendering, RDF + "value", en(text_en))
                add(
                    curated,
                    rendering,
                    COOP + "official",
                    ox.Literal("false", datatype=ox.NamedNode(XSD + "boolean")),
                )
                add(curated, rendering, PROV + "wasAttributedTo", f"{ID}agent/coopkg")
                for target in targets:
                    alignment = f"{c}/alignment/sdg-{target}"
                    add(curated, c, COOP + "hasAlignment", alignment)
                    add(curated, alignment, RDF + "type", COOP + "Alignment")
                    add(curated, alignment, COOP + "alignedTo", SDG + target)
                    add(curated, alignment, COOP + "alignmentBasis", COOP + "CuratedJudgement")
                    add(curated, alignment, COOP + "rationale", en("Invented for the tests."))
                    add(curated, alignment, PROV + "wasAttributedTo", f"{ID}agent/coopkg")
    header = (
        "# INVENTED test programmes (tests/invented/README.md): not real agreements. Written by make_invented.py;\n"
        "# do not edit by hand.\n"
    )
    quads.sort(key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    prefixes = {"coop": COOP, "rdfs": RDFS, "dct": DCT, "skos": SKOS, "time": TIME, "prov": PROV, "xsd": XSD}
    body = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes)
    (HERE / "invented-programmes.trig").write_bytes(header.encode("utf-8") + body)
    print(f"wrote {HERE / 'invented-programmes.trig'} ({len(quads)} quads)")


if __name__ == "__main__":
    main()
