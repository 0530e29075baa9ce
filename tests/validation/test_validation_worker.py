"""The validation process (coopkg.validation.worker): one job at a time, killed at its time limit (so the CPU
is free), replaced for the next job; the gateway answers a validation past COOPKG_VALIDATE_TIMEOUT with a
503 problem document."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
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
    """A Turtle collection `depth` deep: 2 x depth triples, about 10 s of validation on this machine."""
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
            worker.timeout = 1.0
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
    with TestClient(create_app(Settings(data=[valid_file], workers=1, validate_timeout=1.0))) as instance:
        yield instance


def test_the_gateway_answers_a_validation_past_its_time_limit_with_a_problem(client: TestClient) -> None:
    warm = client.post("/validate", content=SMALL.data, headers={"Content-Type": "text/turtle"})
    assert warm.status_code == 200, warm.text
    answer = client.post("/validate", content=slow_document(), headers={"Content-Type": "text/turtle"})
    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["type"].endswith("/validation-timeout")
    assert "1 s" in problem["detail"]
    again = client.post("/validate", content=SMALL.data, headers={"Content-Type": "text/turtle"})
    assert again.status_code == 200, again.text
