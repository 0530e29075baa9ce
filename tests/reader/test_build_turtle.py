"""The canonical Turtle writer: round-trips, is independent of input order and blank-node labels."""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest

from coopkg.errors import UnusableInput
from coopkg.reader.turtle import serialise

EX = "http://example.org/"


def n(name: str) -> ox.NamedNode:
    return ox.NamedNode(EX + name)


def parse(data: bytes) -> set[ox.Triple]:
    return {quad.triple for quad in ox.parse(data, format=ox.RdfFormat.TURTLE)}


TRIPLES = [
    ox.Triple(n("s"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), n("C")),
    ox.Triple(n("s"), n("p"), ox.Literal('引号"与\n换行\\', language="zh")),
    ox.Triple(
        n("s"), n("p"), ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    ),
    ox.Triple(
        n("s"), n("p"), ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    ),
    ox.Triple(
        n("s"), n("p"), ox.Literal("2023", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))
    ),
    ox.Triple(n("s"), n("p"), ox.Literal("tab\tbell\x07")),
    ox.Triple(n("a/b#c"), n("q"), ox.NamedNode("http://metadata.un.org/sdg/6.3")),
]


def test_round_trip_and_order_independence() -> None:
    first = serialise(TRIPLES)
    shuffled = TRIPLES[:]
    random.Random(7).shuffle(shuffled)
    assert serialise(shuffled) == first
    assert parse(first) == set(TRIPLES)
    text = first.decode("utf-8")
    assert "引号" in text  # UTF-8, not \\u escapes
    assert "sdg:6.3" in text
    assert text.count("@prefix") == len(set(text.split("@prefix")[1:]))


def test_tree_shaped_blank_nodes_are_written_inline_regardless_of_labels() -> None:
    def graph() -> list[ox.Triple]:
        node = ox.BlankNode()
        return [ox.Triple(n("s"), n("p"), node), ox.Triple(node, n("q"), ox.Literal("x"))]

    first, second = graph(), graph()
    assert serialise(first) == serialise(second)
    assert b"[" in serialise(first)
    assert len(parse(serialise(first))) == 2


def test_shared_blank_node_is_refused() -> None:
    node = ox.BlankNode()
    triples = [
        ox.Triple(n("s"), n("p"), node),
        ox.Triple(n("t"), n("p"), node),
        ox.Triple(node, n("q"), n("o")),
    ]
    with pytest.raises(UnusableInput, match="give that resource an IRI"):
        serialise(triples)


def test_blank_node_cycle_is_refused() -> None:
    a, b = ox.BlankNode(), ox.BlankNode()
    with pytest.raises(UnusableInput, match="cycle"):
        serialise([ox.Triple(a, n("p"), b), ox.Triple(b, n("p"), a)])
