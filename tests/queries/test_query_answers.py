"""Every named query answers, on the shipped graph, what the source text says.

Expected answers come from the source text (data/sources/000_e060dfadf5293257.txt) and docs/design.md (its
tables of sections, areas and prose commitments), and for SDG questions from the curated alignment file read
independently with rdflib — never from the queries' own output.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from query_test_ids import DEMO, PROGRAMME, SDG, SOURCE_FILE, area, commitment, framework
from test_query_crossprogramme import EVERY_COLUMN_ACROSS_PROGRAMMES

from coopkg import resources
from coopkg.queries.registry import QueryRegistry
from coopkg.queries.run import run

XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

# docs/design.md: section number -> (heading verbatim, area key or None)
SECTIONS = {
    1: ("背景", None),
    2: ("《中丹绿色联合工作方案（2023－2026）》", "general"),
    3: ("加强高层对话", "high-level-dialogue"),
    4: ("贸易：加强经济关系", "6"),
    5: ("气候和能源：为气候共同努力", "1"),
    6: ("环境和水资源：确保水资源质量和生态系统功能", "2"),
    7: ("研究、创新与高等教育：助力绿色转型", "7"),
    8: ("知识产权：加强知识产权合作", "ip"),
    9: ("海事：绿色航运和绿色海事技术合作", "3"),
    10: ("粮食和农业：提升质量和可持续性", "4"),
    11: ("旅游：可持续发展", "tourism"),
    12: ("健康：人人享有", "5"),
}
# docs/design.md: the prose commitments (normalised quotes), by section, in document order.
PROSE = {
    2: [
        "双方愿共同推动重振全球发展伙伴关系，采取务实高效行动，推动实现更加强劲、绿色、健康的全球发展，"
        "为实现《联合国2030年可持续发展议程》各项可持续发展目标作出应有贡献。",
        "双方同意实施《中丹绿色联合工作方案（2023－2026）》，在承认《世界人权宣言》和联合国宪章义务的基础上，"
        "推动两国各领域互利合作。",
        "这包括落实《联合国2030年可持续发展议程》《联合国气候变化框架公约》及其《巴黎协定》。",
        "上述合作领域的交流旨在促进双方政府机构、商业代表、利益相关组织和学术界等参与的对话和联合项目。",
    ],
    3: [
        "中国和丹麦同意促进有益于双方的政治和经济对话，并在彼此关心的领域开展对话。",
        "双方应在中央和地方政府层面就共同关心的议题加强高层交流。",
        "年度副外长级政治磋商将是回顾《中丹绿色联合工作方案（2023－2026）》实施进展、做出内容调整的决定"
        "并就未来合作交换意见的重要渠道。",
    ],
    4: [
        "双方应在共同利益基础上进一步深化和扩大经贸关系，挖掘双边经贸合作潜力，努力改善市场和竞争条件，"
        "确保公平竞争环境。"
    ],
    5: [
        "中国和丹麦坚定致力于可持续绿色低碳转型，均制定了应对气候变化和实现碳中和的宏伟目标。",
        "双方一致同意，中国和丹麦应坚持《联合国气候变化框架公约》相关原则，为实现《巴黎协定》目标发挥全球领导作用。",
        "双方承诺将其目标转化为行动，采取具体步骤应对气候变化，合作推动可持续、公正、成本更优的绿色低碳转型。",
    ],
    6: ["中国和丹麦将在环境和水资源领域密切合作。"],
    7: [
        "中国和丹麦将通过《中丹绿色联合工作方案（2023－2026）》，在科技、创新和高教领域中符合双方共同利益的方面"
        "加强合作，以助力绿色转型，落实《联合国2030年可持续发展议程》，共同应对气候变化等全球性挑战。",
        "相关合作应提升两国科研质量，在公平竞争环境中进行，遵循互惠、开放、科研诚信和学术自由等原则。",
        "相关合作活动仅系民用。",
        "中国和丹麦将定期举行政府间科技合作联委会会议。",
    ],
    8: [
        "中国和丹麦将继续深化在知识产权（如：专利、商标、地理标志）领域合作协调，包括每年就相关立法开展信息交流，"
        "共同开展合作活动。",
        "每年就相关立法开展信息交流",
    ],
    9: ["作为海洋国家，中国和丹麦都坚定致力于减少全球航运对气候和环境的影响。"],
    10: [],
    11: [
        "中国和丹麦将继续推动在旅游领域的交流合作，以增进两国人民相互了解和友谊。",
        "为此，中国和丹麦将在可持续旅游方面加强交流合作。",
    ],
    12: [
        "中国和丹麦均致力于实现全民健康覆盖，包括平等获得优质卫生服务以及创新药物和医疗设备。",
        "《中丹绿色联合工作方案（2023－2026）》旨在加强和促进身心健康和福祉，提升国民预期寿命，包括开展非传染性疾病合作。",
    ],
}
# The enumerated items （一）… per section (docs/design.md), and some of their texts (the source, normalised).
ITEMS = {4: 2, 5: 4, 6: 6, 7: 4, 9: 3, 10: 5, 12: 2}
ITEM_TEXTS = {
    "04/item/1": "定期举行双边经贸联委会。",
    "04/item/2": "加强在产品认证、税务、竞争和其他领域的双边对话与协作。",
    "05/item/4": "城市可持续发展，包括气候变化适应、海绵城市和建筑能效。",
    "06/item/6": "海洋生态环境保护和修复。",
    "12/item/2": "初级卫生保健，包括心理健康和非传染性疾病。",
}
PRIORITY_AREA_LABELS = {
    "1": "气候和能源",
    "2": "环境和水资源",
    "3": "绿色航运和绿色海事技术",
    "4": "改善粮食和农业质量和可持续性",
    "5": "改善公共卫生",
    "6": "加强经济关系",
    "7": "科学和技术",
}
OTHER_AREA_LABELS = {
    "general": "总体合作",
    "high-level-dialogue": "加强高层对话",
    "ip": "知识产权",
    "tourism": "旅游",
}


def commitments_in(section: int) -> list[str]:
    """The section's commitments in document order: in every section of this text the prose comes first."""
    prose = [f"{section:02d}/prose/{k}" for k in range(1, len(PROSE.get(section, [])) + 1)]
    items = [f"{section:02d}/item/{k}" for k in range(1, ITEMS.get(section, 0) + 1)]
    return [commitment(path) for path in prose + items]


