"""Fixtures of the linked-data tests: the gateway app on the shipped graph (one per session), and the
shipped graph behind the gateway's in-process Store for unit tests of the linked-data layer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from coopkg.store.inprocess import InProcessStore

T = TypeVar("T")


@pytest.fixture(scope="session")
def memory_store(shipped_store: ox.Store) -> InProcessStore:
    return InProcessStore(shipped_store, version="test")


@pytest.fixture(scope="session")
def client() -> Iterator[TestClient]:
    from coopkg.settings import Settings
    from coopkg.web.app import create_app

    with TestClient(create_app(Settings())) as instance:
        yield instance


@pytest.fixture(scope="session")
def run_async() -> Callable[[Coroutine[Any, Any, T]], T]:
    """Run a coroutine to completion on a fresh loop in another thread: the session may already have a loop
    running in this one (Playwright's sync API keeps one while the browser tests' fixtures are open)."""

    def run(coroutine: Coroutine[Any, Any, T]) -> T:
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, coroutine).result()

    return run
