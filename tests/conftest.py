"""Session-wide fixtures shared by every test folder."""

from __future__ import annotations

import pyoxigraph as ox
import pytest


@pytest.fixture(scope="session")
def shipped_store() -> ox.Store:
    """The shipped graph (all named graphs) in an in-memory pyoxigraph store, built once per session."""
    from coopkg.rdf.dataset import load_into, shipped_graphs

    store = ox.Store()
    load_into(store, shipped_graphs())
    return store


@pytest.fixture(scope="session")
def invented_store() -> ox.Store:
    """The shipped graph with the invented programmes of tests/invented/ and the derived graph over both."""
    from invented_programmes import invented_store as build

    return build()
