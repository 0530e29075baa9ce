"""The search index's own reads of the store (api/coopkg/search/sparql/*.rq): the index is built in the
background when the data loads (and again when the data version changes), so tests that count or record what
a request sends to the store leave these out."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_SEARCH_SPARQL = Path(__file__).resolve().parents[1] / "api" / "coopkg" / "search" / "sparql"


@cache
def _openings() -> tuple[str, ...]:
    return tuple(
        path.read_text(encoding="utf-8").splitlines()[0] for path in sorted(_SEARCH_SPARQL.glob("*.rq"))
    )


def is_search_index_query(text: str) -> bool:
    """Whether `text` is one of the search index's reads (each opens with its file's first comment line)."""
    first = text.lstrip().split("\n", 1)[0]
    return first in _openings()
