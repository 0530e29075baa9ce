"""Search at scale: start-up cost of the index and the latency of `GET /api/search` (docs/search.md).

    .venv/bin/python bench/search_bench.py [--size 1M] [--requests 300] [--workers 2]

Generates the synthetic graph if missing (bench/generate.py, bench/out/data/SIZE.nq), then:
1. starts `coopkg serve --data` on it (a real process, free port) and measures the time until it answers a
   query (ready) and until it answers a search (the index is built in the background once the data is
   loaded), and, from its log, how long reading the documents (SPARQL through the store protocol) and
   indexing took;
2. starts it again with the same COOPKG_SEARCH_DIR: the index file of that data version is reused;
3. sends REQUESTS distinct searches (Chinese words, English words, two-word queries, with and without
   filters, pages 1-3) one after another and prints p50/p95/p99 of the whole HTTP exchange, and of the
   index's own `search()` on the same queries (the shared index file opened in this process).
Prints the figures; writes nothing else than bench/out/.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from coopkg.search.analysis import analyse  # noqa: E402
from coopkg.search.index import SearchIndex, SearchQuery  # noqa: E402
from live import Gateway  # noqa: E402 - the tests' helper for a real `coopkg serve` on a free port

_BUILD_LINE = re.compile(
    r"search index of data version (\S+): (\d+) documents, read in ([0-9.]+) s, indexed in ([0-9.]+) s"
)


def _data(size: str) -> Path:
    path = ROOT / "bench" / "out" / "data" / f"{size}.nq"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "generate.py"),
                "--triples",
                size,
                "--seed",
                "1",
                "--out",
                str(path),
            ],
            check=True,
        )
    return path


def _start(data: Path, search_dir: Path, workers: int, log: Path) -> tuple[Gateway, float, float]:
    """A started gateway, the seconds until it answered a query, and until it answered a search."""
    started = time.perf_counter()
    gateway = Gateway(
        log, ["--data", str(data), "--workers", str(workers)], {"COOPKG_SEARCH_DIR": str(search_dir)}
    )
    gateway.start(ready_within=600)
    ready = time.perf_counter() - started
    # A search waits for the index (built in the background once the data is loaded): one answer = built.
    httpx.get(f"{gateway.base}/api/search", params={"q": "合作"}, timeout=600).raise_for_status()
    return gateway, ready, time.perf_counter() - started


def _queries(base: str, count: int, seed: int) -> list[dict[str, str]]:
    """Distinct searches made of words that occur in the data (read from the API, analysed like the index)."""
    rng = random.Random(seed)
    listing = httpx.get(f"{base}/api/commitments", params={"per_page": 200}, timeout=60).json()["items"]
    zh_words: set[str] = set()
    en_words: set[str] = set()
    for item in listing:
        zh_words.update(w for w in analyse(item["text"]["zh"], query=True).words if len(w) >= 2)
        en_words.update(w.lower() for w in re.findall(r"[A-Za-z]{4,}", item["text"].get("en", "")))
    zh, en = sorted(zh_words), sorted(en_words)
    seen: set[tuple[tuple[str, str], ...]] = set()
    queries: list[dict[str, str]] = []
    while len(queries) < count:
        shape = rng.randrange(6)
        if shape == 0:
            params = {"q": rng.choice(zh)}
        elif shape == 1:
            params = {"q": rng.choice(en)}
        elif shape == 2:
            params = {"q": f"{rng.choice(zh)}{rng.choice(zh)}"}
        elif shape == 3:
            params = {"q": f"{rng.choice(en)} {rng.choice(en)}"}
        elif shape == 4:
            params = {"q": rng.choice(zh + en), "sdg": str(rng.randint(1, 17)), "kind": "commitment"}
        else:
            params = {"q": rng.choice(en), "page": str(rng.randint(1, 3))}
        key = tuple(sorted(params.items()))
        if key not in seen:
            seen.add(key)
            queries.append(params)
    return queries


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    cut = statistics.quantiles(ordered, n=100)
    return f"p50 {cut[49]:.2f} ms, p95 {cut[94]:.2f} ms, p99 {cut[98]:.2f} ms, max {ordered[-1]:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", default="1M")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    data = _data(args.size)
    out = ROOT / "bench" / "out"
    with tempfile.TemporaryDirectory(prefix="coopkg-search-bench-") as scratch:
        search_dir = Path(scratch)
        log = out / f"search-bench-{args.size}.log"
        log.unlink(missing_ok=True)
        gateway, ready, searchable = _start(data, search_dir, args.workers, log)
        try:
            match = _BUILD_LINE.search(gateway.output())
            if match is None:
                raise SystemExit(f"no search index line in {log}")
            version, documents, read, indexed = match[1], int(match[2]), float(match[3]), float(match[4])
            build = read + indexed
            print(
                f"data: {data.name}, {documents} documents indexed (data version {version}); "
                f"load average {os.getloadavg()[0]:.1f}"
            )
            print(
                f"gateway ready (answers queries) after {ready:.2f} s; "
                f"search answers after {searchable:.2f} s"
            )
            print(
                f"index build {build:.2f} s (reading through the store {read:.2f} s, "
                f"indexing {indexed:.2f} s) "
                f"= {100 * build / ready:.0f}% of the start-up, done in the background after it"
            )
            queries = _queries(gateway.base, args.requests, args.seed)
            with httpx.Client(base_url=gateway.base, timeout=30) as client:
                for params in queries[:20]:  # warm-up: connections, first pages of SQLite
                    client.get("/api/search", params=params)
                timings, totals = [], []
                for params in queries:
                    started = time.perf_counter()
                    answer = client.get("/api/search", params=params)
                    timings.append((time.perf_counter() - started) * 1000)
                    assert answer.status_code == 200, answer.text
                    totals.append(answer.json()["total"])
            print(
                f"GET /api/search, {len(queries)} distinct searches one at a time: {_percentiles(timings)}; "
                f"hits per search: median {statistics.median(totals):.0f}, max {max(totals)}"
            )
            index_file = next(search_dir.glob("*.sqlite"))
            index = SearchIndex.open(index_file, version)
            inner = []
            for params in queries:
                query = SearchQuery(
                    params["q"],
                    {"goal": [params["sdg"]]} if "sdg" in params else {},
                    [params["kind"]] if "kind" in params else [],
                    int(params.get("page", 1)),
                )
                started = time.perf_counter()
                index.search(query)
                inner.append((time.perf_counter() - started) * 1000)
            print(
                f"SearchIndex.search() alone, same searches: {_percentiles(inner)}; "
                f"index file {index_file.stat().st_size / 1e6:.1f} MB"
            )
        finally:
            gateway.stop()
        again, ready_again, searchable_again = _start(
            data, search_dir, args.workers, out / f"search-bench-{args.size}-again.log"
        )
        try:
            rebuilt = _BUILD_LINE.search(again.output()) is not None
            print(
                f"second start-up, same data and COOPKG_SEARCH_DIR: ready after {ready_again:.2f} s, search "
                f"after {searchable_again:.2f} s, index "
                f"{'rebuilt (unexpected)' if rebuilt else 'reused from the file'}"
            )
        finally:
            again.stop()


if __name__ == "__main__":
    main()
