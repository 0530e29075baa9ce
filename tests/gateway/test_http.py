"""The shared HTTP helpers (api/coopkg/web/http.py): one conditional-GET rule for every route, one truncation
header on /sparql and /api, and the truncation and paging headers readable by scripts on other origins."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from coopkg.settings import Settings
from coopkg.store.inprocess import InProcessStore
from coopkg.web.app import create_app
from coopkg.web.http import not_modified, truncation_headers

ETAG = '"abc"'
MODIFIED = datetime(2026, 1, 2, 3, 4, 5, 678_000, tzinfo=UTC)  # the data's time has sub-second digits
MODIFIED_HEADER = "Fri, 02 Jan 2026 03:04:05 GMT"  # what Last-Modified says of it


@pytest.mark.parametrize(
    ("if_none_match", "expected"),
    [
        ('"abc"', True),
        ('W/"abc"', True),  # weak comparison (RFC 9110 13.1.2)
        ('"x", "abc"', True),
        ("*", True),
        ('"abcd"', False),
        ('"x"', False),
    ],
)
def test_if_none_match_is_compared_weakly(if_none_match: str, expected: bool) -> None:
    assert not_modified(if_none_match, None, ETAG) is expected
    assert not_modified(if_none_match, None, "W/" + ETAG) is expected


def test_if_none_match_decides_over_if_modified_since() -> None:
    assert not_modified('"other"', MODIFIED_HEADER, ETAG, MODIFIED) is False


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        (MODIFIED_HEADER, True),  # the client's copy is the one Last-Modified announced
        ("Sat, 03 Jan 2026 00:00:00 GMT", True),
        ("Thu, 01 Jan 2026 00:00:00 GMT", False),
        ("not a date", False),  # ignored (RFC 9110 13.1.3)
    ],
)
def test_if_modified_since(since: str, expected: bool) -> None:
    assert not_modified(None, since, ETAG, MODIFIED) is expected
    assert not_modified(None, since, ETAG, MODIFIED_HEADER) is expected  # as a header value too
    assert not_modified(None, since, ETAG, None) is False  # nothing to compare with


def test_truncation_headers() -> None:
    assert truncation_headers(True, 7) == {"Coopkg-Results-Truncated": "true", "Coopkg-Results-Limit": "7"}
    assert truncation_headers(False, 7) == {}


@pytest.fixture(scope="module")
def client(shipped_store: ox.Store) -> Iterator[TestClient]:
    app = create_app(Settings(max_rows=3), InProcessStore(shipped_store, version="test", max_rows=3))
    with TestClient(app) as instance:
        yield instance


def test_named_query_routes_announce_a_cut_like_sparql(client: TestClient) -> None:
    answer = client.get("/api/queries/mechanisms")
    assert answer.status_code == 200
    assert answer.headers["coopkg-results-truncated"] == "true"
    assert answer.headers["coopkg-results-limit"] == "3"
    assert "x-truncated" not in answer.headers
    assert len(answer.json()["results"]["bindings"]) == 3


def test_truncation_and_paging_headers_are_exposed_to_other_origins(client: TestClient) -> None:
    answer = client.get("/api/commitments", headers={"Origin": "https://app.example"})
    exposed = {name.strip().lower() for name in answer.headers["access-control-expose-headers"].split(",")}
    assert {"x-total-count", "link", "coopkg-results-truncated", "coopkg-results-limit", "etag"} <= exposed


def test_iri_pages_take_a_weak_etag(client: TestClient) -> None:
    first = client.get("/id/party/china.ttl")
    assert first.status_code == 200
    again = client.get("/id/party/china.ttl", headers={"If-None-Match": "W/" + first.headers["etag"]})
    assert again.status_code == 304
