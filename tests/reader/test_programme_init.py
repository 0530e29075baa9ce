"""`coopkg programme init` on the invented programmes, then `coopkg build` on the scaffold with no hand edits;
and every kind of unusable input gets one line and exit 2 with nothing overwritten."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from coopkg.cli import main
from coopkg.reader.parser import parse

FIXTURES = Path(__file__).parent / "fixtures" / "programmes"
NAMES = ["web-zh-ocean", "clean-en-agriculture", "pdf-en-energy"]
COOP = "https://w3id.org/coopkg/def#"
OA = "http://www.w3.org/ns/oa#"


def init(data: Path, source: Path, slug: str, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main, ["programme", "init", str(source), "--slug", slug, "--source-dir", str(data), *extra]
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the three scaffolds, built."""
    data = tmp_path_factory.mktemp("data")
    for name in NAMES:
        code, _, err = init(data, FIXTURES / f"{name}.txt", f"test-{name}")
        assert code == 0, err
    result = CliRunner().invoke(main, ["build", "--source-dir", str(data)])
    assert result.exit_code == 0, result.output
    return data


def test_the_copy_is_the_source_unchanged(built: Path) -> None:
    for name in NAMES:
        assert (built / "sources" / f"test-{name}.txt").read_bytes() == (
            FIXTURES / f"{name}.txt"
        ).read_bytes()


def test_summary_names_what_was_found(tmp_path: Path) -> None:
    code, out, _ = init(tmp_path, FIXTURES / "web-zh-ocean.txt", "ocean")
    assert code == 0
    assert "web typography, language zh" in out
    assert "period:     2025–2027" in out
    assert "sections:   7" in out
    assert "items:      10 (2 nested), each a commitment" in out
    assert "priority areas: 3 (海洋生态保护; 海洋防灾减灾; 蓝色经济)" in out
    assert "candidate parties: 2 (甲国 -> id:party/ocean-party-1, 乙国 -> id:party/ocean-party-2)" in out
    assert "section/04/item/5  '每两年' -> coop:Biennial" in out
    assert "section/06/item/1  '每年' -> coop:Annual" in out


@pytest.mark.parametrize("name", NAMES)
def test_every_item_is_a_commitment_with_text_and_exact_selectors(built: Path, name: str) -> None:
    slug = f"test-{name}"
    graph = {
        q.triple
        for q in ox.parse(path=built / "generated" / f"programme-{slug}.ttl", format=ox.RdfFormat.TURTLE)
    }
    raw = (built / "sources" / f"{slug}.txt").read_text(encoding="utf-8")
    document = parse(FIXTURES / f"{name}.txt")

    def value(subject: str, predicate: str) -> str:
        values = [
            t.object.value
            for t in graph
            if t.subject == ox.NamedNode(subject) and t.predicate == ox.NamedNode(predicate)
        ]
        assert len(values) == 1, (subject, predicate, values)
        return values[0]

    items = 0
    for number, section in enumerate(document.sections, start=1):
        for k, item in enumerate(section.items, start=1):
            iri = f"https://w3id.org/coopkg/id/programme/{slug}/section/{number:02d}/item/{k}"
            assert (
                ox.Triple(
                    ox.NamedNode(iri),
                    ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                    ox.NamedNode(COOP + "Commitment"),
                )
                in graph
            )
            assert value(iri, COOP + "text") == item.text.text
            start, end = (
                int(value(iri + "#position", OA + "start")),
                int(value(iri + "#position", OA + "end")),
            )
            assert (start, end) == item.span
            assert value(iri + "#quote", OA + "exact") == raw[start:end]
            if item.parent is not None:
                assert value(iri, COOP + "parentItem").endswith(f"/item/{item.parent + 1}")
            items += 1
    assert items == 5 or items == 10


def test_the_scaffold_rebuilds_identically(built: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--source-dir", str(built), "--check"])
    assert result.exit_code == 0, result.output


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_missing_file(tmp_path: Path) -> None:
    code, _, err = init(tmp_path, tmp_path / "nope.txt", "x")
    assert code == 2
    assert "no such file" in _one_line(err)
    assert not (tmp_path / "programmes").exists()


def test_not_utf8(tmp_path: Path) -> None:
    source = tmp_path / "gbk.txt"
    source.write_bytes("一、总体目标\n双方同意加强合作。".encode("gbk"))
    code, _, err = init(tmp_path / "data", source, "x")
    assert code == 2
    assert "not UTF-8" in _one_line(err)
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("  \n\n\u3000\n", "empty"),
        ("双方同意加强合作，推动共同发展。", "before the first heading"),
        ("背景\n双方同意加强合作。\n", "no structure found"),
    ],
)
def test_empty_or_structureless(tmp_path: Path, text: str, message: str) -> None:
    source = tmp_path / "source.txt"
    source.write_text(text, encoding="utf-8")
    code, _, err = init(tmp_path / "data", source, "x")
    assert code == 2
    assert message in _one_line(err)
    assert not (tmp_path / "data" / "programmes").exists()


def test_slug_taken_overwrites_nothing(tmp_path: Path) -> None:
    source = FIXTURES / "web-zh-ocean.txt"
    assert init(tmp_path, source, "ocean")[0] == 0
    programme = tmp_path / "programmes" / "ocean" / "programme.ttl"
    programme.write_text("# edited by a steward\n", encoding="utf-8")
    code, _, err = init(tmp_path, FIXTURES / "pdf-en-energy.txt", "ocean")
    assert code == 2
    assert "is taken" in _one_line(err)
    assert programme.read_text(encoding="utf-8") == "# edited by a steward\n"
    # a source text of that name is not overwritten either
    (tmp_path / "sources" / "other.txt").write_text("kept", encoding="utf-8")
    code, _, err = init(tmp_path, source, "other")
    assert code == 2
    assert "exists" in _one_line(err)
    assert (tmp_path / "sources" / "other.txt").read_text(encoding="utf-8") == "kept"
    assert not (tmp_path / "programmes" / "other").exists()


def test_bad_slug(tmp_path: Path) -> None:
    code, _, err = init(tmp_path, FIXTURES / "web-zh-ocean.txt", "Bad Slug")
    assert code == 2
    assert "--slug" in _one_line(err)


def test_lang_override(tmp_path: Path) -> None:
    code, out, _ = init(tmp_path, FIXTURES / "clean-en-agriculture.txt", "agri", "--lang", "en")
    assert code == 0
    assert "language en" in out
    text = (tmp_path / "programmes" / "agri" / "programme.ttl").read_text(encoding="utf-8")
    assert 'dct:language "en"' in text
    assert '"1. Background"@en' in text
