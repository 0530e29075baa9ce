"""The worker's query engine: rows cut at the limit natively, whatever the serialiser's block sizes."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from coopkg.store.engine import Job, _Enough, _RowLimitedTsv, prepare

EX = "http://example.org/"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for i in range(50):
        # Line breaks and tabs inside literals must not count as rows (TSV escapes them).
        text = ox.Literal(f"line one\nline two\tcell {i}", language="en")
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i:02d}"), ox.NamedNode(f"{EX}p"), text))
    return store


def run(store: ox.Store, query: str, media_type: str, limit: int) -> tuple[bool, bytes]:
    prepared = prepare(store, Job(query, "select", media_type, limit, union_default_graph=True))
    out = io.BytesIO()
    prepared.write(out)
    return prepared.truncated, out.getvalue()


@pytest.mark.parametrize(("limit", "truncated", "rows"), [(10, True, 10), (49, True, 49), (50, False, 50)])
def test_rows_are_cut_at_the_limit(store: ox.Store, limit: int, truncated: bool, rows: int) -> None:
    query = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"
    cut, body = run(store, query, "text/tab-separated-values", limit)
    assert cut is truncated
    lines = body.decode().splitlines()
    assert lines[0] == "?s\t?o"
    assert len(lines) == rows + 1
    assert lines[1].startswith(f"<{EX}s00>\t")
    assert "\\n" in lines[1]  # the literal's line break, escaped


def test_other_formats_carry_the_same_rows(store: ox.Store) -> None:
    query = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"
    cut, body = run(store, query, "application/sparql-results+json", 3)
    assert cut is True
    solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    assert isinstance(solutions, ox.QuerySolutions)
    rows = [(str(row["s"]), row["o"]) for row in solutions]
    assert [s for s, _ in rows] == [f"<{EX}s00>", f"<{EX}s01>", f"<{EX}s02>"]
    assert rows[0][1] == ox.Literal("line one\nline two\tcell 0", language="en")


def test_the_limit_is_found_inside_a_block_and_later_blocks_are_refused() -> None:
    sink = _RowLimitedTsv(2)
    assert sink.write(b"?x\n<a>\n") == 7
    with pytest.raises(_Enough):
        sink.write(b"<b>\n<c>\n<d>\n")
    assert bytes(sink.data) == b"?x\n<a>\n<b>\n"
    assert sink.truncated
    with pytest.raises(_Enough):  # the serialiser flushing its buffer again while it unwinds
        sink.write(b"<b>\n<c>\n<d>\n")
    assert bytes(sink.data) == b"?x\n<a>\n<b>\n"
