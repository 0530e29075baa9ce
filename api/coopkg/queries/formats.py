"""Writing a query's answer as a text table for people (CJK-aware).

The table is a view: IRIs are shortened with the project's prefixes and long cells are cut with "…". CSV and
SPARQL JSON results, which carry every value whole, are written by pyoxigraph's results writer (the CLI's
`queries.run.run_serialised`, the gateway's stores), one writer for every route.
"""

from __future__ import annotations

import unicodedata

import pyoxigraph as ox

from coopkg.rdf.namespaces import PREFIXES
from coopkg.store.base import SelectResult, Term

# Display prefixes for the table only; CSV and JSON keep full IRIs.
TABLE_PREFIXES = tuple((f"{name}:", PREFIXES[name]) for name in ("id", "coop", "sdg", "xsd"))


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
