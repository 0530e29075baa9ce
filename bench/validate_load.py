"""Does a large upload being validated delay queries? p50/p99 of a light query, idle and while a ~30 MB
upload validates on the same gateway.

    .venv/bin/python bench/validate_load.py                  # 30 MB of synthetic N-Triples, 2 query workers
    .venv/bin/python bench/validate_load.py --mb 10 --interval 0.01

Starts `coopkg serve` (tests/live.py's Gateway: free loopback port, readiness polled) on the shipped graph,
warms the validation process with a small upload (its start-up, ~2 s of imports, is once per gateway), then
sends light queries one after another (`ASK { <iri-n> ?p ?o }` with a new IRI each time, so the response
cache never answers) for --idle seconds, then again while the upload (synthetic programmes from
bench/generate.py, N-Triples, in the request body) is validated, until its report arrives. Prints the latency
figures of both phases and the upload's size, status and time. A benchmark script, not a test: it prints
figures, it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "validate-load"
SPARQL_JSON = "application/sparql-results+json"
BYTES_PER_TRIPLE = 185  # bench/generate.py's N-Triples, measured


def upload_file(megabytes: float) -> Path:
    path = OUT / f"{megabytes:g}MB.nt"
    if not path.is_file():
        OUT.mkdir(parents=True, exist_ok=True)
        triples = int(megabytes * 1_000_000 / BYTES_PER_TRIPLE)
        generator = [sys.executable, str(ROOT / "bench" / "generate.py"), "--triples", str(triples)]
        subprocess.run(
            [*generator, "--seed", "1", "--format", "nt", "--no-shipped", "--out", str(path)], check=True
        )
    return path


def light_queries(
    sparql: str, stop: Callable[[], bool], interval: float, when: list[float] | None = None
) -> list[float]:
    """Latencies (ms) of one light query after another until `stop()` says so (and in `when`, the
    time.monotonic() each was sent)."""
    latencies: list[float] = []
    n = 0
    with httpx.Client(timeout=30) as client:
        while not stop():
            n += 1
            query = f"ASK {{ <https://w3id.org/coopkg/id/bench/{time.time_ns()}-{n}> ?p ?o }}"
            started = time.perf_counter()
            if when is not None:
                when.append(time.monotonic())
            answer = client.get(sparql, params={"query": query}, headers={"Accept": SPARQL_JSON})
            latencies.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                raise SystemExit(f"error: the light query answered {answer.status_code}: {answer.text[:300]}")
            time.sleep(interval)  # a steady client, not a flood: the question is latency, not throughput
    return latencies


def for_seconds(seconds: float) -> Callable[[], bool]:
    deadline = time.monotonic() + seconds
    return lambda: time.monotonic() > deadline


def summary(name: str, latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{name:<22} {len(ordered):>6} queries  p50 {statistics.median(ordered):6.2f} ms  "
        f"p99 {p99:7.2f} ms  max {ordered[-1]:7.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mb", type=float, default=30.0, help="upload size in MB (default 30)")
    parser.add_argument("--idle", type=float, default=15.0, help="seconds of the idle phase (default 15)")
    parser.add_argument(
        "--interval", type=float, default=0.02, help="pause between queries (s, default 0.02)"
    )
    parser.add_argument("--workers", type=int, default=2, help="query workers (COOPKG_WORKERS, default 2)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "tests"))
    from live import Gateway

    document = upload_file(args.mb)
    body = document.read_bytes()
    env = {"COOPKG_WORKERS": str(args.workers), "COOPKG_VALIDATE_TIMEOUT": "3600"}
    with tempfile.TemporaryDirectory() as scratch, Gateway(Path(scratch) / "serve.log", env=env) as gateway:
        small = b'<https://w3id.org/coopkg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .'
        warm = httpx.post(
            f"{gateway.base}/validate", content=small, headers={"Content-Type": "text/turtle"}, timeout=120
        )
        if warm.status_code != 200:
            raise SystemExit(f"error: warming the validator answered {warm.status_code}: {warm.text[:300]}")
        light_queries(gateway.sparql, for_seconds(2.0), args.interval)  # warm the query path too
        idle = light_queries(gateway.sparql, for_seconds(args.idle), args.interval)

        done = threading.Event()
        outcome: dict[str, object] = {}

        def validate() -> None:
            started = time.perf_counter()
            answer = httpx.post(
                f"{gateway.base}/validate",
                content=body,
                headers={"Content-Type": "application/n-triples"},
                timeout=3600,
            )
            outcome["seconds"] = time.perf_counter() - started
            outcome["status"] = answer.status_code
            outcome["conforms"] = answer.headers.get("Coopkg-Conforms")
            done.set()

        uploading = threading.Thread(target=validate)
        began = time.monotonic()
        uploading.start()
        sent: list[float] = []
        busy = light_queries(gateway.sparql, done.is_set, args.interval, sent)
        uploading.join()

    print(f"upload: {document.name}, {len(body) / 1_000_000:.1f} MB, {len(body.splitlines())} triples")
    print(
        f"upload answered {outcome['status']} (conforms: {outcome['conforms']}) in {outcome['seconds']:.1f} s"
    )
    print(summary("idle", idle))
    print(summary("while validating", busy))
    slowest = sorted(zip(busy, sent, strict=True), reverse=True)[:5]
    print("slowest while validating:", ", ".join(f"{ms:.0f} ms at {at - began:.1f} s" for ms, at in slowest))


if __name__ == "__main__":
    main()
