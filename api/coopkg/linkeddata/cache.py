"""A small bounded cache of rendered bytes, keyed with the store's data version.

The graph is read-only while the gateway runs, so a description rendered once stays right until the data
version changes; putting the version in the key makes a reload invalidate everything without bookkeeping.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from threading import Lock
from typing import Generic, TypeVar

V = TypeVar("V")


class VersionedCache(Generic[V]):
    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, Hashable], V] = OrderedDict()
        self._lock = Lock()  # renders run in worker threads

    def get(self, version: str, key: Hashable) -> V | None:
        with self._lock:
            value = self._items.get((version, key))
            if value is not None:
                self._items.move_to_end((version, key))
            return value

    def put(self, version: str, key: Hashable, value: V) -> V:
        with self._lock:
            self._items[(version, key)] = value
            self._items.move_to_end((version, key))
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value
