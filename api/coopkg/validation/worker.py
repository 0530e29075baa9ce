"""The process that validates uploads for the gateway, with a time limit that frees the CPU when it fires.

Validation is CPU-bound Python, so it never runs in the gateway's process: one child process (spawned, not
forked: the gateway has threads and an open store) takes one job at a time over a pipe. It runs at a lower
scheduling priority than the query workers, so a long validation takes only the CPU that queries leave. When
a job passes its time limit, the process is killed (a thread cannot be stopped; a process can), the caller
gets `ValidationTimeout`, and the next job starts a fresh process. A process that dies on its own (a native
crash, the memory limit) gives `WorkerDied` the same way.

No web framework here: `coopkg.web.routers.validate` owns one `ValidationWorker` per app.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from coopkg.errors import CoopkgError, ValidationTimeout, WorkerDied

STARTUP_LIMIT = 120.0  # seconds a new process may take to import what it needs
log = logging.getLogger("coopkg.validation")
NICENESS = 10  # below the query workers (niceness 0): queries first, validation with what is left


@dataclass(frozen=True)
class Job:
    data: bytes
    format_name: str
    source: str
    texts: Mapping[str, bytes] = field(default_factory=dict)
    report_format: str = "json"  # json | turtle | jsonld: the rendered RDF comes back too when not json


@dataclass(frozen=True)
class Outcome:
    summary: dict[str, Any]  # coopkg.validation.render.report_as_dict
    rdf: str | None  # the report graph in Turtle or JSON-LD, when the job asked for it


def run_job(job: Job) -> Outcome:
    """Validate and render one job (in the worker process; also callable directly)."""
    from coopkg.validation.inputs import format_by_name
    from coopkg.validation.render import render_jsonld, render_turtle, report_as_dict
    from coopkg.validation.run import validate_document

    report = validate_document(job.data, format_by_name(job.format_name), source=job.source, texts=job.texts)
    rdf = {"turtle": render_turtle, "jsonld": render_jsonld}.get(job.report_format)
    return Outcome(report_as_dict(report), rdf(report) if rdf else None)


READY = "ready"


def _serve(connection: Connection) -> None:
    """The worker's loop: a Job in, an Outcome or a CoopkgError out, until the pipe closes."""
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    # The heavy imports (rdflib, pySHACL), the shapes and the parsed ontology and SDG taxonomy, before the
    # first job: its time limit counts the work on the upload only.
    from coopkg.validation.run import context_data
    from coopkg.validation.shapes import shipped_shapes

    shipped_shapes()
    context_data()
    connection.send(READY)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        answer: Outcome | CoopkgError
        try:
            answer = run_job(job)
        except CoopkgError as error:  # unusable input: the caller turns it into a 4xx
            answer = error
        connection.send(answer)


class ValidationWorker:
    """One validation process, started on the first job, reused, killed at the time limit or on close."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None
        self._turn = asyncio.Lock()  # one job at a time in the one process; others wait their turn
        self.pending = 0  # uploads admitted and not yet answered (the web router counts them)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def _start(self) -> Connection:
        """A new process, once it has imported what validation needs (it says READY)."""
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(theirs,), name="coopkg-validator", daemon=True)
        process.start()
        theirs.close()
        self._process, self._connection = process, ours
        if not ours.poll(STARTUP_LIMIT) or ours.recv() != READY:
            raise EOFError("the validation process did not start")
        return ours

    def close(self) -> None:
        """Kill the process (if any); the next job starts a new one."""
        process, connection = self._process, self._connection
        self._process = self._connection = None
        if process is not None and process.is_alive():
            process.kill()
        if process is not None:
            process.join(5)
        if connection is not None:
            connection.close()

    async def run(self, job: Job) -> Outcome:
        async with self._turn:
            try:
                connection = self._connection
                if connection is None or self._process is None or not self._process.is_alive():
                    self.close()
                    connection = await asyncio.to_thread(self._start)
                # Pickling a 30 MB upload takes a while: in a thread, never on the event loop.
                await asyncio.to_thread(connection.send, job)
                # poll() is also true when the process died (the pipe is closed): recv() then raises.
                ready = await asyncio.to_thread(connection.poll, self.timeout)
                if not ready:
                    log.warning(
                        "validation of %r stopped at the time limit (%g s): process %s killed",
                        job.source,
                        self.timeout,
                        self.pid,
                    )
                    raise ValidationTimeout(
                        f"validation was stopped after {self.timeout:g} s (COOPKG_VALIDATE_TIMEOUT); "
                        "validate smaller parts of the document, or run `coopkg validate FILE` locally"
                    )
                answer = await asyncio.to_thread(connection.recv)
            except (EOFError, OSError, BrokenPipeError):
                log.warning(
                    "the validation process (%s) died on %r; a new one starts on the next job",
                    self.pid,
                    job.source,
                )
                self.close()
                raise WorkerDied(
                    "The validator stopped while reading this document (its process crashed or ran out of "
                    "memory) and has been restarted; simplify the document and retry."
                ) from None
            except BaseException:
                # The time limit, or the request was cancelled mid-job: the process is still busy with a job
                # nobody will read; kill it so the CPU is free and the next job starts clean.
                self.close()
                raise
        if isinstance(answer, CoopkgError):
            raise answer
        assert isinstance(answer, Outcome)
        return answer
