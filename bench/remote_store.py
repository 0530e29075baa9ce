"""The gateway in front of Virtuoso vs Virtuoso directly vs the embedded gateway, side by side.

    .venv/bin/python bench/remote_store.py --triples 1M [--rounds 5] [--requests 24] [--concurrency 4]
        [--seconds 20] [--timeout 120] [--skip NAME,NAME] [--no-embedded]

Steps: generate the synthetic data (bench/generate.py, cached in bench/out/data/), start Virtuoso 7 (Debian's
virtuoso-opensource) on free loopback ports with its own virtuoso.ini (tests/remote/virtuoso_server.py) and
bulk-load it (`ld_dir` + `rdf_loader_run()` + `checkpoint`, timed), start `coopkg serve` with
COOPKG_STORE=remote in front of it, and `coopkg serve --data` on the same file (the embedded store; its start
is its load time). Then, round after round, each workload goes to the three targets in a rotating order:
the same query texts, every request made distinct by a trailing `#n` comment so no cache helps (the gateway
caches GET answers), SPARQL JSON results, `--concurrency` clients on keep-alive connections (httpx, in this
process). Workloads: `light` (everything about one commitment, by IRI), `light-1` (the same, one client at a
time: the latency the gateway adds when nothing queues) and `named:<name>` for each named query of
queries/*.rq with values from the synthetic data (bench/named.py). `--seconds` boxes each workload, target
and round: no new request starts after that many seconds (each client makes one at least), so the slow
named queries of a big graph do not take hours; throughput is what was done over the time it took.

Before the rounds, each gateway's site is checked against the other: the REST API lists the same number of
commitments, and the time until the first search is answered (the search index is built after start-up)
is reported.

Printed: load and start times, peak memory (VmHWM of each server process tree), and per workload the
throughput and p50/p99 of each target, with the gateway's ratio to Virtuoso. The client shares the 2 cores
with the servers (and with whatever else runs): quote the side-by-side ratios, not the absolute figures.
Results also go to bench/out/results/remote-<time>.json.
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
from dataclasses import dataclass, field
from pathlib import Path

import anyio
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "remote"))  # the Virtuoso helper
from virtuoso_server import VirtuosoServer, free_port, virtuoso_binaries

import named as named_queries  # bench/ is a folder of scripts, not a package
import servers
import workloads
from procs import measuring_alone

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"

COOPKG = str(Path(sys.executable).parent / "coopkg")
JSON = "application/sparql-results+json"


@dataclass
class Target:
    name: str
    url: str  # SPARQL endpoint
    post: bool  # Virtuoso gets form POSTs (what the gateway sends it); the gateways get GETs (cacheable ones)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    elapsed: dict[str, float] = field(default_factory=dict)
    # workload -> "HTTP 503 query-timeout" -> how many
    errors: dict[str, dict[str, int]] = field(default_factory=dict)


def sizes(text: str) -> int:
    return int(float(text.rstrip("kKmM")) * {"k": 1e3, "m": 1e6}.get(text[-1].lower(), 1))


def virtuoso_on(triples: str, work: Path) -> tuple[VirtuosoServer, Path]:
    """A Virtuoso (not started) in a fresh `work` folder, sized for the synthetic data of `triples`, and
    that data's file; exits with what to do when Virtuoso or the data is missing."""
    binaries = virtuoso_binaries()
    if binaries is None:
        raise SystemExit("Virtuoso is not installed: apt-get install virtuoso-opensource")
    data = OUT / "data" / f"{triples}.nq"
    if not data.exists():
        raise SystemExit(f"{data} is missing: bench/generate.py --triples {triples} --out {data} writes it")
    subprocess.run(["rm", "-rf", str(work)], check=True)
    work.mkdir(parents=True)
    return VirtuosoServer(binaries, work / "virtuoso", buffers=max(10_000, sizes(triples) // 8)), data


def tree_peak_kb(pid: int) -> int:
    """Peak resident memory (VmHWM) of a process and its descendants, in kB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def start_gateway(
    env: dict[str, str], args: list[str], log: Path
) -> tuple[subprocess.Popen[bytes], str, float]:
    port = free_port()
    started = time.monotonic()
    process = subprocess.Popen(
        [COOPKG, "serve", *args],
        # One benchmarking client must not run into the per-client limits (as in bench/run.py).
        env={**os.environ, **servers.UNLIMITED, **env, "COOPKG_HOST": "127.0.0.1", "COOPKG_PORT": str(port)},
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/sparql"
    while True:
        if process.poll() is not None:
            raise SystemExit(f"coopkg serve exited: see {log}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return process, url, time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.2)  # start-up polling interval


async def run_workload(
    target: Target,
    name: str,
    queries: list[str],
    concurrency: int,
    serial: list[int],
    seconds: float = 0.0,
) -> None:
    """Every query once, `concurrency` at a time (none started after `seconds`, if given, once each client
    made one); latencies and wall time added to the target's figures."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    pending = list(queries)
    latencies = target.latencies.setdefault(name, [])
    began = time.perf_counter()

    async def client(http: httpx.AsyncClient) -> None:
        made = 0
        while pending and not (made and seconds and time.perf_counter() - began > seconds):
            made += 1
            query = pending.pop() + f"\n#{serial[0]}"
            serial[0] += 1
            started = time.perf_counter()
            if target.post:
                answer = await http.post(target.url, data={"query": query}, headers={"Accept": JSON})
            else:
                answer = await http.get(target.url, params={"query": query}, headers={"Accept": JSON})
            if answer.status_code == 200:
                latencies.append(time.perf_counter() - started)
                continue
            # A failed request (a query stopped at the gateway's deadline) is counted, not timed, and the run
            # goes on: a run of an hour is not lost to one slow query.
            kind = answer.headers.get("content-type", "").startswith("application/problem+json")
            problem = answer.json().get("type", "").rsplit("/", 1)[-1] if kind else answer.text[:80]
            errors = target.errors.setdefault(name, {})
            label = f"HTTP {answer.status_code} {problem}"
            errors[label] = errors.get(label, 0) + 1
            print(f"{target.name} {name}: {label}", file=sys.stderr)

    async with httpx.AsyncClient(limits=limits, timeout=900) as http:
        started = time.perf_counter()
        async with anyio.create_task_group() as group:
            for _ in range(concurrency):
                group.start_soon(client, http)
        target.elapsed[name] = target.elapsed.get(name, 0.0) + time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", default="1M")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=24, help="requests per workload, target and round")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--buffers", type=int, default=0, help="Virtuoso NumberOfBuffers (default: by size)")
    parser.add_argument("--seconds", type=float, default=0.0, help="time box per workload, target and round")
    parser.add_argument("--timeout", type=int, default=120, help="the gateways' COOPKG_QUERY_TIMEOUT (s)")
    parser.add_argument(
        "--skip", default="", help="named queries left out, comma-separated (the slowest ones of a big graph)"
    )
    parser.add_argument(
        "--no-embedded", action="store_true", help="leave out the embedded gateway (a graph too big for it)"
    )
    parser.add_argument(
        "--embedded-on-disk",
        action="store_true",
        help="the embedded gateway on its on-disk store (COOPKG_STORE_DIR), as for a graph beyond memory",
    )
    options = parser.parse_args()
    measuring_alone(OUT)
    binaries = virtuoso_binaries()
    if binaries is None:
        raise SystemExit("Virtuoso is not installed: apt-get install virtuoso-opensource")
    triples = sizes(options.triples)
    data = OUT / "data" / f"{options.triples}.nq"
    if not data.exists():
        subprocess.run(
            [
                sys.executable,
                str(BENCH / "generate.py"),
                "--triples",
                options.triples,
                "--seed",
                "1",
                "--out",
                str(data),
            ],
            check=True,
        )
    work = OUT / "remote" / options.triples
    subprocess.run(["rm", "-rf", str(work)], check=True)
    work.mkdir(parents=True)
    figures: dict[str, object] = {
        "triples": options.triples,
        "rounds": options.rounds,
        "requests": options.requests,
        "concurrency": options.concurrency,
        "seconds": options.seconds,
        "embedded_on_disk": options.embedded_on_disk,
        "cpus": os.cpu_count(),
    }
    buffers = options.buffers or max(10_000, triples // 8)  # about 64 bytes of pool per triple, 8 kB pages
    virtuoso = VirtuosoServer(binaries, work / "virtuoso", result_rows=1_000_000, buffers=buffers)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        started = time.monotonic()
        virtuoso.start()
        figures["virtuoso_start_s"] = round(time.monotonic() - started, 2)
        started = time.monotonic()
        virtuoso.load(data)
        figures["virtuoso_load_s"] = round(time.monotonic() - started, 2)
        remote, remote_url, remote_start = start_gateway(
            {
                "COOPKG_STORE": "remote",
                "COOPKG_REMOTE_QUERY_URL": virtuoso.query_url,
                "COOPKG_QUERY_TIMEOUT": str(options.timeout),
            },
            [],
            work / "gateway-remote.log",
        )
        processes.append(remote)
        figures["gateway_remote_start_s"] = round(remote_start, 2)
        figures["gateway_remote_site"] = check_site(remote_url, remote_start)
        embedded: subprocess.Popen[bytes] | None = None
        if not options.no_embedded:
            on_disk = {"COOPKG_STORE_DIR": str(work / "embedded-store")} if options.embedded_on_disk else {}
            embedded, embedded_url, embedded_start = start_gateway(
                {"COOPKG_QUERY_TIMEOUT": str(options.timeout), **on_disk},
                ["--data", str(data)],
                work / "gateway-embedded.log",
            )
            processes.append(embedded)
            figures["embedded_start_with_load_s"] = round(embedded_start, 2)
            figures["embedded_site"] = check_site(embedded_url, embedded_start)
            remote_count = figures["gateway_remote_site"]["commitments"]  # type: ignore[index]
            if figures["embedded_site"]["commitments"] != remote_count:  # type: ignore[index]
                raise SystemExit(f"the two gateways list different commitments: {figures}")

        commitments = workloads.sample_commitments(data)
        lookups = [workloads.LOOKUP.format(iri=c) for c in commitments]
        mix = {"light": lookups, "light-1": lookups}
        skipped = set(filter(None, options.skip.split(",")))
        for name, requests in named_queries.named_requests(commitments).items():
            if name not in skipped:
                mix[f"named:{name}"] = [text for text, _ in requests]
        figures["skipped"] = sorted(skipped)
        figures["timeout_s"] = options.timeout
        targets = [
            Target("virtuoso", virtuoso.query_url, post=True),
            Target("gateway->virtuoso", remote_url, post=False),
        ]
        if embedded is not None:
            targets.append(Target("embedded", embedded_url, post=False))
        serial = [0]
        for target in targets:  # warm-up: every workload once (connection pools, the stores' own caches)
            for name, queries in mix.items():
                anyio.run(
                    run_workload,
                    Target(target.name, target.url, target.post),
                    name,
                    queries[:1],
                    1,
                    serial,
                    options.seconds,
                )
        for number in range(options.rounds):
            for name, queries in mix.items():
                chosen = [queries[i % len(queries)] for i in range(options.requests)]
                turn = number % len(targets)
                order = targets[turn:] + targets[:turn]  # rotate: no target always goes first
                clients = 1 if name == "light-1" else options.concurrency
                for target in order:
                    anyio.run(run_workload, target, name, chosen, clients, serial, options.seconds)
            print(f"round {number + 1}/{options.rounds} done", file=sys.stderr)
        figures["peak_memory_mb"] = {
            "virtuoso": round(tree_peak_kb(virtuoso.process.pid) / 1024) if virtuoso.process else None,
            "gateway->virtuoso (gateway only)": round(tree_peak_kb(remote.pid) / 1024),
            "embedded": round(tree_peak_kb(embedded.pid) / 1024) if embedded is not None else None,
        }
        table: dict[str, dict[str, dict[str, object]]] = {}
        for target in targets:
            for name, latencies in target.latencies.items():
                ordered = sorted(latencies)
                row: dict[str, object] = {"per_s": round(len(latencies) / target.elapsed[name], 1)}
                if ordered:
                    row["p50_ms"] = round(statistics.median(ordered) * 1000, 2)
                    row["p99_ms"] = round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2)
                if name in target.errors:
                    row["errors"] = target.errors[name]
                table.setdefault(name, {})[target.name] = row
        figures["workloads"] = table
    finally:
        for process in processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)
        virtuoso.stop()
    results = OUT / "results" / f"remote-{time.strftime('%Y%m%dT%H%M%S')}.json"
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(figures, indent=2))
    print(report(figures))
    print(f"\n(results: {results.relative_to(ROOT)})")


