"""Parsing an HTML page for what markup injection leaves behind: elements our pages never use, event-handler
attributes, links and sources with unsafe schemes, script text carrying a payload. Used on pages served
from hostile data (test_xss.py) and on pages for hostile paths (test_fuzz.py).
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

SAFE_SCHEMES = {"", "http", "https", "mailto"}
# Elements our pages never use; the data injects them (event handlers and script URLs are checked apart).
INJECTED_TAGS = {"iframe", "object", "embed"}


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in INJECTED_TAGS:
            self.problems.append(f"<{tag}> element (injected markup?) with {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler attribute {name}={value!r} on <{tag}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value is not None:
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme not in SAFE_SCHEMES:
                    self.problems.append(f"<{tag} {name}={value!r}>: unsafe scheme {scheme!r}")
                if name == "href" and tag == "a":
                    self.links.append(value)
        if tag == "script":
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.problems.append(f"script with data in it: {data[:80]!r}")
        self.text.append(data)
