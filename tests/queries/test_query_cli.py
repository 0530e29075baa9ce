"""`coopkg query` through click's CliRunner: the formats, --list, and one-line errors with exit status 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from query_test_ids import SDG, commitment

from coopkg.cli import main
from coopkg.queries.formats import display_width


def coopkg_query(*args: str) -> Result:
    return CliRunner().invoke(main, ["query", *args])


def test_list_shows_every_query_with_title_and_parameters() -> None:
    result = coopkg_query("--list")
    assert result.exit_code == 0, result.output
    assert "commitments-by-sdg  Commitments aligned to an SDG goal or target" in result.stdout
    assert "--param sdg=<iri>  (required)" in result.stdout
    assert "--param frequency=<enum(any,annual,regular)>  (default any)" in result.stdout
    assert "programme-overview  Programme overview" in result.stdout


def test_csv_has_a_header_and_one_row_per_answer() -> None:
    result = coopkg_query("mechanisms", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["mechanism"] for row in rows] == [
        commitment("03/prose/3"),
        commitment("04/item/1"),
        commitment("07/prose/4"),
        commitment("08/prose/2"),
    ]
    assert [row["cadenceLabelZh"] for row in rows] == ["每年", "定期", "定期", "每年"]
    assert rows[1]["notation"] == "（一）"
    assert rows[0]["notation"] == ""  # unbound: empty cell


def test_json_is_sparql_results_json() -> None:
    result = coopkg_query("text-search", "--param", "text=海绵城市", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["head"]["vars"][:3] == ["text", "lang", "commitment"]
    (binding,) = document["results"]["bindings"]
    assert binding["commitment"] == {"type": "uri", "value": commitment("05/item/4")}
    assert binding["textZh"]["xml:lang"] == "zh"
    assert "海绵城市" in binding["textZh"]["value"]
    assert binding["order"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    assert binding["text"] == {"type": "literal", "value": "海绵城市"}


def _from_column(line: str, column: int) -> str:
    """What a terminal shows from display column `column` of `line` on."""
    width = 0
    for index, char in enumerate(line):
        if width >= column:
            return line[index:]
        width += display_width(char)
    return ""


def test_table_columns_line_up_with_chinese_text() -> None:
    result = coopkg_query(
        "areas", "-p", "programme=https://w3id.org/coopkg/id/programme/cn-dk-green-2023-2026"
    )
    assert result.exit_code == 0, result.stderr
    header, rule, *rows, footer = result.stdout.splitlines()
    assert footer == "(11 rows)"
    assert set(rule) == {"-", " "}
    priority_column = display_width(header[: header.index("priority")])
    english_column = display_width(header[: header.index("labelEn")])
    cells = [(_from_column(row, priority_column), _from_column(row, english_column)) for row in rows]
    assert [priority.split()[0] for priority, _ in cells] == ["true"] * 7 + ["false"] * 4
    assert cells[0][1].startswith("Climate and energy")
    assert any("气候和能源" in row for row in rows)
    assert "id:programme/cn-dk-green-2023-2026" in rows[0]  # IRIs shortened for reading


def test_table_cuts_long_cells_unless_told_not_to() -> None:
    cut = coopkg_query("section-commitments", "-p", "number=5", "--max-width", "20")
    whole = coopkg_query("section-commitments", "-p", "number=5", "--max-width", "0")
    assert cut.exit_code == whole.exit_code == 0
    assert "…" in cut.stdout
    assert "城市可持续发展，包括气候变化适应、海绵城市和建筑能效。" in whole.stdout
    assert "城市可持续发展，包括气候变化适应、海绵城市和建筑能效。" not in cut.stdout
    assert "…6/section/05/item/4 " in cut.stdout  # an IRI keeps its distinguishing end


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("no-such-query",), "no named query 'no-such-query'; known queries: area-sdg-matrix"),
        (("commitments-by-sdg",), "needs parameter 'sdg'"),
        (
            ("commitments-by-sdg", "-p", "sdg=http://metadata.un.org/sdg/6 }"),
            "parameter 'sdg' is not an absolute",
        ),
        (("commitments-by-sdg", "-p", f"goal={SDG}6"), "has no parameter 'goal'"),
        (("commitments-by-sdg", "-p", "sdg"), "--param takes KEY=VALUE"),
        (
            ("mechanisms", "-p", "frequency=annual", "-p", "frequency=regular"),
            "--param frequency is given twice",
        ),
        (("mechanisms", "-p", "frequency=weekly"), "expected one of any, annual, regular"),
        (("section-commitments", "-p", "number=four"), "parameter 'number' is not an integer"),
        ((), "give the NAME of a query, or --list"),
    ],
)
def test_errors_are_one_line_with_exit_status_2(args: tuple[str, ...], message: str) -> None:
    result = coopkg_query(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("coopkg query: ")
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_an_unknown_format_is_a_usage_error() -> None:
    result = coopkg_query("mechanisms", "--format", "xml")
    assert result.exit_code == 2
    assert "'xml' is not one of 'table', 'csv', 'json'" in result.stderr


def test_missing_data_is_one_line_naming_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from coopkg.rdf import dataset

    missing = tmp_path / "programme-gone.ttl"
    monkeypatch.setattr(dataset, "shipped_graphs", lambda: [dataset.GraphSource("urn:coopkg:test", missing)])
    result = coopkg_query("mechanisms")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert str(missing) in result.stderr
    assert "coopkg build" in result.stderr


def test_a_malformed_query_file_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from coopkg.commands import query as query_command
    from coopkg.queries.registry import load_registry

    (tmp_path / "broken.rq").write_text("# title: Broken\nSELECT * WHERE { }\n", encoding="utf-8")
    monkeypatch.setattr(query_command, "default_registry", lambda: load_registry(tmp_path))
    result = coopkg_query("--list")
    assert result.exit_code == 2
    assert f"{tmp_path / 'broken.rq'}:1: the header lacks '# description: ...'" in result.stderr
