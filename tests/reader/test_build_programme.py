"""The graph builder on the synthetic programme: structure, provenance, and clear errors for bad inputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from coopkg.errors import UnusableInput
from coopkg.reader.programme import ProgrammeInput, build_programme

FIXTURE = Path(__file__).parent / "fixtures" / "synthetic"
SLUG = "test-fixture-2025-2027"
PROGRAMME = f"https://w3id.org/coopkg/id/programme/{SLUG}"
COOP = "https://w3id.org/coopkg/def#"
OA = "http://www.w3.org/ns/oa#"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture data folder, so a test can break one input."""
    shutil.copytree(FIXTURE, tmp_path / "data")
    return tmp_path / "data"


def build(data_dir: Path) -> ox.Store:
    store = ox.Store()
    for triple in build_programme(ProgrammeInput(SLUG, data_dir / "programmes" / SLUG, data_dir)):
        store.add(ox.Quad(triple.subject, triple.predicate, triple.object))
    return store


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    prefixes = f"PREFIX coop: <{COOP}> PREFIX oa: <{OA}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"
    result = store.query(f"{prefixes} {query}")
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


def test_commitments_of_the_synthetic_programme(data_dir: Path) -> None:
    store = build(data_dir)
    rows = select(store, "SELECT ?c ?order WHERE { ?c a coop:Commitment ; coop:order ?order } ORDER BY ?c")
    assert [(r["c"].removeprefix(PROGRAMME + "/"), r["order"]) for r in rows] == [
        ("section/02/prose/1", "1"),
        ("section/02/prose/2", "2"),
        ("section/03/item/1", "1"),
        ("section/03/item/2", "2"),
        ("section/03/item/3", "3"),
        ("section/04/item/1", "1"),
        ("section/04/item/2", "2"),
        ("section/04/prose/1", "3"),  # after the items: order is document order, items and prose together
        ("section/05/prose/1", "1"),
    ]
    mechanisms = select(store, "SELECT ?c ?f WHERE { ?c a coop:Mechanism ; coop:frequency ?f } ORDER BY ?c")
    assert [r["f"].rsplit("#")[1] for r in mechanisms] == ["Annual", "Regular"]


def test_every_selector_quotes_its_slice_of_the_file(data_dir: Path) -> None:
    raw = (data_dir / "sources" / "synthetic.txt").read_text(encoding="utf-8")
    rows = select(
        store := build(data_dir),
        "SELECT ?s ?start ?end ?exact WHERE { ?x coop:source ?s . ?s oa:hasSelector ?p , ?q . "
        "?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact }",
    )
    assert len(rows) == len(select(store, "SELECT ?x WHERE { ?x coop:source ?s }"))
    assert rows
    for row in rows:
        assert raw[int(row["start"]) : int(row["end"])] == row["exact"]


def test_items_have_notation_chapeau_and_area(data_dir: Path) -> None:
    rows = select(
        build(data_dir),
        f"SELECT ?n ?chapeau ?area WHERE {{ <{PROGRAMME}/section/04/item/2> coop:notation ?n ; "
        "coop:chapeau ?chapeau ; coop:area ?area }",
    )
    assert rows == [
        {"n": "2）", "chapeau": f"{PROGRAMME}/section/04/paragraph/1", "area": f"{PROGRAMME}/area/2"}
    ]


def test_priority_areas_take_their_labels_from_the_text(data_dir: Path) -> None:
    rows = select(
        build(data_dir), "SELECT ?a ?l WHERE { ?a coop:isPriority true ; rdfs:label ?l } ORDER BY ?a"
    )
    assert [r["l"] for r in rows] == ["城市交通", "建筑节能", "城市水务"]


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("prose.ttl", "双方将定期评估合作进展。", "双方将定期评估合作成果。", "is not in section"),
        ("prose.ttl", "双方将定期评估合作进展。", "合作", "occurs 2 times"),
        ("prose.ttl", "section/02/prose/2>", "section/02/prose/3>", "numbered 1…2"),
        ("prose.ttl", "section/05/prose/1>", "section/06/prose/1>", "not a commitment IRI"),
        ("prose.ttl", "公共交通规划，", "公共交通，", "differs from the item's text"),
        ("programme.ttl", '"城市水务"@zh', '"城市供水"@zh', "the text's heading"),
        ("programme.ttl", "section/05>", "section/06>", "not a section of the text"),
        (
            "programme.ttl",
            '"甲乙可持续城市联合工作方案（2025－2027）"@zh',
            '"甲乙城市方案"@zh',
            "does not occur in",
        ),
        ("programme.ttl", " , <{p}/area/3>", "", "priority areas must be"),
        ("programme.ttl", "sources/synthetic.txt", "sources/missing.txt", "not found"),
        ("prose.ttl", "coop:Commitment ;", "coop:Commitment", "not valid Turtle"),
    ],
)
def test_bad_inputs_fail_with_a_clear_message(
    data_dir: Path, file: str, old: str, new: str, message: str
) -> None:
    path = data_dir / "programmes" / SLUG / file
    replace_in(path, old.replace("{p}", PROGRAMME), new)
    with pytest.raises(UnusableInput, match=message) as caught:
        build(data_dir)
    assert str(path.name) in caught.value.detail or "missing.txt" in caught.value.detail


def test_programme_file_must_describe_the_folder_slug(data_dir: Path) -> None:
    replace_in(
        data_dir / "programmes" / SLUG / "programme.ttl",
        f"<{PROGRAMME}> a coop:Programme",
        "<x:y> a coop:Programme",
    )
    with pytest.raises(UnusableInput, match="folder name is the slug"):
        build(data_dir)


def test_prose_file_is_optional(data_dir: Path) -> None:
    (data_dir / "programmes" / SLUG / "prose.ttl").unlink()
    rows = select(build(data_dir), "SELECT ?c WHERE { ?c coop:statedAs coop:ProseStatement }")
    assert rows == []
