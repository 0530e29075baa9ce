"""The fair queue, the cost prediction and the per-client limits on their own (no processes: workers are
plain tokens, the clock is ours)."""

from __future__ import annotations

import asyncio

import pytest

from coopkg.errors import (
    ClientBudgetExhausted,
    ClientConcurrencyLimit,
    QueryTimeout,
    QueueFull,
    StoreUnavailable,
)
from coopkg.store.client_budget import ClientLimits
from coopkg.store.fair_queue import CostMemory, FairQueue


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def _order(queue: FairQueue[str], requests: list[tuple[str, bool]]) -> list[str]:
    """Which client each worker goes to, one worker at a time, for requests queued in this order."""
    served: list[str] = []

    async def one(client: str, heavy: bool) -> None:
        worker, _ = await queue.acquire(client, heavy, 5)
        served.append(client)
        await _settle()
        queue.finished(heavy)
        queue.add(worker)

    tasks = [asyncio.create_task(one(client, heavy)) for client, heavy in requests]
    await _settle()
    queue.add("w")  # one worker serves them all, in the queue's order
    await asyncio.gather(*tasks)
    return served


def test_clients_take_turns_whatever_order_they_queued_in() -> None:
    queue: FairQueue[str] = FairQueue(1)
    requests = [("flood", False)] * 4 + [("a", False), ("b", False)]
    served = asyncio.run(_order(queue, requests))
    assert served == ["flood", "a", "b", "flood", "flood", "flood"]


def test_light_queries_go_first_and_heavy_ones_never_take_the_kept_worker() -> None:
    async def scenario() -> None:
        queue: FairQueue[str] = FairQueue(2, reserved=1)
        queue.add("w1")
        queue.add("w2")
        first, _ = await queue.acquire("flood", True, 1)
        assert queue.heavy_running == 1
        # The second worker is idle, but kept: another heavy query waits...
        with pytest.raises(StoreUnavailable, match="No query worker was free within"):
            await queue.acquire("flood", True, 0.05)
        # ...while a light one takes it at once.
        light, _ = await queue.acquire("reader", False, 0.05)
        assert {first, light} == {"w1", "w2"}
        # A light query past its time is moved to the heavy class only if a heavy place is free.
        assert not queue.promote()
        queue.finished(True)
        queue.add(first)
        assert queue.promote()

    asyncio.run(scenario())


def test_a_light_query_found_heavy_while_it_waited_goes_to_the_heavy_line() -> None:
    async def scenario() -> None:
        heavy_keys: set[str] = set()
        queue: FairQueue[str] = FairQueue(2, reserved=1, predict=lambda _client, key: key in heavy_keys)
        queue.add("w1")
        taken, _ = await queue.acquire("flood", True, 1)  # the heavy place is taken
        guess = asyncio.create_task(queue.acquire("flood", False, 0.3, key="same-text"))
        reader = asyncio.create_task(queue.acquire("reader", False, 1, key="ask"))
        await _settle()
        heavy_keys.add("same-text")  # meanwhile an identical query was stopped for running long
        queue.add("w2")  # the kept worker comes free: the guess is heavy now and may not take it
        assert await reader == ("w2", False)
        with pytest.raises(StoreUnavailable):
            await guess
        assert taken == "w1"

    asyncio.run(scenario())


def test_one_worker_keeps_nothing() -> None:
    async def scenario() -> None:
        queue: FairQueue[str] = FairQueue(1, reserved=1)
        queue.add("w")
        assert await queue.acquire("flood", True, 0.1) == ("w", True)

    asyncio.run(scenario())


def test_a_full_line_is_refused_at_once_but_each_class_has_its_own() -> None:
    async def scenario() -> None:
        queue: FairQueue[str] = FairQueue(1, max_waiting=1)
        waiting = asyncio.create_task(queue.acquire("a", True, 5))
        await _settle()
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(QueueFull) as refused:
            await queue.acquire("b", True, 5)
        assert loop.time() - started < 0.1
        assert refused.value.headers["Retry-After"] == "2"
        # A query stopped to free a kept worker comes back whatever the line, and light ones have room.
        again = asyncio.create_task(queue.acquire("c", True, 5, again=True))
        light = asyncio.create_task(queue.acquire("d", False, 5))
        await _settle()
        assert queue.waiting == 3
        queue.add("w")
        assert await light == ("w", False)  # light first
        for task in (waiting, again):
            task.cancel()
        await asyncio.gather(waiting, again, return_exceptions=True)
        assert queue.waiting == 0

    asyncio.run(scenario())


def test_a_worker_handed_to_a_cancelled_request_is_free_again() -> None:
    async def scenario() -> None:
        queue: FairQueue[str] = FairQueue(1)
        task = asyncio.create_task(queue.acquire("a", True, 5))
        await _settle()
        queue.add("w")  # handed over...
        task.cancel()  # ...to a request that is cancelled before it runs
        await asyncio.gather(task, return_exceptions=True)
        assert queue.idle == 1
        assert queue.heavy_running == 0
        assert await queue.acquire("b", True, 0.1) == ("w", True)

    asyncio.run(scenario())


