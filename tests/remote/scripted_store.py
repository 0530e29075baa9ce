"""A real HTTP server on a free loopback port that answers every request as a test scripts it: the exchanges a
healthy store never produces (recorded Virtuoso answers, 5xx, wrong media types, broken bodies, a connection
that dies mid-answer), sent over a real socket so RemoteStore's own HTTP client reads them.

The response is written byte by byte as scripted (status line, headers, body); the server adds only the
framing: `Content-Length`, chunked transfer when `Answer.chunk` is set, or none (the body ends with the
connection) when `Answer.until_close` is. `tls` serves https with the given certificate.
"""

from __future__ import annotations

import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

FRAMING = {"content-length", "transfer-encoding", "connection", "keep-alive"}


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes
    peer: tuple[str, int]  # the client's address and port: the same for requests on one connection

    @property
    def form(self) -> dict[str, list[str]]:
        """The urlencoded form fields, each with its values in order."""
        return parse_qs(self.body.decode(), keep_blank_values=True)

    def field(self, name: str) -> str:
        """The one value of a form field."""
        [value] = self.form[name]
        return value


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Sequence[tuple[str, str]] = ()
    body: bytes = b""
    chunk: int = 0  # > 0: chunked transfer, pieces of this many bytes; 0: one body with Content-Length
    die_after: int | None = None  # send this many body bytes (of a Content-Length for all), then reset
    hang_up: bool = False  # close the connection without a byte of answer (as on an idle kept-alive one)
    delay: float = 0.0  # seconds to wait before the first byte (a store computing, or stalled)
    until_close: bool = False  # no framing: the body ends when the connection closes (as HTTP/1.0)


Script = Callable[[SeenRequest], Answer]


def answer(status: int, body: bytes, media_type: str) -> Script:
    """Every request gets this answer."""
    return lambda _: Answer(status, [("Content-Type", media_type)], body)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # kept-alive connections, as real stores keep them
    server: _Server

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        seen = SeenRequest(self.command, self.path, headers, body, self.client_address[:2])
        self.server.seen.append(seen)
        scripted = self.server.script(seen)
        time.sleep(scripted.delay)
        if scripted.hang_up:
            self.close_connection = True
            return
        phrase = (
            HTTPStatus(scripted.status).phrase if scripted.status in HTTPStatus._value2member_map_ else "X"
        )
        lines = [f"HTTP/1.1 {scripted.status} {phrase}"]
        lines += [f"{name}: {value}" for name, value in scripted.headers if name.lower() not in FRAMING]
        if scripted.chunk:
            lines.append("Transfer-Encoding: chunked")
        elif not scripted.until_close:
            lines.append(f"Content-Length: {len(scripted.body)}")
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        if scripted.die_after is not None:
            self.wfile.write(scripted.body[: scripted.die_after])
            self.wfile.flush()
            # SO_LINGER 0: closing sends a reset, as a killed process's kernel does.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        if scripted.chunk:
            for start in range(0, len(scripted.body), scripted.chunk):
                piece = scripted.body[start : start + scripted.chunk]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.write(scripted.body)
            self.close_connection = scripted.until_close

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, script: Script) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script = script
        self.seen: list[SeenRequest] = []


class ScriptedStore:
    """Started on construction; `stop()` ends it. `seen` lists the requests in the order they came."""

    def __init__(self, script: Script, tls: ssl.SSLContext | None = None) -> None:
        self._server = _Server(script)
        self._scheme = "http" if tls is None else "https"
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, name="scripted-store", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{self._scheme}://{host!s}:{port}/sparql"

    @property
    def seen(self) -> list[SeenRequest]:
        return self._server.seen

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
