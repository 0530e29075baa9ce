"""Fixtures of the named-query tests: the shipped registry and the miniature fixture graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from coopkg.queries.registry import QueryRegistry, default_registry

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def registry() -> QueryRegistry:
    return default_registry()


@pytest.fixture(scope="session")
def mini_store() -> ox.Store:
    """The hand-written miniature graph (fixtures/mini-programme.trig), its named graphs kept."""
    store = ox.Store()
    store.load(path=FIXTURES / "mini-programme.trig", format=ox.RdfFormat.TRIG)
    return store
