"""`POST /validate`: validate a steward's RDF against the shapes, with the ontology and SDG taxonomy.

The body is RDF (its Content-Type picks the parser) or a multipart/form-data upload with a `file` part. The
answer is the validation report: JSON (default: `conforms`, counts by severity, results), or the SHACL report
graph as Turtle or JSON-LD (then `conforms` and the counts are response headers).

Validation is CPU-bound Python (pySHACL), so it runs in a separate process: the event loop, and with it every
query, stays responsive. It reads only the upload and the shipped ontology and taxonomy; the served store is
never touched. A remote JSON-LD `@context` is refused, never fetched (pyoxigraph has no document loader).
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
from collections.abc import AsyncGenerator, AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from coopkg.errors import BadRequest, UnsupportedMediaType, UnusableInput, WorkerDied
from coopkg.validation.inputs import MEDIA_TYPES, InputFormat, format_for_media_type, format_for_path
from coopkg.web.conneg import negotiate
from coopkg.web.dependencies import SettingsDep
from coopkg.web.http import read_body
from coopkg.web.openapi import problems

JSON, TURTLE, JSON_LD = "application/json", "text/turtle", "application/ld+json"
OFFERS = [JSON, TURTLE, JSON_LD]
_EXECUTOR = "validation_executor"
_MAX_FILES = 20  # the document and its source texts


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # The worker process is started on the first upload (most deployments never validate) and stopped here.
    try:
        yield
    finally:
        executor: ProcessPoolExecutor | None = getattr(app.state, _EXECUTOR, None)
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


router = APIRouter(tags=["validation"], lifespan=_lifespan, responses=problems(422))


def _executor(app: Any) -> ProcessPoolExecutor:
    executor: ProcessPoolExecutor | None = getattr(app.state, _EXECUTOR, None)
    if executor is None:
        # spawn, not fork: the gateway has threads (and possibly an open store) that a fork would copy.
        executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        setattr(app.state, _EXECUTOR, executor)
    return executor


def _run(
    data: bytes, format_name: str, source: str, texts: dict[str, bytes], media_type: str
) -> tuple[dict[str, Any], str | None]:
    """In the worker process: validate and render. Returns the JSON report, and the RDF body if asked."""
    from coopkg.validation.inputs import format_by_name
    from coopkg.validation.render import render_jsonld, render_turtle, report_as_dict
    from coopkg.validation.run import validate_document

    report = validate_document(data, format_by_name(format_name), source=source, texts=texts)
    summary = report_as_dict(report)
    if media_type == TURTLE:
        return summary, render_turtle(report)
    if media_type == JSON_LD:
        return summary, render_jsonld(report)
    return summary, None


async def _upload(request: Request, body: bytes) -> tuple[bytes, InputFormat, str, dict[str, bytes]]:
    """The `file` part of a multipart body, its format (from the part's type, else its file name), and the
    source texts sent as `source` parts (named as coop:sourceFile names them)."""

    async def stream() -> AsyncGenerator[bytes, None]:
        yield body

    try:
        form = await MultiPartParser(request.headers, stream(), max_files=_MAX_FILES, max_fields=10).parse()
    except MultiPartException as error:
        raise BadRequest(f"the multipart body cannot be read: {error.message}") from None
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise BadRequest("a multipart upload needs a `file` part holding the RDF document")
    data = await upload.read()
    name = upload.filename or "upload"
    texts = {}
    for part in form.getlist("source"):
        if not isinstance(part, UploadFile) or not part.filename:
            raise BadRequest("each `source` part is a source text file with its file name")
        texts[part.filename] = await part.read()
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    if content_type in MEDIA_TYPES:
        return data, format_for_media_type(content_type), name, texts
    try:
        return data, format_for_path(Path(Path(name).name)), name, texts
    except UnusableInput:  # format_for_path words its error for the CLI; say it for HTTP
        raise UnsupportedMediaType(
            f"cannot tell the RDF format of the uploaded {name!r}: give the part a Content-Type "
            f"({', '.join(MEDIA_TYPES)}) or a file name ending in .ttl, .trig, .nt, .nq, .jsonld or .rdf"
        ) from None


_REQUEST_EXAMPLE = """@prefix coop: <https://w3id.org/coopkg/def#> .
<https://w3id.org/coopkg/id/programme/example/section/01/item/1> a coop:Commitment ;
    coop:text "定期举行对话。"@zh ."""
_RESPONSE_EXAMPLE = {
    "conforms": False,
    "counts": {"violation": 1, "warning": 0, "info": 0},
    "results": [
        {
            "severity": "violation",
            "focusNode": "https://w3id.org/coopkg/id/programme/example/section/01/item/1",
            "path": "https://w3id.org/coopkg/def#order",
            "value": None,
            "message": "Needs exactly one coop:order, a positive xsd:integer (its position in the document).",
            "messages": [],
            "sourceShape": "https://w3id.org/coopkg/shapes#OrderPositive",
            "constraintComponent": "http://www.w3.org/ns/shacl#MinCountConstraintComponent",
        }
    ],
}


@router.post(
    "/validate",
    summary="Validate RDF against the coopkg SHACL shapes",
    description=(
        "Send an RDF document as the body (Content-Type: text/turtle, application/trig, "
        "application/n-triples, application/n-quads, application/ld+json or application/rdf+xml), or upload "
        "it as multipart/form-data in a `file` part. It is validated together with the coopkg ontology and "
        "the UN SDG taxonomy. The "
        "answer is the report as JSON (default), or as the SHACL report graph in Turtle or JSON-LD (Accept); "
        "the headers Coopkg-Conforms and Coopkg-Violations/-Warnings/-Infos always summarise it. A syntax "
        "error is a 400 naming the line and column; an unsupported type a 415; a body over the configured "
        "limit a 413. Remote JSON-LD contexts are never fetched."
    ),
    responses={
        200: {
            "description": "The validation report (whether or not the data conforms).",
            "content": {
                JSON: {"example": _RESPONSE_EXAMPLE},
                TURTLE: {"example": "[] a sh:ValidationReport ; sh:conforms true ."},
                JSON_LD: {},
            },
        },
        400: {"description": "The RDF does not parse (the detail names line and column)."},
        406: {"description": "Accept names no format the report comes in."},
        413: {"description": "The body is larger than COOPKG_MAX_BODY bytes."},
        415: {"description": "The Content-Type is not an RDF format we read."},
        503: {"description": "The validator process crashed on the document; it has been restarted."},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/turtle": {"schema": {"type": "string"}, "example": _REQUEST_EXAMPLE},
                **{m: {"schema": {"type": "string"}} for m in MEDIA_TYPES if m != "text/turtle"},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "source": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                                "description": "Source texts the quotes come from, named as coop:sourceFile.",
                            },
                        },
                        "required": ["file"],
                    }
                },
            },
        }
    },
)
async def validate(request: Request, settings: SettingsDep) -> Response:
    media_type = negotiate(request.headers.get("accept"), OFFERS, request.query_params.get("format"))
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    multipart = content_type == "multipart/form-data"
    fmt = None if multipart else format_for_media_type(content_type)  # 415 before reading the body
    body = await read_body(request, settings.max_body)
    if fmt is None:
        data, fmt, source, texts = await _upload(request, body)
    else:
        data, source, texts = body, "request body", {}
    if not data.strip():
        raise BadRequest("the body is empty: send the RDF document to validate")
    executor = _executor(request.app)
    try:
        summary, rdf = await asyncio.get_running_loop().run_in_executor(
            executor, _run, data, fmt.name, source, texts, media_type
        )
    except BrokenProcessPool:
        # The validation process died on this document (a native crash, the memory limit): drop the broken
        # pool so the next upload gets a fresh process, and say what happened.
        if getattr(request.app.state, _EXECUTOR, None) is executor:  # another upload may have replaced it
            setattr(request.app.state, _EXECUTOR, None)
        executor.shutdown(wait=False, cancel_futures=True)
        raise WorkerDied(
            "The validator stopped while reading this document (its process crashed, for example on JSON-LD "
            "nested thousands of levels deep) and has been restarted; simplify the document and retry."
        ) from None
    counts = summary["counts"]
    headers = {
        "Coopkg-Conforms": "true" if summary["conforms"] else "false",
        **{f"Coopkg-{severity.capitalize()}s": str(n) for severity, n in counts.items()},
        "Vary": "Accept",
    }
    if rdf is None:
        return Response(json.dumps(summary, ensure_ascii=False), media_type=JSON, headers=headers)
    return Response(rdf, media_type=media_type, headers=headers)
