"""The token scanner the named-query binder works with: just enough SPARQL lexing to see its structure.

It skips comments, strings and IRIs (so a `WHERE`, `SELECT` or a brace inside them is never mistaken for
syntax) and keeps a prefixed name whole, its escapes included (`:WHERE`, `ex:a\\#b` are one word, not a
keyword or a comment). Parentheses come out as `other` tokens; spaces and comments are dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from coopkg.sparql.lexer import scanner

# PN_LOCAL_ESC and PLX of the SPARQL grammar: `\` + one of these, or `%` + two hex digits, inside a name.
_NAME_ESCAPE = r"""%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%]"""
_TOKEN = scanner(
    r"""
      (?P<comment>@COMMENT@)
    | (?P<string>@STRING@)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
    | (?P<word>(?:[A-Za-z0-9_:\u00c0-\uffff]|@ESC@)(?:[A-Za-z0-9_:.\-\u00b7\u00c0-\uffff]|@ESC@)*)
    | (?P<open>\{)
    | (?P<close>\})
    | (?P<space>\s+)
    | (?P<other>.)
    """.replace("@ESC@", _NAME_ESCAPE)
)


@dataclass(frozen=True)
class Token:
    kind: str  # var, word, iri, string, open, close or other
    text: str
    start: int  # offset in the query text


def tokens(query: str) -> Iterator[Token]:
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            yield Token(kind, match.group(), match.start())
