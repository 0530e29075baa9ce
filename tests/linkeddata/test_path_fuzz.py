"""Hypothesis over the path (and number-like query) parameters of every linked-data route: any text gets an
answer or a clear 4xx, never a 5xx. Regression of `GET /sdg/%C2%B3` (a superscript digit passed an
`isdigit()` check, then `int()` refused it: 500) and of `/def.0` (an undocumented status, now a documented
404).

In-process (TestClient on the shipped graph), so a few hundred examples take seconds; the live-server fuzzing
is tests/security/test_fuzz.py.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PROGRAMME = "programme/cn-dk-green-2023-2026"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# What `str.isdigit()` or `int()` take but is no ASCII digit, and digit strings too long for int().
TRICKY_NUMBERS = [
    "²",
    "³",
    "¹",
    "٣",
    "１",
    "৩",
    "⑥",
    "6²",
    "0",
    "00",
    "-1",
    "+6",
    " 6",
    "6 ",
    "1_7",
    "9" * 5000,
]

text = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
number_like = st.one_of(
    st.sampled_from(TRICKY_NUMBERS),
    st.text(st.sampled_from("0123456789²³¹٣１৩._-+ "), max_size=8),
    st.integers(-(10**12), 10**12).map(str),
)
segment = st.one_of(text, number_like).map(lambda value: quote(value, safe=""))
accept = st.sampled_from(["text/html", "text/turtle", "application/json", "application/ld+json", "*/*"])


def assert_clear(path: str, status: int, body: str, content_type: str) -> None:
    assert status < 500, f"{path}: {status} {body[:300]}"
    if status >= 400 and content_type.startswith("application/problem+json"):
        assert "detail" in body, body[:300]


@pytest.mark.parametrize(
    "template",
    [
        "/sdg/{}",
        "/def.{}",
        "/downloads/{}",
        "/api/commitments/{}",
        f"/api/commitments/{PROGRAMME}/section/{{}}/item/1",
        "/static/{}",
        "/api/queries/{}",
        f"/id/{PROGRAMME}/section/{{}}",
        f"/id/{PROGRAMME}/{{}}.ttl",
        "/id/{}",
    ],
)
def test_path_parameters_never_give_a_5xx(client: TestClient, template: str) -> None:
    @FUZZ
    @given(value=segment, media_type=accept)
    def check(value: str, media_type: str) -> None:
        if template == "/downloads/{}" and value.startswith("coopkg."):
            return  # the real dumps are tested elsewhere; writing each takes a while
        path = template.format(value)
        answer = client.get(path, headers={"Accept": media_type})
        assert_clear(path, answer.status_code, answer.text, answer.headers.get("content-type", ""))

    check()


@pytest.mark.parametrize("goal", TRICKY_NUMBERS)
def test_sdg_pages_take_only_ascii_goal_numbers(client: TestClient, goal: str) -> None:
    for media_type in ("text/html", "application/json"):
        answer = client.get(f"/sdg/{quote(goal, safe='')}", headers={"Accept": media_type})
        assert answer.status_code == 404, (goal, answer.status_code)


def test_def_with_an_unknown_suffix_is_a_documented_404(client: TestClient) -> None:
    answer = client.get("/def.0")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")
    documented = client.get("/openapi.json").json()["paths"]["/def.{suffix}"]["get"]["responses"]
    assert "application/problem+json" in documented["404"]["content"]


@FUZZ
@given(
    name=st.sampled_from(
        ["sdg", "page", "per_page", "section", "area", "framework", "q", "sort", "mechanism"]
    ),
    value=st.one_of(text, number_like),
    media_type=accept,
)
def test_listing_filters_never_give_a_5xx(client: TestClient, name: str, value: str, media_type: str) -> None:
    answer = client.get("/api/commitments", params={name: value}, headers={"Accept": media_type})
    assert_clear(
        f"?{name}={value!r}", answer.status_code, answer.text, answer.headers.get("content-type", "")
    )
    assert answer.status_code in (200, 406, 422), (name, value, answer.status_code)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (f"/id/{PROGRAMME}", "format"),
        (f"/id/{PROGRAMME}", "lang"),
        ("/def", "format"),
        ("/", "lang"),
        ("/sdg/6", "lang"),
        ("/mechanisms", "lang"),
        ("/downloads", "lang"),
        ("/.well-known/void", "format"),
        ("/api/sdg/goals", "format"),
        ("/api/queries/mechanisms", "format"),
        ("/api/queries/mechanisms", "lang"),
    ],
)
def test_format_and_lang_parameters_never_give_a_5xx(client: TestClient, path: str, name: str) -> None:
    @FUZZ
    @given(value=st.one_of(text, st.sampled_from(["zh", "en", "ttl", "json", "csv", "text/turtle", "*/*"])))
    def check(value: str) -> None:
        answer = client.get(path, params={name: value}, headers={"Accept": "text/html"})
        assert_clear(
            f"{path}?{name}={value!r}", answer.status_code, answer.text, answer.headers["content-type"]
        )

    check()


@FUZZ
@given(start=number_like, end=number_like, page=st.sampled_from(["", ".html"]))
def test_source_span_offsets_never_give_a_5xx(client: TestClient, start: str, end: str, page: str) -> None:
    path = f"/id/{PROGRAMME}/source{page}"
    answer = client.get(path, params={"start": start, "end": end}, headers={"Accept": "text/html"})
    assert_clear(path, answer.status_code, answer.text, answer.headers.get("content-type", ""))
