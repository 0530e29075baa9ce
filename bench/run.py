"""Benchmark the coopkg gateway against the Oxigraph server, rdflib-endpoint and a minimal baseline.

    .venv/bin/python bench/run.py --sizes 100k,1M --duration 10 [--connections 8] [--servers ...] [--extras]

For each size: generate the data (bench/generate.py, cached in bench/out/data/), build the Oxigraph server's
store (`oxigraph load`, timed), then start each server in turn on a free loopback port, one at a time, on the
same data (the in-memory Oxigraph server gets it POSTed to /store, timed apart): time process start -> first
correct answer, check every workload once (status and result size, compared across servers), warm it up
(every distinct request of its round robin fetched once, so a cache's cold misses do not make the cached p99),
load it with wrk (`-t1 -c<connections>` for `--duration` seconds per workload), then, for the SPARQL
workloads named by --unique, load it again with every request made distinct (a trailing `#n` comment line)
so that no cache can help, sample the memory of its whole process tree, and stop it (its process group)
before the next one starts.

`--extras` adds the start-up yardsticks: pyoxigraph's own bulk_load (memory and disk), the gateway's start-up
from an already-built store directory, and `coopkg validate` against a plain `pyshacl.validate` call.
Results go to bench/out/results/<time>.json (written after every server) and a Markdown summary is printed
(bench/report.py renders any results file again).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import extras
import named as named_queries
import procs
import report
import servers
import workloads
from procs import http_get, timed_run

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench/out"
MIX = ROOT / "bench/mix.lua"
ALL_SERVERS = (
    "coopkg-1",
    "coopkg-N",
    "coopkg-remote",
    "oxigraph",
    "oxigraph-mem",
    "rdflib-endpoint",
    "baseline",
    "ceiling",
)
N_QUADS = "application/n-quads"
# The gateway's named-query route; bench/named.py formats it with the query name.
NAMED_ROUTE = "/api/queries/{name}"


def ensure_data(size: str, seed: int) -> tuple[Path, float | None]:
    path = OUT / "data" / f"{size}-seed{seed}.nq"
    if path.exists():
        return path, None
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench/generate.py"),
            "--triples",
            size,
            "--seed",
            str(seed),
            "--out",
            str(path),
        ],
        check=True,
    )
    return path, time.perf_counter() - started


def run_wrk(
    base: str, requests_file: Path, duration: int, connections: int, bust: bool = False
) -> dict[str, Any]:
    argv = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(MIX),
        base,
        "--",
    ]
    extra = ["bust"] if bust else []
    done = subprocess.run(
        [*argv, str(requests_file), *extra], capture_output=True, text=True, timeout=duration + 60
    )
    for line in done.stdout.splitlines():
        if line.startswith("WRKJSON "):
            result: dict[str, Any] = json.loads(line.removeprefix("WRKJSON "))
            seconds = result["duration_us"] / 1e6
            result["rps"] = result["requests"] / seconds if seconds else 0.0
            result["errors"] = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
            return result
    return {"error": f"wrk printed no summary (exit {done.returncode}): {done.stderr.strip()[-300:]}"}


def load_average() -> float:
    """The 1-minute load average: on 2 CPUs, more than ~2 means someone else competed for them."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def probe_for(target: servers.Target, workload: workloads.Workload) -> Callable[[], bool]:
    first = workload.requests[0]

    def probe() -> bool:
        status, body = http_get(target.base + first.path, first.accept, timeout=5)
        return status == 200 and workloads.count_results(body, first.accept) > 0

    return probe


def load_over_http(target: servers.Target, data: Path, timeout: float) -> dict[str, Any]:
    """Start an empty in-memory server, POST `data` to its /store: seconds to listen and to load, apart."""
    main = target.servers[-1]
    main.start()

    def listening() -> bool:
        status, _ = http_get(f"{target.base}/query?query=ASK%7B%7D", workloads.SPARQL_JSON, timeout=5)
        return status == 200

    listen_s = main.wait_ready(listening, timeout)
    started = time.perf_counter()
    status, body = procs.http_post_file(f"{target.base}/store", data, N_QUADS, timeout)
    seconds = time.perf_counter() - started
    if status not in (200, 201, 204):
        raise RuntimeError(f"POST of the data to {target.name} answered {status}: {body[:300]!r}")
    return {"listen_s": listen_s, "seconds": seconds, "status": status}


