"""The validation report: pySHACL's report graph, and a flat model of its results for people and JSON."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from coopkg.rdf.namespaces import SH as SHACL

SH = Namespace(SHACL)
SEVERITIES: dict[Node, str] = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
SEVERITY_ORDER = ("violation", "warning", "info")


@dataclass(frozen=True)
class Message:
    text: str
    language: str | None


@dataclass(frozen=True)
class Result:
    severity: str  # violation | warning | info
    focus_node: str
    path: str | None  # an IRI, or a SPARQL property path for complex paths
    value: str | None  # N-Triples-like: <iri>, "literal"@lang, _:blank
    messages: tuple[Message, ...]
    source_shape: str
    constraint_component: str

    def message(self, language: str = "en") -> str:
        """The message in `language` (pySHACL drops tags from SPARQL messages: then guess by script)."""
        for message in self.messages:
            if message.language == language:
                return message.text
        for message in self.messages:
            if message.language is None and _is_chinese(message.text) == (language == "zh"):
                return message.text
        return self.messages[0].text if self.messages else ""


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    results: tuple[Result, ...]
    graph: Graph  # the sh:ValidationReport as pySHACL builds it

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(r.severity for r in self.results)
        return {severity: counted.get(severity, 0) for severity in SEVERITY_ORDER}

    def fails_on(self, threshold: str) -> bool:
        """True when a result is at least as severe as `threshold` ("violation" or "warning")."""
        levels = SEVERITY_ORDER[: SEVERITY_ORDER.index(threshold) + 1]
        return any(r.severity in levels for r in self.results)

    @classmethod
    def from_graph(cls, graph: Graph) -> ValidationReport:
        report_node = next(graph.subjects(RDF.type, SH.ValidationReport))
        conforms = graph.value(report_node, SH.conforms)
        results = [_result(graph, node) for node in graph.objects(report_node, SH.result)]
        results.sort(
            key=lambda r: (
                SEVERITY_ORDER.index(r.severity) if r.severity in SEVERITY_ORDER else len(SEVERITY_ORDER),
                r.source_shape,
                r.focus_node,
                r.path or "",
                r.value or "",
                r.constraint_component,
            )
        )
        return cls(
            conforms=bool(conforms.toPython()) if isinstance(conforms, Literal) else not results,
            results=tuple(results),
            graph=graph,
        )


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def term_text(node: Node | None) -> str:
    if isinstance(node, URIRef):
        return str(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        return node.n3()
    return str(node)


def path_text(graph: Graph, path: Node) -> str:
    """A result path as SPARQL property-path text (`^p`, `p/q`, `p*`...); IRIs in brackets when complex."""
    if isinstance(path, URIRef):
        return str(path)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_path_part(graph, inverse)}"
    for predicate, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, predicate)
        if inner is not None:
            return f"{_path_part(graph, inner)}{suffix}"
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_path_part(graph, p) for p in graph.items(alternatives))
    return "/".join(_path_part(graph, p) for p in graph.items(path))


def _path_part(graph: Graph, path: Node) -> str:
    return f"<{path}>" if isinstance(path, URIRef) else f"({path_text(graph, path)})"


def _result(graph: Graph, node: Node) -> Result:
    severity = graph.value(node, SH.resultSeverity)
    path = graph.value(node, SH.resultPath)
    value = graph.value(node, SH.value)
    messages = tuple(
        sorted(
            (
                Message(str(m), m.language)
                for m in graph.objects(node, SH.resultMessage)
                if isinstance(m, Literal)
            ),
            key=lambda m: (m.language or "", m.text),
        )
    )
    return Result(
        severity=SEVERITIES.get(severity, str(severity)) if severity is not None else "violation",
        focus_node=term_text(graph.value(node, SH.focusNode)),
        path=path_text(graph, path) if path is not None else None,
        value=term_text(value) if value is not None else None,
        messages=messages,
        source_shape=term_text(graph.value(node, SH.sourceShape)),
        constraint_component=term_text(graph.value(node, SH.sourceConstraintComponent)),
    )
