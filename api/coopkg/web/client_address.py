"""Who the client is: the address its per-client limits are kept under (`coopkg.store.client_budget`).

The client is the connection's peer address. Behind a reverse proxy every connection comes from the proxy,
so for peers listed in `COOPKG_TRUSTED_PROXIES` (addresses or CIDR networks) the client is the nearest
`X-Forwarded-For` hop that is not itself a trusted proxy: reading the header from the right, each trusted
proxy vouches for the hop before it, and the first hop nobody vouches for is the client. From any other peer
the header is ignored (anyone can write it). An IPv6 client is keyed by its /64 network: one host is given a
whole /64 and could otherwise take a new address for every query.

A pure-ASGI middleware: it sets `coopkg.store.fair_queue.CLIENT` for the request (the worker pool reads it)
and, when a trusted proxy forwarded the request, puts the client's address in `scope["client"]` so the
access log names the client rather than the proxy.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from coopkg.store.fair_queue import CLIENT, REQUEST

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(entries: Iterable[str]) -> list[Network]:
    """`COOPKG_TRUSTED_PROXIES` entries as networks (a bare address is a /32 or /128); ValueError names a
    bad one."""
    networks: list[Network] = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"COOPKG_TRUSTED_PROXIES: {entry!r} is not an IP address or network "
                "(e.g. 10.0.0.5 or 10.0.0.0/8)"
            ) from None
    return networks


def _address(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_key(address: Address) -> str:
    """The name limits are kept under: the IPv4 address, or the IPv6 /64."""
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def resolve(peer: str | None, forwarded_for: list[str], trusted: list[Network]) -> Address | None:
    """The client's address: `peer`, or, when `peer` is a trusted proxy, the nearest untrusted
    X-Forwarded-For hop (the leftmost one if every hop is trusted). None when nothing usable is known."""
    address = _address(peer) if peer else None
    if address is None or not any(address in network for network in trusted):
        return address
    hops = [hop for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        candidate = _address(hop)
        if candidate is None:  # a hop we cannot read: stop believing the header here
            return address
        address = candidate
        if not any(address in network for network in trusted):
            return address
    return address


class ClientAddress:
    """Sets CLIENT (and, behind a trusted proxy, `scope["client"]`) for each HTTP request."""

    def __init__(self, app: ASGIApp, *, trusted_proxies: Iterable[str]) -> None:
        self.app = app
        self.trusted = parse_networks(trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        peer = scope.get("client")
        forwarded: list[str] = []
        if self.trusted:
            forwarded = [
                value.decode("latin-1") for name, value in scope["headers"] if name == b"x-forwarded-for"
            ]
        address = resolve(peer[0] if peer else None, forwarded, self.trusted)
        if address is not None and peer is not None and str(address) != peer[0]:
            scope = {**scope, "client": (str(address), 0)}
        client = CLIENT.set(client_key(address) if address is not None else "unknown")
        request = REQUEST.set(object())
        try:
            await self.app(scope, receive, send)
        finally:
            REQUEST.reset(request)
            CLIENT.reset(client)
