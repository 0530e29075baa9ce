"""What the gateway logs (SECURITY.md, "What is logged"): one access line per query with client, method,
path, query form, status, duration, size and truncation; a stopped worker; never the query text or an upload.
"""

from __future__ import annotations

import re
import time
import uuid

import httpx

from live import Gateway

JSON = {"Accept": "application/sparql-results+json"}
ACCESS = re.compile(
    r"coopkg\.access: 127\.0\.0\.1 (GET|POST) /sparql (SELECT|ASK|CONSTRUCT|DESCRIBE) status=(\d+) "
    r"duration_ms=[0-9.]+ bytes=\d+ truncated=(true|false)"
)


def wait_for_log(gateway: Gateway, needle: str, timeout: float = 10) -> str:
    """The log once it holds `needle` (lines are written when a response ends, a moment after the client)."""
    deadline = time.monotonic() + timeout
    while needle not in gateway.output():
        assert time.monotonic() < deadline, f"{needle!r} never appeared in the log"
        time.sleep(0.05)  # polling the log file
    return gateway.output()


def test_each_query_is_logged_in_one_line_without_its_text(gateway: Gateway) -> None:
    marker = f"marker-{uuid.uuid4()}"
    query = f'SELECT ?s WHERE {{ ?s ?p "{marker}" }}'
    before = len(ACCESS.findall(gateway.output()))
    assert (
        httpx.get(f"{gateway.base}/sparql", params={"query": query}, headers=JSON, timeout=30).status_code
        == 200
    )
    deadline = time.monotonic() + 10
    while len(ACCESS.findall(gateway.output())) <= before:
        assert time.monotonic() < deadline, "no access line for the query"
        time.sleep(0.05)  # polling the log file
    assert ("GET", "SELECT", "200", "false") in ACCESS.findall(gateway.output())
    assert marker not in gateway.output(), "the query text was logged"


def test_a_stopped_worker_is_logged(gateway: Gateway) -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    answer = httpx.post(
        f"{gateway.base}/sparql",
        content=runaway,
        headers={"Content-Type": "application/sparql-query"},
        timeout=60,
    )
    assert answer.status_code == 503
    wait_for_log(gateway, "stopped (timed out)")


def test_uploads_are_not_logged(gateway: Gateway) -> None:
    marker = f"upload-{uuid.uuid4()}"
    body = f'<https://w3id.org/coopkg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "{marker}"@en .'
    answer = httpx.post(
        f"{gateway.base}/validate", content=body.encode(), headers={"Content-Type": "text/turtle"}, timeout=60
    )
    assert answer.status_code == 200
    assert marker not in gateway.output()


def test_no_traceback_reaches_a_client(gateway: Gateway) -> None:
    """Unexpected errors are logged with their traceback on the server; the client sees a problem document."""
    for path in ("/sparql?query=%00", "/id/%25", "/validate"):
        answer = httpx.get(gateway.base + path, timeout=30)
        assert "Traceback" not in answer.text
        assert answer.status_code < 500, (path, answer.status_code)
