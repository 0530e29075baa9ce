"""The page-internal SPARQL of this package (`api/coopkg/linkeddata/sparql/*.rq`), read once on first use."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_DIR = Path(__file__).resolve().parent / "sparql"


@cache
def query_text(name: str) -> str:
    """The text of `sparql/{name}.rq`; a missing file is a packaging defect and raises FileNotFoundError."""
    return (_DIR / f"{name}.rq").read_text(encoding="utf-8")
