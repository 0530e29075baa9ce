"""Typed parameters of named queries: their declaration and the conversion of raw text values to RDF terms.

A value reaches SPARQL only as a pyoxigraph term built here, after validation: an IRI that is absolute and
free of the characters that could close or break an IRI reference, a literal whose lexical form pyoxigraph
escapes, an integer in ASCII digits, an enumeration member. Every refusal is an `InvalidParameter` naming the
parameter and what it expects, so the CLI can print it as one line and the web API can answer 422 with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import NoReturn

import pyoxigraph as ox

from coopkg.errors import InvalidParameter

# Longer values are refused: no legitimate IRI or search phrase comes close; a cap keeps hostile input cheap.
MAX_VALUE_LENGTH = 2000

# RFC 3987 scheme, then anything except what SPARQL's IRIREF forbids (space, controls, <>"{}|^`\) and the C1
# controls, which are invisible and never legitimate in an identifier.
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\\x7f-\x9f]*")
_INTEGER = re.compile(r"[+-]?[0-9]+")  # ASCII only: Python's int() would also take "1_000" and Arabic digits
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
ENUM_MEMBER = re.compile(r"[A-Za-z0-9_.\-]+")


class ParamKind(StrEnum):
    IRI = "iri"
    STRING = "string"
    LANGSTRING = "langstring"
    INTEGER = "integer"
    ENUM = "enum"


_EXPECTED = {
    ParamKind.IRI: 'an absolute IRI without spaces or any of <>"{}|^`\\ (e.g. http://metadata.un.org/sdg/6)',
    ParamKind.STRING: "a text",
    ParamKind.LANGSTRING: "a text followed by @ and a language tag (e.g. 海绵城市@zh or water@en)",
    ParamKind.INTEGER: "an integer written in ASCII digits (e.g. 3)",
}


@dataclass(frozen=True)
class Param:
    """One `# param:` line of a query header. A parameter without a default is required."""

    name: str
    kind: ParamKind
    description: str
    default: str | None = None
    choices: tuple[str, ...] = ()  # the members of an enum, in header order

    @property
    def required(self) -> bool:
        return self.default is None

    @property
    def type_label(self) -> str:
        """The type as written in the header, e.g. `iri` or `enum(zh,en)`."""
        if self.kind is ParamKind.ENUM:
            return f"enum({','.join(self.choices)})"
        return self.kind.value

    @property
    def expected(self) -> str:
        if self.kind is ParamKind.ENUM:
            return "one of " + ", ".join(self.choices)
        return _EXPECTED[self.kind]

    def to_term(self, raw: str) -> ox.NamedNode | ox.Literal:
        """The RDF term for a raw text value, or InvalidParameter saying which parameter, what it expects."""
        if len(raw) > MAX_VALUE_LENGTH:
            self._refuse(raw, f"is {len(raw)} characters long (at most {MAX_VALUE_LENGTH})")
        if _SURROGATE.search(raw):
            self._refuse(raw, "contains an unpaired surrogate (not valid Unicode text)")
        if self.kind is ParamKind.IRI:
            return self._iri(raw)
        if self.kind is ParamKind.STRING:
            return ox.Literal(raw)
        if self.kind is ParamKind.LANGSTRING:
            return self._langstring(raw)
        if self.kind is ParamKind.INTEGER:
            if not _INTEGER.fullmatch(raw):
                self._refuse(raw, "is not an integer")
            return ox.Literal(int(raw))
        if raw not in self.choices:
            self._refuse(raw, "is not allowed")
        return ox.Literal(raw)

    def _iri(self, raw: str) -> ox.NamedNode:
        if not _ABSOLUTE_IRI.fullmatch(raw):
            self._refuse(raw, "is not an absolute IRI")
        try:
            return ox.NamedNode(raw)
        except ValueError as error:  # pyoxigraph checks the full RFC 3987 grammar beyond our character screen
            self._refuse(raw, f"is not a valid IRI ({error})")

    def _langstring(self, raw: str) -> ox.Literal:
        text, at, tag = raw.rpartition("@")
        if not at or not _LANGUAGE_TAG.fullmatch(tag):
            self._refuse(raw, "has no @language tag at its end")
        try:
            return ox.Literal(text, language=tag)
        except ValueError as error:
            self._refuse(raw, f"has an invalid language tag ({error})")

    def _refuse(self, raw: str, problem: str) -> NoReturn:
        shown = raw if len(raw) <= 60 else raw[:57] + "..."
        raise InvalidParameter(f"parameter '{self.name}' {problem}: got {shown!r}; expected {self.expected}")


def parse_type(text: str) -> tuple[ParamKind, tuple[str, ...]]:
    """`iri`, `string`, `langstring`, `integer` or `enum(a,b)` -> kind and enum members; else ValueError."""
    if text.startswith("enum(") and text.endswith(")"):
        members = tuple(member.strip() for member in text[5:-1].split(","))
        if not members or not all(ENUM_MEMBER.fullmatch(member) for member in members):
            raise ValueError(f"enum members are words of letters, digits, _ . - between commas: {text}")
        if len(set(members)) != len(members):
            raise ValueError(f"enum members repeat: {text}")
        return ParamKind.ENUM, members
    try:
        kind = ParamKind(text)
    except ValueError:
        raise ValueError(
            f"unknown parameter type {text!r} (expected iri, string, langstring, integer or enum(a,b,...))"
        ) from None
    if kind is ParamKind.ENUM:
        raise ValueError("enum needs its members: enum(a,b,...)")
    return kind, ()
