"""Load and soak runs of `coopkg serve` on the shipped graph, with wrk, on loopback, bounded in time.

    .venv/bin/python bench/load.py load [--workers 1,2] [--duration 20] [--connections 8]
    .venv/bin/python bench/load.py soak [--workers 2] [--duration 300] [--connections 32] \
        [--memory-bound-mb 64]
    .venv/bin/python bench/load.py noisy [--workers 2] [--duration 20] [--flooders 2] \
        [--flood-connections 8] [--light-clients 2] [--fairness on,off]

The request mix (bench/mix.lua cycles through it): every named query of queries/*.rq sent to `/sparql` (its
values bound the way the gateway binds them, several values per query), plus the linked-data pages of all
commitments as HTML and as Turtle (`--no-pages` leaves them out). Every request is checked once before the run
(a 200 with content), so an error counted under load is an error of the load, not of the mix.

`load` reports, per worker count: requests/s, p50/p99 latency, errors (connect, read, write, timeout, non-2xx)
and the resident memory of the server's whole process tree before and after. `soak` runs one long wrk while
sampling memory every few seconds; it exits 1 when there was any error or when memory grew, from the end of
warm-up to the end of the run, by more than `--memory-bound-mb`.

`noisy` is the noisy-neighbour run of SECURITY.md: `--flooders` clients, each from its own loopback address
(127.0.1.x) on `--flood-connections` connections, send a runaway query (a three-way cross product, stopped at
the query time limit) again and again, while `--light-clients` clients (127.0.2.x) send the named-query mix
by POST (never from the response cache), one query after another, 0.1 s apart. It reports the light
clients' p50/p99/slowest latency and errors, and how the flooders were answered (429, 503, ...). The gateway
runs with its shipped defaults (`--fairness on`) or with the per-client limits and the kept worker off
(`off`: the fair queue alone).
wrk is one address standing for many clients, so `load` and `soak` turn the per-client limits off.
Results go to bench/out/load/<time>/<mode>.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

import httpx

from procs import Server, free_port, http_get, measuring_alone, memory_of, process_tree

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench/out/load"
MIX = ROOT / "bench/mix.lua"
VENV_BIN = Path(sys.executable).parent
PROGRAMME = "https://w3id.org/coopkg/id/programme/cn-dk-green-2023-2026"
ID_BASE = "https://w3id.org/coopkg/id/"
SPARQL_JSON = "application/sparql-results+json"
COMMITMENTS = """PREFIX coop: <https://w3id.org/coopkg/def#>
SELECT ?c WHERE { ?c a coop:Commitment } ORDER BY ?c"""
# Values of the named queries' parameters that select something in the shipped graph (cycled per request).
VALUES: dict[str, tuple[str, ...]] = {
    "programme": (PROGRAMME,),
    "area": tuple(f"{PROGRAMME}/area/{n}" for n in range(1, 8)),
    "number": tuple(str(n) for n in range(2, 13)),
    "sdg": tuple(f"http://metadata.un.org/sdg/{goal}" for goal in ("6", "13", "17", "3", "7", "14", "6.3")),
    "framework": tuple(f"{ID_BASE}framework/{slug}" for slug in ("paris-agreement", "2030-agenda", "unfccc")),
    "text": ("水", "water", "气候", "shipping", "知识产权"),
    "frequency": ("any", "annual", "regular"),
    "lang": ("any", "zh", "en"),
}
PER_QUERY = 8  # different values per named query, so no layer answers everything from one cached result


def commitments(base: str) -> list[str]:
    status, body = http_get(f"{base}/sparql?{urllib.parse.urlencode({'query': COMMITMENTS})}", SPARQL_JSON)
    if status != 200:
        raise SystemExit(f"error: listing the commitments answered {status}: {body[:300]!r}")
    return [row["c"]["value"] for row in json.loads(body)["results"]["bindings"]]


def mix(base: str, pages: bool) -> list[tuple[str, str]]:
    """(path with query string, Accept) for every request of the mix."""
    sys.path.insert(0, str(ROOT))
    from coopkg.queries import bind, default_registry, inline_values  # the gateway's own binding

    found = commitments(base)
    requests: list[tuple[str, str]] = []
    for _name, query in sorted(default_registry().items()):
        for k in range(PER_QUERY):
            raw = {}
            for param in query.params:
                options = (*found,) if param.name == "commitment" else VALUES.get(param.name, ())
                if options:
                    raw[param.name] = options[(k * 7) % len(options)]
            text = inline_values(query.text, bind(query, raw))
            requests.append((f"/sparql?{urllib.parse.urlencode({'query': text})}", SPARQL_JSON))
    if pages:
        for iri in found:
            path = "/id/" + iri.removeprefix(ID_BASE)
            requests += [(path, "text/html"), (path, "text/turtle")]
    return requests


def check(base: str, requests: list[tuple[str, str]]) -> None:
    for path, accept in requests:
        status, body = http_get(base + path, accept)
        if status != 200 or not body:
            raise SystemExit(f"error: {path[:120]} ({accept}) answered {status} before the run; fix the mix")


def wrk(base: str, requests_file: Path, duration: int, connections: int) -> dict[str, Any]:
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(MIX), base]
    done = subprocess.run(
        [*argv, "--", str(requests_file)], capture_output=True, text=True, timeout=duration + 60, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith("WRKJSON "):
            result: dict[str, Any] = json.loads(line.removeprefix("WRKJSON "))
            result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
            result["errors"] = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
            result["command"] = " ".join([*argv, "--", str(requests_file)])
            return result
    raise SystemExit(f"error: wrk printed no summary (exit {done.returncode}): {done.stderr.strip()[-300:]}")


def rss(server: Server) -> int:
    assert server.process is not None
    return memory_of(process_tree(server.process.pid))[0]


# wrk's connections all come from one address: as many clients, they must not share one client's limits.
NO_CLIENT_LIMITS = {"COOPKG_CLIENT_CONCURRENCY": "0", "COOPKG_CLIENT_BUDGET": "0"}
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def start(
    workers: int, logs: Path, settings: dict[str, str] | None = None, name: str = ""
) -> tuple[Server, str]:
    port = free_port()
    env = {"COOPKG_HOST": "127.0.0.1", "COOPKG_PORT": str(port), "COOPKG_WORKERS": str(workers)}
    env |= NO_CLIENT_LIMITS if settings is None else settings
    argv = [str(VENV_BIN / "coopkg"), "serve"]
    label = f"coopkg-{workers}{name}"
    server = Server(label, argv, env, logs / f"{label}.log")
    server.start()
    base = f"http://127.0.0.1:{port}"
    ask = f"{base}/sparql?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    server.wait_ready(lambda: http_get(ask, SPARQL_JSON, timeout=2)[0] == 200, timeout=120)
    return server, base


def prepare(base: str, pages: bool, folder: Path, workers: int) -> Path:
    requests = mix(base, pages)
    check(base, requests)  # also warms every cache once before memory is measured
    path = folder / f"mix-{workers}.tsv"
    path.write_text("".join(f"{p}\t{a}\n" for p, a in requests), encoding="utf-8")
    return path


def run_load(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    runs = []
    for workers in args.workers:
        server, base = start(workers, folder)
        try:
            requests_file = prepare(base, args.pages, folder, workers)
            before = rss(server)
            result = wrk(base, requests_file, args.duration, args.connections)
            result |= {"workers": workers, "rss_before": before, "rss_after": rss(server)}
            runs.append(result)
        finally:
            server.stop()
    return {"mode": "load", "runs": runs}


def run_soak(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    workers = args.workers[0]
    server, base = start(workers, folder)
    samples: list[tuple[float, int]] = []
    try:
        requests_file = prepare(base, args.pages, folder, workers)
        # Warm-up at full concurrency first: pools, caches and allocator arenas reach their working size.
        wrk(base, requests_file, args.warmup, args.connections)
        baseline = rss(server)
        done = threading.Event()

        def sample() -> None:
            started = time.monotonic()
            while not done.wait(args.sample_every):
                samples.append((round(time.monotonic() - started, 1), rss(server)))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        result = wrk(base, requests_file, args.duration, args.connections)
        done.set()
        sampler.join()
        end = rss(server)
    finally:
        server.stop()
    growth = end - baseline
    result |= {
        "workers": workers,
        "rss_after_warmup": baseline,
        "rss_end": end,
        "rss_peak": max([end, baseline, *(s[1] for s in samples)]),
        "rss_growth": growth,
        "memory_bound": args.memory_bound_mb * 2**20,
        "samples": samples,
        "passed": result["errors"] == 0 and growth <= args.memory_bound_mb * 2**20,
    }
    return {"mode": "soak", "runs": [result]}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def _flood(base: str, address: str, connections: int, seconds: float, answers: Any) -> None:
    """One flooding client (its own process, so its threads never hold the light clients' GIL): the
    runaway query on `connections` connections from `address`, again and again, for `seconds`."""
    counts: dict[str, int] = {}
    lock = threading.Lock()
    finish = time.monotonic() + seconds

    def connection() -> None:
        with httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=60) as http:
            while time.monotonic() < finish:
                try:
                    status = str(http.post(f"{base}/sparql", data={"query": RUNAWAY}).status_code)
                except httpx.HTTPError as error:
                    status = type(error).__name__
                with lock:
                    counts[status] = counts.get(status, 0) + 1

    threads = [threading.Thread(target=connection) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    answers.put(counts)


def noisy_once(args: argparse.Namespace, folder: Path, fairness: bool) -> dict[str, Any]:
    settings = {} if fairness else {**NO_CLIENT_LIMITS, "COOPKG_LIGHT_WORKERS": "0"}
    server, base = start(args.workers[0], folder, settings, f"-noisy-{'on' if fairness else 'off'}")
    try:
        light_queries = [
            dict(urllib.parse.parse_qsl(path.partition("?")[2])) for path, _ in mix(base, pages=False)
        ]
        context = multiprocessing.get_context("fork")
        answers = context.Queue()
        flooders = [
            context.Process(
                target=_flood, args=(base, f"127.0.1.{n + 1}", args.flood_connections, args.duration, answers)
            )
            for n in range(args.flooders)
        ]
        for process in flooders:
            process.start()
        stop = threading.Event()
        lock = threading.Lock()
        light: list[tuple[float, int]] = []
        slow: list[tuple[str, int, str]] = []  # when, ms, which query: to read beside the gateway's log

        def reader(address: str, seed: int) -> None:
            order = random.Random(seed)
            with httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=60) as http:
                while not stop.is_set():
                    started = time.monotonic()
                    try:
                        query = order.choice(light_queries)
                        answer = http.post(
                            f"{base}/sparql",
                            data=query,
                            headers={"Accept": SPARQL_JSON},
                        )
                        status = answer.status_code
                    except httpx.HTTPError:
                        status = 0
                    took = time.monotonic() - started
                    with lock:
                        light.append((took, status))
                        if took > 1.0:
                            when = time.strftime("%H:%M:%S", time.localtime(time.time() - took))
                            title = query["query"].partition("\n")[0][:60]
                            slow.append((when, round(1000 * took), title))
                    stop.wait(0.1)

        time.sleep(1.0)  # the flood first: every worker taken when the light clients come
        readers = [
            threading.Thread(target=reader, args=(f"127.0.2.{n + 1}", n)) for n in range(args.light_clients)
        ]
        for thread in readers:
            thread.start()
        time.sleep(args.duration - 1.0)
        stop.set()
        for thread in readers:
            thread.join(timeout=120)
        flood: dict[str, int] = {}
        for _ in flooders:
            for status, count in answers.get(timeout=120).items():
                flood[status] = flood.get(status, 0) + count
        for process in flooders:
            process.join(timeout=60)
    finally:
        server.stop()
    seconds = [took for took, _ in light]
    flood_total = sum(flood.values())
    return {
        "fairness": fairness,
        "workers": args.workers[0],
        "flooders": args.flooders,
        "flood_connections": args.flood_connections,
        "light_clients": args.light_clients,
        "light_requests": len(light),
        "light_errors": sum(1 for _, status in light if status != 200),
        "light_p50_ms": 1000 * statistics.median(seconds) if seconds else float("nan"),
        "light_p99_ms": 1000 * _percentile(seconds, 0.99),
        "light_max_ms": 1000 * max(seconds, default=float("nan")),
        "light_over_1s": sum(1 for took in seconds if took > 1.0),
        "light_slowest_ms": [round(1000 * took) for took in sorted(seconds, reverse=True)[:10]],
        "light_over_1s_detail": slow,
        "flood_requests": flood_total,
        "flood_statuses": dict(sorted(flood.items())),
        "flood_429_share": flood.get("429", 0) / flood_total if flood_total else 0.0,
    }


def run_noisy(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    return {"mode": "noisy", "runs": [noisy_once(args, folder, fairness) for fairness in args.fairness]}


def report_noisy(results: dict[str, Any]) -> str:
    lines = [
        "| fairness | workers | flooders x conns | light clients | s | light requests | light p50 ms "
        "| light p99 ms | light max ms | light errors | flood requests | flood answers | flood 429 |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in results["runs"]:
        answers = ", ".join(f"{status}: {count}" for status, count in run["flood_statuses"].items())
        lines.append(
            f"| {'on' if run['fairness'] else 'off'} | {run['workers']} | {run['flooders']} x "
            f"{run['flood_connections']} | {run['light_clients']} | {results['duration']} "
            f"| {run['light_requests']} | {run['light_p50_ms']:.1f} | {run['light_p99_ms']:.1f} "
            f"| {run['light_max_ms']:.1f} | {run['light_errors']} | {run['flood_requests']} | {answers} "
            f"| {100 * run['flood_429_share']:.0f} % |"
        )
    return "\n".join(lines)


def report(results: dict[str, Any]) -> str:
    if results["mode"] == "noisy":
        return report_noisy(results)
    mb = 2**20
    lines = [
        "| mode | workers | conns | s | requests | req/s | p50 ms | p99 ms | errors | RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in results["runs"]:
        if results["mode"] == "load":
            memory = f"{run['rss_before'] / mb:.0f} → {run['rss_after'] / mb:.0f}"
        else:
            memory = (
                f"{run['rss_after_warmup'] / mb:.0f} → {run['rss_end'] / mb:.0f} "
                f"(peak {run['rss_peak'] / mb:.0f}, bound +{run['memory_bound'] / mb:.0f})"
            )
        lines.append(
            f"| {results['mode']} | {run['workers']} | {results['connections']} | {results['duration']} "
            f"| {run['requests']} | {run['rps']:.0f} | {run['p50_us'] / 1000:.1f} "
            f"| {run['p99_us'] / 1000:.1f} | {run['errors']} | {memory} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("load", "soak", "noisy"))
    parser.add_argument("--workers", default=None, help="worker counts, e.g. 1,2")
    parser.add_argument("--duration", type=int, default=None, help="seconds of load (load: 20; soak: 300)")
    parser.add_argument("--connections", type=int, default=None, help="clients (load: 8; soak: 32)")
    parser.add_argument("--warmup", type=int, default=20, help="soak: seconds of load before the baseline")
    parser.add_argument("--sample-every", type=float, default=5.0, help="soak: seconds between samples")
    parser.add_argument("--memory-bound-mb", type=int, default=64, help="soak: allowed RSS growth")
    parser.add_argument("--no-pages", dest="pages", action="store_false", help="only /sparql, no /id/ pages")
    parser.add_argument("--flooders", type=int, default=2, help="noisy: flooding clients (addresses)")
    parser.add_argument("--flood-connections", type=int, default=8, help="noisy: connections per flooder")
    parser.add_argument(
        "--light-clients", type=int, default=2, help="noisy: clients sending the named queries"
    )
    parser.add_argument("--fairness", default="on,off", help="noisy: on (shipped defaults), off, or both")
    args = parser.parse_args(argv)
    measuring_alone(OUT.parent)
    args.fairness = [value.strip() == "on" for value in args.fairness.split(",")]
    soak = args.mode == "soak"
    args.workers = [int(w) for w in (args.workers or ("1,2" if args.mode == "load" else "2")).split(",")]
    args.duration = args.duration or (300 if soak else 20)
    args.connections = args.connections or (32 if soak else 8)
    folder = OUT / time.strftime("%Y%m%dT%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    runners = {"load": run_load, "soak": run_soak, "noisy": run_noisy}
    results = runners[args.mode](args, folder)
    results |= {"duration": args.duration, "connections": args.connections}
    (folder / f"{args.mode}.json").write_text(json.dumps(results, indent=2))
    print(report(results))
    print(f"\nresults: {folder / (args.mode + '.json')}")
    if soak and not results["runs"][0]["passed"]:
        run = results["runs"][0]
        print(f"FAILED: {run['errors']} errors, RSS grew {run['rss_growth'] / 2**20:.1f} MB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
