"""How each compared server is started on the same data, and where its SPARQL endpoint is.

- `coopkg-1`, `coopkg-N`: `coopkg serve --data DATA` with COOPKG_WORKERS=1 / N (embedded pyoxigraph in
  worker processes);
- `coopkg-remote`: `coopkg serve` with COOPKG_STORE=remote in front of `oxigraph serve-read-only`;
- `oxigraph`: `oxigraph serve-read-only --union-default-graph` on a store from `oxigraph load` (timed apart);
- `oxigraph-mem`: `oxigraph serve --union-default-graph` with no --location, i.e. in memory (the issue's
  "Oxigraph server (Rust, in-memory)"); the data is POSTed to its /store once it listens (timed apart);
- `rdflib-endpoint`: `rdflib-endpoint serve DATA` (rdflib Dataset, default union), from its own venv;
- `baseline`: bench/baseline.py, FastAPI + pyoxigraph in a dozen lines;
- `ceiling`: bench/ceiling.py, a bare ASGI app returning a fixed body under uvicorn (the ceiling of any
  Python server here; measured on `lookup` only).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from procs import Server, free_port

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench/out"
VENV_BIN = Path(sys.executable).parent
RDFLIB_ENDPOINT_VENV = OUT / "rdflib-endpoint-venv"
# The load generators are one address standing for many clients: the per-client limits and the worker kept
# for light queries (SECURITY.md) are off, so these runs measure the engines, not the fairness rules.
UNLIMITED = {"COOPKG_CLIENT_CONCURRENCY": "0", "COOPKG_CLIENT_BUDGET": "0", "COOPKG_LIGHT_WORKERS": "0"}


@dataclass
class Target:
    """A server to measure: its processes (started in order), its SPARQL endpoint path, what it serves."""

    name: str
    servers: list[Server]
    port: int
    endpoint: str  # path of the SPARQL query endpoint
    gateway: bool = False  # serves /id/ pages and the named-query API too
    notes: list[str] = field(default_factory=list)
    backend_port: int | None = None  # Oxigraph server behind a remote-store gateway (started first)
    http_load: Path | None = None  # N-Quads to POST to /store once the server listens (an in-memory server)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def ensure_rdflib_endpoint() -> Path:
    """rdflib-endpoint in its own venv (keeps its pins out of ours); installed once from PyPI."""
    exe = RDFLIB_ENDPOINT_VENV / "bin/rdflib-endpoint"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(RDFLIB_ENDPOINT_VENV)], check=True)
        subprocess.run(
            [str(RDFLIB_ENDPOINT_VENV / "bin/pip"), "install", "--quiet", "rdflib-endpoint[cli]", "uvicorn"],
            check=True,
        )
    return exe


def coopkg(name: str, data: Path, workers: int, logs: Path, store_dir: Path | None = None) -> Target:
    port = free_port()
    env = {
        "COOPKG_PORT": str(port),
        "COOPKG_HOST": "127.0.0.1",
        "COOPKG_WORKERS": str(workers),
        **UNLIMITED,
    }
    if store_dir is not None:
        env["COOPKG_STORE_DIR"] = str(store_dir)
    argv = [str(VENV_BIN / "coopkg"), "serve", "--data", str(data)]
    return Target(name, [Server(name, argv, env, logs / f"{name}.log")], port, "/sparql", gateway=True)


def coopkg_remote(store: Path, logs: Path) -> Target:
    ox_port, port = free_port(), free_port()
    oxigraph = Server(
        "oxigraph-backend",
        [
            str(VENV_BIN / "oxigraph"),
            "serve-read-only",
            "--location",
            str(store),
            "--union-default-graph",
            "--bind",
            f"127.0.0.1:{ox_port}",
        ],
        {},
        logs / "coopkg-remote-oxigraph.log",
    )
    env = {
        "COOPKG_PORT": str(port),
        "COOPKG_HOST": "127.0.0.1",
        "COOPKG_STORE": "remote",
        "COOPKG_REMOTE_QUERY_URL": f"http://127.0.0.1:{ox_port}/query",
        **UNLIMITED,
    }
    gateway = Server("coopkg-remote", [str(VENV_BIN / "coopkg"), "serve"], env, logs / "coopkg-remote.log")
    return Target(
        "coopkg-remote",
        [oxigraph, gateway],
        port,
        "/sparql",
        gateway=True,
        notes=["peak memory counts the gateway only; the Oxigraph backend is measured as `oxigraph`"],
        backend_port=ox_port,
    )


def oxigraph(store: Path, logs: Path) -> Target:
    port = free_port()
    argv = [
        str(VENV_BIN / "oxigraph"),
        "serve-read-only",
        "--location",
        str(store),
        "--union-default-graph",
        "--bind",
        f"127.0.0.1:{port}",
    ]
    return Target(
        "oxigraph",
        [Server("oxigraph", argv, {}, logs / "oxigraph.log")],
        port,
        "/query",
        notes=["start-up counts serving an existing store; `oxigraph load` is timed separately"],
    )


def oxigraph_mem(data: Path, logs: Path) -> Target:
    port = free_port()
    argv = [str(VENV_BIN / "oxigraph"), "serve", "--union-default-graph", "--bind", f"127.0.0.1:{port}"]
    return Target(
        "oxigraph-mem",
        [Server("oxigraph-mem", argv, {}, logs / "oxigraph-mem.log")],
        port,
        "/query",
        notes=["in memory; start-up includes POSTing the N-Quads to /store (also timed alone)"],
        http_load=data,
    )


def rdflib_endpoint(data: Path, logs: Path) -> Target:
    port = free_port()
    argv = [str(ensure_rdflib_endpoint()), "serve", str(data), "--host", "127.0.0.1", "--port", str(port)]
    return Target(
        "rdflib-endpoint", [Server("rdflib-endpoint", argv, {}, logs / "rdflib-endpoint.log")], port, "/"
    )


def baseline(data: Path, logs: Path) -> Target:
    port = free_port()
    argv = [sys.executable, str(ROOT / "bench/baseline.py"), str(data), str(port)]
    return Target("baseline", [Server("baseline", argv, {}, logs / "baseline.log")], port, "/sparql")


def ceiling(logs: Path) -> Target:
    port = free_port()
    argv = [sys.executable, str(ROOT / "bench/ceiling.py"), str(port)]
    return Target(
        "ceiling",
        [Server("ceiling", argv, {}, logs / "ceiling.log")],
        port,
        "/sparql",
        notes=["a bare ASGI app returning one fixed body: the ceiling of a Python server; lookup only"],
    )


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def cpu_count() -> int:
    return os.cpu_count() or 1
