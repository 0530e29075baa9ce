"""The search index of a pyoxigraph store in this process, for `coopkg query` and `coopkg search` (which load
the graph themselves) and for tests: built through the same store protocol as the gateway's, once per store.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from coopkg.search.index import SearchIndex
from coopkg.search.service import SearchService
from coopkg.store.inprocess import InProcessStore

_built: dict[int, tuple[ox.Store, SearchIndex]] = {}
_lock = threading.Lock()


def index_for(store: ox.Store, version: str | None = None, directory: Path | None = None) -> SearchIndex:
    """The index of `store` (whose data must not change afterwards), built on first use.

    `version` names the data (the fingerprint of its files), so that an index file in `directory` is
    reused by every process that loads the same data; without it the index is this process's own.
    """
    with _lock:
        found = _built.get(id(store))
        if found is not None and found[0] is store:
            return found[1]
        wrapped = InProcessStore(store, version=version or f"local-{id(store)}", max_rows=100_000)
        service = SearchService(directory if version else None)
        # In a thread of its own: the caller may be inside a running event loop (a test, a notebook).
        with ThreadPoolExecutor(max_workers=1) as pool:
            index = pool.submit(asyncio.run, service.index(wrapped)).result()
        _built[id(store)] = (store, index)
        return index