ALL_COMMITMENTS = [iri for number in SECTIONS for iri in commitments_in(number)]


def section_of(iri: str) -> int:
    return int(iri.removeprefix(f"{PROGRAMME}/section/")[:2])


def values(
    store: ox.Store, registry: QueryRegistry, name: str, column: str, **params: str
) -> list[str | None]:
    result = run(store, registry[name], params)
    return [row[column].value if column in row else None for row in result.rows]


def test_the_design_tables_add_up() -> None:
    assert len(ALL_COMMITMENTS) == 49
    assert sum(ITEMS.values()) == 26
    assert sum(len(quotes) for quotes in PROSE.values()) == 23


# ------------------------------------------------------------------------------------ sections and areas


def test_programme_sections_in_document_order(shipped_store: ox.Store, registry: QueryRegistry) -> None:
    result = run(shipped_store, registry["programme-sections"], {})
    rows = result.rows
    assert [row["commitment"].value if "commitment" in row else None for row in rows] == [
        None,
        *ALL_COMMITMENTS,
    ]
    headings = {int(row["sectionOrder"].value): row["sectionLabelZh"].value for row in rows}
    assert headings == {number: heading for number, (heading, _) in SECTIONS.items()}
    assert all(row["sectionLabelEn"].language == "en" for row in rows)
    background = rows[0]
    assert background["section"].value == commitment("01")
    assert "textZh" not in background
    texts = {row["commitment"].value: row["textZh"].value for row in rows[1:]}
    for number, quotes in PROSE.items():
        for k, quote in enumerate(quotes, start=1):
            assert texts[commitment(f"{number:02d}/prose/{k}")] == quote
    for path, text in ITEM_TEXTS.items():
        assert texts[commitment(path)] == text
    assert all(row["textEn"].language == "en" and row["textEn"].value for row in rows[1:])


def test_the_trade_section_has_one_prose_and_two_items(
    shipped_store: ox.Store, registry: QueryRegistry
) -> None:
    result = run(shipped_store, registry["section-commitments"], {"number": "4"})
    assert [row["commitment"].value for row in result.rows] == [
        commitment("04/prose/1"),
        commitment("04/item/1"),
        commitment("04/item/2"),
    ]
    forms = [row["form"].value.rsplit("#", 1)[1] for row in result.rows]
    assert forms == ["ProseStatement", "EnumeratedItem", "EnumeratedItem"]
    assert [row["notation"].value if "notation" in row else None for row in result.rows] == [
        None,
        "（一）",
        "（二）",
    ]
    chapeau = result.rows[1]["chapeauZh"].value
    assert chapeau.endswith("根据《中丹绿色联合工作方案（2023－2026）》，中国和丹麦将：")
    assert result.rows[2]["chapeauZh"].value == chapeau
    assert {row["sectionLabelZh"].value for row in result.rows} == {"贸易：加强经济关系"}