def check_site(sparql_url: str, started_after: float) -> dict[str, float | int]:
    """The REST API's commitment count, and seconds from the gateway's start to its first search answer
    (the index is built after start-up: the first search waits for it)."""
    base = sparql_url.removesuffix("/sparql")
    began = time.monotonic()
    listed = httpx.get(f"{base}/api/commitments", params={"per_page": "1"}, timeout=600)
    if listed.status_code != 200:
        raise SystemExit(f"{base}/api/commitments: HTTP {listed.status_code} {listed.text[:300]}")
    catalogue = time.monotonic() - began
    found = httpx.get(f"{base}/api/search", params={"q": "合作"}, timeout=1800)
    if found.status_code != 200:
        raise SystemExit(f"{base}/api/search: HTTP {found.status_code} {found.text[:300]}")
    return {
        "commitments": int(listed.headers["x-total-count"]),
        "catalogue_s": round(catalogue, 2),
        "first_search_after_start_s": round(started_after + time.monotonic() - began, 2),
    }


def report(figures: dict[str, object]) -> str:
    lines = [
        f"Remote store run: {figures['triples']} triples, {figures['rounds']} rounds x {figures['requests']} "
        f"requests per workload and target, {figures['concurrency']} clients, {figures['cpus']} CPUs shared.",
        f"Virtuoso bulk load {figures['virtuoso_load_s']} s (start {figures['virtuoso_start_s']} s); "
        f"embedded gateway start with load {figures.get('embedded_start_with_load_s', '-')} s; "
        f"gateway on Virtuoso start {figures['gateway_remote_start_s']} s. "
        f"Peak memory (MB): {figures['peak_memory_mb']}.",
        f"Site, gateway on Virtuoso: {figures['gateway_remote_site']}; "
        f"embedded: {figures.get('embedded_site')}.",
        "",
        "| workload | Virtuoso /s | p50 | p99 | gateway->Virtuoso /s | p50 | p99 | ratio | +p50 ms "
        "| embedded /s | p50 | p99 | failed |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    table = figures["workloads"]
    assert isinstance(table, dict)
    missing = {"per_s": "-", "p50_ms": "-", "p99_ms": "-"}
    for name, row in table.items():
        direct, gateway = row.get("virtuoso", missing), row.get("gateway->virtuoso", missing)
        embedded = row.get("embedded", missing)
        ratio = added = "-"
        if isinstance(direct["per_s"], float) and direct["per_s"] and isinstance(gateway["per_s"], float):
            ratio = f"{gateway['per_s'] / direct['per_s']:.2f}"
        if isinstance(direct.get("p50_ms"), float) and isinstance(gateway.get("p50_ms"), float):
            added = f"{gateway['p50_ms'] - direct['p50_ms']:+.2f}"
        failed = "; ".join(
            f"{target}: {errors}" for target, cell in row.items() if (errors := cell.get("errors"))
        )
        lines.append(
            f"| {name} | {direct['per_s']} | {direct.get('p50_ms', '-')} | {direct.get('p99_ms', '-')} | "
            f"{gateway['per_s']} | {gateway.get('p50_ms', '-')} | {gateway.get('p99_ms', '-')} | {ratio} | "
            f"{added} | {embedded['per_s']} | {embedded.get('p50_ms', '-')} | "
            f"{embedded.get('p99_ms', '-')} | {failed or '-'} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
