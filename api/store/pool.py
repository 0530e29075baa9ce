"""A pool of query worker processes over one read-only on-disk store.

Why processes: pyoxigraph evaluates a query in native code that Python cannot interrupt. A thread running
away at the timeout would keep its CPU forever; a process can be killed, which frees the CPU for real. A
worker that dies (a native crash, the OOM killer, a kill from outside) is noticed as a closed pipe: that one
client gets a clear 503, and a fresh worker takes its place, while the other workers keep answering.

The event loop never blocks: pipe reads run in a small dedicated thread pool, one thread per busy worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from api import errors
from api.errors import CoopkgError, QueryTimeout, StoreUnavailable, WorkerDied
from api.store.engine import Job

log = logging.getLogger("coopkg.workers")
_IMPORT_ROOT = Path(__file__).resolve().parents[2]  # the directory that holds the `api` package
START_TIMEOUT = 60.0  # seconds a new worker may take to open the store
# Stores of at most this many quads are copied into each worker's memory (about ten times faster joins);
# bigger ones are queried on disk, shared by all workers. The shipped graph has about 10 000.
IN_MEMORY_QUADS = 250_000


@dataclass(eq=False)  # identity: workers live in sets
class _Worker:
    process: subprocess.Popen[bytes]
    conn: Connection
    pid: int


def _error(name: str, detail: str) -> CoopkgError:
    cls = getattr(errors, name, None)
    if isinstance(cls, type) and issubclass(cls, CoopkgError):
        return cls(detail)
    return errors.BadGateway(detail)


class WorkerPool:
    def __init__(self, store_path: Path, size: int) -> None:
        self.store_path = store_path.resolve()  # the workers run in another directory
        self.size = size
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        # One thread per worker waiting on its pipe, plus room for starting replacements.
        self._threads = ThreadPoolExecutor(max_workers=2 * size + 2, thread_name_prefix="coopkg-pipe")
        self._closing = False

    # -- life cycle ----------------------------------------------------------------------------------------

    def _spawn(self) -> _Worker:
        """Start one worker and wait until it has opened the store (blocking: runs in a thread)."""
        # A fresh interpreter running api.store.worker (not multiprocessing's spawn, which would re-run the
        # caller's __main__ module), talking over a socket pair with multiprocessing's message framing.
        ours, theirs = socket.socketpair()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "api.store.worker",
                str(self.store_path),
                str(theirs.fileno()),
                str(IN_MEMORY_QUADS),
            ],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            cwd=_IMPORT_ROOT,  # `-m api.store.worker` finds this very package, installed or not
        )
        theirs.close()
        parent = Connection(ours.detach())
        try:
            if not parent.poll(START_TIMEOUT):
                raise StoreUnavailable(f"A query worker did not open the store within {START_TIMEOUT:.0f} s.")
            message = parent.recv()
        except (EOFError, OSError):
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(5)
            parent.close()
            raise StoreUnavailable(
                f"A query worker could not open the store at {self.store_path} "
                f"(exit code {process.returncode})."
            ) from None
        except BaseException:
            process.kill()
            parent.close()
            raise
        return _Worker(process, parent, int(message[1]))

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        started = await asyncio.gather(
            *(loop.run_in_executor(self._threads, self._spawn) for _ in range(self.size)),
            return_exceptions=True,
        )
        for item in started:
            if isinstance(item, _Worker):
                self._all.add(item)
                self._idle.put_nowait(item)
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
            with contextlib.suppress(OSError, ValueError):
                item.conn.send(None)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._threads, self._stop_all)
        self._threads.shutdown(wait=False, cancel_futures=True)

    def _stop_all(self) -> None:
        for item in list(self._all):
            try:
                item.process.wait(2)
            except subprocess.TimeoutExpired:
                item.process.kill()
                item.process.wait()
            item.conn.close()
        self._all.clear()

    @property
    def closing(self) -> bool:
        return self._closing

    @property
    def pids(self) -> list[int]:
        return sorted(item.pid for item in self._all)

    # -- replacing workers ---------------------------------------------------------------------------------

    def _discard(self, item: _Worker, reason: str) -> None:
        """Kill a worker whose state is unknown (timed out, died, abandoned midway) and start another."""
        if item not in self._all:
            return
        self._all.discard(item)
        log.warning("query worker %d stopped (%s); starting a replacement", item.pid, reason)
        item.process.kill()
        if not self._closing:
            task = asyncio.get_running_loop().create_task(self._replace(item))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _replace(self, old: _Worker) -> None:
        loop = asyncio.get_running_loop()

        def reap_and_spawn() -> _Worker:
            old.process.wait()  # killed just before: reaping is immediate
            old.conn.close()
            return self._spawn()

        while not self._closing:
            try:
                fresh = await loop.run_in_executor(self._threads, reap_and_spawn)
            except CoopkgError as error:
                log.error("could not start a replacement query worker: %s; retrying", error.detail)
                await asyncio.sleep(1.0)  # back off before the next attempt: the store may be briefly busy
                continue
            if self.closing:  # the gateway began shutting down while this worker started
                fresh.process.kill()
                return
            self._all.add(fresh)
            self._idle.put_nowait(fresh)
            return

    def _release(self, item: _Worker) -> None:
        if item in self._all:
            self._idle.put_nowait(item)

    # -- running jobs --------------------------------------------------------------------------------------

    async def _receive(self, item: _Worker, deadline: float, timeout: float, *, raw: bool) -> Any:
        loop = asyncio.get_running_loop()
        remaining = deadline - loop.time()

        def wait() -> tuple[bool, Any]:
            if remaining <= 0 or not item.conn.poll(remaining):
                return False, None
            return True, item.conn.recv_bytes() if raw else item.conn.recv()

        try:
            ready, message = await loop.run_in_executor(self._threads, wait)
        except (EOFError, OSError):
            code = item.process.poll()
            self._discard(item, f"died, exit code {code}")
            raise WorkerDied(
                "The query engine stopped while evaluating this query (its worker process died"
                + (f" with signal {-code}" if code is not None and code < 0 else "")
                + "); it has been restarted. Simplify the query, or report it if it is an ordinary one."
            ) from None
        if not ready:
            self._discard(item, "timed out")
            raise QueryTimeout(
                f"The query was stopped after {timeout:g} s, the time limit of this "
                "endpoint (COOPKG_QUERY_TIMEOUT); make it more selective or add a LIMIT."
            )
        return message

    async def run(self, job: Job, timeout: float) -> tuple[bool, _Stream]:
        """Send `job` to a free worker; (truncated, body chunks) once the worker has read its result."""
        loop = asyncio.get_running_loop()
        try:
            item = await asyncio.wait_for(self._idle.get(), timeout)
        except TimeoutError:
            raise StoreUnavailable(
                f"All {self.size} query workers stayed busy for {timeout:g} s; retry shortly.",
                headers={"Retry-After": "5"},
            ) from None
        # The query's own time starts when a worker takes it: waiting for a free one is not its fault.
        deadline = loop.time() + timeout
        try:
            item.conn.send(job)
            message = await self._receive(item, deadline, timeout, raw=False)
        except asyncio.CancelledError:
            self._discard(item, "request cancelled")
            raise
        except (OSError, ValueError):
            self._discard(item, "pipe broken")
            raise WorkerDied("The query engine was unavailable; it has been restarted, retry.") from None
        if message[0] == "error":
            self._release(item)
            raise _error(message[1], message[2])
        return bool(message[1]), _Stream(self, item, deadline, timeout)


class _Stream:
    """The body of one answer, read from the worker chunk by chunk.

    Finishing it returns the worker to the pool; abandoning it midway (client gone, deadline passed) replaces
    the worker, whose pipe is mid-answer."""

    def __init__(self, pool: WorkerPool, item: _Worker, deadline: float, timeout: float) -> None:
        self._pool = pool
        self._item = item
        self._deadline = deadline
        self._timeout = timeout
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
            raise
        if not chunk:
            self._done = True
            self._pool._release(self._item)
            raise StopAsyncIteration
        return chunk

    async def aclose(self) -> None:
        if not self._done:
            self._done = True
            self._pool._discard(self._item, "answer not read to the end")
