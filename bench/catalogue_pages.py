"""How long the first pages wait for the catalogue in front of Virtuoso, and the gateway's memory.

    .venv/bin/python bench/catalogue_pages.py --triples 10M [--code OTHER_CHECKOUT/api]

Starts Virtuoso 7 on the synthetic data of bench/generate.py (bench/out/data/<size>.nq) and a fresh
`coopkg serve` in front of it (COOPKG_STORE=remote), then asks, in turn and timing each first answer: a
search (which waits for the search index built at start-up), one programme's page, one commitment's page,
the programmes index, /api/areas, and last /api/commitments (every commitment: the whole catalogue). After
each, the gateway's resident memory (VmRSS) and its peak (VmHWM). `--code` puts another checkout's `api/`
first on the gateway's PYTHONPATH (the code before a change, from a git worktree), so two versions are
measured on the same store in one run. Results also go to bench/out/results/catalogue-pages-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "remote"))  # the Virtuoso helper
from virtuoso_server import VirtuosoServer

from procs import measuring_alone
from remote_store import OUT, ROOT, start_gateway, virtuoso_on  # bench/ is a folder of scripts, not a package

FIRST = """SELECT ?programme ?commitment WHERE {
  ?commitment a <https://w3id.org/coopkg/def#Commitment> ; <https://w3id.org/coopkg/def#programme> ?programme
} LIMIT 1"""


def memory_mb(pid: int) -> dict[str, float]:
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    found = {line.split(":")[0]: int(line.split()[1]) / 1024 for line in status if line.startswith("Vm")}
    return {"rss_mb": round(found["VmRSS"], 1), "peak_mb": round(found["VmHWM"], 1)}


def measure(virtuoso: VirtuosoServer, code: str | None, work: Path, label: str) -> dict[str, object]:
    env = {
        "COOPKG_STORE": "remote",
        "COOPKG_REMOTE_QUERY_URL": virtuoso.query_url,
        "COOPKG_QUERY_TIMEOUT": "1800",
    }
    if code:
        env["PYTHONPATH"] = code
    gateway, url, _ = start_gateway(env, [], work / f"gateway-{label}.log")
    base = url.removesuffix("/sparql")
    try:
        first = httpx.post(
            virtuoso.query_url, data={"query": FIRST}, headers={"Accept": "application/sparql-results+json"}
        ).json()["results"]["bindings"][0]
        local = {name: first[name]["value"].removeprefix("https://w3id.org/coopkg") for name in first}
        steps: list[dict[str, object]] = []
        for name, path in (
            # The search index is built at start-up, reading the store meanwhile: waited for first, so the
            # pages' figures are the catalogue's alone.
            ("search index (start-up)", "/api/search?q=%E5%90%88%E4%BD%9C"),
            ("programme page", local["programme"]),
            ("commitment page", local["commitment"]),
            ("programmes index", "/programmes"),
            ("areas (REST)", "/api/areas"),
            ("every commitment (REST)", "/api/commitments"),
        ):
            started = time.perf_counter()
            answer = httpx.get(base + path, timeout=1800)
            seconds = time.perf_counter() - started
            steps.append(
                {"step": name, "status": answer.status_code, "seconds": round(seconds, 2)}
                | memory_mb(gateway.pid)
            )
            print(label, steps[-1], flush=True)
        return {"code": code or "this checkout", "steps": steps}
    finally:
        os.killpg(gateway.pid, signal.SIGTERM)
        gateway.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", default="1M")
    parser.add_argument("--code", help="another checkout's api/ folder, measured after this one")
    options = parser.parse_args()
    measuring_alone(OUT)
    work = OUT / "catalogue-pages" / options.triples
    virtuoso, data = virtuoso_on(options.triples, work)
    try:
        virtuoso.start()
        virtuoso.load(data)
        runs = [measure(virtuoso, None, work, "this")]
        if options.code:
            runs.append(measure(virtuoso, options.code, work, "other"))
    finally:
        virtuoso.stop()
    figures = {"triples": options.triples, "runs": runs}
    results = OUT / "results" / f"catalogue-pages-{time.strftime('%Y%m%dT%H%M%S')}.json"
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(figures, indent=2))
    print(f"(results: {results.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
