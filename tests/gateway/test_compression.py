"""gzip with a window fitted to a whole answer (api/coopkg/web/compression.py): every size decodes to the same
bytes, the window is no bigger than the answer, the compressed size is that of zlib's full window, and the
middleware keeps Starlette's rules (minimum size, excluded media types, streamed answers, Vary)."""

from __future__ import annotations

import gzip
import random
import zlib
from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from coopkg.web import compression
from coopkg.web.compression import FittedGZipMiddleware, fitted_gzip

SIZES = [0, 1, 300, 511, 512, 513, 2_000, 4_096, 32_767, 32_768, 32_769, 100_000]


def _answer(size: int) -> bytes:
    """Text like a SPARQL JSON answer: repetitive, with some noise."""
    rows = random.Random(size)
    text = b"".join(
        b'{"p":{"type":"uri","value":"https://w3id.org/coopkg/def#p%d"}},' % rows.randrange(10_000)
        for _ in range(size // 40 + 1)
    )
    return text[:size]


@pytest.mark.parametrize("size", SIZES)
def test_a_fitted_member_decodes_to_the_answer_in_a_window_that_holds_it(size: int) -> None:
    body = _answer(size)
    member = fitted_gzip(body, 6)
    assert gzip.decompress(member) == body
    smallest = min(15, max(9, (size - 1).bit_length()))
    # An inflater with that window reads it: no match reaches further back than the answer is long.
    assert zlib.decompressobj(16 + smallest).decompress(member) == body


@pytest.mark.parametrize("size", [s for s in SIZES if s >= 512])
def test_a_fitted_member_is_as_small_as_one_with_zlibs_full_window(size: int) -> None:
    body = _answer(size)
    full = zlib.compressobj(6, zlib.DEFLATED, 16 + 15)
    assert len(fitted_gzip(body, 6)) <= (len(full.compress(body) + full.flush())) * 1.02 + 8


def _client() -> TestClient:
    async def whole(_: object) -> Response:
        return Response(_answer(5_000), media_type="application/sparql-results+json")

    async def small(_: object) -> Response:
        return Response(_answer(100), media_type="application/sparql-results+json")

    async def picture(_: object) -> Response:
        return Response(_answer(5_000), media_type="image/png")

    async def streamed(_: object) -> StreamingResponse:
        async def pieces() -> AsyncIterator[bytes]:
            for start in range(0, 50_000, 7_000):
                yield _answer(50_000)[start : start + 7_000]

        return StreamingResponse(pieces(), media_type="application/sparql-results+json")

    routes = [Route(f"/{f.__name__}", f) for f in (whole, small, picture, streamed)]
    app = FittedGZipMiddleware(Starlette(routes=routes))
    return TestClient(app)


@pytest.mark.parametrize(
    ("path", "size", "compressed"),
    [("whole", 5_000, True), ("streamed", 50_000, True), ("small", 100, False), ("picture", 5_000, False)],
)
def test_the_middleware_keeps_starlettes_rules(
    path: str, size: int, compressed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only an answer sent in one piece takes the fitted window; a streamed one Starlette's compressor."""
    fitted: list[int] = []

    def spy(body: bytes, level: int) -> bytes:
        fitted.append(len(body))
        return fitted_gzip(body, level)

    monkeypatch.setattr(compression, "fitted_gzip", spy)
    with _client() as client:
        answer = client.get(f"/{path}", headers={"Accept-Encoding": "gzip"})
        plain = client.get(f"/{path}", headers={"Accept-Encoding": "identity"})
    assert fitted == ([size] if path == "whole" else [])
    assert answer.content == plain.content == _answer(size)[: len(answer.content)]
    assert len(answer.content) == size
    assert (answer.headers.get("content-encoding") == "gzip") is compressed
    assert "content-encoding" not in plain.headers
    if compressed:
        assert "Accept-Encoding" in answer.headers["vary"]
        if path == "whole":
            assert int(answer.headers["content-length"]) < size  # the compressed length, not the answer's
