"""Render a results file of bench/run.py as Markdown tables (what docs/benchmarks.md quotes).

.venv/bin/python bench/report.py [bench/out/results/<time>.json]   (default: the newest)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
# What the gateways are compared with; `ceiling` is a bare ASGI app with a fixed body (bench/ceiling.py).
OTHERS = ("oxigraph-mem", "oxigraph", "rdflib-endpoint", "baseline", "ceiling")
FIXED_BODY = {"ceiling"}  # answers every request alike: left out of the result-size agreement check
FLOOR_REFERENCE = "oxigraph-mem"  # the "Oxigraph server (Rust, in-memory)"
FLOOR = 0.8  # the floor: never below 0.8x that server on a unique query no cache can help


def brief(entry: dict[str, Any]) -> str:
    """One progress line for a workload result."""
    if "rps" not in entry:
        return f"FAILED (status {entry.get('status')}): {entry.get('error', '')[:120]}"
    return (
        f"{entry['rps']:9.1f} req/s  p50 {entry['p50_us'] / 1000:8.1f} ms"
        f"  p99 {entry['p99_us'] / 1000:8.1f} ms"
        f"  errors {entry['errors']}" + (f"  results {entry['results']}" if "results" in entry else "")
    )


def _ms(us: float) -> str:
    return f"{us / 1000:.1f}" if us < 100_000 else f"{us / 1000:.0f}"


def _cell(entry: dict[str, Any] | None) -> str:
    if entry is None:
        return "–"
    if "rps" not in entry:
        if entry.get("status") is None:
            return "skipped"
        return "timed out" if entry.get("status") == 0 else f"failed ({entry.get('status')})"
    if not entry["requests"]:
        took = f" (one took {entry['first_s']:.1f} s)" if "first_s" in entry else ""
        return f"none finished{took}"
    errors = f", **{entry['errors']} err**" if entry["errors"] else ""
    alone = f" (alone {_ms(entry['unloaded_s'] * 1e6)})" if "unloaded_s" in entry else ""
    return f"{entry['rps']:.0f} /s, {_ms(entry['p50_us'])} / {_ms(entry['p99_us'])}{alone}{errors}"


def _ratio_value(a: dict[str, Any] | None, b: dict[str, Any] | None) -> float | None:
    if not a or not b or "rps" not in a or "rps" not in b or not b["rps"]:
        return None
    return float(a["rps"] / b["rps"])


def _ratio(a: dict[str, Any] | None, b: dict[str, Any] | None) -> str:
    value = _ratio_value(a, b)
    return "–" if value is None else f"{value:.2f}×"


def _unique(entry: dict[str, Any] | None) -> dict[str, Any] | None:
    """The workload's `unique` variant (every request distinct); under --cache-bust, the run itself."""
    if not entry:
        return None
    if entry.get("cache_bust"):
        return entry
    unique = entry.get("unique")
    return unique if isinstance(unique, dict) else None


