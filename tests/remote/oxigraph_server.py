"""A real Oxigraph server (the `oxigraph` PyPI package) for the remote-backend tests.

`OxigraphServer` loads files into an on-disk store with `oxigraph load` (the server must not be running: the
store directory is locked), then runs `oxigraph serve-read-only` on a free loopback port and polls until it
answers. `stop()` and `start()` again keep the port and the data: that is how the outage tests take the store
down and bring it back.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import httpx

READY_WITHIN = 30.0  # seconds: a cold start on a loaded 2-core machine, with margin
POLL_EVERY = 0.05


def oxigraph_binary() -> Path | None:
    """The `oxigraph` executable of this virtual environment, if the test extra installed it."""
    candidate = Path(sys.executable).parent / "oxigraph"
    return candidate if candidate.is_file() else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class OxigraphServer:
    def __init__(
        self, binary: Path, location: Path, *, server_timeout: float | None = None, read_only: bool = True
    ) -> None:
        self.binary = binary
        self.read_only = read_only
        self.location = location
        self.port = free_port()
        self.server_timeout = server_timeout
        self.log = location.with_suffix(".log")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def graph_store_url(self) -> str:
        return f"{self.base_url}/store"

    def load(self, sources: Iterable[tuple[str | None, Path]]) -> None:
        """Load (graph IRI or None for a quad format, file) pairs; only while the server is stopped."""
        assert self.process is None, "oxigraph load needs the store directory unlocked: stop the server first"
        for graph, path in sources:
            command = [str(self.binary), "load", "--location", str(self.location), "--file", str(path)]
            if graph is not None:
                command += ["--graph", graph]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"oxigraph load {path} into {graph} failed:\n{done.stderr}")

    def start(self) -> None:
        command = [
            str(self.binary),
            "serve-read-only" if self.read_only else "serve",
            "--location",
            str(self.location),
            "--bind",
            f"127.0.0.1:{self.port}",
            # The gateway's contract: the union of the named graphs is the default graph.
            "--union-default-graph",
        ]
        if self.server_timeout is not None:
            command += ["--timeout-s", f"{self.server_timeout:g}"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_WITHIN
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph exited with {self.process.returncode}:\n{self.log.read_text()}")
            try:
                answer = httpx.get(self.query_url, params={"query": "ASK {}"}, timeout=1.0)
                if answer.status_code == 200:
                    return
            except httpx.TransportError:
                pass  # not listening yet
            time.sleep(POLL_EVERY)
        self.stop()
        raise RuntimeError(f"oxigraph did not answer on {self.base_url} within {READY_WITHIN} s")

    def stop(self) -> None:
        """Kill the server (an outage, not a shutdown: no grace period), and wait until it is gone."""
        if self.process is None:
            return
        self.process.kill()
        self.process.wait(timeout=30)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()
