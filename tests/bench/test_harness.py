"""The benchmark harness: process groups stop whole, memory is read, workloads and reports come out right."""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench() -> Iterator[None]:
    """bench/ is a folder of scripts importing each other by plain name: put it on the path."""
    sys.path.insert(0, str(ROOT / "bench"))
    before = set(sys.modules)
    yield
    sys.path.remove(str(ROOT / "bench"))
    # Their plain names (run, report, ...) must not shadow anything another test imports later.
    for name in set(sys.modules) - before:
        if getattr(sys.modules[name], "__file__", "") and str(ROOT / "bench") in str(
            sys.modules[name].__file__
        ):
            del sys.modules[name]


@pytest.mark.usefixtures("bench")
def test_stop_ends_the_whole_process_group_and_memory_is_sampled(tmp_path: Path) -> None:
    import procs

    # A parent that forks a child which would outlive a plain kill of the parent.
    script = (
        "import subprocess, sys, time; "
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"
    )
    server = procs.Server("sleeper", [sys.executable, "-c", script], {}, tmp_path / "sleeper.log")
    server.start()
    assert server.process is not None
    deadline = time.monotonic() + 10
    while len(procs.process_tree(server.process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    tree = procs.process_tree(server.process.pid)
    assert len(tree) == 2
    rss, pss = procs.memory_of(tree)
    assert rss > 1_000_000
    assert 0 < pss <= rss
    server.stop()
    # The grandchild got its signal with the group; it may take a moment to die and be reaped by init.
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid) for pid in tree):
        assert time.monotonic() < deadline, [_state(pid) for pid in tree]
        time.sleep(0.05)
    assert server.peak_rss > 0


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].splitlines()[0]
    except (OSError, IndexError):
        return "zombie"  # gone between the two reads


@pytest.mark.usefixtures("bench")
def test_timed_run_reports_exit_code_and_kills_on_timeout(tmp_path: Path) -> None:
    import procs

    seconds, code, rss = procs.timed_run(
        [sys.executable, "-c", "raise SystemExit(3)"], None, tmp_path / "a.log", 30
    )
    assert code == 3
    assert rss > 1_000_000
    assert seconds < 30
    seconds, code, _ = procs.timed_run(
        [sys.executable, "-c", "import time; time.sleep(30)"], None, tmp_path / "b.log", 1
    )
    assert code == -1
    assert seconds < 10


@pytest.mark.usefixtures("bench")
def test_commitment_sample_skips_the_ontology_and_workloads_round_trip(tmp_path: Path) -> None:
    import generate
    import workloads

    data = tmp_path / "d.nq"
    with data.open("w", encoding="utf-8") as out:
        list(generate.generate(out, triples=15_000, seed=3, quads=True, shipped=True, sources_dir=None))
    iris = workloads.sample_commitments(data, count=10)
    assert len(iris) == 10
    assert all("/section/" in iri for iri in iris)  # not coop:Commitment itself (typed owl:Class)
    loads = workloads.sparql_workloads("/query", iris, {"q": ["SELECT * WHERE { ?s ?p ?o } LIMIT 1"]})
    assert [w.name for w in loads] == ["lookup", "aggregate", "named:q"]
    lines = loads[0].write(tmp_path / "lookup.tsv").read_text().splitlines()
    assert len(lines) == 10
    assert all(
        line.startswith("/query?query=SELECT") and line.endswith("\tapplication/sparql-results+json")
        for line in lines
    )
    pages = workloads.page_workloads(iris)
    assert pages[0].requests[0].path.startswith("/id/programme/synth-")