def render_size(size: str, entry: dict[str, Any]) -> list[str]:
    data = entry["data"]
    out = [f"### {size} ({data['quads']:,} quads, {data['bytes'] / MB:.0f} MB of N-Quads)", ""]
    load = entry.get("oxigraph_load")
    if load:
        out += [
            f"`oxigraph load` of the file: {load['seconds']:.1f} s, peak RSS {load['peak_rss'] / MB:.0f} MB.",
            "",
        ]
    names = list(entry["servers"])
    if not names:  # a yardsticks-only run (--servers "" --extras)
        return [*out, *render_extras(entry.get("extras", {}))]
    out += [
        "| server | start-up → first answer (s) | peak RSS (MB) | peak PSS (MB) | load avg (1 min) | notes |",
        "|---|---|---|---|---|---|",
    ]
    for name in names:
        s = entry["servers"][name]
        start = f"{s['startup_s']:.1f}" if "startup_s" in s else f"failed: {s.get('error', '')[:80]}"
        if "http_load" in s:
            start += f" (of which POST of the data {s['http_load']['seconds']:.1f})"
        notes = "; ".join(s.get("notes", []) + [f"restarted before {w}" for w in s.get("restarts", [])])
        loads = [w["loadavg_before"] for w in s["workloads"].values() if "loadavg_before" in w]
        load = f"{min(loads):.1f}–{max(loads):.1f}" if loads else "–"
        out.append(
            f"| {name} | {start} | {s['peak_rss'] / MB:.0f} | {s['peak_pss'] / MB:.0f} | {load} | {notes} |"
        )
    out.append("")
    workloads: list[str] = []
    for name in names:
        workloads += [w for w in entry["servers"][name]["workloads"] if w not in workloads]
    out += [
        "Each cell: req/s under load, p50 / p99 latency under load (ms), and (alone) the median latency (ms)",
        "of single requests with nothing else in flight.",
        "",
    ]
    out += _warmup_note(entry, names)
    out += ["| workload | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    busted = any(w.get("cache_bust") for n in names for w in entry["servers"][n]["workloads"].values())
    for workload in workloads:
        runs = [entry["servers"][n]["workloads"].get(workload) for n in names]
        label = f"{workload} (unique)" if busted else workload
        out.append(f"| {label} | " + " | ".join(_cell(run) for run in runs) + " |")
        if any(run and isinstance(run.get("unique"), dict) for run in runs):
            cells = [_cell(run.get("unique")) if run and "unique" in run else "–" for run in runs]
            out.append(f"| {workload} (unique) | " + " | ".join(cells) + " |")
    out.append("")
    out += _agreement(entry, names, workloads)
    out += _ratios(entry, names, workloads)
    if "extras" in entry:
        out += render_extras(entry["extras"])
    return out


def _warmup_note(entry: dict[str, Any], names: list[str]) -> list[str]:
    warmed = [
        (n, w, run["warmup"])
        for n in names
        for w, run in entry["servers"][n]["workloads"].items()
        if "warmup" in run
    ]
    if not warmed:
        return []
    line = (
        "Before each workload was loaded, every distinct request of its round robin was fetched once "
        "(warm-up), so the cached p99 holds no cold miss; `(unique)` rows load it again with every request "
        "distinct (a trailing `#n` comment line), so no cache can help."
    )
    partial = [
        f"{n} {w} ({info['requests']}/{info['distinct']})" for n, w, info in warmed if not info["complete"]
    ]
    if partial:
        line += " Warm-up cut short by its time budget: " + ", ".join(partial) + "."
    return [line, ""]


def _ratios(entry: dict[str, Any], names: list[str], workloads: list[str]) -> list[str]:
    """Gateway / other req/s, cached and unique side by side, and the workloads below the issue's floor."""
    gateways = [n for n in names if n.startswith("coopkg")]
    others = [n for n in OTHERS if n in names]
    if not gateways or not others:
        return []
    servers = entry["servers"]
    pairs = [(g, o) for g in gateways for o in others]
    header = [f"{g} / {o}" + suffix for g, o in pairs for suffix in ("", " unique")]
    out = [
        "Ratios of req/s (gateway / other; above 1 means the gateway is faster), as measured and with every "
        "request unique.",
        "",
        "| workload | " + " | ".join(header) + " |",
        "|---" * (len(header) + 1) + "|",
    ]
    below: list[str] = []
    for workload in workloads:
        if workload.startswith(("page-", "named-api:")):
            continue
        cells = []
        for g, o in pairs:
            mine, theirs = servers[g]["workloads"].get(workload), servers[o]["workloads"].get(workload)
            cells += [_ratio(mine, theirs), _ratio(_unique(mine), _unique(theirs))]
            floor = _ratio_value(_unique(mine), _unique(theirs))
            if o == FLOOR_REFERENCE and floor is not None and floor < FLOOR:
                below.append(f"{g} {workload} {floor:.2f}×")
        out.append(f"| {workload} | " + " | ".join(cells) + " |")
    out.append("")
    if FLOOR_REFERENCE in others:
        verdict = ", ".join(below) if below else "none"
        out += [f"Unique requests below {FLOOR}× {FLOOR_REFERENCE} (the issue's floor): {verdict}.", ""]
    return out


def _agreement(entry: dict[str, Any], names: list[str], workloads: list[str]) -> list[str]:
    """Workloads whose first answer had a different size on different servers (a correctness warning)."""
    lines = []
    for workload in workloads:
        sizes = {
            n: entry["servers"][n]["workloads"].get(workload, {}).get("results")
            for n in names
            if n not in FIXED_BODY
        }
        known = {v for v in sizes.values() if v is not None}
        if len(known) > 1:
            lines.append(f"- **{workload}: servers disagree on the result size**: {sizes}")
    return [*lines, ""] if lines else []


def render_extras(extras: dict[str, Any]) -> list[str]:
    out = [
        "| start-up / validation yardstick | seconds | peak RSS (MB) | exit | notes |",
        "|---|---|---|---|---|",
    ]
    for name, row in extras.items():
        seconds = f"{row['seconds']:.1f}" if row.get("seconds") is not None else "–"
        rss = f"{row['peak_rss'] / MB:.0f}" if row.get("peak_rss") else "–"
        out.append(f"| {name} | {seconds} | {rss} | {row.get('exit', '')} | {row.get('notes', '')} |")
    return [*out, ""]


def render(results: dict[str, Any]) -> str:
    env = results["environment"]
    out = [
        f"Machine: {env['nproc']} CPUs ({env['cpu']}), {env['memory']} RAM, Linux {env['kernel']}, "
        f"Python {env['python']}.",
        "Versions: " + "; ".join(f"{k} {v}" for k, v in env["versions"].items()) + ".",
        f"Load: wrk -t{env['load']['threads']} -c{env['load']['connections']}, {env['load']['duration_s']} s "
        "per workload and server, on loopback, sharing the CPUs with the server.",
        f"Command: `{env['command']}`",
        "",
    ]
    for size, entry in results["sizes"].items():
        out += render_size(size, entry)
    return "\n".join(out)


def merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Several results files as one: servers (and extras) of the same size side by side, later runs winning.

    The first run's environment is kept and every run's command is listed, so the merge stays traceable.
    """
    merged: dict[str, Any] = {"environment": dict(runs[0]["environment"]), "sizes": {}}
    merged["environment"]["command"] = "` + `".join(run["environment"]["command"] for run in runs)
    for run in runs:
        for size, entry in run["sizes"].items():
            target = merged["sizes"].setdefault(size, {"servers": {}})
            target["data"] = entry["data"]
            target.setdefault("oxigraph_load", entry.get("oxigraph_load"))
            target["servers"].update(entry["servers"])
            if "extras" in entry:
                target.setdefault("extras", {}).update(entry["extras"])
    return merged


def main() -> int:
    paths = [Path(arg) for arg in sys.argv[1:]]
    if not paths:
        found = sorted((ROOT / "bench/out/results").glob("*.json"))
        if not found:
            print("error: no results in bench/out/results; run bench/run.py first", file=sys.stderr)
            return 2
        paths = found[-1:]
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        print(f"error: no such results file: {', '.join(missing)}", file=sys.stderr)
        return 2
    print(render(merge([json.loads(path.read_text()) for path in paths])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
