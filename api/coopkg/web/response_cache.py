"""The response cache: repeat GET/HEAD of `/sparql?query=…`, `/id/…` and `/def` answered without FastAPI.

The graph is read-only while the gateway runs, so a 200 answer is a pure function of (path + query string,
negotiated representation, data version). `ResponseCache` is a pure-ASGI middleware installed outermost: a
hit is served from memory (bytes + headers, gzip compressed once on first need) with ETag / If-None-Match →
304; a miss runs the app with a plain GET (no conditional or encoding headers, so the answer is always the
full identity 200 worth keeping) and the response is then served by the very code that serves hits, so hits
and misses are byte-identical. Only 200s are kept; errors, Set-Cookie and `no-store` answers are passed on
untouched. Requests carrying Authorization or Cookie are never cached (their answer may depend on them), nor
is anything with the remote backend (`COOPKG_STORE=remote`): only the embedded store is read-only by design.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coopkg.web.compression import GZIP_MIN, fitted_gzip
from coopkg.web.http import not_modified

# Request headers the answer may depend on; they form the key (with the query string, which holds `format=`).
# Host too: JSON-LD pages link their @context by the request's base URL.
KEYED = (b"accept", b"accept-language", b"host")
# Request headers dropped on a miss: the app must give the full identity 200 we store.
STRIPPED = {b"accept-encoding", b"if-none-match", b"if-modified-since"}
# Response headers not stored: recomputed per answer.
UNSTORED = {b"content-length", b"content-encoding"}


@dataclass
class Entry:
    """One cached 200: its headers (without length and encoding), body and, once asked for, gzip body."""

    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes
    last_modified: bytes | None
    gzipped: bytes | None = None
    size: int = field(default=0)


class ResponseCache:
    """Pure-ASGI middleware: a bounded LRU of rendered answers. `max_bytes` 0 turns it off."""

    def __init__(self, app: ASGIApp, *, state_app: object, max_bytes: int) -> None:
        self.app = app
        # The FastAPI app whose lifespan puts the store (and so the data version) on `state`.
        self.state_app = state_app
        self.max_bytes = max_bytes
        # One answer may take at most a quarter of the cache: a few huge results must not flush everything.
        self.max_entry = max_bytes // 4
        self.entries: OrderedDict[tuple[bytes, ...], Entry] = OrderedDict()
        self.used = 0
        self.hits = 0
        self.misses = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope) if self.max_bytes > 0 and scope["type"] == "http" else None
        if key is None:
            await self.app(scope, receive, send)
            return
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
            self.hits += 1
            await _answer(scope, send, entry)
            return
        self.misses += 1
        await self._miss(scope, receive, send, key)

    def _key(self, scope: Scope) -> tuple[bytes, ...] | None:
        if scope["method"] not in ("GET", "HEAD"):
            return None
        path: str = scope["path"]
        query: bytes = scope["query_string"]
        if path == "/sparql":
            if b"query=" not in query:  # the service description or the HTML query page
                return None
        elif not (path.startswith("/id/") or path == "/def" or path.startswith("/def/")):
            return None
        version = _version(self.state_app)
        if version is None:
            return None
        keyed: dict[bytes, bytes] = {}
        origin = b""
        for name, value in scope["headers"]:
            if name == b"authorization" or name == b"cookie":
                return None
            if name in KEYED:
                # Normalised: case and spaces do not change the negotiation.
                keyed[name] = value.lower().replace(b" ", b"")
            elif name == b"origin":
                origin = b"1"  # CORS headers are added only when Origin is sent (any origin is allowed)
        return (
            version.encode(),
            str(scope.get("scheme", "http")).encode(),
            keyed.get(b"host", b""),
            path.encode(),
            query,
            keyed.get(b"accept", b""),
            keyed.get(b"accept-language", b""),
            origin,
        )

    async def _miss(self, scope: Scope, receive: Receive, send: Send, key: tuple[bytes, ...]) -> None:
        inner = dict(scope)
        inner["method"] = "GET"  # a HEAD miss fills the cache for both
        inner["headers"] = [(name, value) for name, value in scope["headers"] if name not in STRIPPED]
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        passing = False  # not cacheable: forward what the app sends as it sends it

        async def capture(message: Message) -> None:
            nonlocal start, size, passing
            if passing:
                await _forward(scope, send, message)
                return
            if message["type"] == "http.response.start":
                start = message
                if not _cacheable(message):
                    passing = True
                    await send(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunk: bytes = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            more = message.get("more_body", False)
            if size > self.max_entry:
                # Too big to keep: send what is held and stream the rest through.
                passing = True
                assert start is not None
                await send(start)
                await _forward(
                    scope, send, {"type": "http.response.body", "body": b"".join(chunks), "more_body": more}
                )
                return
            if not more:
                assert start is not None
                entry = _entry(start, b"".join(chunks))
                self._put(key, entry)
                await _answer(scope, send, entry)

        await self.app(inner, receive, capture)

    def _put(self, key: tuple[bytes, ...], entry: Entry) -> None:
        entry.size = _size(entry)
        old = self.entries.pop(key, None)
        if old is not None:
            self.used -= old.size
        self.entries[key] = entry
        self.used += entry.size
        while self.used > self.max_bytes and self.entries:
            _, evicted = self.entries.popitem(last=False)
            self.used -= evicted.size


def _version(state_app: object) -> str | None:
    """The data version to key on, or None when answers must not be cached."""
    state = getattr(state_app, "state", None)
    settings = getattr(state, "settings", None)
    if getattr(settings, "store", None) == "remote":
        # A remote store is not ours: its data can change under us and its outages must show.
        return None
    store = getattr(state, "store", None)
    return None if store is None else str(store.version)


def _cacheable(start: Message) -> bool:
    if start["status"] != 200:
        return False
    for name, value in start.get("headers", []):
        if name == b"set-cookie" or name == b"content-encoding":
            return False
        if name == b"cache-control" and (b"no-store" in value or b"private" in value):
            return False
    return True


def _entry(start: Message, body: bytes) -> Entry:
    headers = [
        (name.lower(), value) for name, value in start.get("headers", []) if name.lower() not in UNSTORED
    ]
    etag = next((value for name, value in headers if name == b"etag"), None)
    if etag is None:
        # Routes that do not tag their answers get one from the bytes: a strong validator for the same bytes.
        etag = b'"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'
        headers.append((b"etag", etag))
    last_modified = next((value for name, value in headers if name == b"last-modified"), None)
    if len(body) >= GZIP_MIN:
        headers = _vary_encoding(headers)
    return Entry(headers=headers, body=body, etag=etag, last_modified=last_modified)


def _vary_encoding(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Add Accept-Encoding to Vary: the same URL answers gzip or identity bytes."""
    for index, (name, value) in enumerate(headers):
        if name == b"vary":
            if b"accept-encoding" not in value.lower():
                headers[index] = (name, value + b", Accept-Encoding")
            return headers
    return [*headers, (b"vary", b"Accept-Encoding")]


