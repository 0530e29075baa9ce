"""Parameter types: raw text to RDF terms, and refusals that name the parameter and what it expects."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from coopkg.errors import InvalidParameter
from coopkg.queries.params import MAX_VALUE_LENGTH, Param, ParamKind, parse_type

IRI = Param("sdg", ParamKind.IRI, "An SDG goal")
STRING = Param("text", ParamKind.STRING, "Text")
LANGSTRING = Param("label", ParamKind.LANGSTRING, "A label")
INTEGER = Param("number", ParamKind.INTEGER, "A number")
ENUM = Param("lang", ParamKind.ENUM, "A language", default="en", choices=("zh", "en"))


def test_iri_becomes_named_node() -> None:
    assert IRI.to_term("http://metadata.un.org/sdg/6.3") == ox.NamedNode("http://metadata.un.org/sdg/6.3")
    assert IRI.to_term("urn:isbn:0451450523") == ox.NamedNode("urn:isbn:0451450523")


@pytest.mark.parametrize(
    "value",
    [
        "http://example.org/a b",  # space
        "http://example.org/a>",
        "http://example.org/<a",
        'http://example.org/a"b',
        "http://example.org/{a}",
        "http://example.org/a|b",
        "http://example.org/a^b",
        "http://example.org/a`b",
        "http://example.org/a\\b",
        "http://example.org/a\nb",
        "http://example.org/a\x00b",
        "http://example.org/a\x85b",  # C1 control
        "http://example.org/a\tb",
        "relative/path",
        "/absolute/path/without/scheme",
        "",
        "6",
        "http://example.org/> . } ; DROP ALL ; #",
        "http://[::1",  # not an IRI by RFC 3987 (caught by pyoxigraph's own parser)
    ],
)
def test_iri_refuses_what_could_break_or_is_not_an_absolute_iri(value: str) -> None:
    with pytest.raises(InvalidParameter) as caught:
        IRI.to_term(value)
    assert "parameter 'sdg'" in caught.value.detail
    assert "absolute IRI" in caught.value.detail
    assert caught.value.status == 422


@pytest.mark.parametrize("value", ["", "海绵城市", 'a"b', "}\n#", "x" * MAX_VALUE_LENGTH])
def test_string_keeps_the_value_exactly(value: str) -> None:
    term = STRING.to_term(value)
    assert isinstance(term, ox.Literal)
    assert term.value == value
    assert term.datatype == ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")


def test_values_longer_than_the_cap_are_refused() -> None:
    with pytest.raises(InvalidParameter, match=f"at most {MAX_VALUE_LENGTH}"):
        STRING.to_term("x" * (MAX_VALUE_LENGTH + 1))


def test_unpaired_surrogates_are_refused() -> None:
    with pytest.raises(InvalidParameter, match="surrogate"):
        STRING.to_term("a\ud800b")


def test_langstring_splits_at_the_last_at_sign() -> None:
    term = LANGSTRING.to_term("mail@example.org@en")
    assert term == ox.Literal("mail@example.org", language="en")
    assert LANGSTRING.to_term("海绵城市@zh") == ox.Literal("海绵城市", language="zh")


@pytest.mark.parametrize("value", ["no tag", "trailing@", "bad@e n", "bad@toolongsubtag1", "x@-en"])
def test_langstring_needs_a_language_tag(value: str) -> None:
    with pytest.raises(InvalidParameter, match="parameter 'label'"):
        LANGSTRING.to_term(value)


@pytest.mark.parametrize(("value", "expected"), [("4", 4), ("-12", -12), ("+7", 7), ("007", 7)])
def test_integer_becomes_xsd_integer(value: str, expected: int) -> None:
    assert INTEGER.to_term(value) == ox.Literal(expected)


@pytest.mark.parametrize("value", ["", "4.0", "1_000", "١٢", "0x10", " 4", "4 ", "four", "1e3"])
def test_integer_accepts_ascii_digits_only(value: str) -> None:
    with pytest.raises(InvalidParameter, match="parameter 'number' is not an integer"):
        INTEGER.to_term(value)


def test_enum_accepts_its_members_only() -> None:
    assert ENUM.to_term("zh") == ox.Literal("zh")
    with pytest.raises(InvalidParameter, match="expected one of zh, en"):
        ENUM.to_term("fr")
    with pytest.raises(InvalidParameter):
        ENUM.to_term("ZH")


def test_param_properties() -> None:
    assert ENUM.type_label == "enum(zh,en)"
    assert not ENUM.required
    assert IRI.required
    assert IRI.type_label == "iri"


@pytest.mark.parametrize(
    ("text", "kind", "choices"),
    [
        ("iri", ParamKind.IRI, ()),
        ("string", ParamKind.STRING, ()),
        ("langstring", ParamKind.LANGSTRING, ()),
        ("integer", ParamKind.INTEGER, ()),
        ("enum(any, zh,en)", ParamKind.ENUM, ("any", "zh", "en")),
    ],
)
def test_parse_type(text: str, kind: ParamKind, choices: tuple[str, ...]) -> None:
    assert parse_type(text) == (kind, choices)


@pytest.mark.parametrize("text", ["uri", "enum", "enum()", "enum(a,a)", "enum(a b)", "Integer"])
def test_parse_type_refuses_unknown_types(text: str) -> None:
    with pytest.raises(ValueError, match=r"enum|unknown parameter type"):
        parse_type(text)