def warm_up(
    target: servers.Target, workload: workloads.Workload, budget: float, timeout: float
) -> dict[str, Any]:
    """Fetch every distinct request of the workload's round robin once, so that the measured run starts with
    whatever caches the server has already holding them (a cold miss is not counted in the cached p99).

    Stops after `budget` seconds on a slow server; `complete` says whether every request was fetched."""
    distinct = list(dict.fromkeys(workload.requests))
    started = time.perf_counter()
    fetched = failed = 0
    for request in distinct:
        if time.perf_counter() - started > budget:
            break
        status, _ = http_get(target.base + request.path, request.accept, timeout=timeout)
        fetched += 1
        failed += status != 200
    return {
        "requests": fetched,
        "distinct": len(distinct),
        "non_200": failed,
        "seconds": time.perf_counter() - started,
        "complete": fetched == len(distinct),
    }


def unloaded_latency(
    target: servers.Target, workload: workloads.Workload, first: float, timeout: float
) -> float:
    """Median time of single requests with nothing else in flight (the first, then up to 4 more of the
    workload's requests while they are quick): the latency a lone user sees, without wrk's queueing."""
    times = [first]
    for request in workload.requests[1:5]:
        if sum(times) > 2:
            break
        started = time.perf_counter()
        http_get(target.base + request.path, request.accept, timeout=timeout)
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2]


def measure(
    target: servers.Target,
    loads: list[workloads.Workload],
    commitments: list[str],
    args: argparse.Namespace,
    logs: Path,
) -> dict[str, Any]:
    """Start the target, time its readiness, check and load every workload, stop it."""
    result: dict[str, Any] = {"notes": target.notes, "workloads": {}}
    try:
        if target.backend_port is not None:  # the remote gateway's Oxigraph server, ready before the gateway
            backend = servers.Target("backend", [], target.backend_port, "/query")
            target.servers[0].start()
            lookup = workloads.sparql_workloads("/query", commitments, {})[0]
            target.servers[0].wait_ready(probe_for(backend, lookup), args.startup_timeout)
        main = target.servers[-1]
        if target.http_load is not None:  # an in-memory server: empty until the data is POSTed to it
            result["http_load"] = load_over_http(target, target.http_load, args.startup_timeout)
        else:
            main.start()
        result["startup_s"] = main.wait_ready(probe_for(target, loads[0]), args.startup_timeout)
        timeouts = 0
        for workload in loads:
            if timeouts >= args.max_timeouts:
                result["workloads"][workload.name] = {
                    "status": None,
                    "error": f"skipped after {timeouts} timeouts",
                }
                continue
            # A server that cannot drop abandoned requests (rdflib-endpoint runs queries on its event loop)
            # is still busy with the previous workload's backlog: wait for it, so it is not counted twice.
            drain = time.perf_counter()
            try:
                main.wait_ready(probe_for(target, loads[0]), drain - main.started + args.first_timeout)
            except RuntimeError:  # stuck on an earlier query: start it again rather than lose the workload
                main.stop()
                main.start()
                main.wait_ready(probe_for(target, loads[0]), args.startup_timeout)
                result.setdefault("restarts", []).append(workload.name)
            first = workload.requests[0]
            started = time.perf_counter()
            status, body = http_get(target.base + first.path, first.accept, timeout=args.first_timeout)
            entry: dict[str, Any] = {
                "status": status,
                "first_s": time.perf_counter() - started,
                "drain_s": started - drain,
            }
            if status == 200:
                # The machine is shared (2 CPUs, other people's test runs): record what else ran meanwhile.
                entry["loadavg_before"] = load_average()
                entry["results"] = workloads.count_results(body, first.accept)
                entry["unloaded_s"] = unloaded_latency(target, workload, entry["first_s"], args.first_timeout)
                entry["warmup"] = warm_up(target, workload, args.warmup_budget, args.first_timeout)
                requests_file = workload.write(logs / f"{target.name}-{workload.name.replace(':', '_')}.tsv")
                entry.update(
                    run_wrk(target.base, requests_file, args.duration, args.connections, args.cache_bust)
                )
                entry["cache_bust"] = args.cache_bust
                if wants_unique(workload, args):
                    # Every request distinct (a trailing `#n` comment line): no response cache can help.
                    entry["unique"] = run_wrk(
                        target.base, requests_file, args.duration, args.connections, bust=True
                    )
            elif status == 0:
                entry["error"] = f"no answer within {args.first_timeout:.0f} s"
                timeouts += 1
            else:
                entry["error"] = body[:300].decode("utf-8", "replace")
            result["workloads"][workload.name] = entry
            print(f"  {target.name:16} {workload.name:32} {report.brief(entry)}", flush=True)
            if "unique" in entry:
                print(f"  {target.name:16} {workload.name + ' (unique)':32} {report.brief(entry['unique'])}")
    except (RuntimeError, subprocess.SubprocessError, OSError) as error:
        result["error"] = str(error)
        print(f"  {target.name}: {error}", flush=True)
    finally:
        for server in reversed(target.servers):
            server.stop()
    result["peak_rss"] = target.servers[-1].peak_rss
    result["peak_pss"] = target.servers[-1].peak_pss
    return result


