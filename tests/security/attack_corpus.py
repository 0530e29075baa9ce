"""The hostile SPARQL corpus: the files in corpus/ plus the cases too big or too binary to keep as files.

Each corpus file starts with `# attack: <what it tries>` and `# expect: <outcome>`; an outcome is
- `timeout`: the gateway stops it at the configured limit (503 query-timeout) within a small margin;
- `<status> <problem slug>`: a clear error with that status, e.g. `403 service-not-allowed`;
- `200` / `200 truncated`: answered (truncated: cut at the row limit and said so).
`{{LISTENER}}`, `{{LISTENER_PORT}}` and `{{REDIRECT}}` are replaced by the test's listener URLs, so an
outbound call would be seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"


@dataclass(frozen=True)
class Case:
    name: str
    attack: str
    expect: str  # see the module docstring
    body: bytes  # the query as sent (POST application/sparql-query)

    @property
    def status(self) -> int:
        if self.expect == "timeout":
            return 503
        return int(self.expect.split()[0])

    @property
    def slug(self) -> str | None:
        if self.expect == "timeout":
            return "query-timeout"
        words = self.expect.split()
        return words[1] if len(words) > 1 and words[1] != "truncated" else None

    def with_urls(self, listener: str, redirect: str) -> bytes:
        port = listener.rstrip("/").rsplit(":", 1)[1]
        return (
            self.body.replace(b"{{LISTENER}}", listener.encode())
            .replace(b"{{LISTENER_PORT}}", port.encode())
            .replace(b"{{REDIRECT}}", redirect.encode())
        )


def file_cases() -> list[Case]:
    cases = []
    for path in sorted(CORPUS.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header = dict(
            line[2:].split(": ", 1) for line in text.splitlines() if line.startswith("# ") and ": " in line
        )
        if "attack" not in header or "expect" not in header:
            raise ValueError(f"{path}: the first lines must be '# attack: ...' and '# expect: ...'")
        cases.append(Case(path.stem, header["attack"], header["expect"], text.encode("utf-8")))
    return cases


def generated_cases(max_body: int) -> list[Case]:
    """Cases built to size: nesting far beyond any real query, bodies at and past the body limit."""
    depth = 5000
    values_rows = []
    size = 0
    # VALUES rows until the query is just under the body limit: big but allowed.
    while size < max_body - 2000:
        row = f'("{len(values_rows)}")'
        values_rows.append(row)
        size += len(row) + 1
    huge_values = "SELECT (COUNT(*) AS ?n) WHERE { VALUES (?v) { " + " ".join(values_rows) + " } }"
    return [
        Case(
            "deep-braces",
            f"{depth} nested group patterns (unchecked, the parser overflows its stack)",
            "400 query-syntax",
            ("SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth).encode(),
        ),
        Case(
            "deep-parentheses",
            f"{depth} nested parentheses in a FILTER expression",
            "400 query-syntax",
            ("SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * depth + "true" + ")" * depth + ") }").encode(),
        ),
        Case(
            "deep-path",
            f"{depth} nested parentheses in a property path",
            "400 query-syntax",
            ("SELECT * WHERE { ?s " + "(" * depth + "<urn:x:p>" + ")" * depth + " ?o }").encode(),
        ),
        Case(
            "deep-subqueries",
            "500 nested subqueries",
            "400 query-syntax",
            ("SELECT * WHERE { " * 500 + "?s ?p ?o" + " }" * 500).encode(),
        ),
        Case("huge-values", "a VALUES block just under the body limit", "200", huge_values.encode()),
        Case(
            "multi-megabyte",
            "a 3 MB query (a comment padding a trivial query)",
            "413 payload-too-large",
            b"# " + b"x" * 3_000_000 + b"\nASK {}",
        ),
        Case(
            "invalid-utf8",
            "bytes that are not UTF-8 inside a literal",
            "400",
            b'SELECT * WHERE { ?s ?p "\xff\xfe\xc3\x28" }',
        ),
        Case("nul-byte", "a NUL byte inside the query text", "400", b"SELECT * WHERE { ?s ?p \x00 ?o }"),
    ]
