"""pyoxigraph's own bulk_load, as the yardstick for the gateway's start-up: prints seconds to load DATA.

    .venv/bin/python bench/loadtime.py DATA.nq [--disk DIR]

Without --disk the store is in memory; with it, an on-disk store is built in DIR (which must be empty).
"""

import argparse
import time
from pathlib import Path

import pyoxigraph as ox


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("data", type=Path)
    parser.add_argument("--disk", type=Path, help="build an on-disk store in this (empty) directory")
    args = parser.parse_args()
    started = time.perf_counter()
    store = ox.Store(str(args.disk)) if args.disk else ox.Store()
    store.bulk_load(path=str(args.data), format=ox.RdfFormat.N_QUADS)
    loaded = time.perf_counter() - started
    # One query, so "ready" means the same as for the servers: the data answers.
    next(iter(store.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1")))
    answered = time.perf_counter() - started
    print(f"loaded {len(store)} quads in {loaded:.2f} s; first answer after {answered:.2f} s")


if __name__ == "__main__":
    main()
