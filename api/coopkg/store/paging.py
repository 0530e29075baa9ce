"""Every row of a SELECT query, however small the store's row cap (`COOPKG_MAX_ROWS`), in ordered pages.

The gateway's own queries (the catalogue behind pages and the REST API, the search index's documents) must see
the whole graph, while every answer the embedded store's workers give is cut at the row cap. When an answer
comes back cut, the query is asked again in ordered pages of the cap's size: ordered by every projected
variable, so the pages are a partition of the answer, and the last page is the first that comes back short.
This is how the embedded store implements `Store.select_all`; a remote store reads one whole answer instead
(ordered pages fail on Virtuoso past its `MaxSortedTopRows`).
"""

from __future__ import annotations

from typing import Protocol

from coopkg.store.base import Row, SelectResult


class Selects(Protocol):
    async def select(self, query: str) -> SelectResult: ...


async def read_pages(store: Selects, query: str) -> list[Row]:
    """Every row of `query` (a SELECT without its own ORDER BY, LIMIT or OFFSET)."""
    first = await store.select(query)
    if not first.truncated:
        return first.rows
    page = len(first.rows)
    if page == 0:
        raise RuntimeError("the store cut an answer at 0 rows")
    ordered = f"{query}\nORDER BY {' '.join('?' + v for v in first.variables)}"
    rows: list[Row] = []
    while True:
        result: SelectResult = await store.select(f"{ordered}\nLIMIT {page} OFFSET {len(rows)}")
        rows.extend(result.rows)
        if len(result.rows) < page:
            return rows