def _size(entry: Entry) -> int:
    # The gzip variant is counted up front (about the identity size at most): eviction holds once it exists.
    return 2 * len(entry.body) + sum(len(name) + len(value) for name, value in entry.headers) + 200


async def _answer(scope: Scope, send: Send, entry: Entry) -> None:
    """Serve `entry` for this request: 304 if its validators match, else 200 (gzip when accepted)."""
    request = {name: value for name, value in scope["headers"] if name in STRIPPED}
    if _not_modified(request, entry):
        headers = [(name, value) for name, value in entry.headers if name not in (b"content-type",)]
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    body = entry.body
    headers = list(entry.headers)
    if len(body) >= GZIP_MIN and _accepts_gzip(request.get(b"accept-encoding", b"")):
        if entry.gzipped is None:
            entry.gzipped = fitted_gzip(body)
        body = entry.gzipped
        headers.append((b"content-encoding", b"gzip"))
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


def _not_modified(request: dict[bytes, bytes], entry: Entry) -> bool:
    match, since = request.get(b"if-none-match"), request.get(b"if-modified-since")
    if match is None and since is None:
        return False
    last_modified = entry.last_modified.decode("latin-1") if entry.last_modified is not None else None
    return not_modified(
        match.decode("latin-1") if match is not None else None,
        since.decode("latin-1") if since is not None else None,
        entry.etag.decode("latin-1"),
        last_modified,
    )


def _accepts_gzip(value: bytes) -> bool:
    for part in value.lower().split(b","):
        coding, _, params = part.strip().partition(b";")
        if coding.strip() in (b"gzip", b"*"):
            quality = params.strip().removeprefix(b"q=").strip()
            return not quality or quality.rstrip(b"0").rstrip(b".") not in (b"", b"0")
    return False


async def _forward(scope: Scope, send: Send, message: Message) -> None:
    """Pass a body message on; a HEAD asked for no body (the app answered a GET)."""
    if scope["method"] == "HEAD" and message["type"] == "http.response.body":
        message = {**message, "body": b""}
    await send(message)
