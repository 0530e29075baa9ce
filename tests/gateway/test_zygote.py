"""The in-memory store's zygote: loads once, forks the workers, survives their deaths and its own."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pyoxigraph as ox
import pytest
from pools import LOOKUP, RUNAWAY, job, running

from coopkg.errors import UnusableInput, WorkerDied
from coopkg.rdf.dataset import GraphSource
from coopkg.store.data import shipped_sources
from coopkg.store.zygote import ZygoteLauncher


async def loaded_zygote() -> tuple[ZygoteLauncher, int]:
    """A zygote holding the shipped graph, started from the event loop's thread (it outlives the zygote)."""
    zygote = ZygoteLauncher(shipped_sources())
    zygote.begin()
    return zygote, await asyncio.to_thread(zygote.wait_ready)


def parent_of(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def name_of(pid: int) -> str:
    return Path(f"/proc/{pid}/comm").read_text().strip()


def test_workers_are_forked_from_one_loaded_zygote_and_answer() -> None:
    async def scenario() -> None:
        zygote, quads = await loaded_zygote()
        assert quads > 5_000  # the shipped graph
        async with running(zygote, 2) as pool:
            assert len(pool.pids) == 2
            assert zygote._process is not None
            for pid in pool.pids:
                assert parent_of(pid) == zygote._process.pid
                assert name_of(pid) == "coopkg-worker"
            assert name_of(zygote._process.pid) == "coopkg-zygote"
            answers = await asyncio.gather(*(pool.run(job(LOOKUP), 10) for _ in range(4)))
            assert {answer.whole for answer in answers} == {answers[0].whole}
            assert answers[0].whole is not None
            assert b"cn-dk-green-2023-2026/period" in answers[0].whole
        assert zygote._process.poll() is not None  # closing the pool stopped the zygote too

    asyncio.run(scenario())


def test_a_killed_worker_is_reported_and_forked_again() -> None:
    async def scenario() -> None:
        zygote, _ = await loaded_zygote()
        async with running(zygote, 1) as pool:
            (victim,) = pool.pids
            in_flight = asyncio.create_task(pool.run(job(RUNAWAY), 30))
            await asyncio.sleep(0.2)
            os.kill(victim, signal.SIGKILL)
            with pytest.raises(WorkerDied, match="signal 9"):
                await in_flight
            answer = await pool.run(job(LOOKUP), 10)
            assert answer.whole is not None
            assert victim not in pool.pids

    asyncio.run(scenario())


def test_a_killed_zygote_is_started_again_with_the_data() -> None:
    async def scenario() -> None:
        zygote, _ = await loaded_zygote()
        async with running(zygote, 1) as pool:
            assert zygote._process is not None
            first = zygote._process.pid
            (worker,) = pool.pids
            os.kill(first, signal.SIGKILL)
            while Path(f"/proc/{worker}").exists() and name_of(worker) == "coopkg-worker":
                await asyncio.sleep(0.01)  # its worker dies with it (parent-death signal)
            # No request fails for it: the dead idle worker is noticed, and a new zygote loads the data.
            answer = await pool.run(job(LOOKUP), 60)
            assert answer.whole is not None
            assert b"cn-dk-green-2023-2026/period" in answer.whole
            assert zygote._process.pid != first

    asyncio.run(scenario())


def test_a_malformed_file_is_a_clear_error_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    zygote = ZygoteLauncher([GraphSource(None, bad, ox.RdfFormat.TURTLE)])
    with pytest.raises(UnusableInput, match=r"bad\.ttl: not valid Turtle: .*line 1"):
        zygote.start()
    assert zygote._process is not None
    assert zygote._process.poll() is not None
