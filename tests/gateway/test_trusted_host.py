"""The host in absolute links comes from COOPKG_PUBLIC_URL, never from the request
(`coopkg.web.trusted_host`), and the client a query is charged to comes from the connection, or from a
trusted proxy's X-Forwarded-For (`coopkg.web.client_address`)."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from coopkg.settings import Settings
from coopkg.store.inprocess import InProcessStore
from coopkg.web.app import create_app
from coopkg.web.client_address import client_key, parse_networks, resolve

ID = "/id/programme/cn-dk-green-2023-2026/section/05"
JSONLD = {"Accept": "application/ld+json"}


@pytest.fixture
def public(shipped_store: ox.Store) -> Iterator[TestClient]:
    settings = Settings(public_url="https://kg.example.org", allowed_hosts=["localhost:8000"])
    with TestClient(create_app(settings, InProcessStore(shipped_store, version="t"))) as client:
        yield client


def test_links_use_the_public_url_whatever_host_the_request_names(public: TestClient) -> None:
    for host in ("kg.example.org", "KG.example.org:443", "localhost:8000"):
        answer = public.get(ID, headers={**JSONLD, "Host": host})
        assert answer.status_code == 200, host
        assert b'"https://kg.example.org/context.jsonld"' in answer.content, host
        assert "localhost" not in answer.headers["link"], host  # relative links, or the public URL
    turtle = public.get("/downloads", headers={"Host": "localhost:8000", "Accept": "text/turtle"})
    assert "localhost" not in turtle.text


def test_another_host_is_400_and_never_reaches_links_or_the_cache(public: TestClient) -> None:
    answer = public.get(ID, headers={**JSONLD, "Host": "evil.example"})
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["type"].endswith("/host-not-allowed")
    assert "evil.example" in body["detail"]
    assert "COOPKG_PUBLIC_URL" in body["detail"]
    # The public answer (cached or not) still names the public host only.
    again = public.get(ID, headers={**JSONLD, "Host": "kg.example.org"})
    assert b"evil.example" not in again.content


def test_allowed_hosts_alone_serve_each_its_own_links(shipped_store: ox.Store) -> None:
    settings = Settings(allowed_hosts=["a.example", "b.example"])
    with TestClient(create_app(settings, InProcessStore(shipped_store, version="t"))) as client:
        first = client.get(ID, headers={**JSONLD, "Host": "a.example"})
        second = client.get(ID, headers={**JSONLD, "Host": "b.example"})
        assert b"http://a.example/context.jsonld" in first.content
        assert b"http://b.example/context.jsonld" in second.content
        assert client.get(ID, headers={**JSONLD, "Host": "c.example"}).status_code == 400


def test_without_settings_the_host_is_used_as_before(shipped_store: ox.Store) -> None:
    with TestClient(create_app(Settings(), InProcessStore(shipped_store, version="t"))) as client:
        answer = client.get(ID, headers={**JSONLD, "Host": "dev.example:8000"})
        assert b"http://dev.example:8000/context.jsonld" in answer.content


def test_a_public_interface_without_a_public_url_warns(
    shipped_store: ox.Store, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="coopkg"):
        create_app(Settings(host="0.0.0.0"), InProcessStore(shipped_store, version="t"))
        assert "COOPKG_PUBLIC_URL" in caplog.text
        caplog.clear()
        create_app(Settings(host="127.0.0.1"), InProcessStore(shipped_store, version="t"))
        create_app(
            Settings(host="0.0.0.0", public_url="https://kg.example.org"),
            InProcessStore(shipped_store, version="t"),
        )
        assert caplog.text == ""


@pytest.mark.parametrize(
    "value",
    ["kg.example.org", "ftp://kg.example.org", "https://u:p@kg.example.org", "https://kg.example.org/x"],
)
def test_a_public_url_must_be_an_http_origin(value: str) -> None:
    with pytest.raises(ValidationError):
        Settings(public_url=value)


def test_trusted_proxies_must_be_addresses() -> None:
    with pytest.raises(ValidationError, match="not an IP address"):
        Settings(trusted_proxies=["proxy.example"])


TRUSTED = parse_networks(["10.0.0.0/8", "192.0.2.1"])


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("198.51.100.7", ["203.0.113.5"], "198.51.100.7"),  # an untrusted peer: the header is ignored
        ("192.0.2.1", ["203.0.113.5"], "203.0.113.5"),
        ("192.0.2.1", ["1.1.1.1, 203.0.113.5"], "203.0.113.5"),  # the nearest hop, not a forged first one
        ("192.0.2.1", ["203.0.113.5, 10.1.2.3"], "203.0.113.5"),  # a chain of trusted proxies
        ("192.0.2.1", ["203.0.113.5", "10.1.2.3"], "203.0.113.5"),  # the header sent twice
        ("192.0.2.1", [], "192.0.2.1"),
        ("192.0.2.1", ["garbage, 203.0.113.5"], "203.0.113.5"),
        ("192.0.2.1", ["203.0.113.5, garbage"], "192.0.2.1"),  # an unreadable nearest hop: stop there
        ("192.0.2.1", ["[2001:db8::1]:4711"], "2001:db8::1"),
        ("::ffff:192.0.2.1", ["203.0.113.5"], "203.0.113.5"),
    ],
)
def test_the_client_is_the_nearest_untrusted_hop(peer: str, forwarded: list[str], client: str) -> None:
    assert str(resolve(peer, forwarded, TRUSTED)) == client


def test_ipv6_clients_are_kept_by_their_64() -> None:
    one = client_key(ipaddress.ip_address("2001:db8:1:2::1"))
    other = client_key(ipaddress.ip_address("2001:db8:1:2:ffff::9"))
    assert one == other == "2001:db8:1:2::/64"
    assert client_key(ipaddress.ip_address("192.0.2.9")) == "192.0.2.9"
