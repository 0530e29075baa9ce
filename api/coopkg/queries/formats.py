"""Writing a query's answer as a text table (for people, CJK-aware), CSV, or SPARQL 1.1 JSON results.

The table is a view: IRIs are shortened with the project's prefixes and long cells are cut with "…" (never in
CSV or JSON, which carry every value whole).
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata

import pyoxigraph as ox

from coopkg.rdf.namespaces import PREFIXES
from coopkg.store.base import SelectResult, Term

# Display prefixes for the table only; CSV and JSON keep full IRIs.
TABLE_PREFIXES = tuple((f"{name}:", PREFIXES[name]) for name in ("id", "coop", "sdg", "xsd"))
_XSD_STRING = PREFIXES["xsd"] + "string"


def display_width(text: str) -> int:
    """Terminal columns `text` takes: wide and full-width characters (CJK) take two, combining marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _cut(text: str, limit: int, *, keep_end: bool = False) -> str:
    """`text` cut to `limit` columns with "…"; an IRI keeps its end, where IRIs of one kind differ."""
    if limit <= 0 or display_width(text) <= limit:
        return text
    kept: list[str] = []
    width = 0
    for char in reversed(text) if keep_end else text:
        char_width = display_width(char)
        if width + char_width > limit - 1:
            break
        kept.append(char)
        width += char_width
    return "…" + "".join(reversed(kept)) if keep_end else "".join(kept) + "…"


def _table_cell(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in TABLE_PREFIXES:
            if term.value.startswith(namespace):
                return prefix + term.value[len(namespace) :]
        return term.value
    text = term.value if isinstance(term, ox.Literal | ox.BlankNode) else str(term)
    # Quotes keep the source's raw line breaks; show them rather than break the table's rows.
    return text.replace("\r\n", "↵").replace("\n", "↵").replace("\r", "↵").replace("\t", " ")


def _table_text(term: Term | None, max_width: int) -> str:
    return _cut(_table_cell(term), max_width, keep_end=isinstance(term, ox.NamedNode))


def to_table(result: SelectResult, max_width: int = 60) -> str:
    """A plain-text table padded by display width; cells wider than `max_width` are cut (0: never)."""
    header = list(result.variables)
    body = [[_table_text(row.get(name), max_width) for name in header] for row in result.rows]
    columns = zip(header, *body, strict=True)
    widths = [max(display_width(cell) for cell in column) for column in columns]

    def line(cells: list[str]) -> str:
        pairs = zip(cells, widths, strict=True)
        return "  ".join(cell + " " * (width - display_width(cell)) for cell, width in pairs).rstrip()

    lines = [line(header), "  ".join("-" * width for width in widths)]
    lines += [line(cells) for cells in body]
    count = len(result.rows)
    lines.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(lines) + "\n"


def _plain(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode):
        return term.value
    return str(term)


def to_csv(result: SelectResult) -> str:
    """CSV with a header row of variable names; IRIs and literal values whole, empty cells for unbound."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_plain(row.get(name)) for name in result.variables])
    return buffer.getvalue()


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        encoded: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            encoded["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            encoded["datatype"] = term.datatype.value
        return encoded
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def to_json(result: SelectResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    document = {
        "head": {"vars": list(result.variables)},
        "results": {
            "bindings": [{name: _json_term(term) for name, term in row.items()} for row in result.rows],
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
