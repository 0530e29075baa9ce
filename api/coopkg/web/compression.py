"""How every answer is gzipped (the app, the lean SPARQL path, the response cache): the deflate window fitted
to the size of an answer sent in one piece.

Starlette's GZipMiddleware makes every answer's compressor with zlib's largest window and hash table (32 KB
each, about 256 KB of buffers with the rest): allocating and clearing them took 48 µs, where compressing a
2 kB answer takes 8 (one run, side by side). An answer sent in one piece (every small answer of the gateway)
is compressed here with the smallest window that holds it whole, which finds every match the 32 KB window
would, and a hash table in proportion: the same 2 kB answer, to the same compressed size, in 11 µs. A
streamed answer keeps Starlette's compressor.
"""

from __future__ import annotations

import zlib

from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware, GZipResponder, IdentityResponder
from starlette.types import ASGIApp, Receive, Scope, Send

# Bodies under GZIP_MIN bytes are not worth compressing; zlib's default level, not Starlette's 9, which took
# 78 µs instead of 47 for 12 kB of results, and twice as long on big answers, for a body a tenth smaller.
GZIP_MIN = 1024
GZIP_LEVEL = 6
_LARGEST_WINDOW_BITS = 15  # zlib's 32 KB window: the default, and all a bigger answer can use
_SMALLEST_WINDOW_BITS = 9  # the smallest window zlib writes in a gzip stream


def fitted_gzip(body: bytes, level: int = GZIP_LEVEL) -> bytes:
    """`body` as one gzip member, compressed with a window as small as holds all of it."""
    window_bits = min(_LARGEST_WINDOW_BITS, max(_SMALLEST_WINDOW_BITS, (len(body) - 1).bit_length()))
    # zlib pairs its default window (15 bits) with a hash table of 2**15 entries (memory level 8); the same
    # proportion for a smaller window.
    memory_level = max(1, window_bits - 7)
    compressor = zlib.compressobj(level, zlib.DEFLATED, 16 + window_bits, memory_level)
    return compressor.compress(body) + compressor.flush()


class FittedGZipMiddleware(GZipMiddleware):
    """Starlette's GZipMiddleware (its rules: Accept-Encoding, minimum size, excluded media types, an answer
    already encoded, Vary), with `fitted_gzip` for an answer sent in one piece; GZIP_MIN and GZIP_LEVEL."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app, minimum_size=GZIP_MIN, compresslevel=GZIP_LEVEL)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        responder: ASGIApp
        if "gzip" in Headers(scope=scope).get("Accept-Encoding", ""):
            responder = _FittedGZipResponder(
                self.app,
                self.minimum_size,
                compresslevel=self.compresslevel,
                thread_minimum_size=self.thread_minimum_size,
                exclude_content_types=self.exclude_content_types,
            )
        else:
            responder = IdentityResponder(
                self.app, self.minimum_size, exclude_content_types=self.exclude_content_types
            )
        await responder(scope, receive, send)


class _FittedGZipResponder(GZipResponder):
    _streaming = False  # set on the first piece of an answer sent in several

    async def apply_compression(self, body: bytes, *, more_body: bool) -> bytes:
        # The first body message, and the last: the whole answer is here (bigger ones than a window still go
        # to Starlette, which compresses those in a worker thread past its threshold).
        if not more_body and not self._streaming and len(body) <= 1 << _LARGEST_WINDOW_BITS:
            return fitted_gzip(body, self.compresslevel)
        self._streaming = True
        return await super().apply_compression(body, more_body=more_body)
