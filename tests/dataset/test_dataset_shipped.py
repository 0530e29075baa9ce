"""The shipped graph, loaded through coopkg.rdf.dataset, against the text and the design card.

Expected commitments come from the text: the enumerated items are the （一）-style lines found by a regex over
the raw file, the prose commitments are the design card's quotes (docs/design.md), each located in the source
here independently of the build.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from coopkg.rdf import dataset

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "data" / "sources" / "000_e060dfadf5293257.txt"
SLUG = "cn-dk-green-2023-2026"
PROGRAMME = f"https://w3id.org/coopkg/id/programme/{SLUG}"
PREFIXES = """
PREFIX coop: <https://w3id.org/coopkg/def#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX time: <http://www.w3.org/2006/time#>
"""

DESIGN = ROOT / "docs" / "design.md"


def design_table() -> dict[str, tuple[str, str]]:
    """IRI tail -> (normalised quote, notes) from the design card's commitment table."""
    rows = re.findall(
        r"(?m)^\| (\d\d/(?:prose|item)/\d+) \| (.+?) \|\s*(.*?)\s*\|$", DESIGN.read_text(encoding="utf-8")
    )
    return {iri: (quote, notes) for iri, quote, notes in rows}


PROSE = {iri: quote for iri, (quote, _) in design_table().items() if "/prose/" in iri}
MECHANISMS = {"03/prose/3": "Annual", "04/item/1": "Regular", "07/prose/4": "Regular", "08/prose/2": "Annual"}
ITEMS_PER_SECTION = {"04": 2, "05": 4, "06": 6, "07": 4, "09": 3, "10": 5, "12": 2}


def raw_source() -> str:
    with SOURCE.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{name: row[name].value for name in names if row[name] is not None} for row in result]


def local(iri: str) -> str:
    return iri.removeprefix(f"{PROGRAMME}/section/")


def raw_pattern(quote: str) -> re.Pattern[str]:
    """The quote as it may appear in the raw file: any PDF break (blank line or page-break space) or digit
    space may sit between two of its characters."""
    return re.compile(r"(?:\n\n|\n | )?".join(re.escape(char) for char in quote))


def test_all_named_graphs_are_loaded(shipped_store: ox.Store) -> None:
    graphs = {g.value for g in shipped_store.named_graphs()}
    assert graphs == {s.graph for s in dataset.shipped_graphs()}
    assert dataset.programme_graph(SLUG) in graphs


def test_the_design_table_was_read() -> None:
    assert len(PROSE) == 23
    mechanisms = {iri for iri, (_, notes) in design_table().items() if notes.startswith("Mechanism")}
    assert mechanisms == set(MECHANISMS)


def test_49_commitments_26_items_23_prose(shipped_store: ox.Store) -> None:
    rows = select(shipped_store, "SELECT ?c ?form WHERE { ?c a coop:Commitment ; coop:statedAs ?form }")
    items = sorted(local(r["c"]) for r in rows if r["form"].endswith("EnumeratedItem"))
    prose = sorted(local(r["c"]) for r in rows if r["form"].endswith("ProseStatement"))
    assert len(rows) == 49
    assert prose == sorted(PROSE)
    expected_items = sorted(
        f"{s}/item/{k}" for s, count in ITEMS_PER_SECTION.items() for k in range(1, count + 1)
    )
    assert items == expected_items


def test_each_item_line_of_the_text_is_exactly_one_commitment(shipped_store: ox.Store) -> None:
    raw = raw_source()
    line_starts = [m.start(1) for m in re.finditer(r"(?m)^ ?(（[一二三四五六七八九十]+）)", raw)]
    rows = select(
        shipped_store,
        "SELECT ?c ?start ?text ?notation WHERE { ?c coop:statedAs coop:EnumeratedItem ; coop:text ?text ; "
        "coop:notation ?notation ; coop:source/oa:hasSelector/oa:start ?start }",
    )
    assert sorted(int(r["start"]) for r in rows) == line_starts
    for row in rows:
        # the item's text, verbatim, follows its mark in the file (PDF breaks aside)
        assert raw_pattern(row["notation"] + row["text"]).match(raw, int(row["start"]))


def test_each_prose_quote_is_verbatim_and_found_once(shipped_store: ox.Store) -> None:
    raw = raw_source()
    rows = select(
        shipped_store,
        "SELECT ?c ?text ?start WHERE { ?c coop:statedAs coop:ProseStatement ; coop:text ?text ; "
        "coop:source/oa:hasSelector/oa:start ?start }",
    )
    assert len(rows) == len(PROSE)
    for row in rows:
        quote = PROSE[local(row["c"])]
        assert row["text"] == quote
        hits = [m.start() for m in raw_pattern(quote).finditer(raw)]
        assert hits == [int(row["start"])], f"{quote} should occur once, at the selector's start"


