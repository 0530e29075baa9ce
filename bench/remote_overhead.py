"""What the gateway adds to a light query sent to Virtuoso directly: latency with nothing queued, and CPU.

    .venv/bin/python bench/remote_overhead.py --triples 1M [--requests 600] [--seconds 10]

Starts Virtuoso 7 (tests/remote/virtuoso_server.py) on the synthetic data of bench/generate.py (cached in
bench/out/data/, as bench/remote_store.py does) and `coopkg serve` with COOPKG_STORE=remote in front of it.
Then, in one run:

1. latency: `--requests` light queries (everything about one commitment, by IRI, each one distinct), one
   at a time, each sent to Virtuoso directly (form POST) and then through the gateway (GET), alternating,
   so both see the same machine at the same moment; p50 and p90 of each and the p50 the gateway adds;
2. CPU: 4 clients send distinct light queries for `--seconds`, first to Virtuoso, then through the gateway;
   the CPU time (`/proc`, user + system) each server process used, per request.

The clients run in this process and share the machine's cores with the servers: quote the figures of one
run side by side. Results also go to bench/out/results/remote-overhead-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import anyio
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "remote"))  # the Virtuoso helper

import workloads  # bench/ is a folder of scripts, not a package
from procs import measuring_alone
from remote_store import OUT, ROOT, start_gateway, virtuoso_on

JSON = "application/sparql-results+json"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def latency(direct: str, gateway: str, queries: list[str]) -> dict[str, float]:
    """p50/p90 of each, one request at a time, alternating (the first 10% are a warm-up)."""
    times: dict[str, list[float]] = {"direct": [], "gateway": []}
    with httpx.Client(timeout=60) as http:
        for number, query in enumerate(queries):
            # A text Virtuoso has never seen for each: it keeps compiled queries by their text, and the second
            # of two identical texts ran ~0.5 ms faster (which favoured whichever target came second).
            started = time.perf_counter()
            answer = http.post(
                direct, data={"query": f"{query}\n#d{number}-{time.time()}"}, headers={"Accept": JSON}
            )
            times["direct"].append(time.perf_counter() - started)
            started = time.perf_counter()
            through = http.get(
                gateway, params={"query": f"{query}\n#g{number}-{time.time()}"}, headers={"Accept": JSON}
            )
            times["gateway"].append(time.perf_counter() - started)
            if answer.status_code != 200 or through.status_code != 200:
                raise SystemExit(f"HTTP {answer.status_code} / {through.status_code}: {through.text[:300]}")
    figures: dict[str, float] = {}
    for name, measured in times.items():
        kept = sorted(measured[len(measured) // 10 :])
        figures[f"{name}_p50_ms"] = round(statistics.median(kept) * 1000, 2)
        figures[f"{name}_p90_ms"] = round(kept[int(len(kept) * 0.9)] * 1000, 2)
    figures["added_p50_ms"] = round(figures["gateway_p50_ms"] - figures["direct_p50_ms"], 2)
    return figures


async def load(url: str, post: bool, queries: list[str], seconds: float, pid: int) -> dict[str, float]:
    """4 clients for `seconds`: requests/s and the CPU the server process `pid` used per request."""
    done = [0]
    before, started = cpu_seconds(pid), time.perf_counter()

    async def client(http: httpx.AsyncClient, number: int) -> None:
        position = number * len(queries) // 4
        while time.perf_counter() - started < seconds:
            text = f"{queries[position % len(queries)]}\n#{number}-{position}-{time.time()}"
            position += 1
            if post:
                answer = await http.post(url, data={"query": text}, headers={"Accept": JSON})
            else:
                answer = await http.get(url, params={"query": text}, headers={"Accept": JSON})
            if answer.status_code != 200:
                raise SystemExit(f"{url}: HTTP {answer.status_code} {answer.text[:300]}")
            done[0] += 1

    limits = httpx.Limits(max_connections=4)
    async with httpx.AsyncClient(limits=limits, timeout=60) as http, anyio.create_task_group() as group:
        for number in range(4):
            group.start_soon(client, http, number)
    elapsed, used = time.perf_counter() - started, cpu_seconds(pid) - before
    return {"per_s": round(done[0] / elapsed, 1), "cpu_ms_per_request": round(used / done[0] * 1000, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", default="1M")
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--seconds", type=float, default=10.0)
    options = parser.parse_args()
    measuring_alone(OUT)
    work = OUT / "remote-overhead" / options.triples
    virtuoso, data = virtuoso_on(options.triples, work)
    gateway: subprocess.Popen[bytes] | None = None
    try:
        virtuoso.start()
        virtuoso.load(data)
        gateway, url, _ = start_gateway(
            {"COOPKG_STORE": "remote", "COOPKG_REMOTE_QUERY_URL": virtuoso.query_url},
            [],
            work / "gateway.log",
        )
        base = url.removesuffix("/sparql")
        httpx.get(f"{base}/api/search", params={"q": "合作"}, timeout=1800)  # start-up work done first
        queries = [workloads.LOOKUP.format(iri=c) for c in workloads.sample_commitments(data)]
        assert virtuoso.process is not None
        figures = {
            "triples": options.triples,
            "latency": latency(virtuoso.query_url, url, (queries * options.requests)[: options.requests]),
            "virtuoso_4_clients": anyio.run(
                load, virtuoso.query_url, True, queries, options.seconds, virtuoso.process.pid
            ),
            "gateway_4_clients": anyio.run(load, url, False, queries, options.seconds, gateway.pid),
        }
    finally:
        if gateway is not None:
            os.killpg(gateway.pid, signal.SIGTERM)
            gateway.wait(30)
        virtuoso.stop()
    results = OUT / "results" / f"remote-overhead-{time.strftime('%Y%m%dT%H%M%S')}.json"
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))
    print(f"\n(results: {results.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
