"""The report for people (a table grouped by severity and shape) and for programs (JSON, Turtle, JSON-LD)."""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import groupby
from typing import Any

from coopkg.rdf.namespaces import PREFIXES, SH, SHAPES
from coopkg.validation.report import SEVERITY_ORDER, Result, ValidationReport

# Short names make the table readable; JSON and RDF keep full IRIs.
# (sdgo before sdg: the longer namespace first, it starts with the other)
_PREFIXES = {
    PREFIXES["coop"]: "coop:",
    PREFIXES["id"]: "id:",
    SHAPES: "coopsh:",
    **{
        PREFIXES[name]: f"{name}:"
        for name in ("sdgo", "sdg", "oa", "prov", "time", "skos", "dct", "rdfs", "rdf")
    },
    SH: "sh:",
}
_MAX_CELL = 60


def shorten(text: str | None) -> str:
    if text is None:
        return "-"
    for namespace, prefix in _PREFIXES.items():
        text = text.replace(f"<{namespace}", f"<{prefix}")
        if text.startswith(namespace):
            text = prefix + text[len(namespace) :]
    return text


def _cell(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


def render_text(report: ValidationReport, *, language: str = "en") -> str:
    counts = report.counts
    summary = ", ".join(f"{counts[s]} {s}{'' if counts[s] == 1 else 's'}" for s in SEVERITY_ORDER)
    lines = [f"Conforms: {'yes' if report.conforms else 'no'} ({summary})"]

    def group_key(result: Result) -> tuple[str, str]:
        return result.severity, result.source_shape

    for (severity, shape), group in groupby(report.results, key=group_key):
        results = list(group)
        lines += ["", f"{severity.upper()}  {shorten(shape)}  ({len(results)})"]
        lines.append(f"  {results[0].message(language)}")
        rows = [("focus node", "path", "value", "message")]
        rows += [
            (
                _cell(shorten(r.focus_node)),
                _cell(shorten(r.path)),
                _cell(shorten(r.value)),
                _cell(r.message(language)),
            )
            for r in results
        ]
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            cells = [row[i] + " " * (widths[i] - _width(row[i])) for i in range(3)]
            lines.append("  " + " | ".join([*cells, row[3]]))
    return "\n".join(lines) + "\n"


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if "\u2e80" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uff60" else 1 for ch in text)


def report_as_dict(report: ValidationReport) -> dict[str, Any]:
    return {
        "conforms": report.conforms,
        "counts": report.counts,
        "results": [
            {
                "severity": r.severity,
                "focusNode": r.focus_node,
                "path": r.path,
                "value": r.value,
                "message": r.message("en"),
                "messages": [{"text": m.text, "language": m.language} for m in r.messages],
                "sourceShape": r.source_shape,
                "constraintComponent": r.constraint_component,
            }
            for r in report.results
        ],
    }


def render_json(report: ValidationReport) -> str:
    return json.dumps(report_as_dict(report), ensure_ascii=False, indent=2) + "\n"


def render_turtle(report: ValidationReport) -> str:
    return str(report.graph.serialize(format="turtle"))


def render_jsonld(report: ValidationReport) -> str:
    # rdflib's JSON-LD serialiser writes what it has; it never fetches a context.
    return str(report.graph.serialize(format="json-ld", indent=2))


RENDERERS: dict[str, Callable[[ValidationReport], str]] = {
    "text": render_text,
    "json": render_json,
    "turtle": render_turtle,
    "jsonld": render_jsonld,
}
