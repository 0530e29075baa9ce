"""The query worker process: answers jobs from its socket, one at a time.

Started by `coopkg.store.pool` as `python -m coopkg.store.worker STORE_DIR FD MEMORY_LIMIT` (it opens the
on-disk
store read-only), so it imports only pyoxigraph and the engine, never the web application; or forked by the
zygote (`coopkg.store.zygote`) with the in-memory store already loaded, and then runs `serve` directly.
Protocol on the socket (multiprocessing's message framing), one job at a time:

    gateway -> worker   Job (pickled), or None to stop
    worker -> gateway   ("ready", pid) once at start-up
                        ("error", error class name, detail)          the job failed cleanly
                        ("ok", truncated, body)    a body under one chunk (64 KiB), whole
                        ("ok", truncated, None) then byte chunks (send_bytes), then b"" (end of body)

If the engine crashes or runs away, the gateway kills this process and starts another; nothing here needs
to clean up, because the store is read-only.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from multiprocessing.connection import Connection

import pyoxigraph as ox

from coopkg.errors import CoopkgError
from coopkg.store.engine import ChunkWriter, Job, prepare


def _open(store_path: str, memory_limit: int) -> ox.Store:
    """The shared on-disk store, or, when it holds at most `memory_limit` quads, an in-memory copy of it.

    Why copy: joins that look up many terms (FILTER(STR(?a) < STR(?b)) over a cross product) run about ten
    times faster from memory than through RocksDB (1.7 s against 22 s on the shipped graph). A small graph
    costs each worker little memory; a big one stays on disk, loaded once and shared.
    """
    disk = ox.Store.read_only(store_path)
    if memory_limit <= 0 or len(disk) > memory_limit:
        return disk
    memory = ox.Store()
    memory.bulk_load(disk.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    return memory


def main(conn: Connection, store_path: str, memory_limit: int = 0) -> None:
    become_worker()
    name_process("coopkg-worker")
    store = _open(store_path, memory_limit)
    conn.send(("ready", os.getpid()))
    serve(conn, store)


def become_worker() -> None:
    """Signals and lifetime of a worker process (also of the zygote that forks workers,
    coopkg.store.zygote)."""
    # Ctrl-C or a SIGTERM to the whole process group must not kill queries in flight: the gateway finishes
    # them, then stops its workers. If the parent dies, the kernel kills this process (Linux), even in the
    # middle of a runaway query that would never read the closed socket.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    die_with_parent()


def serve(conn: Connection, store: ox.Store) -> None:
    """Answer jobs from `conn` until the gateway says stop (None) or goes away."""
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the gateway is gone
            return
        if job is None:
            return
        _answer(conn, store, job)


def name_process(name: str) -> None:
    """Set the process name `ps` and /proc/PID/comm show (Linux, 15 bytes): coopkg-worker, coopkg-zygote."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_name = 15
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_name, name.encode()[:15])


def die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return  # elsewhere the worker exits when it next reads the closed pipe
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _answer(conn: Connection, store: ox.Store, job: Job) -> None:
    try:
        prepared = prepare(store, job)
    except CoopkgError as error:
        conn.send(("error", type(error).__name__, error.detail))
        return
    except Exception as error:  # an engine failure we do not classify: reported, the worker stays usable
        conn.send(("error", "BadGateway", f"The query engine failed: {type(error).__name__}: {error}"))
        return
    started = False

    def emit(chunk: bytes) -> None:
        nonlocal started
        if not started:
            conn.send(("ok", prepared.truncated, None))
            started = True
        conn.send_bytes(chunk)

    writer = ChunkWriter(emit)
    prepared.write(writer)  # type: ignore[arg-type]  # a RawIOBase is the binary writer pyoxigraph needs
    if not started:  # most answers: one message instead of three, the gateway frees this worker at once
        conn.send(("ok", prepared.truncated, writer.take()))
        return
    writer.emit()
    conn.send_bytes(b"")


if __name__ == "__main__":
    main(Connection(int(sys.argv[2])), sys.argv[1], int(sys.argv[3]))
