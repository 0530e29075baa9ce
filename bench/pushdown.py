"""Named queries with the VALUES block in the outer WHERE group only (old) vs pushed into sub-selects (new).

    .venv/bin/python bench/pushdown.py [--sizes 100k 1M] [--repeat 5] [--seed 1] [--read-only DIR]

For every size, loads bench/out/data/SIZE-seedN.nq (generating it if missing) into an in-memory pyoxigraph
store, then for every named query with parameters runs both texts side by side with the same values (those
bench/named.py uses, one per programme), checks that they give the same rows, and prints the best time of
--repeat (median over the values) for each and their ratio. Queries the rewrite leaves unchanged are marked
`same text`. `--read-only DIR` queries an on-disk store already built from that data (e.g. bench/out/stores/
pyoxigraph after bench/loadtime.py --disk, one size) instead of loading it in memory.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
import named  # a sibling module: bench/ is a folder of scripts
from run import ensure_data

VALUES_PER_QUERY = 4


def best_ms(store: ox.Store, text: str, repeat: int) -> tuple[float, list[str]]:
    """Best wall time of `repeat` runs, and the rows (as text, for the equality check)."""
    best = float("inf")
    rows: list[str] = []
    for _ in range(repeat):
        started = time.perf_counter()
        solutions = store.query(text, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        rows = [repr([solution[v] for v in solutions.variables]) for solution in solutions]
        best = min(best, time.perf_counter() - started)
    return best * 1000, rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs="+", default=["100k", "1M"])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--read-only", type=Path, help="an on-disk store of the (single) size's data")
    args = parser.parse_args()
    if args.read_only is not None and len(args.sizes) != 1:
        parser.error("--read-only takes one store: give the one size it was built from (--sizes 1M)")
    sys.path.insert(0, str(named.ROOT))
    from coopkg.queries import bind, inline_values, load_registry

    registry = load_registry(named.ROOT / "queries")
    for size in args.sizes:
        data, _ = ensure_data(size, args.seed)
        started = time.perf_counter()
        if args.read_only is not None:
            store = ox.Store.read_only(str(args.read_only))
            print(f"{size}: on-disk store {args.read_only} ({len(store)} quads), read-only")
        else:
            store = ox.Store()
            store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
            print(f"{size}: {len(store)} quads loaded in {time.perf_counter() - started:.1f} s")
        commitments = json.loads(data.with_suffix(".commitments.json").read_text())
        chosen = commitments[:: max(1, len(commitments) // VALUES_PER_QUERY)][:VALUES_PER_QUERY]
        print(f"  {'query':26} {'outer VALUES':>13} {'pushed down':>12} {'ratio':>7}")
        for name, query in registry.items():
            if not query.params:
                continue
            old_ms: list[float] = []
            new_ms: list[float] = []
            unchanged = True
            for k, commitment in enumerate(chosen):
                raw = {p.name: named.values_for(p.name, commitment, k) or p.default for p in query.params}
                if any(value is None for value in raw.values()):
                    continue
                bindings = bind(query, {key: value for key, value in raw.items() if value is not None})
                old_text = inline_values(query.text, bindings, sub_selects=False)
                new_text = inline_values(query.text, bindings)
                unchanged = unchanged and old_text == new_text
                # Alternate the order so neither variant always runs on a warmer cache.
                if k % 2:
                    new, new_rows = best_ms(store, new_text, args.repeat)
                    old, old_rows = best_ms(store, old_text, args.repeat)
                else:
                    old, old_rows = best_ms(store, old_text, args.repeat)
                    new, new_rows = best_ms(store, new_text, args.repeat)
                if old_rows != new_rows:
                    raise SystemExit(f"{name} {raw}: the rewritten query answers differently")
                old_ms.append(old)
                new_ms.append(new)
            if not old_ms:
                continue
            old_median, new_median = statistics.median(old_ms), statistics.median(new_ms)
            note = "  same text" if unchanged else ""
            ratio = old_median / new_median
            print(f"  {name:26} {old_median:10.1f} ms {new_median:9.1f} ms {ratio:6.1f}x{note}", flush=True)


if __name__ == "__main__":
    main()
