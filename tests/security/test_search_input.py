"""Hostile search input: empty, 10 kB, FTS5 and SPARQL operators, quotes, backslashes, control characters,
injection attempts. Every search entry point (GET /api/search, the /search page, /api/commitments?q=, the
text-search named query, `coopkg search`) answers with results (possibly none) or a clear 4xx problem,
never a 5xx; the words reach FTS5 only as quoted terms of the analysis (coopkg.search.index)."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HOSTILE_SEARCHES = [
    "",
    " ",
    "x" * 10_000,
    "水" * 257,
    '"',
    '"""',
    "'",
    "\\",
    '\\\\" OR 1=1 --',
    "AND",
    "OR NOT NEAR",
    "NEAR(水 资源, 2)",
    "zh : 水",
    "{zh en} : water",
    "^water*",
    "water*",
    "- + * ( ) : ^ { } [ ]",
    '"; DROP TABLE docs; --',
    "') UNION SELECT * FROM docs --",
    "terms MATCH 'x'",
    "} UNION { ?s ?p ?o } #",
    "\x00",
    "水\x00资源",
    "\x1b[31mred\x1b[0m",
    "\u202ewater\u202c",
    "\ufeff\u200b\u200d",
    "\ud7ff\ue000\uffff",
    "%00%27%22",
    "<script>alert(1)</script>",
    "海绵城市\u2028\u0085\u000b",
]


@pytest.fixture(scope="module")
def client(shipped_store: ox.Store) -> Iterator[TestClient]:
    from coopkg.settings import Settings
    from coopkg.store.inprocess import InProcessStore
    from coopkg.web.app import create_app

    app = create_app(Settings(), InProcessStore(shipped_store, version="hostile-search"))
    with TestClient(app, raise_server_exceptions=False) as instance:
        yield instance


def _answered_cleanly(status: int, content_type: str) -> None:
    assert status < 500
    if status >= 400:
        assert status in (400, 422)
        assert content_type.startswith(("application/problem+json", "text/html"))


@pytest.mark.parametrize("text", HOSTILE_SEARCHES)
def test_the_api_answers_results_or_a_clear_problem(client: TestClient, text: str) -> None:
    answer = client.get("/api/search", params={"q": text})
    _answered_cleanly(answer.status_code, answer.headers["content-type"])
    if answer.status_code == 200:
        document = answer.json()
        assert document["total"] == len(document["items"]) or document["total"] > len(document["items"])
    else:
        problem = answer.json()
        assert problem["status"] == answer.status_code
        assert "'q'" in problem["detail"]


def test_the_empty_and_the_too_long_query_are_400_saying_why(client: TestClient) -> None:
    empty = client.get("/api/search", params={"q": ""})
    assert empty.status_code == 400
    assert "empty" in empty.json()["detail"]
    long = client.get("/api/search", params={"q": "x" * 10_000})
    assert long.status_code == 400
    assert "at most 256" in long.json()["detail"]
    missing = client.get("/api/search")
    assert missing.status_code == 422


@pytest.mark.parametrize("text", ['"; DROP TABLE docs; --', "zh : 水", "NEAR(水 资源, 2)", "water*"])
def test_operators_are_words_or_nothing_and_the_index_survives(client: TestClient, text: str) -> None:
    answer = client.get("/api/search", params={"q": text})
    assert answer.status_code == 200
    after = client.get("/api/search", params={"q": "海绵城市"})
    assert after.json()["items"][0]["id"].endswith("/section/05/item/4")


@pytest.mark.parametrize("text", HOSTILE_SEARCHES)
def test_the_page_shows_results_or_the_problem_never_a_failure(client: TestClient, text: str) -> None:
    answer = client.get("/search", params={"q": text}, headers={"Accept": "text/html"})
    _answered_cleanly(answer.status_code, answer.headers["content-type"])
    assert "<script>alert" not in answer.text


@pytest.mark.parametrize("text", HOSTILE_SEARCHES)
def test_commitments_q_and_the_named_query_answer_cleanly(client: TestClient, text: str) -> None:
    listing = client.get("/api/commitments", params={"q": text})
    _answered_cleanly(listing.status_code, listing.headers["content-type"])
    named = client.get(
        "/api/queries/text-search", params={"text": text}, headers={"Accept": "application/json"}
    )
    _answered_cleanly(named.status_code, named.headers["content-type"])


@pytest.mark.parametrize(
    ("name", "value"),
    [("sdg", "99"), ("sdg", "6.3.1; x"), ("area", "<x>"), ("party", "a b"), ("kind", "thing"), ("page", "0"),
     ("per_page", "1000"), ("programme", "x" * 3000)],
)  # fmt: skip
def test_bad_filters_are_a_422_naming_the_parameter(client: TestClient, name: str, value: str) -> None:
    answer = client.get("/api/search", params={"q": "water", name: value})
    assert answer.status_code == 422, answer.text
    assert name in answer.json()["detail"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(exclude_categories=["Cs"]), max_size=80))
def test_any_text_is_answered_without_a_server_error(client: TestClient, text: str) -> None:
    answer = client.get("/api/search", params={"q": text})
    _answered_cleanly(answer.status_code, answer.headers["content-type"])


@pytest.mark.parametrize("text", ["x" * 10_000, '"; DROP TABLE docs; --', "\\"])
def test_the_command_line_is_one_line_and_exit_2_or_an_answer(text: str) -> None:
    from coopkg.commands.search import command

    result = CliRunner().invoke(command, [text])
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert result.output.count("\n") == 1
        assert result.output.startswith("coopkg search: ")