def test_costs_are_predicted_by_query_then_by_client() -> None:
    costs = CostMemory(light_time=0.5)
    assert not costs.heavy("new", b"q1")  # nothing known: light
    costs.record("flood", b"q1", 10.0)
    assert costs.heavy("anyone", b"q1")  # this query is known heavy, whoever sends it
    assert costs.heavy("flood", b"q2")  # this client's queries are heavy lately
    costs.record("reader", b"ask", 0.01)
    assert not costs.heavy("flood", b"ask")  # a query known cheap stays light, whoever sends it
    for _ in range(6):
        costs.record("flood", b"ask", 0.01)
    assert not costs.heavy("flood", b"q3")  # a client that stopped flooding is light again


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_concurrent_queries_are_capped_per_client() -> None:
    limits = ClientLimits(2, 0)
    first, second = limits.admit("a"), limits.admit("a")
    with pytest.raises(ClientConcurrencyLimit) as refused:
        limits.admit("a")
    assert refused.value.status == 429
    assert refused.value.headers["Retry-After"] == "1"
    assert "COOPKG_CLIENT_CONCURRENCY=2" in refused.value.detail
    limits.admit("b")  # another client is not affected
    first.close()
    first.close()  # closing twice gives back one place only
    limits.admit("a")
    with pytest.raises(ClientConcurrencyLimit):
        limits.admit("a")
    second.close()


def test_the_queries_of_one_request_take_one_place() -> None:
    limits = ClientLimits(1, 0)
    page = object()
    tickets = [limits.admit("a", page) for _ in range(5)]  # a page gathering five queries
    with pytest.raises(ClientConcurrencyLimit):
        limits.admit("a", object())  # another request of the same client
    for ticket in tickets[:4]:
        ticket.close()
    with pytest.raises(ClientConcurrencyLimit):
        limits.admit("a")
    tickets[4].close()
    limits.admit("a").close()


def test_worker_time_is_charged_and_refilled_per_minute() -> None:
    clock = Clock()
    limits = ClientLimits(0, 60, clock=clock)
    limits.admit("a").close()
    limits.charge("a", 90)  # one long query: 30 s of debt
    with pytest.raises(ClientBudgetExhausted) as refused:
        limits.admit("a")
    assert refused.value.headers["Retry-After"] == "31"
    assert "resets in 31 s" in refused.value.detail
    limits.admit("b").close()
    clock.now = 31
    limits.admit("a").close()
    # A client sending one query after another never runs out: it uses at most the refill rate.
    for _ in range(100):
        clock.now += 10
        limits.admit("c").close()
        limits.charge("c", 10)
    assert limits.balance("c") > 0


def test_work_outside_a_request_is_never_limited() -> None:
    limits = ClientLimits(1, 1)
    limits.charge(None, 1000)
    for _ in range(3):
        limits.admit(None)


def test_a_pool_stops_a_cheap_guess_that_runs_long_and_remembers_it() -> None:
    """Real workers: with one of two kept for light queries, a runaway query predicted light is stopped at
    the light time when the heavy place is taken, and the same text is predicted heavy from then on, while a
    light query from another client is answered at once."""
    from pools import LOOKUP, RUNAWAY, job

    from coopkg.store.data import shipped_sources
    from coopkg.store.fair_queue import CLIENT
    from coopkg.store.pool import WorkerPool
    from coopkg.store.zygote import ZygoteLauncher

    async def scenario() -> None:
        zygote = ZygoteLauncher(shipped_sources())
        zygote.begin()
        await asyncio.to_thread(zygote.wait_ready)
        pool = WorkerPool(zygote, 2, light_workers=1, light_time=0.2)
        await pool.start()
        try:

            async def runaway() -> str:
                CLIENT.set("flood")
                try:
                    await pool.run(job(RUNAWAY), 1.5)
                except (StoreUnavailable, QueryTimeout) as error:
                    return error.slug
                return "answered"

            flood = [asyncio.create_task(runaway()) for _ in range(2)]
            await asyncio.sleep(0.5)  # one holds the heavy place, the other was stopped and waits
            assert pool.queue.heavy_running == 1
            assert pool.costs.heavy("anyone", _key(RUNAWAY))
            CLIENT.set("reader")
            loop = asyncio.get_running_loop()
            started = loop.time()
            answer = await pool.run(job(LOOKUP), 1.5)
            assert answer.whole is not None
            assert loop.time() - started < 1.0
            assert sorted(await asyncio.gather(*flood)) == ["query-timeout", "store-unavailable"]
            assert pool.costs.heavy("anyone", _key(RUNAWAY))  # still heavy: a stop is not a cheap run
        finally:
            await pool.close()

    asyncio.run(scenario())


def _key(query: str) -> bytes:
    from pools import job

    from coopkg.store.fair_queue import fingerprint

    task = job(query)
    return fingerprint(task.query, task.bindings, task.dataset, task.union_default_graph)


class SlowStore:
    """Answers every query after `seconds` (for the limits in front of a remote store)."""

    version = "slow"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.asked = 0

    async def ask(self, query: str, bindings: object = None, *, timeout: float | None = None) -> bool:
        self.asked += 1
        await asyncio.sleep(self.seconds)
        return True


def test_a_remote_store_gets_the_same_per_client_limits() -> None:
    from coopkg.store.fair_queue import CLIENT, REQUEST
    from coopkg.store.limited import LimitedStore

    async def scenario() -> None:
        inner = SlowStore(0.2)
        store = LimitedStore(inner, ClientLimits(1, 0.06))  # 1 request at once, 0.06 s per minute
        CLIENT.set("a")

        async def one_request() -> bool:
            REQUEST.set(object())
            return await store.ask("ASK {}")

        first = asyncio.create_task(one_request())
        await _settle()
        with pytest.raises(ClientConcurrencyLimit):
            await one_request()
        assert await first is True
        with pytest.raises(ClientBudgetExhausted):  # 0.2 s answered: past the 0.06 s budget
            await one_request()
        assert inner.asked == 1  # refused before the store was asked
        CLIENT.set("b")
        assert await one_request() is True

    asyncio.run(scenario())
