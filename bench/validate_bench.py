"""How long `coopkg validate` takes, and how much memory, on the shipped graph and on synthetic data.

    .venv/bin/python bench/validate_bench.py                       # shipped graph + synthetic 100k
    .venv/bin/python bench/validate_bench.py --sizes 100k 1M       # other synthetic sizes
    .venv/bin/python bench/validate_bench.py --baseline            # also a plain pyshacl.validate call
    .venv/bin/python bench/validate_bench.py --sizes 10k 100k 1M --baseline --baseline-max 1000000 \
        --baseline-timeout 100k=3600 1M=400                        # plain call: full at 100k, bounded at 1M

Each measurement runs in a fresh Python process, so its peak RSS is its own (ru_maxrss). The synthetic data
comes from bench/generate.py (programmes shaped like the real one, with their source texts), cached under
bench/out/validate/. "coopkg" is what `coopkg validate FILE` does (parse; core SHACL natively per shape over
all focus nodes, SPARQL rules once each in pyoxigraph; pySHACL only for shapes it does not understand: none
of ours); "pyshacl" is the plain call a user would write: rdflib parses the file and
`pyshacl.validate(data, shacl_graph=shapes, inference="none")` runs everything. The baseline is skipped above
--baseline-max triples (it runs each SPARQL rule once per focus node and takes minutes at 100k); a baseline
stopped by its timeout is printed as "stopped after N s", a lower bound on its time.
This is a benchmark script, not a test: it prints figures, it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "validate"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}

# Runs in the child process: prints one JSON line with seconds, peak RSS and the report's counts.
_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
kind, path, sources = sys.argv[1], sys.argv[2], sys.argv[3]
started = time.perf_counter()
if kind == "pyshacl":
    import pyshacl
    from rdflib import Dataset, Graph
    from coopkg.validation.shapes import read_shapes_graph, shape_files
    from coopkg.validation.run import attach_source_texts
    shapes = read_shapes_graph(shape_files())
    dataset = Dataset()
    dataset.parse(path, format="nquads" if path.endswith(".nq") else "turtle")
    data = Graph()
    for s, p, o, _ in dataset.quads():
        data.add((s, p, o))
    # The same data graph coopkg validates: each source document with its text (coopkg-rules.ttl).
    from rdflib import RDF, Literal, URIRef
    for document, name in list(data.subject_objects(URIRef("https://w3id.org/coopkg/def#sourceFile"))):
        text_path = Path(sources) / str(name)
        if text_path.is_file():
            with text_path.open(encoding="utf-8", newline="") as handle:
                data.add((document, RDF.value, Literal(handle.read())))
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    from coopkg.validation.report import ValidationReport
    report = ValidationReport.from_graph(report)
    counts = report.counts
else:
    from coopkg.validation.run import validate_files, validate_shipped
    if kind == "shipped":
        report = validate_shipped()
    else:
        report = validate_files([Path(path)], source_dirs=[Path(sources)], engine=kind)
    conforms, counts = report.conforms, report.counts
seconds = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
# The report graph up to blank-node labels (canonical form), hashed: equal digests = identical reports.
import hashlib
from rdflib.compare import to_canonical_graph
lines = sorted(to_canonical_graph(report.graph).serialize(format="nt").splitlines())
digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "conforms": conforms, "counts": counts,
                  "digest": digest}))
"""


def synthetic(size: str) -> Path:
    path = OUT / f"{size}.nq"
    if not path.is_file():
        OUT.mkdir(parents=True, exist_ok=True)
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
                "--sources-dir",
                str(OUT / "sources"),
            ],
            check=True,
        )
    return path


def measure(kind: str, path: str, timeout: float) -> dict[str, object]:
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, kind, path, str(OUT)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"stopped after {timeout:.0f} s"}
    if done.returncode != 0:
        return {
            "error": done.stderr.strip().splitlines()[-1]
            if done.stderr.strip()
            else f"exit {done.returncode}"
        }
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs="*", default=["100k"], choices=sorted(SIZES))
    parser.add_argument("--baseline", action="store_true", help="also time a plain pyshacl.validate call")
    parser.add_argument("--baseline-max", type=int, default=100_000, help="largest size for the baseline")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds one measurement may take")
    parser.add_argument(
        "--baseline-timeout",
        nargs="*",
        default=[],
        metavar="SIZE=SECONDS",
        help="timeout of the plain call per size (default: --timeout)",
    )
    args = parser.parse_args()
    try:
        baseline_timeouts = {k: float(v) for k, v in (item.split("=", 1) for item in args.baseline_timeout)}
    except ValueError:
        parser.error("--baseline-timeout takes SIZE=SECONDS, e.g. 1M=400")

    rows: list[tuple[str, str, int, dict[str, object]]] = []
    started = time.perf_counter()
    rows.append(("shipped graph", "coopkg", 0, measure("shipped", "-", args.timeout)))
    for size in args.sizes:
        path = synthetic(size)
        triples = count_lines(path)
        rows.append((f"synthetic {size}", "coopkg", triples, measure("fast", str(path), args.timeout)))
        if args.baseline and SIZES[size] <= args.baseline_max:
            rows.append(
                (
                    f"synthetic {size}",
                    "pyshacl",
                    triples,
                    measure("pyshacl", str(path), baseline_timeouts.get(size, args.timeout)),
                )
            )

    print(f"{'data':<16} {'engine':<8} {'quads':>9} {'seconds':>9} {'peak MB':>9}  report (digest)")
    for data, engine, triples, result in rows:
        if "error" in result:
            print(f"{data:<16} {engine:<8} {triples or '':>9} {'-':>9} {'-':>9}  {result['error']}")
            continue
        print(
            f"{data:<16} {engine:<8} {triples or '':>9} {result['seconds']:>9.1f} {result['peak_mb']:>9.0f}  "
            f"conforms={result['conforms']} {result['counts']} ({result['digest']})"
        )
    # The report-identity check: for each size measured with both, the canonical report graphs must match.
    digests: dict[str, dict[str, object]] = {}
    for data, engine, _triples, result in rows:
        if "digest" in result:
            digests.setdefault(data, {})[engine] = result["digest"]
    for data, by_engine in digests.items():
        if "pyshacl" in by_engine:
            same = by_engine["pyshacl"] == by_engine.get("coopkg")
            print(f"{data}: reports {'IDENTICAL' if same else 'DIFFER'} (coopkg vs plain pyshacl)")
    # The speed-up, measured side by side in this session; a stopped baseline gives a lower bound.
    by_size: dict[str, dict[str, dict[str, object]]] = {}
    for data, engine, _triples, result in rows:
        by_size.setdefault(data, {})[engine] = result
    for data, by_engine in by_size.items():
        ours, plain = by_engine.get("coopkg", {}), by_engine.get("pyshacl")
        if plain is None or not isinstance(ours.get("seconds"), float):
            continue
        seconds = float(str(ours["seconds"]))
        if isinstance(plain.get("seconds"), float):
            print(f"{data}: coopkg {float(str(plain['seconds'])) / seconds:.0f}x faster than plain pyshacl")
        elif "stopped after" in str(plain.get("error", "")):
            limit = float(str(plain["error"]).split()[2])
            print(f"{data}: coopkg > {limit / seconds:.0f}x faster (plain stopped after {limit:.0f} s)")
    print(f"(total {time.perf_counter() - started:.0f} s; Python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
