"""Processes the benchmark starts: free loopback ports, readiness polling, memory sampling, clean stops.

Every server runs in its own session (process group), so stopping it stops its workers too; `Server.stop`
is called from `finally` blocks and escalates SIGTERM -> SIGKILL after a grace period.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


_held_locks: list[object] = []  # the open lock files of this process, kept until it exits


def measuring_alone(folder: Path) -> None:
    """Exits with a message when another benchmark is measuring on this machine (it holds `folder`'s lock).

    Two benchmarks at once share the cores and disturb each other's figures, and two that use the same work
    folder overwrite each other's stores. The lock (flock on `folder/.measuring.lock`) is held until this
    process exits, however it exits.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ".measuring.lock"
    handle = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise SystemExit(
            f"another benchmark is measuring on this machine ({holder}): its figures and this run's would "
            "disturb each other; wait until it ends (or stop it) and run this again"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}: {' '.join(sys.argv)}\n")
    handle.flush()
    _held_locks.append(handle)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def process_tree(root: int) -> list[int]:
    """`root` and all its descendants, from /proc (children of children included)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # the process ended while we looked
        # The command name may hold spaces and parentheses: the ppid is the 2nd field after the last ')'.
        parents[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, ppid in parents.items() if ppid in frontier]
        tree += frontier
    return tree


def memory_of(pids: list[int]) -> tuple[int, int]:
    """(RSS, PSS) in bytes summed over `pids`. PSS splits shared pages (a shared on-disk store, forked
    workers' copy-on-write memory) between the processes that map them, so it does not double-count."""
    rss = pss = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
        except OSError:
            continue
    return rss, pss


@dataclass
class Server:
    """A started server process (group) with a background memory sampler."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    peak_rss: int = 0
    peak_pss: int = 0
    _stop_sampling: threading.Event = field(default_factory=threading.Event)
    _sampler: threading.Thread | None = None
    _stopped: bool = False

    def start(self) -> None:
        """Start (or restart: peaks carry over, the log is appended to) the process and its sampler."""
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._stop_sampling.clear()
        self._stopped = False
        with self.log.open("ab") as log:
            self.started = time.perf_counter()
            self.process = subprocess.Popen(
                self.argv,
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # own process group: stop() reaches the workers too
            )
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self) -> None:
        assert self.process is not None
        while not self._stop_sampling.is_set():
            rss, pss = memory_of(process_tree(self.process.pid))
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self._stop_sampling.wait(0.2)

    def wait_ready(self, probe: Callable[[], bool], timeout: float) -> float:
        """Seconds from process start to the first successful probe; raises if it dies or times out."""
        assert self.process is not None
        deadline = self.started + timeout
        delay = 0.02
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.process.returncode} before it was ready; see {self.log}"
                )
            if probe():
                return time.perf_counter() - self.started
            time.sleep(delay)  # polling back-off, not a fixed wait for readiness
            delay = min(delay * 1.5, 0.5)
        raise RuntimeError(f"{self.name} was not ready after {timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        self._stop_sampling.set()
        if self.process is None or self._stopped:
            return  # stopped once already: its group id may belong to someone else by now
        self._stopped = True
        # Signal the group even when the leader has exited: its workers may still be alive.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            # A server busy in a blocking query may not act on SIGTERM: SIGKILL after a short grace.
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)
        if self._sampler is not None:
            self._sampler.join(timeout=2)


def http_get(url: str, accept: str, timeout: float = 30.0) -> tuple[int, bytes]:
    """Status and body of a GET; (0, b"") when nothing answers yet."""
    request = urllib.request.Request(url, headers={"Accept": accept})  # noqa: S310 (loopback URLs we build)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as error:
        return int(error.code), error.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0, b""


def timed_run(
    argv: list[str], env: dict[str, str] | None, log: Path, timeout: float
) -> tuple[float, int, int]:
    """Run a command to completion: (seconds, exit code or -1 on timeout, peak RSS in bytes).

    The peak is the larger of the sampled process-tree RSS and the kernel's own maximum for the process
    (`wait4`), which short peaks between two samples cannot escape.
    """
    server = Server(Path(argv[0]).name, argv, env or {}, log)
    server.start()
    assert server.process is not None
    pid = server.process.pid
    timer = threading.Timer(timeout, lambda: os.killpg(pid, signal.SIGKILL))
    timer.start()
    try:
        _, status, usage = os.wait4(pid, 0)
    finally:
        timer.cancel()
    elapsed = time.perf_counter() - server.started
    server.process.returncode = os.waitstatus_to_exitcode(status)  # we reaped it, tell Popen
    server.stop()
    code = -1 if elapsed >= timeout else server.process.returncode
    return elapsed, code, max(server.peak_rss, usage.ru_maxrss * 1024)


def http_post_file(url: str, path: Path, content_type: str, timeout: float) -> tuple[int, bytes]:
    """Status and body of a POST whose body is the file at `path`, streamed (GBs of N-Quads need no copy)."""
    with path.open("rb") as body:
        request = urllib.request.Request(  # noqa: S310 (loopback URLs we build)
            url,
            data=body,
            method="POST",
            headers={"Content-Type": content_type, "Content-Length": str(path.stat().st_size)},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return int(response.status), bytes(response.read())
        except urllib.error.HTTPError as error:
            return int(error.code), error.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
            return 0, str(error).encode()
