"""The catalogues of the store's current data version: the directory once, each programme's commitments on
first use (kept for the `programmes` most recently used), and every commitment only when a page or listing
really spans the whole graph.

A page of one programme in a graph of thousands then waits for its own commitments (milliseconds), not for
all of them (minutes and gigabytes at 10M triples; docs/scaling.md). Concurrent requests for the same
programme share one read.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Iterable

from coopkg.linkeddata.catalogue import Catalogue, Commitment, Directory
from coopkg.linkeddata.catalogue_reading import load, read_commitments, read_directory
from coopkg.store.base import Store

Slices = dict[str, list[Commitment]]  # programme -> its commitments


class CatalogueCache:
    def __init__(self, programmes: int = 256) -> None:
        """`programmes`: how many programmes' commitments are kept; a request for more reads them all."""
        self._limit = programmes
        self._version: str | None = None
        self._directory: Directory | None = None
        self._whole: Catalogue | None = None
        self._slices: OrderedDict[str, list[Commitment]] = OrderedDict()
        self._reading: dict[str, asyncio.Task[Slices]] = {}  # programme -> the read that brings it
        # Two locks: a page of one programme must not wait while every commitment is read for a listing.
        self._directory_lock = asyncio.Lock()
        self._whole_lock = asyncio.Lock()

    @property
    def holds_every_commitment(self) -> bool:
        """True once something needed the whole graph's commitments (until the data version changes)."""
        return self._whole is not None

    async def directory(self, store: Store) -> Directory:
        """Everything but the commitments: labels, things, programmes' facts and the counts of links."""
        while True:  # until a read finishes under the data version it began with
            version = self._current(store)
            async with self._directory_lock:
                if self._directory is not None and self._current(store) == version:
                    return self._directory
                directory = await read_directory(store)
                if self._current(store) == version:
                    self._directory = self._directory or directory
                    return self._directory

    async def whole(self, store: Store) -> Catalogue:
        """Every commitment of the graph (for listings and pages across all programmes)."""
        while True:
            version = self._current(store)
            async with self._whole_lock:
                if self._whole is not None and self._current(store) == version:
                    return self._whole
                whole = await load(store, self._directory)
                if self._current(store) == version:
                    self._whole, self._directory = whole, self._directory or whole.directory
                    self._slices.clear()  # the whole catalogue answers every programme from now on
                    return self._whole

    async def of(self, store: Store, programmes: Iterable[str]) -> Catalogue:
        """A catalogue with the commitments of `programmes` (and the whole graph's directory)."""
        wanted = sorted(set(programmes))
        directory = await self.directory(store)
        if self._whole is not None or len(wanted) > self._limit:
            return await self.whole(store)
        version = self._current(store)
        found: Slices = {p: self._slices[p] for p in wanted if p in self._slices}
        for programme in found:
            self._slices.move_to_end(programme)
        missing = [p for p in wanted if p not in found and p not in self._reading]
        if missing:
            task = asyncio.ensure_future(read_commitments(store, missing))
            for programme in missing:
                self._reading[programme] = task
            task.add_done_callback(lambda done: self._keep(version, missing, done))
        # Each read is a task of its own, shielded: a client that goes away does not cancel what other
        # requests for the same programmes wait for.
        for task in {self._reading[p] for p in wanted if p not in found and p in self._reading}:
            answer = await asyncio.shield(task)
            found |= {p: answer[p] for p in wanted if p in answer}
        if self._current(store) != version:  # the data changed meanwhile: read what the new version holds
            return await self.of(store, wanted)
        commitments = [c for p in wanted for c in found[p]]
        return Catalogue(commitments, {}, {}, directory=directory, read=wanted)

    def _current(self, store: Store) -> str:
        """The store's data version; everything kept for an older one is dropped first."""
        version = store.version
        if self._version != version:
            self._version, self._directory, self._whole = version, None, None
            self._slices.clear()
            self._reading.clear()
        return version

    def _keep(self, version: str, programmes: list[str], done: asyncio.Task[Slices]) -> None:
        for programme in programmes:
            if self._reading.get(programme) is done:
                del self._reading[programme]
        if done.cancelled() or done.exception() is not None or version != self._version:
            return
        for programme, commitments in done.result().items():
            self._slices[programme] = commitments
            self._slices.move_to_end(programme)
        while len(self._slices) > self._limit:
            self._slices.popitem(last=False)
