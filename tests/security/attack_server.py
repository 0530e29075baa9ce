"""`coopkg serve` as a real process on a free loopback port, for the tests that need one (timeouts that must
stop work, SIGTERM, a refused start, a killed backend). Readiness is polled, never waited for with a sleep.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import httpx

COOPKG = str(Path(sys.executable).parent / "coopkg")
READY_QUERY = "ASK {}"
# Limits of the session gateway (tests/security/conftest.py): short, so a runaway query costs seconds.
QUERY_TIMEOUT = 2.0  # seconds
MAX_ROWS = 1000
MAX_BODY = 1_000_000  # the default; the multi-megabyte case must exceed it


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    """A `coopkg serve` process group; `env` adds COOPKG_* settings, `args` adds CLI arguments."""

    log: Path
    env: dict[str, str] = field(default_factory=dict)
    args: list[str] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {**os.environ, **self.env, "COOPKG_HOST": "127.0.0.1", "COOPKG_PORT": str(self.port)}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [COOPKG, "serve", *self.args],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: stop() reaches the query workers too
            )

    def wait_ready(self, timeout: float = 60.0) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        delay = 0.05
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"coopkg serve exited with {self.process.returncode}:\n{self.output()}")
            with contextlib.suppress(httpx.HTTPError):
                answer = httpx.get(f"{self.base}/sparql", params={"query": READY_QUERY}, timeout=2)
                if answer.status_code == 200:
                    return
            time.sleep(delay)  # polling back-off while the process starts
            delay = min(delay * 1.5, 0.5)
        raise RuntimeError(f"coopkg serve was not ready after {timeout:.0f} s:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def terminate(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)

    def stop(self) -> int | None:
        """SIGTERM the group, SIGKILL after a grace period; the exit code (None if it had to be killed)."""
        if self.process is None:
            return None
        if self.process.poll() is not None:
            return self.process.returncode
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)
            return None

    def __enter__(self) -> LiveServer:
        self.start()
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
