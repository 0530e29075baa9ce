"""The whole build: committed data/generated/ equals a fresh build byte for byte, builds are deterministic,
and `coopkg build --check` fails naming the stale file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopkg.commands.build import command
from coopkg.reader.pipeline import BuildInputs, build_outputs, stale_files

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
GENERATED = DATA / "generated"
FIXTURE = Path(__file__).parent / "fixtures" / "synthetic"


@pytest.fixture(scope="module")
def outputs() -> dict[str, bytes]:
    return build_outputs(BuildInputs(DATA, ROOT / "ontology"))


def test_committed_generated_data_equals_a_fresh_build(outputs: dict[str, bytes]) -> None:
    assert sorted(outputs) == sorted(p.name for p in GENERATED.glob("*.ttl"))
    for name, content in outputs.items():
        assert (GENERATED / name).read_bytes() == content, f"{name} is stale: run `coopkg build` and commit"
    assert stale_files(GENERATED, outputs) == []


def test_build_twice_gives_the_same_bytes(outputs: dict[str, bytes]) -> None:
    assert build_outputs(BuildInputs(DATA, ROOT / "ontology")) == outputs


def test_check_passes_on_committed_data() -> None:
    result = CliRunner().invoke(command, ["--check"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def test_check_fails_naming_the_stale_and_the_extra_file(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    shutil.copytree(GENERATED, out)
    (out / "curated.ttl").write_bytes(b"# edited by hand\n")
    (out / "programme-removed.ttl").write_bytes(b"")
    result = CliRunner().invoke(command, ["--check", "--out", str(out)])
    assert result.exit_code == 1
    assert f"{out / 'curated.ttl'}: differs from a fresh build" in result.output
    assert f"{out / 'programme-removed.ttl'}: no longer produced" in result.output
    assert f"{out / 'void.ttl'}" not in result.output


def fixture_data_dir(tmp_path: Path) -> Path:
    """The synthetic programme with the real SDG folder and no curated files."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    shutil.copytree(DATA / "sdg", data / "sdg")
    return data


def test_build_writes_a_second_programme_with_an_empty_curated_graph(tmp_path: Path) -> None:
    data = fixture_data_dir(tmp_path)
    result = CliRunner().invoke(command, ["--source-dir", str(data)])
    assert result.exit_code == 0, result.output
    generated = data / "generated"
    assert sorted(p.name for p in generated.iterdir()) == [
        "curated.ttl",
        "derived.ttl",
        "programme-test-fixture-2025-2027.ttl",
        "void.ttl",
    ]
    void = (generated / "void.ttl").read_text(encoding="utf-8")
    assert "<https://w3id.org/coopkg/id/graph/curated> a void:Dataset" in void
    assert "void:triples 0 " in void
    again = CliRunner().invoke(command, ["--source-dir", str(data), "--check"])
    assert again.exit_code == 0, again.output
    # a removed programme's output is removed by the next build
    (generated / "programme-gone.ttl").write_text("", encoding="utf-8")
    (generated / "notes.ttl").write_text("", encoding="utf-8")
    CliRunner().invoke(command, ["--source-dir", str(data)])
    assert not (generated / "programme-gone.ttl").exists()
    assert (generated / "notes.ttl").exists()  # not ours: never deleted


def test_bad_input_exits_2_with_a_one_line_message(tmp_path: Path) -> None:
    data = fixture_data_dir(tmp_path)
    (data / "sources" / "synthetic.txt").write_text("", encoding="utf-8")
    result = CliRunner().invoke(command, ["--source-dir", str(data)])
    assert result.exit_code == 2
    assert "synthetic.txt: the source text is empty" in result.output
    assert "Traceback" not in result.output


def test_no_programme_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(command, ["--source-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "no programme folder" in result.output
