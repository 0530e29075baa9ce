"""Reading inputs and rendering reports: formats, positions of syntax errors, the report model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef

from coopkg.errors import UnsupportedMediaType, UnusableInput
from coopkg.validation.inputs import (
    FORMATS,
    format_by_name,
    format_for_media_type,
    format_for_path,
    parse_into,
)
from coopkg.validation.render import render_json, render_text, shorten
from coopkg.validation.report import ValidationReport, path_text
from coopkg.validation.terms import DataGraph

SH = Namespace("http://www.w3.org/ns/shacl#")
EX = Namespace("https://w3id.org/coopkg/id/")


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_every_format_is_known_by_name_extension_and_media_type(fmt: object) -> None:
    assert format_by_name(fmt.name) is fmt  # type: ignore[attr-defined]
    for extension in fmt.extensions:  # type: ignore[attr-defined]
        assert format_for_path(Path(f"data{extension.upper()}")) is fmt
    for media_type in fmt.media_types:  # type: ignore[attr-defined]
        assert format_for_media_type(f"{media_type}; charset=utf-8") is fmt


def test_an_unknown_media_type_is_415() -> None:
    with pytest.raises(UnsupportedMediaType):
        format_for_media_type("application/json")


@pytest.mark.parametrize(
    ("fmt", "body", "where"),
    [
        ("turtle", b"<http://x/a> <http://x/b> <http://x/c> .\n<http://x/a> <http://x/b> .\n", "doc:2:"),
        ("ntriples", b"<http://x/a> <http://x/b> <http://x/c> .\n\n<http://x/a> oops\n", "doc:3:"),
        ("rdfxml", b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n<oops", "doc:"),
    ],
)
def test_a_syntax_error_names_the_document_and_line(fmt: str, body: bytes, where: str) -> None:
    data = DataGraph()
    with pytest.raises(UnusableInput) as caught:
        parse_into(data, body, format_by_name(fmt), "doc")
    assert caught.value.detail.startswith(where)
    assert "syntax error" in caught.value.detail
    assert len(data) == 0  # nothing half-read is kept


def test_integer_offsets_keep_their_datatype() -> None:
    # A pyoxigraph store files xsd:nonNegativeInteger under xsd:integer; sh:datatype must see the original.
    data = DataGraph()
    body = (
        b"<http://x/a> <http://www.w3.org/ns/oa#start> "
        b'"3"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .'
    )
    parse_into(data, body, format_by_name("ntriples"), "doc")
    (value,) = data.graph.objects()
    assert value.datatype == URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")


def _report(severities: list[URIRef]) -> ValidationReport:
    graph = Graph()
    report = BNode()
    graph.add((report, SH.conforms, Literal(not severities)))
    graph.add((report, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), SH.ValidationReport))
    for index, severity in enumerate(severities):
        result = BNode()
        path = BNode()
        graph.add((report, SH.result, result))
        graph.add((result, SH.resultSeverity, severity))
        graph.add((result, SH.focusNode, EX[f"thing/{index}"]))
        graph.add((result, SH.resultPath, path))
        graph.add((path, SH.inversePath, URIRef("https://w3id.org/coopkg/def#hasParagraph")))
        graph.add((result, SH.sourceShape, URIRef("https://w3id.org/coopkg/shapes#Example")))
        graph.add((result, SH.sourceConstraintComponent, SH.MinCountConstraintComponent))
        graph.add((result, SH.resultMessage, Literal("Needs one.", lang="en")))
        graph.add((result, SH.resultMessage, Literal("须有一个。", lang="zh")))
    return ValidationReport.from_graph(graph)


def test_counts_and_fail_on() -> None:
    report = _report([SH.Warning, SH.Violation, SH.Warning])
    assert report.counts == {"violation": 1, "warning": 2, "info": 0}
    assert report.fails_on("violation")
    warnings_only = _report([SH.Warning])
    assert not warnings_only.fails_on("violation")
    assert warnings_only.fails_on("warning")
    assert not _report([]).fails_on("warning")


def test_results_are_sorted_violations_first_with_readable_paths() -> None:
    report = _report([SH.Warning, SH.Violation])
    assert [r.severity for r in report.results] == ["violation", "warning"]
    assert report.results[0].path == "^<https://w3id.org/coopkg/def#hasParagraph>"
    assert report.results[0].message("zh") == "须有一个。"


def test_text_report_groups_by_severity_and_shape() -> None:
    text = render_text(_report([SH.Violation, SH.Violation, SH.Warning]))
    assert text.startswith(
        "Conforms: no (2 violations, 2 warnings, 0 infos)".replace("2 warnings", "1 warning")
    )
    assert "VIOLATION  coopsh:Example  (2)" in text
    assert "WARNING  coopsh:Example  (1)" in text
    assert "id:thing/0" in text


def test_json_report() -> None:
    report = json.loads(render_json(_report([SH.Violation])))
    assert report["conforms"] is False
    assert report["results"][0]["messages"] == [
        {"text": "Needs one.", "language": "en"},
        {"text": "须有一个。", "language": "zh"},
    ]


def test_path_text_of_sequences_and_alternatives() -> None:
    graph = Graph()
    a, b = URIRef("http://x/a"), URIRef("http://x/b")
    sequence = BNode()
    graph.add((sequence, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#first"), a))
    rest = BNode()
    graph.add((sequence, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"), rest))
    graph.add((rest, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#first"), b))
    graph.add(
        (
            rest,
            URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"),
            URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"),
        )
    )
    assert path_text(graph, sequence) == "<http://x/a>/<http://x/b>"
    assert shorten("https://w3id.org/coopkg/def#text") == "coop:text"
