"""A loopback TCP listener that records every connection it receives: proof that no outbound request happened.

Tests point hostile inputs (SERVICE IRIs, JSON-LD `@context` URLs, redirect targets) at a listener and then
assert `listener.hits == []`. The listener answers like a willing web server (HTTP 200 with a JSON-LD context,
or a 302 to another address), so a server that does fetch gets something it could use: the test fails on the
recorded hit, not on a fetch that happened to error out.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass, field
from types import TracebackType

_CONTEXT_BODY = b'{"@context": {"@vocab": "https://attacker.example/vocab#"}}'


@dataclass
class Hit:
    peer: str
    first_bytes: bytes


@dataclass
class Listener:
    """Accepts connections on 127.0.0.1:<free port>; `redirect_to` makes it answer 302 to that URL."""

    redirect_to: str | None = None
    hits: list[Hit] = field(default_factory=list)
    _socket: socket.socket | None = None
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        assert self._socket is not None, "start the listener first"
        return int(self._socket.getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> Listener:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.1)  # lets the accept loop notice close() promptly
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        sock, self._socket = self._socket, None
        if sock is not None:
            sock.close()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def recorded(self) -> list[Hit]:
        with self._lock:
            return list(self.hits)

    def _serve(self) -> None:
        while self._socket is not None:
            try:
                connection, peer = self._socket.accept()
            except (TimeoutError, OSError):
                continue
            with connection:
                connection.settimeout(1.0)
                try:
                    first = connection.recv(4096)
                except OSError:
                    first = b""
                with self._lock:
                    self.hits.append(Hit(f"{peer[0]}:{peer[1]}", first))
                # The client may have gone away: the hit is recorded, which is all that matters.
                with contextlib.suppress(OSError):
                    connection.sendall(self._answer())

    def _answer(self) -> bytes:
        if self.redirect_to is not None:
            return (
                f"HTTP/1.1 302 Found\r\nLocation: {self.redirect_to}\r\nContent-Length: 0\r\n"
                "Connection: close\r\n\r\n"
            ).encode()
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/ld+json\r\n"
            f"Content-Length: {len(_CONTEXT_BODY)}\r\nConnection: close\r\n\r\n"
        ).encode()
        return head + _CONTEXT_BODY