@pytest.mark.parametrize(("number", "count"), [(1, 0), (13, 0), (10, 5), (8, 2)])
def test_section_commitments_count(
    shipped_store: ox.Store, registry: QueryRegistry, number: int, count: int
) -> None:
    assert (
        len(values(shipped_store, registry, "section-commitments", "commitment", number=str(number))) == count
    )


@pytest.mark.parametrize("number", [number for number, (_, key) in SECTIONS.items() if key])
def test_commitments_by_area(shipped_store: ox.Store, registry: QueryRegistry, number: int) -> None:
    _, key = SECTIONS[number]
    assert key is not None
    result = run(shipped_store, registry["commitments-by-area"], {"area": area(key)})
    assert [row["commitment"].value for row in result.rows] == commitments_in(number)
    expected_label = PRIORITY_AREA_LABELS.get(key) or OTHER_AREA_LABELS[key]
    assert {row["areaLabelZh"].value for row in result.rows} == {expected_label}


def test_areas(shipped_store: ox.Store, registry: QueryRegistry) -> None:
    result = run(shipped_store, registry["areas"], {})
    found = {row["area"].value: row for row in result.rows}
    labels = {**PRIORITY_AREA_LABELS, **OTHER_AREA_LABELS}
    assert set(found) == {area(key) for key in labels}
    counts = {area(key): len(commitments_in(n)) for n, (_, key) in SECTIONS.items() if key}
    for key, label in labels.items():
        row = found[area(key)]
        assert row["labelZh"].value == label
        assert row["priority"].value == ("true" if key in PRIORITY_AREA_LABELS else "false")
        assert int(row["commitments"].value) == counts[area(key)]
    priorities = [row["priority"].value for row in result.rows]
    assert priorities == sorted(priorities, reverse=True)  # priority areas first


# ---------------------------------------------------------------------------------- frameworks and mechanisms

FRAMEWORK_CITATIONS = {  # docs/design.md, notes column: which commitments name which framework
    "paris-agreement": ["02/prose/3", "05/prose/2"],
    "unfccc": ["02/prose/3", "05/prose/2"],
    "2030-agenda": ["02/prose/1", "02/prose/3", "07/prose/1"],
    "udhr": ["02/prose/2"],
    "un-charter": ["02/prose/2"],
    "one-health": ["10/item/3"],
    "demo-accord": [],
}


@pytest.mark.parametrize(("slug", "expected"), FRAMEWORK_CITATIONS.items())
def test_commitments_by_framework(
    shipped_store: ox.Store, registry: QueryRegistry, slug: str, expected: list[str]
) -> None:
    found = values(
        shipped_store, registry, "commitments-by-framework", "commitment", framework=framework(slug)
    )
    assert found == [commitment(path) for path in expected]


def test_mechanisms_and_their_frequency(shipped_store: ox.Store, registry: QueryRegistry) -> None:
    result = run(shipped_store, registry["mechanisms"], {})
    found = [
        (row["mechanism"].value, row["cadenceLabelEn"].value, row["cadenceLabelZh"].value)
        for row in result.rows
    ]
    assert found == [
        (commitment("03/prose/3"), "Annual", "每年"),
        (commitment("04/item/1"), "Regular", "定期"),
        (commitment("07/prose/4"), "Regular", "定期"),
        (commitment("08/prose/2"), "Annual", "每年"),
    ]
    annual = values(shipped_store, registry, "mechanisms", "mechanism", frequency="annual")
    assert annual == [commitment("03/prose/3"), commitment("08/prose/2")]
    regular = values(shipped_store, registry, "mechanisms", "mechanism", frequency="regular")
    assert regular == [commitment("04/item/1"), commitment("07/prose/4")]


