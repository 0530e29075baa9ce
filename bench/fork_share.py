"""An experiment for the gateway's design: in-memory store vs the read-only on-disk store, and sharing one
in-memory store between worker processes by forking after the load (copy-on-write pages).

    .venv/bin/python bench/fork_share.py DATA.nq [--workers 2] [--repeat 5]

Prints one JSON line: load times, per-query times (best of --repeat) of the aggregate and of a few named
queries on both stores, and the summed RSS/PSS of the parent and its forked workers after they queried.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
import named  # a sibling module: bench/ is a folder of scripts
import workloads
from procs import memory_of

NAMED = ("programme-overview", "commitments-by-sdg", "text-search", "programme-sections")


def best_ms(store: ox.Store, query: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for _row in store.query(query, use_default_graph_as_union=True):
            pass
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("data", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    commitments = workloads.sample_commitments(args.data)
    requests = named.named_requests(commitments)
    queries = {"aggregate": workloads.AGGREGATE} | {n: requests[n][0][0] for n in NAMED if n in requests}
    out: dict[str, object] = {}

    directory = Path(tempfile.mkdtemp(prefix="fork-share-", dir=args.data.parent))
    try:
        started = time.perf_counter()
        disk = ox.Store(str(directory))
        disk.bulk_load(path=str(args.data), format=ox.RdfFormat.N_QUADS)
        disk.flush()
        out["disk_load_s"] = round(time.perf_counter() - started, 2)
        del disk
        read_only = ox.Store.read_only(str(directory))
        out["disk_ms"] = {name: best_ms(read_only, q, args.repeat) for name, q in queries.items()}
        del read_only
    finally:
        shutil.rmtree(directory)

    started = time.perf_counter()
    memory = ox.Store()
    memory.bulk_load(path=str(args.data), format=ox.RdfFormat.N_QUADS)
    out["memory_load_s"] = round(time.perf_counter() - started, 2)
    out["memory_ms"] = {name: best_ms(memory, q, args.repeat) for name, q in queries.items()}

    # Fork workers after the load: each queries the parent's store through copy-on-write pages.
    read_end, write_end = os.pipe()
    children = []
    for _ in range(args.workers):
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            for q in queries.values():
                best_ms(memory, q, 1)
            os.write(write_end, b".")
            time.sleep(5)  # stay alive while the parent reads the memory of all of them
            os._exit(0)
        children.append(pid)
    os.close(write_end)
    for _ in children:
        os.read(read_end, 1)
    rss, pss = memory_of([os.getpid(), *children])
    out["forked"] = {"workers": args.workers, "rss_mb": rss >> 20, "pss_mb": pss >> 20}
    for pid in children:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