@pytest.mark.usefixtures("bench")
def test_report_renders_ratios_and_flags_disagreeing_servers() -> None:
    import report

    def wl(rps: float, results: int) -> dict[str, object]:
        return {
            "requests": int(rps * 10),
            "rps": rps,
            "p50_us": 2000,
            "p99_us": 9000,
            "errors": 0,
            "results": results,
            "status": 200,
            "first_s": 0.01,
        }

    results = {
        "environment": {
            "nproc": 2,
            "cpu": "X",
            "memory": "1 kB",
            "kernel": "k",
            "python": "3.11",
            "versions": {},
            "load": {"threads": 1, "connections": 8, "duration_s": 10},
            "command": "bench/run.py",
        },
        "sizes": {
            "1M": {
                "data": {"quads": 1_000_000, "bytes": 2**28},
                "servers": {
                    "coopkg-2": {
                        "startup_s": 3.0,
                        "peak_rss": 2**29,
                        "peak_pss": 2**28,
                        "workloads": {"lookup": wl(500, 10), "aggregate": wl(50, 7)},
                    },
                    "oxigraph": {
                        "startup_s": 0.5,
                        "peak_rss": 2**27,
                        "peak_pss": 2**27,
                        "workloads": {"lookup": wl(1000, 10), "aggregate": wl(25, 8)},
                    },
                },
            }
        },
    }
    text = report.render(results)
    assert "| lookup | 0.50× | – |" in text
    assert "500 /s, 2.0 / 9.0 |" in text
    assert "| aggregate | 2.00× | – |" in text
    assert "aggregate: servers disagree on the result size" in text
    assert "lookup: servers disagree" not in text
    assert "below 0.8×" not in text  # no in-memory Oxigraph server in this run: no floor verdict
    json.dumps(results)  # the shape run.py saves


@pytest.mark.usefixtures("bench")
def test_report_puts_cached_and_unique_ratios_side_by_side_and_checks_the_floor() -> None:
    import report

    def wl(rps: float, unique: float | None = None) -> dict[str, object]:
        run: dict[str, object] = {
            "requests": int(rps * 10),
            "rps": rps,
            "p50_us": 1000,
            "p99_us": 4000,
            "errors": 0,
            "results": 3,
            "status": 200,
            "first_s": 0.01,
            "warmup": {"requests": 4, "distinct": 4, "non_200": 0, "seconds": 0.1, "complete": True},
            "cache_bust": False,
        }
        if unique is not None:
            run["unique"] = {
                "requests": int(unique * 10),
                "rps": unique,
                "p50_us": 3000,
                "p99_us": 8000,
                "errors": 0,
            }
        return run

    gateway = {"lookup": wl(9000, 300), "aggregate": wl(5000, 90), "page-html": wl(8000)}
    gateway["aggregate"]["warmup"]["complete"] = False  # type: ignore[index]
    gateway["aggregate"]["warmup"]["requests"] = 1  # type: ignore[index]
    memory = {"lookup": wl(1000, 1000), "aggregate": wl(100, 100)}
    results = {
        "environment": {
            "nproc": 2,
            "cpu": "X",
            "memory": "1 kB",
            "kernel": "k",
            "python": "3.11",
            "versions": {},
            "load": {"threads": 1, "connections": 8, "duration_s": 2},
            "command": "bench/run.py",
        },
        "sizes": {
            "10k": {
                "data": {"quads": 10_000, "bytes": 2**21},
                "servers": {
                    "coopkg-2": {
                        "startup_s": 1.0,
                        "peak_rss": 2**27,
                        "peak_pss": 2**26,
                        "workloads": gateway,
                    },
                    "oxigraph-mem": {
                        "startup_s": 0.5,
                        "http_load": {"listen_s": 0.1, "seconds": 0.3, "status": 204},
                        "peak_rss": 2**25,
                        "peak_pss": 2**25,
                        "workloads": memory,
                    },
                },
            }
        },
    }
    text = report.render(results)
    assert "| coopkg-2 / oxigraph-mem | coopkg-2 / oxigraph-mem unique |" in text
    assert "| lookup | 9.00× | 0.30× |" in text
    assert "| aggregate | 50.00× | 0.90× |" in text
    assert "| lookup (unique) | 300 /s, 3.0 / 8.0 | 1000 /s, 3.0 / 8.0 |" in text
    assert "| page-html (unique)" not in text
    assert "below 0.8× oxigraph-mem (the issue's floor): coopkg-2 lookup 0.30×." in text
    assert "0.5 (of which POST of the data 0.3)" in text
    assert "every distinct request of its round robin was fetched once" in text
    assert "cut short by its time budget: coopkg-2 aggregate (1/4)" in text


