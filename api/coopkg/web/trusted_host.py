"""The host the gateway writes into absolute links comes from the operator, not from the request.

Every absolute URL the gateway writes (IRI pages' `Link` headers, the JSON-LD `@context` URL, the VoID
description, the query page's endpoint) is built from the request's base URL, which Starlette takes from
the `Host` header. A client can send any Host: behind a cache or proxy that keys on something else,
`Host: evil.example` would make one answer link to `http://evil.example/context.jsonld` for everyone.

- `COOPKG_PUBLIC_URL` set: every request is rewritten to it (scheme, host and port) before anything reads
  it, so links and cache keys are the same whatever the client sent. A request whose Host is neither the
  public URL's nor one of `COOPKG_ALLOWED_HOSTS` is refused with 400.
- Only `COOPKG_ALLOWED_HOSTS` set: requests naming another host are refused with 400; the others are served
  with their own host (the response cache keys on it).
- Neither: the request's Host is used, as on a developer's machine; `coopkg serve` bound to anything but a
  loopback interface warns at start-up.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from coopkg.errors import UntrustedHost
from coopkg.rdf.namespaces import PROBLEM
from coopkg.settings import Settings

log = logging.getLogger("coopkg")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _normalise(host: str) -> str:
    """`host[:port]` in lower case, without a default port (80 or 443: behind a proxy that ends TLS the
    gateway sees plain HTTP for a host the client reached on 443)."""
    host = host.strip().lower()
    for default in _DEFAULT_PORTS.values():
        if host.endswith(f":{default}"):
            host = host[: -len(f":{default}")]
    return host.rstrip(".")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def warn_if_exposed(settings: Settings) -> None:
    """Say so when the gateway listens beyond loopback and still trusts the request's Host."""
    if settings.public_url is None and not settings.allowed_hosts and not is_loopback(settings.host):
        log.warning(
            "listening on %s without COOPKG_PUBLIC_URL or COOPKG_ALLOWED_HOSTS: absolute links are built "
            "from each request's Host header, which any client can set; set COOPKG_PUBLIC_URL to this "
            "server's public address (see SECURITY.md)",
            settings.host,
        )


class TrustedHost:
    """Pure-ASGI middleware: refuse unknown hosts, rewrite requests to the public URL."""

    def __init__(self, app: ASGIApp, *, public_url: str | None, allowed_hosts: list[str]) -> None:
        self.app = app
        self.scheme: str | None = None
        self.host: bytes | None = None
        self.server: tuple[str, int] | None = None
        allowed = set()
        if public_url is not None:
            parts = urlsplit(public_url)
            self.scheme = parts.scheme
            self.host = _normalise(parts.netloc).encode("latin-1")
            port = parts.port or _DEFAULT_PORTS[parts.scheme]
            self.server = (parts.hostname or "", port)
            allowed.add(self.host.decode("latin-1"))
        allowed.update(_normalise(host) for host in allowed_hosts)
        self.allowed = frozenset(allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.allowed:
            await self.app(scope, receive, send)
            return
        named = b""
        for name, value in scope["headers"]:
            if name == b"host":
                named = value
                break
        host = _normalise(named.decode("latin-1"))
        if host not in self.allowed:
            await _refuse(scope, send, host)
            return
        if self.host is not None:
            headers = [(name, value) for name, value in scope["headers"] if name != b"host"]
            headers.append((b"host", self.host))
            scope = {**scope, "scheme": self.scheme, "server": self.server, "headers": headers}
        await self.app(scope, receive, send)


async def _refuse(scope: Scope, send: Send, host: str) -> None:
    error = UntrustedHost(
        f"This server does not answer for the host {host or '(none)'!r}; use its public address "
        "(the operator lists it in COOPKG_PUBLIC_URL or COOPKG_ALLOWED_HOSTS)."
    )
    body = json.dumps(
        {
            "type": PROBLEM + error.slug,
            "title": error.title,
            "status": error.status,
            "detail": error.detail,
            "instance": scope.get("path", ""),
        }
    ).encode("utf-8")
    headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