# ------------------------------------------------------------------------------------ text search


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("海绵城市", "any", ["05/item/4"]),
        ("海绵城市", "en", []),
        ("巴黎协定", "zh", ["02/prose/3", "05/prose/2"]),
        ("paris agreement", "en", ["02/prose/3", "05/prose/2"]),
        ("PARIS AGREEMENT", "any", ["02/prose/3", "05/prose/2"]),
        # The source breaks 每|年 across PDF lines and writes "2030 年": the search sees the normalised text.
        ("每年", "zh", ["08/prose/1", "08/prose/2"]),
        ("2030年", "zh", ["02/prose/1", "02/prose/3", "07/prose/1"]),
        ("联委会", "any", ["04/item/1", "07/prose/4"]),
        ("", "any", []),
        ("不在文本中的词", "any", []),
    ],
)
def test_text_search(
    shipped_store: ox.Store, registry: QueryRegistry, text: str, lang: str, expected: list[str]
) -> None:
    result = run(shipped_store, registry["text-search"], {"text": text, "lang": lang})
    assert [row["commitment"].value for row in result.rows] == [commitment(path) for path in expected]
    languages = {row["matchedIn"].value for row in result.rows}
    assert languages <= ({"zh", "en"} if lang == "any" else {lang})


# ------------------------------------------------------------------------------------ provenance


def _squeeze(text: str) -> str:
    """The text without whitespace: what remains equal between a raw quote and its normalised text."""
    return re.sub(r"\s+", "", text)


def test_provenance_of_every_commitment_points_into_the_source(
    shipped_store: ox.Store, registry: QueryRegistry
) -> None:
    source = (resources.data_dir() / "sources" / SOURCE_FILE).read_text(encoding="utf-8")
    for iri in ALL_COMMITMENTS:
        rows = run(shipped_store, registry["commitment-provenance"], {"commitment": iri}).rows
        assert len(rows) == 1, iri
        row = rows[0]
        start, end = int(row["start"].value), int(row["end"].value)
        assert 0 <= start < end <= len(source)
        assert row["quote"].value == source[start:end], iri
        assert _squeeze(row["quote"].value).endswith(_squeeze(row["textZh"].value)), iri
        assert row["document"].value == f"{PROGRAMME}/source"
        assert row["file"].value == f"sources/{SOURCE_FILE}"
        assert row["translatedBy"].value == "https://w3id.org/coopkg/id/agent/coopkg"
        assert row["officialTranslation"].value == "false"


def test_provenance_of_the_sponge_city_item(shipped_store: ox.Store, registry: QueryRegistry) -> None:
    (row,) = run(
        shipped_store, registry["commitment-provenance"], {"commitment": commitment("05/item/4")}
    ).rows
    assert row["quote"].value == "（四）城市可持续发展，包括气候变化适应、海绵城市和建筑能效。"


def test_provenance_of_an_unknown_commitment_is_empty(
    shipped_store: ox.Store, registry: QueryRegistry
) -> None:
    assert (
        run(shipped_store, registry["commitment-provenance"], {"commitment": commitment("05/item/9")}).rows
        == []
    )


# ------------------------------------------------------------------------------------ SDG alignments


@pytest.fixture(scope="module")
def curated_alignments() -> dict[str, set[str]]:
    """commitment IRI -> SDG IRIs it is aligned to, read with rdflib straight from the curated file."""
    graph = rdflib.Graph()
    for path in sorted((resources.data_dir() / "curated").glob("alignments-*.ttl")):
        graph.parse(Path(path), format="turtle")
    coop = rdflib.Namespace("https://w3id.org/coopkg/def#")
    aligned: dict[str, set[str]] = {}
    for subject, alignment in graph.subject_objects(coop.hasAlignment):
        for target in graph.objects(alignment, coop.alignedTo):
            if str(target).startswith(SDG):
                aligned.setdefault(str(subject), set()).add(str(target))
    return aligned


def goal_of(sdg_iri: str) -> str:
    """sdg:6.3 -> sdg:6 by the UN's numbering (goal.target)."""
    return SDG + sdg_iri.removeprefix(SDG).split(".")[0]


@pytest.mark.parametrize("sdg", ["6", "6.3", "13", "13.2", "17", "17.6", "11", "1"])
def test_commitments_by_sdg(
    shipped_store: ox.Store, registry: QueryRegistry, curated_alignments: dict[str, set[str]], sdg: str
) -> None:
    asked = SDG + sdg
    is_goal = "." not in sdg
    expected = {
        (iri, target)
        for iri, targets in curated_alignments.items()
        for target in targets
        if target == asked or (is_goal and goal_of(target) == asked)
    }
    result = run(shipped_store, registry["commitments-by-sdg"], {"sdg": asked})
    found = [(row["commitment"].value, row["alignedTo"].value) for row in result.rows]
    assert set(found) == expected
    assert len(found) == len(expected)
    order = [(int(row["sectionOrder"].value), int(row["order"].value)) for row in result.rows]
    assert order == sorted(order)
    for row in result.rows:
        assert row["goal"].value == goal_of(row["alignedTo"].value)
        assert row["goalLabelZh"].language == "zh"
        assert row["basis"].value.rsplit("#", 1)[1] in ("ExplicitInText", "CuratedJudgement")
        assert row["rationale"].value


