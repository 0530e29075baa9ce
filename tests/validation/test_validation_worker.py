"""The validation process (coopkg.validation.worker): one job at a time, killed at its time limit (so the CPU
is free), replaced for the next job; the gateway answers a validation past COOPKG_VALIDATE_TIMEOUT with a
503 problem document."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from coopkg.errors import UnusableInput, ValidationTimeout
from coopkg.settings import Settings
from coopkg.validation.worker import Job, ValidationWorker
from coopkg.web.app import create_app

LABEL = b'<https://w3id.org/coopkg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .'
SMALL = Job(LABEL, "turtle", "x")


def slow_document(depth: int = 200_000) -> bytes:
    """A Turtle collection `depth` deep: 2 x depth triples, about 10 s of validation on this machine (the
    tests' time limit is 3 s: well past it, and enough for a one-triple upload on a loaded machine)."""
    return f"<https://w3id.org/coopkg/id/x> <http://example.org/p> {'(' * depth}{')' * depth} .".encode()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    return state != "Z"


def test_a_job_past_the_time_limit_kills_the_process_and_the_next_job_gets_a_new_one() -> None:
    async def scenario() -> None:
        worker = ValidationWorker(timeout=60)
        try:
            assert (await worker.run(SMALL)).summary["conforms"] in (True, False)
            first = worker.pid
            assert first is not None
            worker.timeout = 3.0
            with pytest.raises(ValidationTimeout, match="COOPKG_VALIDATE_TIMEOUT"):
                await worker.run(Job(slow_document(), "turtle", "slow"))
            assert not alive(first)  # killed: its CPU is free again
            worker.timeout = 60
            assert (await worker.run(SMALL)).summary["counts"] is not None
            assert worker.pid not in (None, first)
        finally:
            worker.close()

    asyncio.run(scenario())


def test_unusable_input_comes_back_as_the_domain_error_and_the_process_stays() -> None:
    async def scenario() -> None:
        worker = ValidationWorker(timeout=60)
        try:
            with pytest.raises(UnusableInput, match=r"bad:1:"):
                await worker.run(Job(b"<a> <b> .", "turtle", "bad"))
            before = worker.pid
            await worker.run(SMALL)
            assert worker.pid == before
        finally:
            worker.close()

    asyncio.run(scenario())


@pytest.fixture(scope="module")
def client(valid_file: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data=[valid_file], workers=1, validate_timeout=3.0))) as instance:
        yield instance


def test_the_gateway_answers_a_validation_past_its_time_limit_with_a_problem(client: TestClient) -> None:
    warm = client.post("/validate", content=SMALL.data, headers={"Content-Type": "text/turtle"})
    assert warm.status_code == 200, warm.text
    answer = client.post("/validate", content=slow_document(), headers={"Content-Type": "text/turtle"})
    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["type"].endswith("/validation-timeout")
    assert "3 s" in problem["detail"]
    again = client.post("/validate", content=SMALL.data, headers={"Content-Type": "text/turtle"})
    assert again.status_code == 200, again.text


def test_uploads_past_the_waiting_limit_are_refused_before_their_body_is_read(valid_file: Path) -> None:
    from coopkg.web.routers.validate import MAX_PENDING

    app = create_app(Settings(data=[valid_file], workers=1, validate_timeout=3.0))
    with TestClient(app) as client, ThreadPoolExecutor(MAX_PENDING) as pool:
        slow = slow_document()
        running = [
            pool.submit(client.post, "/validate", content=slow, headers={"Content-Type": "text/turtle"})
            for _ in range(MAX_PENDING)
        ]

        def admitted() -> int:
            worker = getattr(app.state, "validation_worker", None)
            return worker.pending if worker is not None else 0

        deadline = time.monotonic() + 60
        while admitted() < MAX_PENDING and time.monotonic() < deadline:
            time.sleep(0.01)  # polling until all are admitted
        refused = client.post("/validate", content=LABEL, headers={"Content-Type": "text/turtle"})
        assert refused.status_code == 503
        assert refused.json()["type"].endswith("/validator-busy")
        assert refused.headers["Retry-After"] == "60"
        assert {future.result().status_code for future in running} == {503}  # each past its time limit
        assert admitted() == 0
        again = client.post("/validate", content=LABEL, headers={"Content-Type": "text/turtle"})
        assert again.status_code == 200, again.text
