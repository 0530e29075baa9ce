"""The worker pool and its wire: answers read on the event loop, small ones whole, workers replaced."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
from collections.abc import AsyncIterator
from multiprocessing.connection import Connection
from pathlib import Path

import pytest
from pools import LOOKUP, RUNAWAY, job, running

from coopkg.errors import QueryTimeout, WorkerDied
from coopkg.store.data import build, shipped_sources
from coopkg.store.pool import ExecLauncher
from coopkg.store.worker_protocol import frame, read_bytes, read_object, write_object

EVERYTHING = "SELECT * WHERE { ?s ?p ?o }"


@pytest.mark.parametrize("size", [0, 1, 65_536, 3 * 1024 * 1024])
def test_frames_written_by_a_connection_are_read_on_the_event_loop(size: int) -> None:
    payload = os.urandom(size)

    async def exchange() -> tuple[bytes, object]:
        ours, theirs = socket.socketpair()
        peer = Connection(theirs.detach())
        reader, writer = await asyncio.open_unix_connection(sock=ours)
        sending = asyncio.get_running_loop().run_in_executor(None, peer.send_bytes, payload)
        received = await read_bytes(reader)
        await sending
        write_object(writer, ("job", size))
        await writer.drain()
        echoed = await asyncio.get_running_loop().run_in_executor(None, peer.recv)
        peer.send(echoed)
        back = await read_object(reader)
        writer.close()
        peer.close()
        return received, back

    received, back = asyncio.run(exchange())
    assert received == payload
    assert back == ("job", size)


def test_frame_header_is_multiprocessing_s() -> None:
    assert frame(b"abc") == b"\x00\x00\x00\x03abc"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pool-store")
    return build(path, shipped_sources()).path


async def _read(body: AsyncIterator[bytes]) -> bytes:
    return b"".join([chunk async for chunk in body])


def test_small_answers_come_whole_and_big_ones_stream_through_the_same_worker(store_dir: Path) -> None:
    async def scenario() -> None:
        async with running(ExecLauncher(store_dir), 1) as pool:
            (pid,) = pool.pids
            small = await pool.run(job(LOOKUP), 10)
            assert small.whole is not None
            assert small.whole.startswith(b"?p\t?o")
            assert await _read(small.body) == small.whole
            big = await pool.run(job(EVERYTHING), 10)
            assert big.whole is None
            body = await _read(big.body)
            assert len(body) > 64 * 1024
            assert body.count(b"\n") > 5_000
            again = await pool.run(job(LOOKUP), 10)
            assert again.whole == small.whole
            assert pool.pids == [pid]  # one worker did it all: nothing was abandoned or replaced

    asyncio.run(scenario())


def test_a_runaway_query_is_stopped_and_its_worker_replaced(store_dir: Path) -> None:
    async def scenario() -> None:
        async with running(ExecLauncher(store_dir), 1) as pool:
            (before,) = pool.pids
            with pytest.raises(QueryTimeout, match=r"stopped after 0\.5 s"):
                await pool.run(job(RUNAWAY), 0.5)
            answer = await pool.run(job(LOOKUP), 30)  # waits for the replacement
            assert answer.whole is not None
            assert pool.pids != [before]

    asyncio.run(scenario())


def test_a_worker_killed_mid_query_is_a_clear_error_and_is_replaced(store_dir: Path) -> None:
    async def scenario() -> None:
        async with running(ExecLauncher(store_dir), 1) as pool:
            (victim,) = pool.pids
            in_flight = asyncio.create_task(pool.run(job(RUNAWAY), 30))
            await asyncio.sleep(0.3)
            os.kill(victim, signal.SIGKILL)
            with pytest.raises(WorkerDied, match="signal 9"):
                await in_flight
            answer = await pool.run(job(LOOKUP), 30)
            assert answer.whole is not None
            assert victim not in pool.pids

    asyncio.run(scenario())
