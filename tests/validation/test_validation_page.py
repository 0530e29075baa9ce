"""The steward's page: `GET /validate` (a form that works without JavaScript, zh/en) and the form posted by a
browser (the report as tables grouped by severity and shape, focus nodes linked; errors said on the page)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from validation_examples import INVALID_DIR, VALID_DIR, expectations

from coopkg.settings import Settings
from coopkg.web.app import create_app

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
BROKEN = INVALID_DIR / "agency-iri.ttl"


@pytest.fixture(scope="module")
def client(valid_file: Path) -> Iterator[TestClient]:
    settings = Settings(data=[valid_file], workers=1, max_upload=2 * 1024 * 1024)
    with TestClient(create_app(settings)) as instance:
        yield instance


class Labels(HTMLParser):
    """Form controls and the ids their <label for> name (every control needs a label: WCAG 1.3.1, 4.1.2)."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: dict[str, str] = {}  # id -> tag
        self.labelled: set[str] = set()
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("input", "textarea", "select") and found.get("type") != "hidden":
            self.controls[str(found.get("id"))] = tag
        if tag == "label" and found.get("for"):
            self.labelled.add(str(found["for"]))
        if tag == "script":
            self.scripts += 1


@pytest.mark.parametrize(("lang", "heading"), [("en", "Validate RDF"), ("zh", "验证 RDF 数据")])
def test_the_page_is_a_labelled_form_without_javascript(client: TestClient, lang: str, heading: str) -> None:
    page = client.get("/validate", params={"lang": lang})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert f'<html lang="{lang}">' in page.text
    assert f"<h1>{heading}</h1>" in page.text
    assert 'method="post"' in page.text
    assert 'enctype="multipart/form-data"' in page.text
    labels = Labels()
    labels.feed(page.text)
    assert set(labels.controls.values()) == {"input", "textarea", "select"}
    assert set(labels.controls) <= labels.labelled
    assert labels.scripts == 0
    assert '<option value="auto" selected>' in page.text
    assert " 2 MB" in page.text  # the limit in force (this client's)


def test_pasted_turtle_gives_the_report_grouped_with_linked_focus_nodes(client: TestClient) -> None:
    answer = client.post(
        "/validate?lang=en", data={"text": BROKEN.read_text(encoding="utf-8"), "format": "auto"}, headers=HTML
    )
    assert answer.status_code == 200, answer.text[:500]
    assert answer.headers["content-type"].startswith("text/html")
    assert "Does not conform" in answer.text
    assert re.search(r'<h3 id="severity-violation"[^>]*>Violations \(\d+\)</h3>', answer.text)
    for shape, focus in expectations(BROKEN):
        short = shape.replace("https://w3id.org/coopkg/shapes#", "coopsh:")
        assert f"<caption><code>{short}</code>" in answer.text
        local = focus.replace("https://w3id.org/coopkg/", "/")
        assert f'<a href="{local}">' in answer.text


def test_the_report_speaks_chinese_on_the_chinese_page(client: TestClient) -> None:
    answer = client.post("/validate?lang=zh", data={"text": BROKEN.read_text(encoding="utf-8")}, headers=HTML)
    assert answer.status_code == 200
    assert "不符合" in answer.text
    assert "违规" in answer.text
    assert "焦点节点" in answer.text


def test_an_uploaded_file_is_read_by_its_extension_or_the_chosen_format(client: TestClient) -> None:
    ntriples = b'<https://w3id.org/coopkg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .\n'
    by_extension = client.post(
        "/validate", files={"file": ("data.nt", ntriples, "application/octet-stream")}, headers=HTML
    )
    assert by_extension.status_code == 200, by_extension.text[:500]
    assert "data.nt" in by_extension.text
    unknown = client.post(
        "/validate", files={"file": ("data.txt", ntriples, "application/octet-stream")}, headers=HTML
    )
    assert unknown.status_code == 415
    assert "choose the format" in unknown.text
    chosen = client.post(
        "/validate",
        files={"file": ("data.txt", ntriples, "application/octet-stream")},
        data={"format": "ntriples"},
        headers=HTML,
    )
    assert chosen.status_code == 200, chosen.text[:500]


def test_a_syntax_error_is_said_on_the_page_with_line_and_column(client: TestClient) -> None:
    answer = client.post("/validate?lang=en", data={"text": "<a> <b> ."}, headers=HTML)
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("text/html")
    assert 'role="alert"' in answer.text
    assert "pasted text:1:" in answer.text
    assert "Traceback" not in answer.text


def test_an_empty_form_says_what_to_do(client: TestClient) -> None:
    answer = client.post(
        "/validate", files={"file": ("", b"", "application/octet-stream")}, data={"text": ""}, headers=HTML
    )
    assert answer.status_code == 400
    assert "choose a file" in answer.text


def test_a_program_posting_the_form_gets_json(client: TestClient) -> None:
    answer = client.post("/validate", data={"text": BROKEN.read_text(encoding="utf-8")})
    assert answer.status_code == 200
    assert answer.json()["conforms"] is False


def test_the_source_text_can_come_with_the_upload(client: TestClient, valid_file: Path) -> None:
    sources = (VALID_DIR / "sources").glob("*.txt")
    texts = [("source", (p.name, p.read_bytes(), "text/plain")) for p in sources]
    answer = client.post(
        "/validate",
        files=[("file", (valid_file.name, valid_file.read_bytes(), "text/turtle")), *texts],
        headers=HTML,
    )
    assert answer.status_code == 200
    assert "Conforms: no violations" in answer.text
