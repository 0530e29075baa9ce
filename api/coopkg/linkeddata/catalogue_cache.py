"""The catalogues of the store's current data version: the directory once, each programme's commitments on
first use (kept for the `programmes` most recently used), and every commitment only when a page or listing
really spans the whole graph.

A page of one programme in a graph of thousands then waits for its own commitments (milliseconds), not for
all of them (minutes and gigabytes at 10M triples; docs/scaling.md). Concurrent requests for the same
programme share one read. The directory counts links to things many programmes share (frameworks, agencies,
SDG targets and goals) for the whole graph only; which programmes link to one of them is one small query
when a page asks, kept per data version.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Iterable

from coopkg.linkeddata.catalogue import Catalogue, Commitment, Directory
from coopkg.linkeddata.catalogue_reading import (
    load,
    read_commitments,
    read_directory,
    read_linking_programmes,
)
from coopkg.store.base import Store

Slices = dict[str, list[Commitment]]  # programme -> its commitments
LINKING_KEPT = 1024  # answers of which programmes link to shared things, kept per data version


class CatalogueCache:
    def __init__(self, programmes: int = 256) -> None:
        """`programmes`: how many programmes' commitments are kept; a request for more reads them all."""
        self._limit = programmes
        self._version: str | None = None
        self._directory: Directory | None = None
        self._whole: Catalogue | None = None
        self._slices: OrderedDict[str, list[Commitment]] = OrderedDict()
        self._reading: dict[str, asyncio.Task[Slices]] = {}  # programme -> the read that brings it
        self._linking: OrderedDict[tuple[str, tuple[str, ...]], frozenset[str]] = OrderedDict()
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
        self._current(store)  # drops what an older data version left, the whole catalogue too
        if self._whole is not None or len(wanted) > self._limit:
            return await self.whole(store)  # which reads the directory with it when there is none yet
        directory = await self.directory(store)
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

    async def programmes_linked(self, store: Store, kind: str, things: Iterable[str]) -> frozenset[str]:
        """The programmes with a commitment that links to one of `things` this way: from the directory's
        links where they say it (a programme's own things, or every kind once every commitment is read), else
        one query, kept per data version."""
        wanted = tuple(sorted(set(things)))
        directory = await self.directory(store)
        links = self._whole.links if self._whole is not None else directory.links
        if links.by_programme(kind):
            return frozenset().union(*(links.programmes(kind, thing) for thing in wanted))
        if not wanted:
            return frozenset()
        version = self._current(store)
        key = (kind, wanted)
        found = self._linking.get(key)
        if found is None:
            found = await read_linking_programmes(store, kind, wanted)
            if self._current(store) != version:  # the data changed meanwhile: ask the new version
                return await self.programmes_linked(store, kind, wanted)
            self._linking[key] = found
            while len(self._linking) > LINKING_KEPT:
                self._linking.popitem(last=False)
        self._linking.move_to_end(key)
        return found

    async def programmes_under(self, store: Store, framework: str) -> frozenset[str]:
        """The programmes with a commitment that cites `framework` or is aligned to it or one of its parts
        (a Paris Agreement article is `<framework>/article-...`)."""
        targets = (await self.directory(store)).links.linked("target")
        parts = [t for t in targets if t == framework or t.startswith(framework + "/")]
        cite, align = await asyncio.gather(
            self.programmes_linked(store, "framework", [framework]),
            self.programmes_linked(store, "target", parts),
        )
        return cite | align

    def _current(self, store: Store) -> str:
        """The store's data version; everything kept for an older one is dropped first."""
        version = store.version
        if self._version != version:
            self._version, self._directory, self._whole = version, None, None
            self._slices.clear()
            self._reading.clear()
            self._linking.clear()
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
