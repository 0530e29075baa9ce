"""Safety of the embedded backend with real slow queries, real worker processes and real listeners:
timeouts stop the work (the worker process is gone), a dying worker costs one client a clear 503 and is
replaced, other clients are answered meanwhile, the row limit is signalled, SERVICE reaches allowlisted
endpoints only, FROM never fetches, and each query leaves an access-log line.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from live import Gateway

QUERY_TIMEOUT = 2.0
MAX_ROWS = 50
# 400 triples: four independent patterns make 400^4 = 2.6e10 combinations to count, far past any timeout.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
QUICK = "ASK { ?s ?p ?o }"
RESULTS_JSON = (
    '{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"from-allowed"}}]}}'
)


class Recorder(ThreadingHTTPServer):
    """A loopback HTTP server that records every request; it answers SPARQL JSON (or a redirect)."""

    def __init__(self, redirect_to: str | None = None) -> None:
        self.requests: list[str] = []
        self.redirect_to = redirect_to
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                recorder.requests.append(f"{self.command} {self.path}")
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                if recorder.redirect_to:
                    self.send_response(302)
                    self.send_header("Location", recorder.redirect_to)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = RESULTS_JSON.encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                self._answer()

            def log_message(self, *args: object) -> None:
                return None

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


@pytest.fixture(scope="module")
def forbidden() -> Iterator[Recorder]:
    """A host that is NOT on the allowlist: it must never receive anything."""
    server = Recorder()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def allowed(forbidden: Recorder) -> Iterator[Recorder]:
    server = Recorder()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def redirecting(forbidden: Recorder) -> Iterator[Recorder]:
    """Allowlisted, but answers with a redirect to the forbidden host."""
    server = Recorder(redirect_to=forbidden.url + "sparql")
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def slow_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("slow") / "grid.nt"
    lines = [
        f"<http://example.org/n{n}> <http://example.org/p{n % 7}> <http://example.org/n{n + 1}> .\n"
        for n in range(400)
    ]
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def gateway(
    start_gateway: Callable[..., Gateway], slow_data: Path, allowed: Recorder, redirecting: Recorder
) -> Gateway:
    return start_gateway(
        ["--data", str(slow_data), "--service-allow", allowed.url, "--service-allow", redirecting.url],
        {"COOPKG_QUERY_TIMEOUT": str(QUERY_TIMEOUT), "COOPKG_MAX_ROWS": str(MAX_ROWS), "COOPKG_WORKERS": "2"},
    )


def ask(gateway: Gateway, query: str, **headers: str) -> httpx.Response:
    return httpx.get(gateway.sparql, params={"query": query}, headers=headers, timeout=60)


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition: Callable[[], bool], within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)  # polling a condition on another process


def busy_worker(gateway: Gateway) -> int:
    """The worker whose CPU time grows: the one evaluating the runaway query."""
    pids = gateway.worker_pids()
    before = {pid: cpu_ticks(pid) for pid in pids}
    time.sleep(0.3)  # sample CPU time over an interval
    return max(pids, key=lambda pid: cpu_ticks(pid) - before[pid])


@pytest.mark.slow
def test_runaway_query_is_stopped_its_worker_killed_and_others_answered(gateway: Gateway) -> None:
    old_workers = gateway.worker_pids()
    assert len(old_workers) == 2
    with ThreadPoolExecutor(1) as pool:
        started = time.monotonic()
        runaway = pool.submit(ask, gateway, RUNAWAY)
        time.sleep(0.2)  # let the runaway query reach a worker first
        quick_times = []
        while not runaway.done():
            t0 = time.monotonic()
            assert ask(gateway, QUICK).status_code == 200
            quick_times.append(time.monotonic() - t0)
        answer = runaway.result()
        elapsed = time.monotonic() - started
    assert answer.status_code == 503, answer.text
    assert answer.json()["type"].endswith("query-timeout")
    assert "COOPKG_QUERY_TIMEOUT" in answer.json()["detail"]
    assert QUERY_TIMEOUT <= elapsed < QUERY_TIMEOUT + 2.0
    assert quick_times, "no other query ran while the runaway one did"
    assert max(quick_times) < 1.0, quick_times
    # The worker that ran it is gone (its CPU freed), and the pool is back to two workers.
    killed = [pid for pid in old_workers if not alive(pid)]
    assert len(killed) == 1
    wait_for(lambda: len(gateway.worker_pids()) == 2)
    assert ask(gateway, QUICK).status_code == 200


@pytest.mark.slow
def test_a_dying_worker_costs_one_client_a_clear_503_and_is_replaced(gateway: Gateway) -> None:
    wait_for(lambda: len(gateway.worker_pids()) == 2)
    with ThreadPoolExecutor(1) as pool:
        victim_query = pool.submit(ask, gateway, RUNAWAY)
        time.sleep(0.3)  # the runaway query reaches a worker
        victim = busy_worker(gateway)
        os.kill(victim, signal.SIGKILL)  # what a native crash or the OOM killer does
        answer = victim_query.result()
    assert answer.status_code == 503, answer.text
    problem = answer.json()
    assert problem["type"].endswith("worker-died")
    assert "restarted" in problem["detail"]
    assert ask(gateway, QUICK).status_code == 200
    wait_for(lambda: len(gateway.worker_pids()) == 2 and victim not in gateway.worker_pids())
    assert "Traceback" not in answer.text


def test_row_limit_is_signalled(gateway: Gateway) -> None:
    answer = ask(gateway, "SELECT * WHERE { ?s ?p ?o }", Accept="text/csv")
    assert answer.headers["coopkg-results-truncated"] == "true"
    assert answer.headers["coopkg-results-limit"] == str(MAX_ROWS)
    assert len(answer.text.strip().splitlines()) == MAX_ROWS + 1  # header + rows
    graph = ask(gateway, "CONSTRUCT WHERE { ?s ?p ?o }", Accept="application/n-triples")
    assert graph.headers["coopkg-results-truncated"] == "true"
    assert len(graph.text.strip().splitlines()) == MAX_ROWS
    small = ask(gateway, "SELECT * WHERE { ?s ?p ?o } LIMIT 3", Accept="text/csv")
    assert "coopkg-results-truncated" not in small.headers


def test_service_reaches_an_allowlisted_endpoint(
    gateway: Gateway, allowed: Recorder, forbidden: Recorder
) -> None:
    answer = ask(gateway, f"SELECT ?x WHERE {{ SERVICE <{allowed.url}sparql> {{ ?x ?p ?o }} }}")
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"]["bindings"][0]["x"]["value"] == "from-allowed"
    assert allowed.requests
    assert forbidden.requests == []


@pytest.mark.parametrize(
    "endpoint",
    [
        "{forbidden}sparql",
        "http://127.0.0.1:{forbidden_port}/sparql",
        "{allowed_host_other_port}",
        "file:///etc/passwd",
    ],
)
def test_service_elsewhere_is_refused_and_nothing_is_sent(
    gateway: Gateway, allowed: Recorder, forbidden: Recorder, endpoint: str
) -> None:
    iri = endpoint.format(
        forbidden=forbidden.url,
        forbidden_port=forbidden.server_address[1],
        allowed_host_other_port=f"http://127.0.0.1:{forbidden.server_address[1]}{allowed.url[-1:]}",
    )
    for query in (
        f"SELECT * WHERE {{ SERVICE <{iri}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{iri}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{iri}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    ):
        answer = ask(gateway, query)
        assert answer.status_code == 403, answer.text
        assert answer.json()["type"].endswith("service-not-allowed")
    assert forbidden.requests == []


def test_a_redirect_from_an_allowed_endpoint_is_not_followed(
    gateway: Gateway, redirecting: Recorder, forbidden: Recorder
) -> None:
    answer = ask(gateway, f"SELECT * WHERE {{ SERVICE <{redirecting.url}sparql> {{ ?s ?p ?o }} }}")
    assert answer.status_code == 502, answer.text
    assert redirecting.requests
    assert forbidden.requests == []


def test_from_and_dataset_parameters_never_fetch(gateway: Gateway, forbidden: Recorder) -> None:
    answer = ask(
        gateway,
        f"SELECT * FROM <{forbidden.url}data.ttl> FROM NAMED <{forbidden.url}g> WHERE {{ ?s ?p ?o }}",  # noqa: S608 - SPARQL, not SQL
    )
    assert answer.status_code == 200
    assert answer.json()["results"]["bindings"] == []
    answer = httpx.get(
        gateway.sparql, params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": forbidden.url}
    )
    assert answer.json()["boolean"] is False
    assert forbidden.requests == []


def test_each_query_is_logged_with_duration_and_size(gateway: Gateway) -> None:
    marker = "SELECT ?logged WHERE { ?logged ?p ?o } LIMIT 1"
    assert ask(gateway, marker).status_code == 200
    wait_for(lambda: "GET /sparql SELECT status=200" in gateway.output())
    line = [line for line in gateway.output().splitlines() if "coopkg.access" in line][-1]
    assert "duration_ms=" in line
    assert "bytes=" in line
    assert ask(gateway, "DROP ALL").status_code == 400
    wait_for(lambda: "GET /sparql - status=400" in gateway.output())  # refusals are logged too


def test_store_dir_is_reused_when_the_data_is_the_same(
    start_gateway: Callable[..., Gateway], slow_data: Path, tmp_path: Path
) -> None:
    store_dir = tmp_path / "store"
    first = start_gateway(["--data", str(slow_data), "--store-dir", str(store_dir)])
    first.stop()
    marker = store_dir / "coopkg-store.json"
    built = marker.stat().st_mtime_ns
    files = {path.name: path.stat().st_mtime_ns for path in store_dir.iterdir()}
    second = start_gateway(["--data", str(slow_data), "--store-dir", str(store_dir)])
    assert (
        ask(second, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").json()["results"]["bindings"][0]["n"][
            "value"
        ]
        == "400"
    )
    second.stop()
    assert marker.stat().st_mtime_ns == built  # not rebuilt
    assert {name for name in files if name.endswith(".sst")} <= {path.name for path in store_dir.iterdir()}


def test_data_too_big_for_memory_is_served_from_a_temporary_on_disk_store(
    start_gateway: Callable[..., Gateway], slow_data: Path
) -> None:
    gateway = start_gateway(["--data", str(slow_data)], {"COOPKG_MEMORY_MB": "0"})
    count = ask(gateway, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").json()["results"]["bindings"][0]["n"]
    assert count["value"] == "400"
    log = gateway.output()
    assert "more than the 0 MB allowed (COOPKG_MEMORY_MB" in log
    assert "on-disk store in a temporary directory" in log
    workers = gateway.worker_pids()
    assert len(workers) == 2
    for (
        pid
    ) in workers:  # started on the disk store (coopkg.store.worker), not forked from an in-memory zygote
        assert b"coopkg.store.worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    arguments = Path(f"/proc/{workers[0]}/cmdline").read_bytes().split(b"\0")
    scratch = [argument for argument in arguments if b"coopkg-store-" in argument]
    assert len(scratch) == 1
    directory = Path(scratch[0].decode()).parent
    assert directory.is_dir()
    gateway.stop()
    assert not directory.exists()  # the temporary store goes with the server


def test_a_foreign_store_dir_is_refused(
    start_gateway: Callable[..., Gateway], slow_data: Path, tmp_path: Path
) -> None:
    (tmp_path / "precious.txt").write_text("not a store", encoding="utf-8")
    with pytest.raises(RuntimeError, match="not empty and was not built by coopkg"):
        start_gateway(["--data", str(slow_data), "--store-dir", str(tmp_path)])
    assert (tmp_path / "precious.txt").read_text(encoding="utf-8") == "not a store"


def test_bad_data_stops_serve_with_file_line_and_reason(
    start_gateway: Callable[..., Gateway], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://example.org/a> <http://example.org/b> .\n", encoding="utf-8")
    with pytest.raises(RuntimeError) as caught:
        start_gateway(["--data", str(bad)])
    message = str(caught.value)
    assert "bad.ttl" in message
    assert "line 1" in message
    assert "Traceback" not in message


@pytest.mark.slow
def test_workers_die_with_the_gateway_even_mid_query(
    start_gateway: Callable[..., Gateway], slow_data: Path
) -> None:
    gateway = start_gateway(["--data", str(slow_data)], {"COOPKG_QUERY_TIMEOUT": "120"})
    workers = gateway.worker_pids()
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(lambda: httpx.get(gateway.sparql, params={"query": RUNAWAY}, timeout=130))
        time.sleep(0.5)  # the runaway query reaches a worker
        assert gateway.process is not None
        os.kill(gateway.process.pid, signal.SIGKILL)  # no shutdown code runs in the gateway
        gateway.process.wait(10)
        with pytest.raises(httpx.HTTPError):
            pending.result()
    wait_for(lambda: not any(alive(pid) for pid in workers), within=10)
