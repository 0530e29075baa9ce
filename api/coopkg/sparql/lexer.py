"""The one SPARQL lexer: just enough lexing to see a query's structure without parsing it.

Every reader of query text here uses these rules: the query inspection (api/coopkg/sparql/inspection.py:
query form, updates, SERVICE, PREFIX and nesting), the named-query binder (api/coopkg/sparql/text.py), the
VALUES pushdown (api/coopkg/sparql/pushdown.py) and the remote store's relative-IRI check. Comments, string
literals and IRIs are single tokens, so a `{`, `WHERE` or `SERVICE` inside them is never taken for syntax; a
prefixed name is one token, its escapes included (`:WHERE`, `ex:a\\#b` are a name, not a keyword or a
comment). An IRI keeps its `\\u` escapes (the inspection decodes them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

COMMENT = r"\#[^\n\r]*"
STRING = r"""
    \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
  | '''(?:[^'\\]|\\.|'(?!''))*'''
  | "(?:[^"\\\n\r]|\\.)*"
  | '(?:[^'\\\n\r]|\\.)*'
"""
IRI = r"""<[^<>"{}|^`\x00-\x20]*>"""
VAR = r"[?$][\w\u00b7]+"
# PNAME_NS + PN_LOCAL of the grammar, escapes (`\\#`, `%41`) included; a final `.` ends the triple instead.
PNAME = r"(?:[^\W\d_][\w\-.\u00b7]*)?:(?:[\w\-:%\u00b7]|\\.|\.(?=[\w\-:%\u00b7]))*"
WORD = r"[^\W\d][\w\-]*"  # keywords (SELECT, WHERE, a, ...) and function names

_TOKEN = re.compile(
    rf"""
      (?P<comment>{COMMENT})
    | (?P<string>{STRING})
    | (?P<iri>{IRI})
    | (?P<var>{VAR})
    | (?P<pname>{PNAME})
    | (?P<word>{WORD})
    | (?P<open>\{{)
    | (?P<close>\}})
    | (?P<space>\s+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class Token(NamedTuple):  # a tuple, not a dataclass: a query is lexed on every request, tokens by the hundred
    kind: str  # iri, string, var, pname, word, open (`{`), close (`}`) or other (one character: `(`, `*`)
    text: str
    start: int  # offset in the query text


def tokens(query: str) -> Iterator[Token]:
    """The significant tokens of `query` in order (white space and comments dropped)."""
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            yield Token(kind, match.group(), match.start())
