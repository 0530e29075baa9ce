"""`POST /validate` reads Content-Length as ASCII digits only: "²" passes `str.isdigit()` but `int()`
refuses it, and `int()` refuses more than 4300 digits; both were a 500. Now a number too long is a 413,
anything else not made of ASCII digits is ignored (the body is read and limited as it streams)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from coopkg.settings import Settings
from coopkg.web.app import create_app

BODY = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"


@pytest.fixture(scope="module")
def client(valid_file: Path) -> Iterator[TestClient]:
    settings = Settings(data=[valid_file], workers=1, max_upload=10_000)
    with TestClient(create_app(settings), raise_server_exceptions=False) as instance:
        yield instance


async def post_raw(app: Any, content_length: bytes) -> int:
    """POST BODY straight to the ASGI app: HTTP clients re-encode a header such as b"\\xb2" as UTF-8."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/validate",
        "raw_path": b"/validate",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"text/turtle"), (b"content-length", content_length)],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
        "state": {},
    }
    sent: list[dict[str, Any]] = []
    chunks = [{"type": "http.request", "body": BODY, "more_body": False}]

    async def receive() -> dict[str, Any]:
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return int(next(m["status"] for m in sent if m["type"] == "http.response.start"))


@pytest.mark.parametrize("declared", ["²".encode("latin-1"), "¹²".encode("latin-1"), "٣".encode()])
def test_a_content_length_of_other_digits_is_not_a_500(client: TestClient, declared: bytes) -> None:
    # Starlette decodes header bytes as Latin-1: b"\xb2" arrives as "²", which isdigit() accepts.
    assert client.portal is not None
    status = client.portal.call(post_raw, client.app, declared)
    assert status == 200


def test_a_content_length_too_long_for_int_is_a_413(client: TestClient) -> None:
    answer = client.post(
        "/validate", content=BODY, headers={"Content-Type": "text/turtle", "Content-Length": b"9" * 5000}
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("application/problem+json")
