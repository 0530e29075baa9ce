"""The index of the store's current data version, built once and shared.

Built when the data loads (the gateway's start-up calls `index()` before it serves) and again only when the
store's data version changes (a remote store's data can). With a directory (`COOPKG_SEARCH_DIR`), the index is
a file named after the data version: every process that serves or searches the same data (gateways,
`coopkg search`, a restart) opens that file instead of building it again. Without one it lives in the
gateway's memory. Query workers never hold it: search runs in the gateway process, over the index, not in
the store.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from pathlib import Path

import anyio

from coopkg.search.documents import document_batches
from coopkg.search.index import FORMAT, IndexWriter, SearchIndex
from coopkg.store.base import Store

log = logging.getLogger("coopkg.search")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


class SearchService:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self._index: SearchIndex | None = None
        self._lock = asyncio.Lock()
        self.last_build_seconds: float | None = None

    def path_for(self, version: str) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / f"{FORMAT}-{_UNSAFE.sub('_', version)}.sqlite"

    async def index(self, store: Store) -> SearchIndex:
        """The index of `store`'s current data version (built, or opened from the shared file, once)."""
        version = store.version
        current = self._index
        if current is not None and current.version == version:
            return current
        async with self._lock:
            if self._index is None:
                # The first build: the data version as the store has it now (a remote store reads it on its
                # health check; before that it is a per-process token, and an index labelled with it would
                # be built again as soon as the real version is known).
                await store.health()
            version = store.version  # again: a caller that waited here read it before the first build
            if self._index is None or self._index.version != version:
                previous = self._index
                self._index = await self._open_or_build(store, version)
                if previous is not None:
                    previous.close()
            return self._index

    async def _open_or_build(self, store: Store, version: str) -> SearchIndex:
        path = self.path_for(version)
        if path is not None and path.is_file():
            try:
                return await anyio.to_thread.run_sync(SearchIndex.open, path, version)
            except ValueError as error:
                log.warning("search index %s not reused (%s): building it again", path, error)
        started = time.perf_counter()
        writer = await anyio.to_thread.run_sync(IndexWriter, path)
        indexing = 0.0  # seconds spent indexing (the rest is reading from the store)
        try:
            # One batch at a time (the next one is read meanwhile): never every document in memory at once.
            async for batch in document_batches(store):
                began = time.perf_counter()
                await anyio.to_thread.run_sync(writer.add, batch)
                indexing += time.perf_counter() - began
            began = time.perf_counter()
            index = await anyio.to_thread.run_sync(writer.finish, version)
            indexing += time.perf_counter() - began
        except BaseException:
            await anyio.to_thread.run_sync(writer.discard)
            raise
        self.last_build_seconds = time.perf_counter() - started
        log.info(
            "search index of data version %s: %d documents in %.2f s (%.2f s of it indexing)%s",
            version,
            len(writer),
            self.last_build_seconds,
            indexing,
            f" ({path})" if path else "",
        )
        return index

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
