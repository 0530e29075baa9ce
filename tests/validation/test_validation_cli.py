"""`coopkg validate`: pySHACL's exit codes, one clear line for unusable input, the report formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from validation_examples import INVALID_DIR, VALID_DIR

from coopkg.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_shipped_graph_conforms() -> None:
    code, out, _ = run()
    assert out.startswith("Conforms: yes")
    assert code == 0


def test_a_valid_file_exits_0(valid_file: Path) -> None:
    code, out, _ = run(str(valid_file))
    assert code == 0, out


def test_a_violation_exits_1_with_a_table_grouped_by_severity_and_shape() -> None:
    code, out, _ = run(str(INVALID_DIR / "notation-unique.ttl"), "--sources", str(VALID_DIR))
    assert code == 1
    assert out.startswith("Conforms: no (2 violations, 0 warnings, 0 infos)")
    assert "VIOLATION  coopsh:NotationUniqueShape  (2)" in out
    assert "id:programme/test-fixture-2024-2025/section/03/item/1 | coop:notation" in out


def test_fail_on_violation_lets_warnings_pass() -> None:
    warning_only = str(INVALID_DIR / "commitment-translated.ttl")
    assert run(warning_only, "--sources", str(VALID_DIR))[0] == 1
    code, out, _ = run(warning_only, "--sources", str(VALID_DIR), "--fail-on", "violation")
    assert code == 0
    assert "WARNING  coopsh:Commitment-translated  (1)" in out


def test_messages_in_chinese() -> None:
    _, out, _ = run(str(INVALID_DIR / "label-zh.ttl"), "--sources", str(VALID_DIR), "--lang", "zh")
    assert "尚无中文标签" in out


def test_json_report_has_conforms_counts_and_results() -> None:
    code, out, _ = run(str(INVALID_DIR / "period-order.ttl"), "--sources", str(VALID_DIR), "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert report["conforms"] is False
    assert report["counts"] == {"violation": 1, "warning": 0, "info": 0}
    (result,) = report["results"]
    assert result["sourceShape"] == "https://w3id.org/coopkg/shapes#PeriodOrderShape"
    assert result["focusNode"] == "https://w3id.org/coopkg/id/programme/test-fixture-2024-2025/period"
    assert "2024" in result["message"]


@pytest.mark.parametrize("report_format", ["turtle", "jsonld"])
def test_rdf_reports_parse(report_format: str) -> None:
    _, out, _ = run(
        str(INVALID_DIR / "period-order.ttl"), "--sources", str(VALID_DIR), "--format", report_format
    )
    graph = Graph().parse(data=out, format="turtle" if report_format == "turtle" else "json-ld")
    assert len(graph) > 5


def test_several_files_are_validated_together(tmp_path: Path, valid_file: Path) -> None:
    # The valid example split in two files (N-Triples and JSON-LD): neither conforms alone, both do.
    graph = Graph().parse(valid_file)
    triples = sorted(graph)
    first, second = Graph(), Graph()
    for index, triple in enumerate(triples):
        (first if index % 2 else second).add(triple)
    a, b = tmp_path / "a.nt", tmp_path / "b.jsonld"
    first.serialize(a, format="nt")
    second.serialize(b, format="json-ld")
    sources = str(VALID_DIR)
    assert run(str(a), "--sources", sources)[0] == 1
    assert run(str(a), str(b), "--sources", sources)[0] == 0


def test_data_format_overrides_the_extension(tmp_path: Path, valid_file: Path) -> None:
    renamed = tmp_path / "programme.data"
    renamed.write_bytes(valid_file.read_bytes())
    assert run(str(renamed), "--sources", str(VALID_DIR), "--data-format", "turtle")[0] == 0


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (None, "missing.ttl", "missing.ttl: no such file"),
        (b"<a> <b> <c> .", "data.xyz", "cannot tell the RDF format from the extension '.xyz'"),
        (b'@prefix x: <http://x/> .\nx:a x:b "unterminated .\n', "broken.ttl", "broken.ttl:2:"),
        (b'{"@context": "https://schema.org/", "name": "x"}', "remote.jsonld", "never fetched"),
        (b"\xff\xfe<a>", "binary.nt", "binary.nt"),
        (
            b"<< <http://a/x> <http://a/y> <http://a/z> >> <http://a/p> <http://a/o> .",
            "star.ttl",
            "triple terms",
        ),
    ],
)
def test_unusable_input_is_one_line_and_exit_2(
    tmp_path: Path, content: bytes | None, name: str, expected: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, out, err = run(str(path))
    assert code == 2
    assert out == ""
    assert expected in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_an_unknown_data_format_is_unusable_input(valid_file: Path) -> None:
    code, _, err = run(str(valid_file), "--data-format", "yaml")
    assert code == 2
    assert "unknown format 'yaml'" in err


def _run_on_a_terminal(*args: str) -> tuple[int, str, str]:
    """`coopkg validate ARGS` with stderr on a pseudo-terminal (as in a steward's shell), stdout a pipe."""
    import os
    import pty
    import subprocess
    import sys

    controller, terminal = pty.openpty()
    coopkg = str(Path(sys.executable).parent / "coopkg")
    process = subprocess.Popen([coopkg, "validate", *args], stdout=subprocess.PIPE, stderr=terminal)
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    out, _ = process.communicate(timeout=300)
    os.close(controller)
    return process.returncode, out.decode(), seen.decode(errors="replace")


def test_a_long_file_shows_its_progress_on_a_terminal_only(tmp_path: Path) -> None:
    line = '<https://w3id.org/coopkg/id/x{n}> <http://www.w3.org/2000/01/rdf-schema#label> "x{n}"@en .\n'
    document = tmp_path / "long.nt"
    document.write_text("".join(line.format(n=n) for n in range(60_000)), encoding="utf-8")
    code, out, terminal = _run_on_a_terminal(str(document))
    assert code == 0, terminal
    assert out.startswith("Conforms: yes")
    assert "reading long.nt: 100% of 5.7 MB" in terminal  # bytes read, then the validation's stages
    assert "checking SPARQL rule" in terminal
    assert terminal.endswith("\r\x1b[K")  # the line is cleared before the report
    _, _, piped = run(str(document))
    assert "reading" not in piped  # not a terminal: no progress line
