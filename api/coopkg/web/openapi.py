"""What the OpenAPI schema says about errors: one RFC 9457 `Problem` model and the responses built from it.

Every error the app answers is a problem document (`coopkg.web.app.problem`), except the linked-data routes
that
answer in the representation asked for (an HTML page, or RDF with a comment saying why). Routers declare the
statuses they can answer with `problems(...)`; `complete(app)` then gives every error response that a route
declares with a description only the problem+json content, so no status is documented without its media type.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

PROBLEM_JSON = "application/problem+json"

# Why each status happens, for the schema's readers (routes may say more precisely in their own responses=).
REASONS: dict[int, str] = {
    400: "Bad request: the request cannot be used as sent (the detail says what to change)",
    404: "Not found: nothing is known at this path or under this key",
    406: "Not acceptable: Accept (or format=) names no representation this route offers",
    413: "Payload too large: the body is over the configured limit",
    415: "Unsupported media type: the Content-Type is not one this route reads",
    422: "Invalid parameter: a parameter is missing or not a value of its type",
    429: (
        "Too many requests: this client has too many queries at once or has used its query time for now "
        "(the problem type says which; Retry-After says when to come back)"
    ),
    503: "Service unavailable: the store timed out, is starting, or is down (retry later)",
}


class Problem(BaseModel):
    """A problem document (RFC 9457): what went wrong and how to fix it."""

    # RFC 9457 lets problem types add members; a client must ignore those it does not know.
    model_config = ConfigDict(extra="allow")

    type: str = Field(
        description="IRI of the problem type", examples=["https://w3id.org/coopkg/problem/not-found"]
    )
    title: str = Field(description="Short summary of the problem type", examples=["Not found"])
    status: int = Field(description="The HTTP status code", examples=[404])
    detail: str = Field(description="What happened here and how to fix it", examples=["Nothing at /id/x."])
    instance: str | None = Field(default=None, description="The path the problem occurred on")


def problem_content() -> dict[str, Any]:
    return {PROBLEM_JSON: {"schema": Problem.model_json_schema()}}


def problems(*statuses: int, also: Iterable[str] = ()) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for `statuses`: a problem document, or (for the media types in `also`, e.g.
    `text/html` for pages that show browsers an error page) a body of that type."""
    others = {media_type: {"schema": {"type": "string"}} for media_type in also}
    return {
        status: {"description": REASONS[status], "content": problem_content() | others} for status in statuses
    }


def complete(app: FastAPI, *, hosts_checked: bool = False) -> None:
    """Give every error response the schema documents without content the problem+json content; document
    the per-client limits' 429 wherever a store may be busy (503), and, when the gateway checks the Host
    (`hosts_checked`), its 400 on every operation.

    A route's own `responses=` replaces its router's entry for the same status, so a route that only
    describes an error (`413: {"description": ...}`) would document that status without a media type. The
    generated schema is completed (once, when first asked for) rather than the routes, whose tables FastAPI
    keeps per included router.
    """
    generate = app.openapi

    def schema() -> dict[str, Any]:
        if app.openapi_schema is None:
            _fill(generate(), hosts_checked)
        assert app.openapi_schema is not None  # generate() stores the schema it returns
        return app.openapi_schema

    app.openapi = schema  # type: ignore[method-assign]


def _fill(document: dict[str, Any], hosts_checked: bool) -> None:
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            if "503" in responses:  # it runs queries: the per-client limits apply
                responses.setdefault("429", {"description": REASONS[429]})
            if hosts_checked:
                responses.setdefault("400", {"description": REASONS[400]})
            for status, response in operation.get("responses", {}).items():
                if (
                    status.isascii()
                    and status.isdigit()
                    and int(status) >= 400
                    and not response.get("content")
                ):
                    response["content"] = problem_content()
