"""A pool of query worker processes over one read-only store.

Why processes: pyoxigraph evaluates a query in native code that Python cannot interrupt. A thread running
away at the timeout would keep its CPU forever; a process can be killed, which frees the CPU for real. A
worker that dies (a native crash, the OOM killer, a kill from outside) is noticed as a closed socket: that one
client gets a clear 503, and a fresh worker takes its place, while the other workers keep answering.

The event loop never blocks and a query costs no thread: each worker's socket is read by the event loop
itself (`coopkg.store.worker_protocol`). Threads only start and reap worker processes. How a worker process
comes to be is
a `Launcher`'s business (a fresh interpreter per worker by default), so the pool does not care.

Which query gets the next free worker is `coopkg.store.fair_queue`'s business (fair across clients, workers
kept for cheap queries), and whether a client may send one more is `coopkg.store.client_budget`'s: the pool
measures the time each query holds its worker and charges it to the query's client.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

from coopkg import errors
from coopkg.errors import CoopkgError, QueryTimeout, StoreUnavailable, WorkerDied
from coopkg.store.client_budget import ClientLimits, Ticket
from coopkg.store.engine import Job
from coopkg.store.fair_queue import CLIENT, REQUEST, CostMemory, FairQueue, fingerprint
from coopkg.store.worker_protocol import read_bytes, read_object, write_object

log = logging.getLogger("coopkg.workers")
_IMPORT_ROOT = Path(__file__).resolve().parents[2]  # the directory that holds the `coopkg` package
START_TIMEOUT = 60.0  # seconds a new worker may take to open the store
# Stores of at most this many quads are copied into each worker's memory (about ten times faster joins);
# bigger ones are queried on disk, shared by all workers. The shipped graph has about 10 000.
IN_MEMORY_QUADS = 250_000


class WorkerProcess(Protocol):
    """What the pool needs of a worker process (`subprocess.Popen` is one)."""

    @property
    def pid(self) -> int: ...

    def kill(self) -> None: ...

    def poll(self) -> int | None: ...

    def wait(self, timeout: float | None = None) -> int:
        """The exit code; `subprocess.TimeoutExpired` when still running after `timeout` seconds."""
        ...


class Launcher(Protocol):
    """Starts worker processes that run `coopkg.store.worker`'s protocol on a given socket."""

    description: str  # for error messages: what the workers serve

    def launch(self, fd: int) -> WorkerProcess:
        """Start one worker speaking on socket `fd` (blocking: called in a thread; the caller closes `fd`)."""
        ...

    def close(self) -> None:
        """Release what the launcher holds, once every worker has stopped."""
        ...


class ExecLauncher:
    """Each worker a fresh interpreter running `python -m coopkg.store.worker` on the on-disk store."""

    def __init__(self, store_path: Path, in_memory_quads: int = IN_MEMORY_QUADS) -> None:
        self.store_path = store_path.resolve()  # the workers run in another directory
        self.in_memory_quads = in_memory_quads
        self.description = f"the store at {self.store_path}"

    def launch(self, fd: int) -> subprocess.Popen[bytes]:
        # Not multiprocessing's spawn, which would re-run the caller's __main__ module.
        store, memory = str(self.store_path), str(self.in_memory_quads)
        return subprocess.Popen(
            [sys.executable, "-m", "coopkg.store.worker", store, str(fd), memory],
            pass_fds=[fd],
            stdin=subprocess.DEVNULL,
            cwd=_IMPORT_ROOT,  # `-m coopkg.store.worker` finds this very package, installed or not
        )

    def close(self) -> None:
        return None


@dataclass
class _Holding:
    """The query a worker is running: whose, how it was classed, since when."""

    client: str | None
    fingerprint: bytes
    heavy: bool
    since: float


@dataclass(eq=False)  # identity: workers live in sets
class _Worker:
    process: WorkerProcess
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    pid: int
    holding: _Holding | None = None


@dataclass
class Answer:
    """A worker's answer: the body as chunks, and the whole body when it came in one message (small ones)."""

    truncated: bool
    body: AsyncIterator[bytes]
    whole: bytes | None = None


def _error(name: str, detail: str) -> CoopkgError:
    cls = getattr(errors, name, None)
    if isinstance(cls, type) and issubclass(cls, CoopkgError):
        return cls(detail)
    return errors.BadGateway(detail)


