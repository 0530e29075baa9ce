"""The lexical rules every SPARQL scanner here shares: comments and string literals.

The query guard (api/coopkg/sparql/inspection.py) and the named-query binder (api/coopkg/sparql/text.py)
both skip these
before looking at syntax, so that a `{`, `WHERE` or `SERVICE` inside a comment or a literal is never taken
for syntax. Each module adds its own IRI and word rules (the guard keeps `\\` in IRIs: it decodes `\\u`
escapes).
"""

from __future__ import annotations

import re

COMMENT = r"\#[^\n\r]*"
STRING = r"""
    \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
  | '''(?:[^'\\]|\\.|'(?!''))*'''
  | "(?:[^"\\\n\r]|\\.)*"
  | '(?:[^'\\\n\r]|\\.)*'
"""


def scanner(template: str) -> re.Pattern[str]:
    """Compile a verbose, dot-all pattern whose `@COMMENT@` and `@STRING@` stand for the shared rules."""
    pattern = template.replace("@COMMENT@", COMMENT).replace("@STRING@", STRING)
    return re.compile(pattern, re.VERBOSE | re.DOTALL)