def test_a_goal_includes_its_targets(shipped_store: ox.Store, registry: QueryRegistry) -> None:
    goal = set(values(shipped_store, registry, "commitments-by-sdg", "commitment", sdg=f"{SDG}6"))
    target = set(values(shipped_store, registry, "commitments-by-sdg", "commitment", sdg=f"{SDG}6.3"))
    assert target
    assert target < goal


def test_area_sdg_matrix(
    shipped_store: ox.Store, registry: QueryRegistry, curated_alignments: dict[str, set[str]]
) -> None:
    area_of_section = {number: area(key) for number, (_, key) in SECTIONS.items() if key}
    expected: Counter[tuple[str, str]] = Counter()
    for iri, targets in curated_alignments.items():
        for goal in {goal_of(target) for target in targets}:
            expected[(area_of_section[section_of(iri)], goal)] += 1
    result = run(shipped_store, registry["area-sdg-matrix"], {})
    found = {(row["area"].value, row["goal"].value): int(row["commitments"].value) for row in result.rows}
    assert found == dict(expected)
    keys = [(row["area"].value, int(row["goalNumber"].value)) for row in result.rows]
    assert keys == sorted(keys)


# ------------------------------------------------------------------------------------ overview


def test_programme_overview(
    shipped_store: ox.Store, registry: QueryRegistry, curated_alignments: dict[str, set[str]]
) -> None:
    (row,) = run(shipped_store, registry["programme-overview"], {}).rows
    counts = {
        name: int(term.value)
        for name, term in row.items()
        if isinstance(term, ox.Literal) and term.datatype == XSD_INTEGER
    }
    goals = {goal_of(target) for targets in curated_alignments.values() for target in targets}
    assert counts == {
        "sections": 12,
        "commitments": 49,
        "enumeratedItems": 26,
        "proseStatements": 23,
        "mechanisms": 4,
        "areas": 11,
        "priorityAreas": 7,
        "frameworks": len({slug for slug, cited in FRAMEWORK_CITATIONS.items() if cited}),
        "goals": len(goals),
    }
    assert row["labelZh"].value == "中丹绿色联合工作方案（2023－2026）"
    assert row["labelEn"].language == "en"
    assert (row["begins"].value, row["ends"].value) == ("2023", "2026")


def test_programme_overview_of_an_unknown_programme_counts_nothing(
    shipped_store: ox.Store, registry: QueryRegistry
) -> None:
    assert run(shipped_store, registry["programme-overview"], {"programme": DEMO}).rows == []


# One call per query whose answer should use every column: a column never bound points to a misspelt term.
EVERY_COLUMN = {
    "area-sdg-matrix": {},
    "areas": {},
    "commitment-provenance": {"commitment": commitment("05/item/4")},
    "commitments-by-area": {"area": area("1")},
    "commitments-by-framework": {"framework": framework("one-health")},
    "commitments-by-sdg": {"sdg": f"{SDG}6"},
    "mechanisms": {},
    "programme-overview": {},
    "programme-sections": {},
    "section-commitments": {"number": "4"},
    "text-search": {"text": "海绵城市"},
}


def test_every_query_has_a_full_answer_case(registry: QueryRegistry) -> None:
    # The cross-programme queries have theirs on the graph with the invented programmes
    # (test_query_crossprogramme.py): one programme has no successor to compare.
    assert set(EVERY_COLUMN) | set(EVERY_COLUMN_ACROSS_PROGRAMMES) == set(registry)


@pytest.mark.parametrize(("name", "params"), EVERY_COLUMN.items())
def test_every_projected_column_is_bound_somewhere(
    shipped_store: ox.Store, registry: QueryRegistry, name: str, params: dict[str, str]
) -> None:
    result = run(shipped_store, registry[name], params)
    assert result.rows
    unbound = [column for column in result.variables if all(column not in row for row in result.rows)]
    assert unbound == []
