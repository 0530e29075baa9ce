"""Fixtures of the linked-data tests: the gateway app on the shipped graph (one per session), and the
shipped graph behind the gateway's in-process Store for unit tests of the linked-data layer."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.store.inprocess import InProcessStore


@pytest.fixture(scope="session")
def memory_store(shipped_store: ox.Store) -> InProcessStore:
    return InProcessStore(shipped_store, version="test")


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    from api.app import create_app
    from api.settings import Settings

    with TestClient(create_app(Settings())) as instance:
        yield instance
