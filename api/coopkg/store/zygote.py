"""One in-memory store shared by every query worker: a zygote process loads it once, then forks the workers.

Why: pyoxigraph's in-memory store answers scans and joins 4-10 times faster than its on-disk RocksDB store,
and bulk-loads about twice as fast. Loading it in each worker would cost N copies of memory and N loads;
forked from one loaded process, the workers share its pages copy-on-write (the store is read-only), and a
replacement worker is ready in milliseconds. The zygote is a separate process, not the gateway itself,
because forking a process that runs an event loop and threads is unsafe; the zygote does nothing but load
and fork. If the zygote itself dies (the OOM killer picks the biggest process), the next worker launch
starts a new one, which loads the data again.

Protocol on a SOCK_SEQPACKET socket pair (one JSON message per packet; the sources arrive on stdin):

    zygote -> gateway   {"ready": quads} once loaded, or {"error": class name, "detail": ...} and exit
    gateway -> zygote   {"op": "fork"} with a socket FD attached: fork a worker speaking on that socket
                        -> {"pid": pid}
                        {"op": "status", "pid": pid} -> {"code": exit code, or null while it runs}
    the gateway closing its end stops the zygote; its workers die with it (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from types import FrameType
from typing import Any

import pyoxigraph as ox

from coopkg import errors
from coopkg.errors import CoopkgError, StoreUnavailable
from coopkg.rdf.dataset import GraphSource, load_into
from coopkg.store.worker import become_worker, die_with_parent, name_process, serve

_IMPORT_ROOT = Path(__file__).resolve().parents[2]  # the directory that holds the `coopkg` package
_PACKET = 64 * 1024


# -- the zygote process ------------------------------------------------------------------------------------


def _send(control: socket.socket, message: dict[str, Any]) -> None:
    control.send(json.dumps(message).encode("utf-8"))


def _settle() -> None:
    """Make the loaded process cheap to fork: few pages a child will write to, little garbage to share."""
    gc.collect()
    gc.freeze()  # the children's collections then never touch (and so never copy) the parent's objects
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)  # hand the bulk loader's freed buffers back to the system


def _read_sources() -> list[GraphSource]:
    sources = []
    for item in json.load(sys.stdin):
        fmt = ox.RdfFormat.from_media_type(item["media_type"])
        if fmt is None:  # the gateway wrote it from an RdfFormat: cannot happen unless versions differ
            raise StoreUnavailable(f"{item['path']}: unknown RDF media type {item['media_type']}.")
        sources.append(GraphSource(item["graph"], Path(item["path"]), fmt))
    return sources


def main(control_fd: int) -> None:
    become_worker()
    name_process("coopkg-zygote")
    control = socket.socket(fileno=control_fd)
    store = ox.Store()
    try:
        load_into(store, _read_sources())
    except CoopkgError as error:  # a malformed file: the gateway reports it and does not start
        _send(control, {"error": type(error).__name__, "detail": error.detail})
        return
    _settle()
    exited: dict[int, int] = {}

    def reap(_signum: int, _frame: FrameType | None) -> None:
        with contextlib.suppress(ChildProcessError):
            while True:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    return
                exited[pid] = os.waitstatus_to_exitcode(status)

    signal.signal(signal.SIGCHLD, reap)
    _send(control, {"ready": len(store)})
    while True:
        try:
            data, fds, _flags, _address = socket.recv_fds(control, _PACKET, 1)
        except OSError:
            return
        if not data:  # the gateway closed its end
            return
        request = json.loads(data)
        if request["op"] == "fork":
            try:
                pid = _fork_worker(control, fds[0], store)
            except OSError as error:  # no memory or process slots left: say so, and stay usable
                detail = f"Cannot start a query worker: {error}."
                _send(control, {"error": "StoreUnavailable", "detail": detail})
            else:
                _send(control, {"pid": pid})
        elif request["op"] == "status":
            _send(control, {"code": exited.get(int(request["pid"]))})
        for fd in fds:
            os.close(fd)


def _fork_worker(control: socket.socket, fd: int, store: ox.Store) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        control.close()
        die_with_parent()  # the death signal is not inherited across fork: die with the zygote
        name_process("coopkg-worker")
        conn = Connection(fd)
        conn.send(("ready", os.getpid()))
        serve(conn, store)
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)  # never run the zygote's own code (or atexit handlers) in the worker


# -- the gateway's side ------------------------------------------------------------------------------------


class ForkedWorker:
    """A worker forked by the zygote: not our child, so it is killed through a pidfd (immune to pid reuse)
    and its exit code is asked of the zygote, which reaps it."""

    def __init__(self, pid: int, launcher: ZygoteLauncher) -> None:
        self.pid = pid
        self._launcher = launcher
        self._code: int | None = None
        self._pidfd: int | None = None
        with contextlib.suppress(OSError, AttributeError):
            self._pidfd = os.pidfd_open(pid)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, OSError):
            if self._pidfd is not None:
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
            elif self._code is None:
                os.kill(self.pid, signal.SIGKILL)

    def poll(self) -> int | None:
        if self._code is None:
            self._code = self._launcher.exit_code(self.pid)
            if self._code is not None and self._pidfd is not None:
                os.close(self._pidfd)
                self._pidfd = None
        return self._code

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            code = self.poll()
            if code is not None:
                return code
            remaining = 0.05 if deadline is None else min(0.05, deadline - time.monotonic())
            if remaining <= 0:
                raise subprocess.TimeoutExpired(f"query worker {self.pid}", timeout or 0)
            if self._pidfd is not None:
                select.select([self._pidfd], [], [], remaining)  # readable once the process has exited
                time.sleep(0.001)  # then the zygote's SIGCHLD handler reaps it
            else:
                time.sleep(remaining)

    def __del__(self) -> None:
        if self._pidfd is not None:
            with contextlib.suppress(OSError):
                os.close(self._pidfd)


class ZygoteLauncher:
    """Starts the zygote (which loads `sources` into memory) and has it fork the pool's workers."""

    def __init__(self, sources: Sequence[GraphSource]) -> None:
        self.sources = list(sources)
        self.description = "the in-memory store"
        self.quads = 0
        self._lock = threading.Lock()  # one request/answer at a time on the control socket
        self._process: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None

    def start(self) -> int:
        """Start the zygote and wait until it has loaded the data (blocking); the number of quads.

        Call it from a thread that outlives the zygote (the main thread, or the event loop's `begin` then
        `wait_ready` in a worker thread): Linux's parent-death signal follows the thread that started it."""
        self.begin()
        return self.wait_ready()

    def begin(self) -> None:
        """Start the zygote process and hand it the sources (quick)."""
        with self._lock:
            self._begin()

    def wait_ready(self) -> int:
        """Wait until the zygote has loaded the data (as long as the load takes); the number of quads."""
        with self._lock:
            return self._wait_ready()

    def _begin(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "coopkg.store.zygote", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.PIPE,
                cwd=_IMPORT_ROOT,  # `-m coopkg.store.zygote` finds this very package, installed or not
            )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self._process, self._control = process, ours
        listing = [
            {"path": str(source.path), "media_type": source.format.media_type, "graph": source.graph}
            for source in self.sources
        ]
        assert process.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            process.stdin.write(json.dumps(listing).encode("utf-8"))
            process.stdin.close()

    def _wait_ready(self) -> int:
        reply = self._receive()  # as long as the load takes: a dead zygote is an empty read, not a hang
        if "error" in reply:
            self._stop()
            cls = getattr(errors, str(reply["error"]), None)
            if isinstance(cls, type) and issubclass(cls, CoopkgError):
                raise cls(str(reply["detail"]))
            raise StoreUnavailable(str(reply["detail"]))
        self.quads = int(reply["ready"])
        return self.quads

    def _receive(self) -> dict[str, Any]:
        assert self._control is not None
        assert self._process is not None
        try:
            data = self._control.recv(_PACKET)
        except OSError:
            data = b""
        if not data:
            code = self._process.wait()
            raise StoreUnavailable(
                f"The process holding the in-memory store stopped (exit code {code}) before it answered; "
                "see the log above (is there enough memory for the data?)."
            )
        message: dict[str, Any] = json.loads(data)
        return message

    def _alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def launch(self, fd: int) -> ForkedWorker:
        with self._lock:
            if not self._alive():  # it died (OOM killer, a kill from outside): load the data again
                self._stop()
                self._begin()  # from the pool's thread, which lives as long as the pool
                self._wait_ready()
            assert self._control is not None
            try:
                socket.send_fds(self._control, [json.dumps({"op": "fork"}).encode()], [fd])
                reply = self._receive()
            except OSError:
                raise StoreUnavailable("The process holding the in-memory store went away.") from None
            if "error" in reply:
                raise StoreUnavailable(str(reply["detail"]))
            return ForkedWorker(int(reply["pid"]), self)

    def exit_code(self, pid: int) -> int | None:
        """The exit code of a worker the zygote has reaped; None while it runs, or while the zygote is busy
        starting again (loading big data takes minutes: nobody waits for that lock)."""
        if not self._alive():
            return -signal.SIGKILL  # its workers died with it
        if not self._lock.acquire(timeout=0.5):
            return None
        try:
            if self._control is None:
                return -signal.SIGKILL
            self._control.send(json.dumps({"op": "status", "pid": pid}).encode())
            code = self._receive()["code"]
        except (OSError, StoreUnavailable):
            return -signal.SIGKILL
        finally:
            self._lock.release()
        return None if code is None else int(code)

    def _stop(self) -> None:
        if self._control is not None:
            self._control.close()  # the zygote's read ends: it exits, and its workers with it
            self._control = None
        if self._process is not None:
            try:
                self._process.wait(5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def close(self) -> None:
        with self._lock:
            self._stop()


if __name__ == "__main__":
    main(int(sys.argv[1]))