@pytest.mark.usefixtures("bench")
def test_unique_variants_are_for_the_chosen_sparql_workloads() -> None:
    import argparse

    import run
    import workloads

    loads = workloads.sparql_workloads("/sparql", ["urn:c1", "urn:c2"], {"areas": ["SELECT * WHERE {}"]})
    pages = workloads.page_workloads(["https://w3id.org/coopkg/id/programme/p/section/01/item/1"])
    args = argparse.Namespace(unique=["lookup", "named:"], cache_bust=False)
    assert [w.name for w in loads + pages if run.wants_unique(w, args)] == ["lookup", "named:areas"]
    args.unique = ["lookup", "aggregate", "named:", "page-"]
    assert not any(run.wants_unique(w, args) for w in pages)  # a page URL has no query to make unique
    args.cache_bust = True  # every run is unique already
    assert not any(run.wants_unique(w, args) for w in loads)


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk (Debian package) is not installed")
@pytest.mark.usefixtures("bench")
def test_wrk_summary_is_parsed_from_a_live_baseline(tmp_path: Path) -> None:
    import generate
    import procs
    import run
    import servers
    import workloads

    data = tmp_path / "d.nq"
    with data.open("w", encoding="utf-8") as out:
        list(generate.generate(out, triples=12_000, seed=5, quads=True, shipped=True, sources_dir=None))
    target = servers.baseline(data, tmp_path)
    lookup = workloads.sparql_workloads(target.endpoint, workloads.sample_commitments(data, 4), {})[0]
    try:
        target.servers[0].start()
        assert target.servers[0].wait_ready(run.probe_for(target, lookup), 60) > 0
        doubled = workloads.Workload("lookup", lookup.requests * 2)  # a round robin repeats its requests
        warmup = run.warm_up(target, doubled, budget=60, timeout=10)
        result = run.run_wrk(target.base, lookup.write(tmp_path / "l.tsv"), duration=1, connections=2)
        unique = run.run_wrk(target.base, tmp_path / "l.tsv", duration=1, connections=2, bust=True)
    finally:
        target.servers[0].stop()
    assert warmup["requests"] == warmup["distinct"] == 4
    assert warmup["complete"]
    assert warmup["non_200"] == 0
    assert result["requests"] > 0
    assert result["errors"] == 0
    assert 0 < result["p50_us"] <= result["p99_us"]
    assert unique["requests"] > 0
    assert unique["errors"] == 0  # the `#n` comment line keeps every query valid
    assert procs.http_get(target.base + "/sparql", "application/json", timeout=1)[0] == 0  # stopped


@pytest.mark.skipif(
    not (Path(sys.executable).parent / "oxigraph").exists(),
    reason="the oxigraph server (PyPI) is not installed",
)
@pytest.mark.usefixtures("bench")
def test_the_in_memory_oxigraph_server_is_loaded_over_http(tmp_path: Path) -> None:
    import generate
    import run
    import servers
    import workloads

    data = tmp_path / "d.nq"
    with data.open("w", encoding="utf-8") as out:
        list(generate.generate(out, triples=12_000, seed=5, quads=True, shipped=True, sources_dir=None))
    target = servers.oxigraph_mem(data, tmp_path)
    assert target.http_load == data
    assert "--location" not in target.servers[0].argv
    lookup = workloads.sparql_workloads(target.endpoint, workloads.sample_commitments(data, 4), {})[0]
    try:
        loaded = run.load_over_http(target, data, timeout=60)
        assert target.servers[0].wait_ready(run.probe_for(target, lookup), 60) > 0  # the union default graph
    finally:
        target.servers[0].stop()
    assert loaded["status"] in (200, 201, 204)
    assert loaded["seconds"] >= 0
    assert loaded["listen_s"] > 0


@pytest.mark.usefixtures("bench")
def test_a_second_benchmark_refuses_to_measure_while_one_is_running(tmp_path: Path) -> None:
    import subprocess

    import procs

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; sys.path.insert(0, sys.argv[1]); import procs; "
            "procs.measuring_alone(__import__('pathlib').Path(sys.argv[2])); print('holding', flush=True); "
            "time.sleep(60)",
            str(ROOT / "bench"),
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(SystemExit, match=rf"another benchmark is measuring .*pid {holder.pid}"):
            procs.measuring_alone(tmp_path)
    finally:
        holder.kill()
        holder.wait()
    procs.measuring_alone(tmp_path)  # free again once the other has ended
