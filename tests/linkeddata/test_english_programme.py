"""A programme whose source is English, scaffolded by `coopkg programme init` and served from the steward's
data folder: its text is tagged English everywhere (pages, JSON, CSV), never as Chinese, and no "unofficial
English rendering" is offered beside an English source. The programme is invented (tests/reader/fixtures)."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from coopkg.cli import main
from coopkg.settings import Settings
from coopkg.web.app import create_app

FIXTURES = Path(__file__).resolve().parents[1] / "reader" / "fixtures" / "programmes"
SLUG = "test-clean-en-agriculture"
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data = tmp_path_factory.mktemp("steward") / "my-data"
    data.mkdir()
    source = data.parent / "clean-en-agriculture.txt"
    shutil.copy(FIXTURES / "clean-en-agriculture.txt", source)
    runner = CliRunner()
    init = runner.invoke(main, ["programme", "init", str(source), "--slug", SLUG, "--source-dir", str(data)])
    assert init.exit_code == 0, init.output
    built = runner.invoke(main, ["build", "--source-dir", str(data)])
    assert built.exit_code == 0, built.output
    with TestClient(create_app(Settings(data=[data]))) as instance:
        yield instance


class Langs(HTMLParser):
    """The `lang` of every element whose own text contains a given phrase, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str | None] = []
        self.found: list[tuple[str | None, str]] = []  # (nearest lang, text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"meta", "link", "br", "img", "input", "hr"}:
            return
        own = dict(attrs).get("lang")
        self.stack.append(own if own is not None else (self.stack[-1] if self.stack else None))

    def handle_endtag(self, tag: str) -> None:
        if tag not in {"meta", "link", "br", "img", "input", "hr"} and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.found.append((self.stack[-1] if self.stack else None, data.strip()))

    def langs_of(self, phrase: str) -> set[str | None]:
        return {lang for lang, text in self.found if phrase in text}


def _first_item(client: TestClient) -> dict[str, object]:
    answer = client.get("/api/commitments", params={"per_page": "200", "programme": SLUG})
    assert answer.status_code == 200, answer.text
    items = [i for i in answer.json()["items"] if SLUG in str(i["id"])]
    assert items, "the English programme has commitments"
    return items[0]


def test_the_json_tags_the_source_text_english_and_offers_no_rendering(client: TestClient) -> None:
    item = _first_item(client)
    assert item["textLanguage"] == "en"
    assert item["englishOfficial"] is True
    text = item["text"]
    assert isinstance(text, dict)
    assert set(text) == {"en"}
    assert str(text["en"]).strip()


def test_the_csv_says_the_language_of_each_text(client: TestClient) -> None:
    answer = client.get("/api/commitments", headers={"Accept": "text/csv"}, params={"per_page": "200"})
    assert answer.status_code == 200, answer.text
    rows = [r for r in csv.DictReader(io.StringIO(answer.text)) if SLUG in r["id"]]
    assert rows
    assert {r["text_lang"] for r in rows} == {"en"}
    assert all(r["text"] and r["text_en_unofficial"] == "" for r in rows)


def test_the_commitment_page_marks_the_text_english(client: TestClient) -> None:
    item = _first_item(client)
    page = client.get(str(item["id"]).replace("https://w3id.org/coopkg/id/", "/id/"), headers=HTML)
    assert page.status_code == 200, page.text[:300]
    parser = Langs()
    parser.feed(page.text)
    words = str(item["text"]["en"])[:30]  # type: ignore[index]
    assert parser.langs_of(words) == {"en"}  # the statement, and its source passage, in English
    assert "Source text (English)" in page.text or "原文（英文）" in page.text
    assert "Unofficial: our translation" not in page.text  # no rendering of an English source


def test_the_source_page_serves_the_stewards_text_as_english(client: TestClient) -> None:
    page = client.get(f"/id/programme/{SLUG}/source", headers=HTML)
    assert page.status_code == 200, page.text[:300]
    assert '<pre class="source" lang="en">' in page.text
    assert "Avalon-Borduria Joint Work Programme on Sustainable Agriculture" in page.text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_home_page_gives_the_title_in_the_language_it_is_in(client: TestClient, lang: str) -> None:
    parser = Langs()
    parser.feed(client.get(f"/?lang={lang}", headers=HTML).text)  # one programme: its own page
    # The programme has only an English title: never tagged Chinese, even on the Chinese page.
    assert parser.langs_of("Avalon-Borduria Joint Work Programme") == {"en"}


def test_a_commitment_without_an_area_has_no_empty_area_row(client: TestClient) -> None:
    # The invented programme's sections name no cooperation area: the page leaves the row out instead of
    # showing an empty one (the shipped programme's pages keep theirs: tests/linkeddata/test_pages.py).
    item = _first_item(client)
    assert item["areas"] == []
    page = client.get(str(item["id"]).replace("https://w3id.org/coopkg/id/", "/id/"), headers=HTML)
    assert page.status_code == 200, page.text[:300]
    assert "<dt>Cooperation area</dt>" not in page.text
    assert "<dt>合作领域</dt>" not in page.text
    assert "<dd></dd>" not in page.text


@pytest.mark.parametrize(
    ("lang", "wording"), [("en", "source text (Chinese or English)"), ("zh", "原文（中文或英文）")]
)
def test_the_home_page_does_not_call_every_source_chinese(
    client: TestClient, lang: str, wording: str
) -> None:
    page = client.get(f"/?lang={lang}", headers=HTML).text
    assert wording in page
    assert "programme's Chinese text" not in page
    assert "中文原文构建" not in page
