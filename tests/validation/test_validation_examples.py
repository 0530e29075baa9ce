"""The valid and invalid examples: each invalid file breaks exactly one shape, at the focus node it names."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace
from validation_examples import INVALID_DIR, SHAPES_NS, VALID_DIR, expectations, invalid_files

from coopkg.validation.run import validate_files
from coopkg.validation.shapes import read_shapes_graph, shape_files

SH = Namespace("http://www.w3.org/ns/shacl#")
# Shapes that only serve inside sh:or / sh:qualifiedValueShape: their failures are reported by the shape
# that uses them, which has its own invalid example.
HELPER_SHAPES = {
    "ZhLiteral",
    "EnLiteral",
}
# Parameters that are not constraints: a shape with nothing else reports nothing itself.
_NOT_CONSTRAINTS = {
    *(SH.targetClass, SH.targetSubjectsOf, SH.targetNode, SH.targetObjectsOf),
    *(SH.property, SH.message, SH.severity, SH.path),
}


def test_the_valid_example_conforms(valid_file: Path) -> None:
    report = validate_files([valid_file])
    assert report.conforms, [(r.source_shape, r.focus_node, r.message()) for r in report.results]
    assert report.results == ()


def test_the_example_is_not_the_shipped_programme(valid_file: Path) -> None:
    text = valid_file.read_text(encoding="utf-8")
    assert "programme/test-fixture-2024-2025" in text
    assert "cn-dk-green" not in text
    assert "虚构" in (VALID_DIR / "sources" / "test-fixture-2024-2025.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", invalid_files(), ids=lambda p: p.stem)
def test_an_invalid_example_breaks_exactly_its_shape(path: Path) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} has no '# expect:' header"
    report = validate_files([path], source_dirs=[VALID_DIR])
    reported = {(r.source_shape, r.focus_node) for r in report.results}
    assert reported == expected
    assert not report.conforms


def _reportable_shapes() -> set[str]:
    graph = read_shapes_graph(shape_files())
    shapes = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type, SH.PropertyShape))
    reportable = set()
    for shape in shapes:
        name = str(shape).removeprefix(SHAPES_NS)
        if name == str(shape) or name in HELPER_SHAPES:
            continue
        if any(
            p not in _NOT_CONSTRAINTS for p in graph.predicates(shape, None) if str(p).startswith(str(SH))
        ):
            reportable.add(str(shape))
    return reportable


def test_every_constraint_has_an_invalid_example() -> None:
    covered = {shape for path in invalid_files() for shape, _ in expectations(path)}
    missing = _reportable_shapes() - covered
    assert not missing, f"no file in {INVALID_DIR} breaks {sorted(missing)}"
    assert len(invalid_files()) >= len(_reportable_shapes())


def test_the_examples_parse() -> None:
    for path in [VALID_DIR / "test-fixture-2024-2025.ttl", *invalid_files()]:
        assert len(Graph().parse(path, format="turtle")) > 100, path
