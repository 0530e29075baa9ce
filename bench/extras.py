"""Start-up and validation yardsticks (bench/run.py --extras), each a separate process, timed to completion.

- pyoxigraph's own `bulk_load` of the same file, in memory and into an on-disk store (bench/loadtime.py):
  what the gateway's start-up should be compared with;
- the gateway started in memory (the default), then twice on one COOPKG_STORE_DIR: building it, then from
  the already-built directory;
- `coopkg validate` against a plain `pyshacl.validate` call on the same triples (N-Triples, same seed).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import servers
import workloads
from procs import http_get, timed_run

ROOT = Path(__file__).resolve().parent.parent
SHAPES = ROOT / "shapes"


def _loaded_seconds(log: Path) -> float | None:
    match = re.search(r"in ([0-9.]+) s", log.read_text(errors="replace"))
    return float(match[1]) if match else None


def pyoxigraph_load(data: Path, logs: Path, timeout: float) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for label, extra in (
        ("memory", []),
        ("disk", ["--disk", str(servers.fresh_dir(servers.OUT / "stores/pyoxigraph"))]),
    ):
        log = logs / f"pyoxigraph-{label}.log"
        seconds, code, rss = timed_run(
            [sys.executable, str(ROOT / "bench/loadtime.py"), str(data), *extra], None, log, timeout
        )
        rows[f"pyoxigraph bulk_load ({label})"] = {
            "seconds": _loaded_seconds(log),
            "peak_rss": rss,
            "exit": code,
            "notes": f"process total {seconds:.1f} s incl. interpreter start",
        }
    return rows


def gateway_store_dir(data: Path, logs: Path, timeout: float) -> dict[str, dict[str, Any]]:
    """Start-up of the gateway in memory (the default), then building COOPKG_STORE_DIR, then again from
    that directory."""
    store_dir = servers.fresh_dir(servers.OUT / "stores/coopkg")
    commitments = workloads.sample_commitments(data)[:1]
    rows: dict[str, dict[str, Any]] = {}
    for label in ("in memory", "fresh store dir", "already-built store dir"):
        directory = None if label == "in memory" else store_dir
        target = servers.coopkg(f"coopkg-{label.split()[0]}", data, servers.cpu_count(), logs, directory)
        lookup = workloads.sparql_workloads(target.endpoint, commitments, {})[0]
        first = lookup.requests[0]
        server = target.servers[0]
        row: dict[str, Any] = {}
        try:
            server.start()
            url, accept = target.base + first.path, first.accept
            row["seconds"] = server.wait_ready(lambda: http_get(url, accept, timeout=5)[0] == 200, timeout)  # noqa: B023 (called before the next iteration)
            row["exit"] = "ready"
        except RuntimeError as error:
            row["notes"] = str(error)
        finally:
            server.stop()
        row["peak_rss"] = server.peak_rss
        row["notes"] = row.get(
            "notes", f"coopkg serve, {servers.cpu_count()} workers; peak PSS {server.peak_pss >> 20} MB"
        )
        rows[f"gateway start-up, {label}"] = row
    return rows


def validation(
    data: Path, size: str, seed: int, logs: Path, timeout: float, validate_timeout: float
) -> dict[str, dict[str, Any]]:
    if not any(SHAPES.glob("*.ttl")):
        return {"validation": {"notes": "no shapes/*.ttl yet: nothing to validate against"}}
    nt = data.with_name(f"{size}-seed{seed}.nt")
    if not nt.exists():
        timed_run(
            [
                sys.executable,
                str(ROOT / "bench/generate.py"),
                "--triples",
                size,
                "--seed",
                str(seed),
                "--out",
                str(nt),
                # coop:sourceFile is sources/<slug>.txt: beside the data, where `coopkg validate` looks.
                "--sources-dir",
                str(nt.parent / "sources"),
            ],
            None,
            logs / "generate-nt.log",
            timeout,
        )
    rows: dict[str, dict[str, Any]] = {}
    for label, argv in (
        # --fail-on violation: synthetic parties lack Wikidata links (warnings by design, see generate.py).
        (
            "coopkg validate",
            [str(servers.VENV_BIN / "coopkg"), "validate", "--fail-on", "violation", str(nt)],
        ),
        ("plain pyshacl.validate", [sys.executable, str(ROOT / "bench/pyshacl_plain.py"), str(nt)]),
    ):
        log = logs / f"{label.replace(' ', '-')}.log"
        seconds, code, rss = timed_run(argv, None, log, validate_timeout)
        summary = " ".join(log.read_text(errors="replace").split()[:12]) if log.exists() else ""
        rows[label] = {
            "seconds": seconds,
            "peak_rss": rss,
            "exit": code,
            "notes": f"did not finish in {validate_timeout:.0f} s" if code == -1 else summary,
        }
    return rows


def fork_share(data: Path, logs: Path, timeout: float) -> dict[str, dict[str, Any]]:
    """bench/fork_share.py: query times on an in-memory vs a read-only on-disk store, and the memory of
    workers forked after an in-memory load (the alternative design docs/benchmarks.md discusses)."""
    log = logs / "fork-share.log"
    seconds, code, _ = timed_run(
        [sys.executable, str(ROOT / "bench/fork_share.py"), str(data), "--workers", str(servers.cpu_count())],
        None, log, timeout,
    )  # fmt: skip
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.startswith("{")]
    if code != 0 or not lines:
        return {"fork-share experiment": {"seconds": seconds, "exit": code, "notes": f"failed; see {log}"}}
    found = json.loads(lines[-1])
    times = "; ".join(f"{n} {found['memory_ms'][n]} vs {found['disk_ms'][n]} ms" for n in found["memory_ms"])
    return {
        "in-memory vs on-disk store (one query, best of 5)": {"notes": f"memory vs disk read-only: {times}"},
        f"in-memory store forked to {found['forked']['workers']} workers": {
            "seconds": found["memory_load_s"],
            "peak_rss": found["forked"]["rss_mb"] << 20,
            "exit": code,
            "notes": f"load {found['memory_load_s']} s (disk {found['disk_load_s']} s); "
            f"PSS of parent + workers {found['forked']['pss_mb']} MB, RSS sum {found['forked']['rss_mb']} MB",
        },
    }


def run_all(
    data: Path, size: str, seed: int, logs: Path, timeout: float, validate_timeout: float
) -> dict[str, dict[str, Any]]:
    rows = pyoxigraph_load(data, logs, timeout)
    rows.update(gateway_store_dir(data, logs, timeout))
    rows.update(fork_share(data, logs, timeout))
    rows.update(validation(data, size, seed, logs, timeout, validate_timeout))
    return rows