def wants_unique(workload: workloads.Workload, args: argparse.Namespace) -> bool:
    """A unique variant for SPARQL workloads named in --unique (under --cache-bust every run is unique)."""
    sparql = all("?query=" in request.path for request in workload.requests)
    return sparql and not args.cache_bust and workload.name.startswith(tuple(args.unique))


def target_for(name: str, data: Path, store: Path, logs: Path) -> servers.Target:
    if name == "coopkg-1":
        return servers.coopkg(name, data, 1, logs)
    if name == "coopkg-N":
        return servers.coopkg(f"coopkg-{servers.cpu_count()}", data, servers.cpu_count(), logs)
    if name == "coopkg-remote":
        return servers.coopkg_remote(store, logs)
    if name == "oxigraph":
        return servers.oxigraph(store, logs)
    if name == "oxigraph-mem":
        return servers.oxigraph_mem(data, logs)
    if name == "rdflib-endpoint":
        return servers.rdflib_endpoint(data, logs)
    if name == "ceiling":
        return servers.ceiling(logs)
    return servers.baseline(data, logs)


def run_size(size: str, args: argparse.Namespace, results: dict[str, Any], save: Callable[[], None]) -> None:
    print(f"== {size}", flush=True)
    data, generated_s = ensure_data(size, args.seed)
    logs = OUT / "logs" / size
    entry: dict[str, Any] = results["sizes"].setdefault(size, {"servers": {}})
    entry["data"] = {
        "file": str(data.relative_to(ROOT)),
        "bytes": data.stat().st_size,
        "generate_s": generated_s,
    }
    entry["data"]["quads"] = sum(1 for _ in data.open("rb"))
    commitments = workloads.sample_commitments(data)
    named = named_queries.named_requests(commitments)
    store = servers.fresh_dir(OUT / "stores" / f"oxigraph-{size}")
    seconds, code, rss = timed_run(
        [str(servers.VENV_BIN / "oxigraph"), "load", "--location", str(store), "--file", str(data)],
        None,
        logs / "oxigraph-load.log",
        args.startup_timeout,
    )
    entry["oxigraph_load"] = {"seconds": seconds, "exit": code, "peak_rss": rss}
    for name in args.servers:
        target = target_for(name, data, store, logs)
        texts = {query: [text for text, _ in requests] for query, requests in named.items()}
        loads = workloads.sparql_workloads(target.endpoint, commitments, texts)
        if target.gateway:
            loads += [
                workloads.Workload(
                    f"named-api:{query}",
                    tuple(
                        workloads.Request(
                            named_queries.api_path(NAMED_ROUTE, query, raw), workloads.SPARQL_JSON
                        )
                        for _, raw in requests
                    ),
                )
                for query, requests in sorted(named.items())
            ]
            loads += workloads.page_workloads(commitments)
        if target.name == "ceiling":  # a fixed body: only comparable with the light lookups
            loads = loads[:1]
        if args.workloads:  # keep lookup first: it is the readiness probe
            loads = [loads[0]] + [w for w in loads[1:] if w.name.startswith(tuple(args.workloads))]
        entry["servers"][target.name] = measure(target, loads, commitments, args, logs)
        save()
    if args.extras:
        entry["extras"] = extras.run_all(
            data, size, args.seed, logs, args.startup_timeout, args.validate_timeout
        )
        save()


