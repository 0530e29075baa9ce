"""The hostile SPARQL corpus against a live gateway: each case gets its expected clear answer within the
limit, no outbound connection happens, and a second client's simple query keeps being answered quickly
meanwhile.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from attack_corpus import Case, file_cases, generated_cases
from attack_listener import Listener
from attack_server import MAX_BODY, MAX_ROWS, QUERY_TIMEOUT

from live import Gateway

CASES = file_cases() + generated_cases(MAX_BODY)
MARGIN = 2.0  # seconds past the configured timeout a refusal may take (worker restart, scheduling on 2 cores)
SIMPLE = "PREFIX coop: <https://w3id.org/coopkg/def#> SELECT ?p WHERE { ?p a coop:Programme }"
SIMPLE_MAX_SECONDS = 1.5  # the second client's slowest answer while a hostile query runs


class SecondClient:
    """Sends the simple query in a loop from its own thread and records each status and latency."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.results: list[tuple[int, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as client:
            while not self._stop.is_set():
                started = time.monotonic()
                answer = client.get(
                    "/sparql", params={"query": SIMPLE}, headers={"Accept": "application/sparql-results+json"}
                )
                self.results.append((answer.status_code, time.monotonic() - started))
                self._stop.wait(0.05)

    @contextmanager
    def running(self) -> Iterator[SecondClient]:
        self._thread.start()
        try:
            yield self
        finally:
            # A refusal can come back before the second client's first answer: wait for one (polling).
            deadline = time.monotonic() + 10
            while not self.results and self._thread.is_alive() and time.monotonic() < deadline:
                time.sleep(0.01)
            self._stop.set()
            self._thread.join(timeout=30)


def post(base: str, body: bytes) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    answer = httpx.post(
        f"{base}/sparql",
        content=body,
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        timeout=QUERY_TIMEOUT * 10,
    )
    return answer, time.monotonic() - started


def assert_outcome(case: Case, answer: httpx.Response, elapsed: float) -> None:
    shown = f"{case.name} ({case.attack}): {answer.status_code} {answer.text[:300]!r}"
    assert answer.status_code == case.status, shown
    assert elapsed <= QUERY_TIMEOUT + MARGIN, f"{case.name} took {elapsed:.1f} s"
    if case.status >= 400:
        assert answer.headers["content-type"].startswith("application/problem+json"), shown
        problem = answer.json()
        assert problem["status"] == case.status, shown
        assert problem["detail"].strip(), f"{case.name}: the error says nothing"
        assert "Traceback" not in answer.text, shown
        if case.slug is not None:
            assert problem["type"].rstrip("/").endswith(case.slug), shown
    if case.expect == "200 truncated":
        rows = answer.json()["results"]["bindings"]
        assert len(rows) == MAX_ROWS, shown
        assert answer.headers.get("coopkg-results-truncated") == "true", answer.headers


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_query_gets_its_clear_answer_and_others_are_served(
    case: Case, gateway: Gateway, listener: Listener, redirector: Listener
) -> None:
    before = len(listener.recorded()), len(redirector.recorded())
    with SecondClient(gateway.base).running() as second:
        answer, elapsed = post(gateway.base, case.with_urls(listener.url, redirector.url))
    assert_outcome(case, answer, elapsed)
    # Nothing called out: not to the listener, not through the redirecting host.
    assert (len(listener.recorded()), len(redirector.recorded())) == before, listener.recorded()
    assert second.results, "the second client got no answer at all while the hostile query ran"
    statuses = {status for status, _ in second.results}
    slowest = max(seconds for _, seconds in second.results)
    assert statuses == {200}, f"second client got {statuses} during {case.name}"
    assert slowest <= SIMPLE_MAX_SECONDS, f"second client waited {slowest:.2f} s during {case.name}"


@pytest.mark.slow
def test_gateway_survives_the_whole_corpus(gateway: Gateway) -> None:
    """After every hostile case the same process still answers (no crash, no lost worker)."""
    assert gateway.process is not None
    assert gateway.process.poll() is None, gateway.output()[-2000:]
    answer = httpx.get(f"{gateway.base}/sparql", params={"query": SIMPLE}, timeout=10)
    assert answer.status_code == 200
    assert answer.json()["results"]["bindings"], "the programme query found nothing"


SERVICE_CASES = [case for case in CASES if case.name.startswith(("service-", "update-"))]


@pytest.mark.slow
@pytest.mark.parametrize("case", SERVICE_CASES, ids=[case.name for case in SERVICE_CASES])
def test_service_and_updates_are_refused_in_front_of_a_remote_store(
    case: Case, remote_gateway: Gateway, listener: Listener, redirector: Listener
) -> None:
    """Oxigraph server evaluates SERVICE by default: the gateway must refuse before the query reaches it."""
    before = len(listener.recorded()), len(redirector.recorded())
    answer, elapsed = post(remote_gateway.base, case.with_urls(listener.url, redirector.url))
    assert_outcome(case, answer, elapsed)
    assert (len(listener.recorded()), len(redirector.recorded())) == before, listener.recorded()


@pytest.mark.slow
def test_queries_beyond_the_workers_wait_then_get_a_clear_503(gateway: Gateway) -> None:
    """Three runaway queries on two workers: two are stopped at the limit, the third waited for a worker as
    long as the limit allows and is told to retry. Nothing hangs, nothing is a 500."""
    runaway = next(case for case in CASES if case.name == "cartesian-count")
    answers: list[tuple[httpx.Response, float]] = []
    threads = [
        threading.Thread(target=lambda: answers.append(post(gateway.base, runaway.body))) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == 3
    slugs = sorted(answer.json()["type"].rsplit("/", 1)[1] for answer, _ in answers)
    assert all(answer.status_code == 503 for answer, _ in answers), slugs
    assert set(slugs) <= {"query-timeout", "store-unavailable"}, slugs
    assert "query-timeout" in slugs, slugs
    for answer, elapsed in answers:
        assert elapsed <= 2 * QUERY_TIMEOUT + MARGIN, f"{elapsed:.1f} s"
        if answer.json()["type"].endswith("store-unavailable"):
            assert answer.headers["retry-after"] == "5"
