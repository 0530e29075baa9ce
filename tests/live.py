"""A real `coopkg serve` process on a free loopback port, for every test folder that needs real HTTP
and real workers (gateway, remote, security).

`Gateway.start()` launches it in its own process group (so `stop()` reaches the query workers too) and polls
`/health` and a trivial query until it answers; no fixed sleeps, no fixed ports.
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


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Gateway:
    """`coopkg serve ARGS` with COOPKG_* settings from `env`; output goes to `log`. `command` is the coopkg
    script to run (default: this environment's; tests/packaging passes a fresh install's), from `cwd`."""

    log: Path
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    command: str = COOPKG
    cwd: Path | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    def start(self, ready_within: float = 90.0) -> Gateway:
        env = {**os.environ, **self.env, "COOPKG_HOST": "127.0.0.1", "COOPKG_PORT": str(self.port)}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [self.command, "serve", *self.args],
                env=env,
                cwd=self.cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + ready_within
        delay = 0.05
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"coopkg serve exited with {self.process.returncode}:\n{self.output()}")
            with contextlib.suppress(httpx.HTTPError):
                answer = httpx.get(self.sparql, params={"query": "ASK {}"}, timeout=5)
                if answer.status_code == 200:
                    return self
            time.sleep(delay)  # polling back-off while the process starts
            delay = min(delay * 1.5, 0.5)
        self.stop()
        raise RuntimeError(f"coopkg serve was not ready after {ready_within:.0f} s:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def worker_pids(self) -> list[int]:
        """The query workers (named coopkg-worker): children of the server, or of its zygote."""
        assert self.process is not None
        parents: dict[int, int] = {}
        names: dict[int, str] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
                names[int(entry.name)] = (entry / "comm").read_text().strip()
        server = self.process.pid
        ours = {pid for pid, parent in parents.items() if parent == server}
        ours |= {pid for pid, parent in parents.items() if parent in ours}
        return sorted(pid for pid in ours if names.get(pid) == "coopkg-worker")

    def terminate(self) -> None:
        """SIGTERM the server alone (not its group), as an orchestrator would: it must drain and exit 0."""
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
            return self.process.wait(20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)
            return None

    def __enter__(self) -> Gateway:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
