"""Who gets the next free query worker: a fair queue across clients, with capacity kept for cheap queries.

First come, first served lets one client that opens many connections take every worker for as long as it
likes; everyone else waits behind it. Here each client has its own line, and a free worker goes to the next
client in turn (round robin), so a client with twenty queries waiting is served as often as one with one.

Fair turns are not enough when the turns are long: with every worker busy on ten-second queries, a light
query still waits up to ten seconds. So queries have a cost class. A query predicted *heavy* (see
`CostMemory`) may only take a worker while fewer than `size - reserved` heavy queries run: the last
`reserved` workers are kept for queries predicted *light*, which are also served first. A light query that
turns out slow is moved to the heavy class once it has run `light_time` (the pool stops and re-queues it
when no heavy place is free), so a wrong prediction costs the kept workers at most that long.

`CLIENT` names the client of the current request (set by the web layer, `coopkg.web.client_address`); the
pool reads it, so no store method needs a new parameter. Nothing here touches processes: the pool hands in
its workers, which makes this module testable on its own.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from coopkg.errors import QueueFull, StoreUnavailable

# The client of the request being served (an address, or an IPv6 /64); None outside a request (start-up,
# internal checks), which is never limited.
CLIENT: ContextVar[str | None] = ContextVar("coopkg_client", default=None)
# The request being served (any object unique to it): the queries one request runs together, as a page that
# gathers several, take one of its client's concurrency places, not one each.
REQUEST: ContextVar[object | None] = ContextVar("coopkg_request", default=None)

W = TypeVar("W")
K = TypeVar("K", bound=Hashable)
_ANONYMOUS = ""  # the line of work done outside any request


@dataclass(eq=False)
class _Waiter(Generic[W]):
    client: str
    heavy: bool
    future: asyncio.Future[W] = field(repr=False)
    key: Hashable | None = None  # what its cost is predicted by (a query's fingerprint)


class FairQueue(Generic[W]):
    """Idle workers, and per-client lines of queries waiting for one."""

    def __init__(
        self,
        size: int,
        *,
        reserved: int = 0,
        max_waiting: int = 64,
        predict: Callable[[str | None, Hashable], bool] | None = None,
    ) -> None:
        self.size = size
        # Asked again when a light query's turn comes: what was learnt while it waited (an identical query
        # stopped for running long, say) moves it to the heavy line instead of onto a kept worker.
        self.predict = predict
        # Heavy queries never hold the last `reserved` workers; with one worker there is nothing to keep.
        self.heavy_slots = max(1, size - reserved)
        self.max_waiting = max_waiting
        self._idle: deque[W] = deque()
        self._lines: dict[bool, OrderedDict[str, deque[_Waiter[W]]]] = {
            False: OrderedDict(),
            True: OrderedDict(),
        }
        self._waiting = {False: 0, True: 0}
        self.heavy_running = 0

    @property
    def waiting(self) -> int:
        return self._waiting[False] + self._waiting[True]

    @property
    def idle(self) -> int:
        return len(self._idle)

    def add(self, worker: W) -> None:
        """A worker is free (new, replaced, or done with its query)."""
        self._idle.append(worker)
        self._dispatch()

    def finished(self, heavy: bool) -> None:
        """A query stopped holding its worker (before the worker itself is added back or replaced)."""
        if heavy:
            self.heavy_running -= 1
            self._dispatch()

    def promote(self) -> bool:
        """A light query ran past its time: count it heavy if a heavy place is free (else the caller stops
        it and queues it again as heavy)."""
        if self.heavy_running < self.heavy_slots:
            self.heavy_running += 1
            return True
        return False

    async def acquire(
        self, client: str | None, heavy: bool, timeout: float, *, again: bool = False, key: Hashable = None
    ) -> tuple[W, bool]:
        """The next worker for this client's query, within `timeout` seconds.

        QueueFull at once when `max_waiting` queries of its class already wait (each class has its own
        room, so a flood of heavy queries never fills the line of light ones), unless the query comes
        `again` (it was stopped to free a kept worker: it keeps its place in the request);
        StoreUnavailable when no worker came in time. The worker comes with the query's class, which may
        have become heavy while it waited (see `predict`); a heavy query holds a heavy place until
        `finished(True)`."""
        loop = asyncio.get_running_loop()
        waiter: _Waiter[W] = _Waiter(client or _ANONYMOUS, heavy, loop.create_future(), key)
        line = self._lines[heavy].setdefault(waiter.client, deque())
        line.append(waiter)
        self._waiting[heavy] += 1
        self._dispatch()
        if not waiter.future.done() and not again and self._waiting[heavy] > self.max_waiting:
            self._withdraw(waiter)
            raise QueueFull(
                f"{self.max_waiting} queries like this one are already waiting for a worker "
                "(COOPKG_QUEUE_LIMIT); retry in a few seconds.",
                headers={"Retry-After": "2"},
            )
        try:
            async with asyncio.timeout(max(timeout, 0.0)):
                # Shielded: a timeout or a cancelled request must not cancel a worker already handed over.
                return await asyncio.shield(waiter.future), waiter.heavy
        except TimeoutError:
            if waiter.future.done():  # handed a worker at the very last moment: use it
                return waiter.future.result(), waiter.heavy
            self._withdraw(waiter)
            raise StoreUnavailable(
                f"No query worker was free within {timeout:g} s (waiting counts against the query's time "
                "limit); retry shortly.",
                headers={"Retry-After": "5"},
            ) from None
        except asyncio.CancelledError:
            if waiter.future.done() and not waiter.future.cancelled():
                self._give_back(waiter)
            else:
                self._withdraw(waiter)
            raise

    def _withdraw(self, waiter: _Waiter[W]) -> None:
        lines = self._lines[waiter.heavy]
        line = lines.get(waiter.client)
        if line is not None and waiter in line:
            line.remove(waiter)
            self._waiting[waiter.heavy] -= 1
            if not line:
                del lines[waiter.client]
        waiter.future.cancel()

    def _give_back(self, waiter: _Waiter[W]) -> None:
        """A worker went to a request that was cancelled meanwhile: it is free again."""
        if waiter.heavy:
            self.heavy_running -= 1
        self.add(waiter.future.result())

    def _next(self, heavy: bool) -> _Waiter[W] | None:
        lines = self._lines[heavy]
        if not lines:
            return None
        client, line = next(iter(lines.items()))
        waiter = line.popleft()
        self._waiting[heavy] -= 1
        if line:
            lines.move_to_end(client)  # this client's turn is over: to the back of the round
        else:
            del lines[client]
        return waiter

    def _dispatch(self) -> None:
        while self._idle:
            waiter = self._next(heavy=False)
            if waiter is not None and self._now_heavy(waiter):
                waiter.heavy = True
                self._lines[True].setdefault(waiter.client, deque()).append(waiter)
                self._waiting[True] += 1
                continue
            if waiter is None and self.heavy_running < self.heavy_slots:
                waiter = self._next(heavy=True)
            if waiter is None:
                return
            if waiter.heavy:
                self.heavy_running += 1
            waiter.future.set_result(self._idle.popleft())

    def _now_heavy(self, waiter: _Waiter[W]) -> bool:
        return self.predict is not None and waiter.key is not None and self.predict(waiter.client, waiter.key)


class CostMemory:
    """Predicts whether a query is heavy: by what the same query cost before, else by what this client's
    queries have cost lately (a moving average). A query never seen from a client never seen is light.

    Both memories are bounded (least recently used entries are forgotten)."""

    def __init__(self, light_time: float, capacity: int = 4096) -> None:
        self.light_time = light_time
        self.capacity = capacity
        self._queries: OrderedDict[Hashable, float] = OrderedDict()
        self._clients: OrderedDict[str, float] = OrderedDict()

    def heavy(self, client: str | None, fingerprint: Hashable) -> bool:
        known = self._queries.get(fingerprint)
        if known is not None:
            return known >= self.light_time
        return self._clients.get(client or _ANONYMOUS, 0.0) >= self.light_time

    def record(self, client: str | None, fingerprint: Hashable, seconds: float) -> None:
        _remember(self._queries, fingerprint, seconds, self.capacity)
        name = client or _ANONYMOUS
        previous = self._clients.get(name)
        # Recent queries weigh most: a client that stops flooding is light again after a few cheap ones.
        average = seconds if previous is None else 0.5 * previous + 0.5 * seconds
        _remember(self._clients, name, average, self.capacity)


def _remember(memory: OrderedDict[K, float], key: K, value: float, capacity: int) -> None:
    memory[key] = value
    memory.move_to_end(key)
    while len(memory) > capacity:
        memory.popitem(last=False)


def fingerprint(*parts: object) -> bytes:
    """A short digest of what determines a query's cost (its text, bindings and dataset)."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).digest()
