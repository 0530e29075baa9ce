"""`/validate`: a steward's page (GET: upload a file or paste Turtle) and the validator itself (POST).

POST takes RDF as the body (its Content-Type picks the parser) or a multipart/form-data upload: a `file` part
(its type, else its file name, picks the parser) or a `text` part (pasted RDF, Turtle unless `format` says
otherwise), an optional `format` field (`auto` or a format name) and `source` parts (source texts). The
answer is the validation report: an HTML page for browsers (the page's form), JSON (default: `conforms`,
counts by severity, results), or the SHACL report graph as Turtle or JSON-LD (then `conforms` and the counts
are response headers).

Uploads have their own size limit (COOPKG_MAX_UPLOAD), apart from the query body limit. Validation runs in a
separate process with its own time limit (coopkg.validation.worker: killed when the limit fires), so the
event loop, and with it every query, stays responsive. It reads only the upload and the shipped ontology and
taxonomy; the served store is never touched. A remote JSON-LD `@context` is refused, never fetched.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser

from coopkg.errors import (
    BadRequest,
    CoopkgError,
    PayloadTooLarge,
    UnsupportedMediaType,
    UnusableInput,
    ValidatorBusy,
)
from coopkg.validation.inputs import (
    FORMAT_NAMES,
    MEDIA_TYPES,
    InputFormat,
    format_by_name,
    format_for_media_type,
    format_for_path,
)
from coopkg.validation.worker import Job, ValidationWorker
from coopkg.web.conneg import negotiate, prefers_html
from coopkg.web.dependencies import settings
from coopkg.web.openapi import problems
from coopkg.web.validate_page import render_page

JSON, TURTLE, JSON_LD = "application/json", "text/turtle", "application/ld+json"
OFFERS = [JSON, TURTLE, JSON_LD]
REPORT_FORMATS = {JSON: "json", TURTLE: "turtle", JSON_LD: "jsonld"}
_WORKER = "validation_worker"
_MAX_FILES = 20  # the document and its source texts
# Uploads running or waiting for the one validation process; more are refused (503) before their body is
# read, so waiting uploads cannot pile up in memory (each may be COOPKG_MAX_UPLOAD bytes).
MAX_PENDING = 4


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # The worker process is started on the first upload (most deployments never validate) and stopped here.
    try:
        yield
    finally:
        worker: ValidationWorker | None = getattr(app.state, _WORKER, None)
        if worker is not None:
            worker.close()


router = APIRouter(tags=["validation"], lifespan=_lifespan, responses=problems(422))


def _worker(app: Any) -> ValidationWorker:
    worker: ValidationWorker | None = getattr(app.state, _WORKER, None)
    if worker is None:
        worker = ValidationWorker(app.state.settings.validate_timeout)  # what web.dependencies.settings reads
        setattr(app.state, _WORKER, worker)
    return worker


def _too_large(limit: int, declared: str | None = None) -> PayloadTooLarge:
    size = f"has {declared} bytes" if declared else f"is over {limit} bytes"
    return PayloadTooLarge(
        f"the upload {size}; at most {limit} bytes ({limit / 1024 / 1024:g} MB) are accepted "
        "(COOPKG_MAX_UPLOAD); validate large files locally with `coopkg validate FILE`"
    )


async def _limited(request: Request, limit: int) -> AsyncGenerator[bytes, None]:
    """The body as it arrives, refused as soon as it passes `limit` (declared or counted)."""
    declared = request.headers.get("content-length")
    # ASCII digits only ("²" passes isdigit() but not int()); a number too long for int() is too large anyway.
    if (
        declared
        and declared.isascii()
        and declared.isdigit()
        and (len(declared) > 18 or int(declared) > limit)
    ):
        raise _too_large(limit, declared)
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        yield chunk


@dataclass
class Upload:
    data: bytes
    fmt: InputFormat
    source: str
    texts: dict[str, bytes] = field(default_factory=dict)


def _chosen_format(value: object) -> InputFormat | None:
    if value in (None, "", "auto"):
        return None
    if not isinstance(value, str) or value not in FORMAT_NAMES:
        raise BadRequest(f"unknown format {value!r}: use auto or one of {', '.join(FORMAT_NAMES)}")
    return format_by_name(value)


async def _form_upload(request: Request, limit: int, *, multipart: bool) -> Upload:
    """A form: the `file` part (its format from `format`, else the part's type, else its file name) or the
    `text` part (pasted; Turtle unless `format` says otherwise), and the `source` parts (source texts, named
    as coop:sourceFile names them)."""
    parser: MultiPartParser | FormParser
    body = _limited(request, limit)
    if multipart:
        parser = MultiPartParser(
            request.headers, body, max_files=_MAX_FILES, max_fields=10, max_part_size=limit
        )
    else:  # application/x-www-form-urlencoded: pasted text only
        parser = FormParser(request.headers, body, max_fields=10, max_part_size=limit)
    try:
        form = await parser.parse()
    except MultiPartException as error:
        raise BadRequest(f"the form cannot be read: {error.message}") from None
    try:
        return await _from_form(form)
    finally:
        await form.close()  # uploaded files spooled to disk are removed now, not when collected


async def _from_form(form: FormData) -> Upload:
    chosen = _chosen_format(form.get("format"))
    texts = {}
    for part in form.getlist("source"):
        if not isinstance(part, UploadFile) or not part.filename:
            raise BadRequest("each `source` part is a source text file with its file name")
        texts[part.filename] = await part.read()
    upload = form.get("file")
    data = await upload.read() if isinstance(upload, UploadFile) else b""
    if isinstance(upload, UploadFile) and data.strip():
        name = upload.filename or "upload"
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        if chosen is not None:
            return Upload(data, chosen, name, texts)
        if content_type in MEDIA_TYPES:
            return Upload(data, format_for_media_type(content_type), name, texts)
        try:
            return Upload(data, format_for_path(Path(Path(name).name)), name, texts)
        except UnusableInput:  # format_for_path words its error for the CLI; say it for HTTP
            raise UnsupportedMediaType(
                f"cannot tell the RDF format of the uploaded {name!r}: choose the format, give the part a "
                f"Content-Type ({', '.join(MEDIA_TYPES)}) or a file name ending in .ttl, .trig, .nt, .nq, "
                ".jsonld or .rdf"
            ) from None
    text = form.get("text")
    if isinstance(text, str) and text.strip():
        return Upload(text.encode("utf-8"), chosen or format_by_name("turtle"), "pasted text", texts)
    raise BadRequest("nothing to validate: choose a file (the `file` part) or paste RDF (the `text` part)")


@asynccontextmanager
async def _admitted(request: Request) -> AsyncIterator[None]:
    """Counts this upload from before its body is read until it is answered; refuses it when MAX_PENDING
    are already admitted."""
    worker = _worker(request.app)
    if worker.pending >= MAX_PENDING:
        raise ValidatorBusy(
            f"{MAX_PENDING} uploads are already being read, validated or waiting; retry in a minute",
            headers={"Retry-After": "60"},
        )
    worker.pending += 1
    try:
        yield
    finally:
        worker.pending -= 1


async def _upload(request: Request) -> Upload:
    limit = settings(request).max_upload
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return await _form_upload(request, limit, multipart=content_type == "multipart/form-data")
    fmt = format_for_media_type(content_type)  # 415 before reading the body
    data = b"".join([chunk async for chunk in _limited(request, limit)])
    return Upload(data, fmt, "request body")


async def _validate(request: Request, upload: Upload, report_format: str) -> Any:
    if not upload.data.strip():
        raise BadRequest("the body is empty: send the RDF document to validate")
    job = Job(upload.data, upload.fmt.name, upload.source, upload.texts, report_format)
    return await _worker(request.app).run(job)


@router.get(
    "/validate",
    response_class=HTMLResponse,
    summary="The validation page: upload a file or paste Turtle (zh/en, works without JavaScript)",
)
async def validate_page(request: Request) -> HTMLResponse:
    return render_page(request)


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
        "it as multipart/form-data in a `file` part (or pasted RDF in a `text` part; `format` = auto or a "
        "format name). It is validated together with the coopkg ontology and the UN SDG taxonomy. The "
        "answer is the report as JSON (default), or as the SHACL report graph in Turtle or JSON-LD (Accept); "
        "the headers Coopkg-Conforms and Coopkg-Violations/-Warnings/-Infos always summarise it. A syntax "
        "error is a 400 naming the line and column; an unsupported type a 415; an upload over "
        "COOPKG_MAX_UPLOAD a 413; a validation past COOPKG_VALIDATE_TIMEOUT a 503. Remote JSON-LD contexts "
        "are never fetched. Browsers (Accept: text/html) get the report as a page."
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
        413: {"description": "The upload is larger than COOPKG_MAX_UPLOAD bytes (32 MB by default)."},
        415: {"description": "The Content-Type is not an RDF format we read."},
        503: {
            "description": "Validation passed COOPKG_VALIDATE_TIMEOUT (`validation-timeout`) or its process "
            "crashed on the document (`worker-died`); the process has been stopped and is replaced. Or "
            "too many uploads are waiting already (`validator-busy`, with Retry-After)."
        },
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
                            "text": {"type": "string", "description": "Pasted RDF, instead of a file."},
                            "format": {
                                "type": "string",
                                "enum": ["auto", *FORMAT_NAMES],
                                "description": "The RDF syntax; auto: from the part's type or file name.",
                            },
                            "source": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                                "description": "Source texts the quotes come from, named as coop:sourceFile.",
                            },
                        },
                    }
                },
            },
        }
    },
)
async def validate(request: Request) -> Response:
    if prefers_html(request.headers.get("accept")) and "format" not in request.query_params:
        return await _validate_for_browser(request)
    media_type = negotiate(request.headers.get("accept"), OFFERS, request.query_params.get("format"))
    async with _admitted(request):
        upload = await _upload(request)
        outcome = await _validate(request, upload, REPORT_FORMATS[media_type])
    counts = outcome.summary["counts"]
    headers = {
        "Coopkg-Conforms": "true" if outcome.summary["conforms"] else "false",
        **{f"Coopkg-{severity.capitalize()}s": str(n) for severity, n in counts.items()},
        "Vary": "Accept",
    }
    if outcome.rdf is None:
        return Response(json.dumps(outcome.summary, ensure_ascii=False), media_type=JSON, headers=headers)
    return Response(outcome.rdf, media_type=media_type, headers=headers)


async def _validate_for_browser(request: Request) -> HTMLResponse:
    """The page's form posted: the report as a page, or the page with the error (what, and how to fix it)."""
    try:
        async with _admitted(request):
            upload = await _upload(request)
            outcome = await _validate(request, upload, "json")
    except CoopkgError as error:
        return render_page(request, error=error)
    return render_page(request, summary=outcome.summary, source=upload.source)