class WorkerPool:
    def __init__(
        self,
        launcher: Launcher,
        size: int,
        *,
        limits: ClientLimits | None = None,
        light_workers: int = 0,
        light_time: float = 0.5,
        queue_limit: int = 64,
    ) -> None:
        self.launcher = launcher
        self.size = size
        self.limits = limits or ClientLimits(0, 0)  # no limits unless given (the gateway gives its settings')
        self.costs = CostMemory(light_time)
        self.queue: FairQueue[_Worker] = FairQueue(
            size, reserved=light_workers, max_waiting=queue_limit, predict=self.costs.heavy
        )
        self.light_time = light_time
        self._all: set[_Worker] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        # Threads start and reap worker processes (blocking calls), never wait for answers.
        self._threads = ThreadPoolExecutor(max_workers=size + 2, thread_name_prefix="coopkg-workers")
        self._closing = False

    # -- life cycle ----------------------------------------------------------------------------------------

    def _spawn(self) -> tuple[WorkerProcess, socket.socket, int]:
        """Start one worker and wait until it has opened the store (blocking: runs in a thread)."""
        ours, theirs = socket.socketpair()
        try:
            process = self.launcher.launch(theirs.fileno())
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        # The handshake, blocking, on a duplicate of our end; the event loop takes the socket afterwards.
        handshake = Connection(os.dup(ours.fileno()))
        try:
            if not handshake.poll(START_TIMEOUT):
                raise StoreUnavailable(f"A query worker did not open the store within {START_TIMEOUT:.0f} s.")
            message = handshake.recv()
        except (EOFError, OSError):
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(5)
            ours.close()
            raise StoreUnavailable(
                f"A query worker could not open {self.launcher.description} (exit code {process.poll()})."
            ) from None
        except BaseException:
            process.kill()
            ours.close()
            raise
        finally:
            handshake.close()
        return process, ours, int(message[1])

    async def _start_one(self) -> _Worker:
        loop = asyncio.get_running_loop()
        process, sock, pid = await loop.run_in_executor(self._threads, self._spawn)
        try:
            reader, writer = await asyncio.open_unix_connection(sock=sock)
        except BaseException:
            process.kill()
            sock.close()
            raise
        return _Worker(process, reader, writer, pid)

    async def start(self) -> None:
        started = await asyncio.gather(*(self._start_one() for _ in range(self.size)), return_exceptions=True)
        for item in started:
            if isinstance(item, _Worker):
                self._all.add(item)
                self.queue.add(item)
        failures = [item for item in started if isinstance(item, BaseException)]
        if failures:
            await self.close()
            raise failures[0]
        log.info("%d query workers ready (pids %s)", self.size, ", ".join(str(w.pid) for w in self._all))

    async def close(self) -> None:
        self._closing = True
        for task in list(self._tasks):
            task.cancel()
        for item in list(self._all):
            with contextlib.suppress(OSError, RuntimeError):
                write_object(item.writer, None)  # stop after the job in hand
                await item.writer.drain()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._threads, self._stop_all)
        for item in list(self._all):
            item.writer.close()
        self._all.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)
        self.launcher.close()

    def _stop_all(self) -> None:
        for item in list(self._all):
            try:
                item.process.wait(2)
            except subprocess.TimeoutExpired:
                item.process.kill()
                item.process.wait()

    @property
    def closing(self) -> bool:
        return self._closing

    @property
    def pids(self) -> list[int]:
        return sorted(item.pid for item in self._all)

    # -- replacing workers ---------------------------------------------------------------------------------

    def _discard(self, item: _Worker, reason: str, *, stopped: bool = False) -> None:
        """Kill a worker whose state is unknown (timed out, died, abandoned midway) and start another.
        `stopped`: its query was stopped for running too long (so it is known to be heavy)."""
        if item not in self._all:
            return
        self._let_go(item, "stopped" if stopped else "unknown")
        self._all.discard(item)
        log.warning("query worker %d stopped (%s); starting a replacement", item.pid, reason)
        item.process.kill()
        item.writer.close()
        if not self._closing:
            task = asyncio.get_running_loop().create_task(self._replace(item))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _replace(self, old: _Worker) -> None:
        loop = asyncio.get_running_loop()
        # Killed just before: reaping is immediate (bounded all the same: a replacement never waits forever).
        with contextlib.suppress(subprocess.TimeoutExpired):
            await loop.run_in_executor(self._threads, old.process.wait, 10.0)
        while not self._closing:
            try:
                fresh = await self._start_one()
            except CoopkgError as error:
                log.error("could not start a replacement query worker: %s; retrying", error.detail)
                await asyncio.sleep(1.0)  # back off before the next attempt: the store may be briefly busy
                continue
            if self.closing:  # the gateway began shutting down while this worker started
                fresh.process.kill()
                fresh.writer.close()
                return
            self._all.add(fresh)
            self.queue.add(fresh)
            return

    def _release(self, item: _Worker) -> None:
        self._let_go(item, "done")
        if item in self._all:
            self.queue.add(item)

    def _let_go(self, item: _Worker, outcome: str) -> None:
        """The query on `item` is over (`outcome`: "done", "stopped" for running too long, or "unknown":
        cancelled, died): charge its client the worker time it used, remember what it cost, and give back
        its heavy place."""
        holding, item.holding = item.holding, None
        if holding is None:
            return
        used = asyncio.get_running_loop().time() - holding.since
        self.limits.charge(holding.client, used)
        if outcome == "done":
            self.costs.record(holding.client, holding.fingerprint, used)
        elif outcome == "stopped":  # stopped early (it waited long, or was moved): heavy all the same
            self.costs.record(holding.client, holding.fingerprint, max(used, self.light_time))
        self.queue.finished(holding.heavy)

    # -- running jobs --------------------------------------------------------------------------------------

    async def _receive(
        self,
        item: _Worker,
        deadline: float,
        timeout: float,
        *,
        raw: bool = False,
    ) -> Any:
        try:
            async with asyncio.timeout_at(deadline):
                return await (read_bytes(item.reader) if raw else read_object(item.reader))
        except TimeoutError:
            self._discard(item, "timed out", stopped=True)
            raise QueryTimeout(
                f"The query was stopped after {timeout:g} s (time waiting for a worker included), the time "
                "limit of this endpoint (COOPKG_QUERY_TIMEOUT); make it more selective or add a LIMIT."
            ) from None
        except (asyncio.IncompleteReadError, OSError):
            if item not in self._all:  # the pool stopped it (a light query past its time): no post-mortem
                raise WorkerDied("The query's worker was stopped.") from None
            code = await self._exit_code(item)
            self._discard(item, f"died, exit code {code}")
            raise WorkerDied(
                "The query engine stopped while evaluating this query (its worker process died"
                + (f" with signal {-code}" if code is not None and code < 0 else "")
                + "); it has been restarted. Simplify the query, or report it if it is an ordinary one."
            ) from None

    async def _exit_code(self, item: _Worker) -> int | None:
        """The exit code of a worker whose socket closed: it is exiting, give it a moment to be reaped."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._threads, item.process.wait, 1.0)
        except subprocess.TimeoutExpired:
            return None

    async def run(self, job: Job, timeout: float) -> Answer:
        """Send `job` to a free worker; its answer once the worker has read its result.

        `timeout` covers the whole request: waiting for a worker, evaluation and sending the answer."""
        client = CLIENT.get()
        ticket = self.limits.admit(client, REQUEST.get())  # 429 at once, before waiting for anything
        try:
            answer = await self._run(job, timeout, client, ticket)
        except BaseException:
            ticket.close()
            raise
        if answer.whole is not None:
            ticket.close()
        return answer

    async def _run(self, job: Job, timeout: float, client: str | None, ticket: Ticket) -> Answer:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        key = fingerprint(job.query, job.bindings, job.dataset, job.union_default_graph)
        heavy = self.costs.heavy(client, key)
        again = False
        while True:
            item, heavy = await self._take(client, heavy, deadline, again, key)
            item.holding = _Holding(client, key, heavy, loop.time())
            light = None if heavy else _LightTime(self, item, deadline)
            try:
                write_object(item.writer, job)
                message = await self._receive(item, deadline, timeout)
            except WorkerDied:
                if light is not None and light.stopped:
                    heavy = again = True  # stopped to free the kept worker: queue it again, as heavy
                    continue
                raise
            except asyncio.CancelledError:
                self._discard(item, "request cancelled")
                raise
            except (OSError, RuntimeError):  # the transport is closed or broken
                self._discard(item, "socket broken")
                raise WorkerDied("The query engine was unavailable; it has been restarted, retry.") from None
            finally:
                if light is not None:
                    light.cancel()
            break
        if message[0] == "error":
            self._release(item)
            raise _error(message[1], message[2])
        truncated, whole = bool(message[1]), message[2]
        if whole is not None:  # the whole body came in this one message: the worker is free again
            self._release(item)
            return Answer(truncated, _once(whole), whole)
        return Answer(truncated, _Stream(self, item, deadline, timeout, ticket))

    async def _take(
        self, client: str | None, heavy: bool, deadline: float, again: bool, key: bytes
    ) -> tuple[_Worker, bool]:
        """A live worker for this query, waiting in the fair queue at most until `deadline`, and whether
        the query is heavy (it may have become so while it waited)."""
        loop = asyncio.get_running_loop()
        asked = loop.time()
        while True:
            item, heavy = await self.queue.acquire(
                client, heavy, deadline - loop.time(), again=again, key=key
            )
            left = deadline - loop.time()
            if heavy and left < self.light_time and loop.time() - asked > left:
                # A heavy query whose time went on waiting would only be killed at once: the worker stays
                # free (no replacement to start) and the client is told to retry.
                self.queue.finished(True)
                self.queue.add(item)
                raise StoreUnavailable(
                    "No query worker was free for this query within its time limit (COOPKG_QUERY_TIMEOUT, "
                    "waiting included): the endpoint is busy with long queries; retry shortly.",
                    headers={"Retry-After": "5"},
                )
            if not item.reader.at_eof():
                return item, heavy
            # It died while idle (killed from outside, its zygote gone): nobody's query was lost; replace it
            # and take the next one, rather than failing this request.
            self.queue.finished(heavy)
            self._discard(item, "died while idle")


class _LightTime:
    """The light query on `item` may hold its worker for `light_time`; past it, it is heavy.

    A timer, not a task: the answer is awaited directly (a task and `asyncio.wait` per query cost the web
    process about 40 µs of CPU per query, a quarter of the store hop's; docs/benchmarks.md). When the
    timer fires first, the query goes on if a heavy place is free; otherwise its worker is stopped (and
    replaced), the awaiting read ends with WorkerDied, and `stopped` tells the caller to queue it again as
    heavy."""

    def __init__(self, pool: WorkerPool, item: _Worker, deadline: float) -> None:
        assert item.holding is not None
        self.pool = pool
        self.item = item
        self.stopped = False
        until = item.holding.since + pool.light_time
        # Past the deadline the time limit stops it anyway: no light-time decision to take.
        self._timer = None if until >= deadline else asyncio.get_running_loop().call_at(until, self._over)

    def _over(self) -> None:
        holding = self.item.holding
        if holding is None or holding.heavy:  # answered meanwhile, or already counted heavy
            return
        if self.pool.queue.promote():
            holding.heavy = True
            return
        self.stopped = True
        self.pool._discard(self.item, "a query predicted cheap ran long; queued again as heavy", stopped=True)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


async def _once(body: bytes) -> AsyncIterator[bytes]:
    yield body


class _Stream:
    """The body of a long answer, read from the worker chunk by chunk.

    Finishing it returns the worker to the pool; abandoning it midway (client gone, deadline passed) replaces
    the worker, whose socket is mid-answer."""

    def __init__(
        self, pool: WorkerPool, item: _Worker, deadline: float, timeout: float, ticket: Ticket
    ) -> None:
        self._pool = pool
        self._item = item
        self._deadline = deadline
        self._timeout = timeout
        self._ticket = ticket  # the client's place, given back when the answer is over
        self._done = False

    def __aiter__(self) -> _Stream:
        return self

    async def __anext__(self) -> bytes:
        if self._done:
            raise StopAsyncIteration
        try:
            chunk: bytes = await self._pool._receive(self._item, self._deadline, self._timeout, raw=True)
        except BaseException:
            self._done = True
            self._pool._discard(self._item, "answer abandoned midway")
            self._ticket.close()
            raise
        if not chunk:
            self._done = True
            self._pool._release(self._item)
            self._ticket.close()
            raise StopAsyncIteration
        return chunk

    async def aclose(self) -> None:
        if not self._done:
            self._done = True
            self._pool._discard(self._item, "answer not read to the end")
            self._ticket.close()