def test_every_selector_quote_equals_its_slice(shipped_store: ox.Store) -> None:
    raw = raw_source()
    rows = select(
        shipped_store,
        "SELECT ?x ?start ?end ?exact ?doc WHERE { ?x coop:source ?s . ?s oa:hasSource ?doc ; "
        "oa:hasSelector ?p , ?q . ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact }",
    )
    sourced = select(shipped_store, "SELECT DISTINCT ?x WHERE { ?x coop:source ?s }")
    assert len(rows) == len(sourced) > 49
    for row in rows:
        start, end = int(row["start"]), int(row["end"])
        assert 0 <= start < end <= len(raw)
        assert raw[start:end] == row["exact"]
        assert row["doc"] == f"{PROGRAMME}/source"


def test_source_document_digest_matches_the_file(shipped_store: ox.Store) -> None:
    import hashlib

    rows = select(shipped_store, f"SELECT ?h WHERE {{ <{PROGRAMME}/source> coop:sha256 ?h }}")
    assert rows == [{"h": hashlib.sha256(SOURCE.read_bytes()).hexdigest()}]


def test_mechanisms_and_frequencies(shipped_store: ox.Store) -> None:
    rows = select(
        shipped_store, "SELECT ?c ?f WHERE { ?c a coop:Mechanism , coop:Commitment ; coop:frequency ?f }"
    )
    assert {local(r["c"]): r["f"].rsplit("#", 1)[1] for r in rows} == MECHANISMS


def test_areas_and_section_map(shipped_store: ox.Store) -> None:
    rows = select(
        shipped_store,
        "SELECT ?a ?label ?p WHERE { ?a a coop:CooperationArea ; coop:isPriority ?p ; rdfs:label ?label "
        "FILTER(lang(?label) = 'zh') }",
    )
    areas = {r["a"].removeprefix(f"{PROGRAMME}/area/"): (r["label"], r["p"]) for r in rows}
    assert areas == {
        "1": ("气候和能源", "true"),
        "2": ("环境和水资源", "true"),
        "3": ("绿色航运和绿色海事技术", "true"),
        "4": ("改善粮食和农业质量和可持续性", "true"),
        "5": ("改善公共卫生", "true"),
        "6": ("加强经济关系", "true"),
        "7": ("科学和技术", "true"),
        "general": ("总体合作", "false"),
        "high-level-dialogue": ("加强高层对话", "false"),
        "ip": ("知识产权", "false"),
        "tourism": ("旅游", "false"),
    }
    rows = select(shipped_store, "SELECT ?c ?a WHERE { ?c a coop:Commitment ; coop:area ?a }")
    assert len(rows) == 49  # every commitment has exactly one area: the one of its section
    by_commitment = {local(r["c"]): r["a"].rsplit("/", 1)[1] for r in rows}
    assert by_commitment["10/item/3"] == "4"
    assert by_commitment["08/prose/2"] == "ip"


def test_programme_facts(shipped_store: ox.Store) -> None:
    rows = select(
        shipped_store,
        f"SELECT ?b ?e ?pred WHERE {{ <{PROGRAMME}> coop:period ?p ; coop:predecessor ?pred . "
        "?p time:hasBeginning/time:inXSDgYear ?b ; time:hasEnd/time:inXSDgYear ?e }",
    )
    assert rows == [
        {"b": "2023", "e": "2026", "pred": "https://w3id.org/coopkg/id/programme/cn-dk-2017-2020"}
    ]
    sections = select(shipped_store, f"SELECT ?s WHERE {{ <{PROGRAMME}> coop:hasSection ?s }}")
    assert len(sections) == 12


def test_void_counts_equal_the_loaded_graphs(shipped_store: ox.Store) -> None:
    rows = select(
        shipped_store,
        "SELECT ?g ?n WHERE { GRAPH <https://w3id.org/coopkg/id/graph/meta> { ?g void:triples ?n } }",
    )
    counts = {r["g"]: int(r["n"]) for r in rows}
    graphs = list(dict.fromkeys(s.graph for s in dataset.shipped_graphs() if s.graph != dataset.GRAPH_META))
    for graph in graphs:
        loaded = len(list(shipped_store.quads_for_pattern(None, None, None, ox.NamedNode(graph))))
        assert counts[graph] == loaded, graph
    assert counts["https://w3id.org/coopkg/id/dataset/coopkg"] == sum(counts[g] for g in graphs)


@pytest.mark.parametrize("graph", [dataset.GRAPH_ONTOLOGY, dataset.GRAPH_SDG, dataset.GRAPH_CURATED])
def test_each_graph_is_not_empty(shipped_store: ox.Store, graph: str) -> None:
    assert (
        next(iter(shipped_store.quads_for_pattern(None, None, None, ox.NamedNode(graph))), None) is not None
    )
