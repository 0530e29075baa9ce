"""Fixtures of the search tests: the index of the shipped graph (built once, through the store protocol)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from coopkg.search.index import SearchIndex
from coopkg.search.local import index_for

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shipped_index(shipped_store: ox.Store) -> SearchIndex:
    return index_for(shipped_store)


@pytest.fixture(scope="session")
def gaps_store() -> ox.Store:
    store = ox.Store()
    store.load(path=FIXTURES / "bilingual-gaps.trig", format=ox.RdfFormat.TRIG)
    return store
