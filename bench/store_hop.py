"""What the hop to a query worker costs: one unique lookup in-process against through the embedded store.

    .venv/bin/python bench/store_hop.py [--data bench/out/data/100k-seed1.nq] [--queries 3000]

Loads the data (bench/generate.py writes it) into an in-memory pyoxigraph store and times, per unique lookup
(`SELECT ?p ?o WHERE { <commitment> ?p ?o }` with a trailing `#n` comment, so no cache can help):
- the engine alone in this process: `Store.query`, and `coopkg.store.engine.prepare` + write (evaluation,
  the row cap, SPARQL JSON), i.e. what a worker has to do;
- the same through `EmbeddedStore.execute` with COOPKG_WORKERS=2 (zygote-forked workers, the fair queue, the
  socket hop), one query at a time and 16 at once: wall time per query, and CPU per query of this process
  (the gateway's side) and of the workers (from /proc).
No HTTP is involved: bench/overhead.py measures the app above the store, bench/run.py the whole server.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from coopkg.settings import Settings
from coopkg.store.base import QueryRequest
from coopkg.store.embedded import EmbeddedStore
from coopkg.store.engine import Job, prepare
from workloads import sample_commitments

ROOT = Path(__file__).resolve().parent.parent
JSON = "application/sparql-results+json"


def _median_us(run: Callable[[int], object], count: int) -> float:
    times = []
    for n in range(count):
        started = time.perf_counter()
        run(n)
        times.append((time.perf_counter() - started) * 1e6)
    return statistics.median(times)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _through_the_store(data: Path, texts: list[str], count: int) -> None:
    settings = Settings(data=[data], workers=2, client_concurrency=0, client_budget=0)
    store = await EmbeddedStore.open(settings)
    serial = 0

    async def one() -> None:
        nonlocal serial
        serial += 1
        query = f"{texts[serial % len(texts)]}\n#{serial}"
        await store.execute(QueryRequest(query, {}, None, JSON, None))

    try:
        for _ in range(200):  # warm up: the workers' first queries fault in their pages
            await one()
        for label, width in (("one at a time", 1), ("16 at once", 16)):
            workers = store.pool.pids
            cpu, worker_cpu = time.process_time(), sum(_cpu_seconds(pid) for pid in workers)
            started = time.perf_counter()
            for _ in range(0, count, width):
                await asyncio.gather(*(one() for _ in range(width)))
            wall = (time.perf_counter() - started) / count * 1e6
            ours = (time.process_time() - cpu) / count * 1e6
            theirs = (sum(_cpu_seconds(pid) for pid in workers) - worker_cpu) / count * 1e6
            print(
                f"EmbeddedStore.execute, {label:13s} {wall:6.0f} µs wall, gateway CPU {ours:5.0f} µs, "
                f"workers' CPU {theirs:5.0f} µs per query"
            )
    finally:
        await store.aclose()


def main() -> int:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--data", type=Path, default=ROOT / "bench/out/data/100k-seed1.nq")
    parser.add_argument("--queries", type=int, default=3000)
    args = parser.parse_args()
    if not args.data.is_file():
        print(f"error: {args.data} does not exist; write it with bench/generate.py", file=sys.stderr)
        return 2
    texts = [f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}" for iri in sample_commitments(args.data)]
    memory = ox.Store()
    memory.bulk_load(path=str(args.data), format=ox.RdfFormat.N_QUADS)

    def query(n: int) -> object:
        return list(memory.query(f"{texts[n % len(texts)]}\n#{n}", use_default_graph_as_union=True))

    def prepared(n: int) -> object:
        job = Job(f"{texts[n % len(texts)]}\n#{n}", "select", JSON, 10_000, True)
        prepare(memory, job).write(io.BytesIO())
        return None

    print(f"{args.data.name}: {len(memory):,} quads; unique lookups of {len(texts)} commitments")
    alone, whole = _median_us(query, args.queries), _median_us(prepared, args.queries)
    print(f"Store.query in this process                  {alone:6.0f} µs (median)")
    print(f"engine.prepare + SPARQL JSON in this process {whole:6.0f} µs (median)")
    asyncio.run(_through_the_store(args.data, texts, args.queries))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