def environment(args: argparse.Namespace) -> dict[str, Any]:
    def version(argv: list[str]) -> str:
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        except OSError as error:
            return f"unavailable ({error})"
        return (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr) else "?"

    meminfo = Path("/proc/meminfo").read_text().splitlines()[0]
    cpu = next(
        line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")
    )
    rdflib_endpoint_py = servers.RDFLIB_ENDPOINT_VENV / "bin/python"
    return {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "nproc": servers.cpu_count(),
        "memory": meminfo.split(":", 1)[1].strip(),
        "cpu": cpu.split(":", 1)[1].strip(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "versions": {
            "coopkg": version([str(servers.VENV_BIN / "coopkg"), "--version"]),
            "pyoxigraph": version([sys.executable, "-c", "import pyoxigraph; print(pyoxigraph.__version__)"]),
            "oxigraph server": version([str(servers.VENV_BIN / "oxigraph"), "--version"]),
            "rdflib-endpoint": version(
                [
                    str(rdflib_endpoint_py),
                    "-c",
                    "import importlib.metadata as m; print(m.version('rdflib-endpoint'), "
                    "'rdflib', m.version('rdflib'))",
                ]
            ),
            "wrk": version(["wrk", "--version"]),
        },
        "load": {"tool": "wrk", "threads": 1, "connections": args.connections, "duration_s": args.duration},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100k", help="comma-separated: 10k,100k,1M,10M")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per workload and server")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (one wrk thread)")
    parser.add_argument(
        "--servers", default=",".join(ALL_SERVERS), help=f"comma-separated of {', '.join(ALL_SERVERS)}"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--startup-timeout", type=float, default=1800, help="seconds a server may take to be ready"
    )
    parser.add_argument(
        "--first-timeout", type=float, default=120, help="seconds the checking request may take"
    )
    parser.add_argument(
        "--max-timeouts", type=int, default=2, help="skip a server's other workloads after this many"
    )
    parser.add_argument(
        "--workloads",
        default="",
        help="comma-separated name prefixes to keep (e.g. aggregate,named:areas,page-); default all",
    )
    parser.add_argument(
        "--validate-timeout", type=float, default=1200, help="seconds each validator may take (--extras)"
    )
    parser.add_argument(
        "--cache-bust",
        action="store_true",
        help="make every SPARQL request unique (a trailing comment), so response caches cannot answer",
    )
    parser.add_argument(
        "--unique",
        default="lookup,aggregate,named:",
        help="comma-separated workload name prefixes that also run a `unique` variant, every request "
        "distinct so no cache helps (SPARQL workloads only; '' for none; implied for all by --cache-bust)",
    )
    parser.add_argument(
        "--warmup-budget",
        type=float,
        default=60,
        help="seconds at most for fetching every distinct request of a workload once before measuring it",
    )
    parser.add_argument("--extras", action="store_true", help="also the start-up and validation comparisons")
    args = parser.parse_args(argv)
    procs.measuring_alone(OUT)
    # SIGTERM (timeout, kill) unwinds like Ctrl-C, so the finally blocks stop every server we started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args.servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    args.workloads = [w.strip() for w in args.workloads.split(",") if w.strip()]
    args.unique = [w.strip() for w in args.unique.split(",") if w.strip()]
    unknown = sorted(set(args.servers) - set(ALL_SERVERS))
    if unknown:
        parser.error(f"unknown server(s) {', '.join(unknown)}; choose from {', '.join(ALL_SERVERS)}")
    if shutil.which("wrk") is None:
        parser.error("wrk is missing: install Debian's package (apt-get install -y wrk)")
    results: dict[str, Any] = {"environment": environment(args), "sizes": {}}
    path = OUT / "results" / time.strftime("%Y%m%dT%H%M%SZ.json", time.gmtime())
    path.parent.mkdir(parents=True, exist_ok=True)

    def save() -> None:
        path.write_text(json.dumps(results, indent=2, ensure_ascii=False))

    for size in (s.strip() for s in args.sizes.split(",")):
        run_size(size, args, results, save)
    save()
    print(report.render(results))
    print(f"results: {path.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
