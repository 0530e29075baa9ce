"""Faults: the remote store killed under load (clear 503s, no crash, recovery when it returns), a corrupt data
file at start (the server refuses to start, naming file, line and reason), SIGTERM under load (in-flight
requests finish, then exit 0).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from oxigraph_server import OxigraphServer

from coopkg.rdf import dataset
from live import COOPKG, Gateway, free_port

SIMPLE = "PREFIX coop: <https://w3id.org/coopkg/def#> SELECT ?p WHERE { ?p a coop:Programme }"
# Half a second of work for a worker on the shipped graph (2 million pairs of typed nodes), so requests are
# still in flight when the signal comes.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a a ?c . ?d a ?f }"


def slow_answer() -> str:
    """What SLOW answers on the shipped graph, asked of pyoxigraph directly (it grows with the data)."""
    store = ox.Store()
    dataset.load_into(store, dataset.shipped_graphs())
    solutions = store.query(SLOW, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return str(next(iter(solutions))[0].value)


JSON = {"Accept": "application/sparql-results+json"}
Answer = tuple[float, float, int, str]  # (time sent, time answered, status, body)


class Load:
    """`clients` threads sending SIMPLE in a loop; every (time, status, body) is recorded."""

    def __init__(self, base: str, clients: int = 4) -> None:
        self.base = base
        self.results: list[Answer] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(clients)]

    def _run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as client:
            while not self._stop.is_set():
                sent = time.monotonic()
                answer = client.get("/sparql", params={"query": SIMPLE}, headers=JSON)
                self.results.append((sent, time.monotonic(), answer.status_code, answer.text))

    def wait_for(
        self, condition: Callable[[list[tuple[float, int, str]]], bool], timeout: float = 30
    ) -> None:
        deadline = time.monotonic() + timeout
        while not condition(list(self.results)):
            assert time.monotonic() < deadline, f"condition not met; last: {self.results[-3:]}"
            time.sleep(0.05)  # polling the recorded answers

    @contextmanager
    def running(self) -> Iterator[Load]:
        for thread in self._threads:
            thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            for thread in self._threads:
                thread.join(timeout=30)


@pytest.mark.slow
def test_remote_store_killed_under_load_gives_503_then_recovers(
    oxigraph: OxigraphServer, tmp_path: Path
) -> None:
    env = {
        "COOPKG_STORE": "remote",
        "COOPKG_REMOTE_QUERY_URL": oxigraph.query_url,
        "COOPKG_QUERY_TIMEOUT": "5",
    }
    with Gateway(tmp_path / "serve.log", env=env) as gateway, Load(gateway.base).running() as load:
        load.wait_for(lambda rs: sum(status == 200 for _, _, status, _ in rs) >= 20)
        killed = time.monotonic()
        oxigraph.stop()
        load.wait_for(lambda rs: any(sent > killed and status == 503 for sent, _, status, _ in rs))
        restarted = time.monotonic()
        oxigraph.start()
        load.wait_for(lambda rs: sum(sent > restarted and status == 200 for sent, _, status, _ in rs) >= 20)
        assert gateway.process is not None
        assert gateway.process.poll() is None, gateway.output()[-2000:]
        log = gateway.output()
    # Sent while the store was down: 503 store-unavailable. Cut off by the kill while in flight: 502 (the
    # store's answer broke midway) is the honest status. Nothing else, and never a 500.
    down = {status for sent, _, status, _ in load.results if killed < sent and status != 200}
    cut = {status for sent, _, status, _ in load.results if sent <= killed and status != 200}
    unexpected = [body[:300] for _, _, status, body in load.results if status not in (200, 502, 503)]
    # On failure, show what the gateway logged (an unexpected error is logged with its traceback).
    assert down == {503}, f"statuses while the store was down: {down}; {unexpected}; log: {log[-4000:]}"
    assert cut <= {502, 503}, f"statuses of requests cut off by the kill: {cut}"
    for _, _, status, body in load.results:
        if status == 503:
            assert "store-unavailable" in body, body[:300]
    assert "Traceback" not in gateway.output()


def refused_start(*data: Path) -> subprocess.CompletedProcess[str]:
    env_port = str(free_port())
    args = [arg for path in data for arg in ("--data", str(path))]
    return subprocess.run(
        [COOPKG, "serve", *args],
        env={**os.environ, "COOPKG_PORT": env_port, "COOPKG_HOST": "127.0.0.1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


GOOD = '<https://w3id.org/coopkg/id/a> <http://www.w3.org/2000/01/rdf-schema#label> "a"@en .\n'


def test_corrupt_data_file_refuses_to_start_with_file_line_and_reason(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text(GOOD + GOOD.replace("a", "b", 1) + '<https://w3id.org/coopkg/id/c> "oops" .\n' + GOOD)
    done = refused_start(bad)
    assert done.returncode != 0
    message = done.stdout + done.stderr
    assert "broken.ttl" in message, message
    assert ":3" in message or "line 3" in message, message
    assert "Traceback" not in message, message


def test_one_corrupt_file_among_good_ones_refuses_the_whole_start(tmp_path: Path) -> None:
    """Never serve a partial graph silently: the good file alone would have started."""
    good = tmp_path / "good.ttl"
    good.write_text(GOOD)
    bad = tmp_path / "truncated.nt"
    bad.write_text(GOOD + '<https://w3id.org/coopkg/id/b> <http://www.w3.org/2000/01/rdf-schema#label> "b')
    done = refused_start(good, bad)
    assert done.returncode != 0
    message = done.stdout + done.stderr
    assert "truncated.nt" in message, message
    assert "Traceback" not in message, message


@pytest.mark.slow
def test_sigterm_under_load_finishes_in_flight_requests_then_exits_0(tmp_path: Path) -> None:
    expected = slow_answer()
    gateway = Gateway(tmp_path / "serve.log", env={"COOPKG_WORKERS": "2", "COOPKG_QUERY_TIMEOUT": "30"})
    with gateway:
        answers: list[httpx.Response | Exception] = []

        def slow_query() -> None:
            try:
                answers.append(
                    httpx.get(f"{gateway.base}/sparql", params={"query": SLOW}, headers=JSON, timeout=60)
                )
            except httpx.HTTPError as error:
                answers.append(error)

        threads = [threading.Thread(target=slow_query) for _ in range(3)]
        for thread in threads:
            thread.start()
        time.sleep(0.3)  # let the requests reach the server: the signal must find them in flight
        gateway.terminate()
        for thread in threads:
            thread.join(timeout=60)
        assert gateway.process is not None
        code = gateway.process.wait(timeout=60)
    assert code == 0, gateway.output()[-2000:]
    for answer in answers:
        assert isinstance(answer, httpx.Response), f"an in-flight request was dropped: {answer!r}"
        assert answer.status_code == 200, answer.text[:300]
        assert answer.json()["results"]["bindings"][0]["n"]["value"] == expected
