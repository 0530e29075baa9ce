"""The OpenAPI schema documents every error (RFC 9457 problem documents, or the representation a linked-data
route answers in) and every success media type; /docs and /redoc load everything from this origin (their
browser test is tests/browser/test_api_docs_in_chromium.py).

The live check that responses match the schema is schemathesis in tests/security/test_fuzz.py; these are the
fast structural regressions of issue 4's follow-up."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from coopkg.settings import Settings
from coopkg.web.app import create_app
from coopkg.web.openapi import PROBLEM_JSON, Problem

METHODS = ("get", "post", "put", "delete", "patch", "head")


@pytest.fixture(scope="module")
def client() -> TestClient:
    # No lifespan (no `with`): the schema and the route table need no store.
    return TestClient(create_app(Settings()))


@pytest.fixture(scope="module")
def schema(client: TestClient) -> dict[str, Any]:
    answer = client.get("/openapi.json")
    assert answer.status_code == 200
    document: dict[str, Any] = answer.json()
    return document


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_every_error_response_documents_its_media_type(schema: dict[str, Any]) -> None:
    missing = [
        f"{method.upper()} {path} {status}"
        for path, method, operation in operations(schema)
        for status, response in operation["responses"].items()
        if status.isdigit() and int(status) >= 400 and not response.get("content")
    ]
    assert missing == []


def test_problem_documents_follow_rfc_9457(schema: dict[str, Any]) -> None:
    problem = Problem.model_json_schema()
    assert {"type", "title", "status", "detail"} <= set(problem["required"])
    errors = [
        response["content"][PROBLEM_JSON]["schema"]
        for _, _, operation in operations(schema)
        for status, response in operation["responses"].items()
        if status in ("404", "422", "503") and PROBLEM_JSON in response.get("content", {})
    ]
    assert len(errors) > 10
    # Ours everywhere but /sparql, whose router declares the same media type with a looser schema.
    ours = [
        schema
        for schema in errors
        if schema.get("required") == problem["required"]
        and set(schema["properties"]) == set(problem["properties"])
    ]
    assert len(ours) > 10


@pytest.mark.parametrize(
    ("path", "status", "media_types"),
    [
        ("/id/{path}", "404", {"text/html", "text/turtle", "application/ld+json", PROBLEM_JSON}),
        ("/def.{suffix}", "404", {PROBLEM_JSON}),
        ("/sdg/{goal}", "404", {"text/html", PROBLEM_JSON}),
        ("/downloads/{name}", "404", {PROBLEM_JSON}),
        ("/api/commitments/{key}", "404", {PROBLEM_JSON}),
        ("/api/commitments", "406", {PROBLEM_JSON}),
        ("/api/commitments", "422", {PROBLEM_JSON}),
        ("/api/queries/text-search", "422", {PROBLEM_JSON}),
        ("/validate", "413", {PROBLEM_JSON}),
        ("/validate", "415", {PROBLEM_JSON}),
        ("/ready", "503", {PROBLEM_JSON}),
        ("/id/{path}", "200", {"text/html", "text/turtle", "application/n-triples", "application/rdf+xml"}),
        ("/context.jsonld", "200", {"application/ld+json"}),
        ("/downloads/{name}", "200", {"application/trig", "text/csv"}),
    ],
)
def test_the_issue_statuses_are_documented(
    schema: dict[str, Any], path: str, status: str, media_types: set[str]
) -> None:
    item = schema["paths"][path]
    operation = item.get("post") or item["get"]  # /validate: the POST (its GET is the page)
    assert status in operation["responses"], f"{path}: {sorted(operation['responses'])}"
    assert media_types <= set(operation["responses"][status]["content"])


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_documentation_pages_load_only_from_this_origin(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    script_src = page.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    assert script_src.strip() == "'self'"
    assert "http://" not in page.text
    assert "https://" not in page.text
    assert "<script>" not in page.text  # no inline script: the CSP allows script files from here only
    for asset in re.findall(r'(?:src|href)="(/[^"]+)"', page.text):
        answer = client.get(asset)
        assert answer.status_code == 200, asset
        assert answer.content


def test_documentation_assets_are_only_the_bundled_files(client: TestClient) -> None:
    assert client.get("/docs/assets/..%2Fcore.py").status_code == 404
    assert client.get("/docs/assets/core.py").status_code == 404
    assert client.get("/docs/oauth2-redirect").status_code == 404  # no OAuth here
