"""The gateway's own whole reads from Virtuoso come as SPARQL XML (coopkg.store.remote_xml): asked only for
them, read exactly (white space at a literal's edges included, which pyoxigraph 0.5 would trim), blank
nodes relabelled, solutions counted across chunks, malformed bodies refused. Answers recorded from a real
Virtuoso 7.2.5 (tests/remote/recorded/virtuoso/*-xml.http, from the queries quoted below).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pyoxigraph as ox
import pytest
from scripted_store import Answer, Script, ScriptedStore, SeenRequest
from test_remote_engines import recorded

from coopkg.errors import BadGateway
from coopkg.store.remote import RemoteStore
from coopkg.store.remote_xml import XmlResultsBody

pytestmark = [pytest.mark.anyio]

Scripted = Callable[[Script], ScriptedStore]
XSD = "http://www.w3.org/2001/XMLSchema#"
XML = "application/sparql-results+xml"
# select-terms-xml.http answers:
# SELECT ?s ?o ?d ?t ?dt ?i ?edges ?space ?none WHERE { BIND(<https://w3id.org/coopkg/def#source> AS ?s)
#   BIND("原文出处"@zh AS ?o) BIND(1.5 AS ?d) BIND("a\tb\"c\nd\u2028é中😀\\x\r<&>" AS ?t)
#   BIND("2020-01-01"^^xsd:date AS ?dt) BIND(42 AS ?i) BIND("  lead and trail \n"@en AS ?edges)
#   BIND(" " AS ?space) }
TERMS = {
    "s": ox.NamedNode("https://w3id.org/coopkg/def#source"),
    "o": ox.Literal("原文出处", language="zh"),
    "d": ox.Literal("1.5", datatype=ox.NamedNode(f"{XSD}decimal")),
    "t": ox.Literal('a\tb"c\nd\u2028é中😀\\x\r<&>'),
    "dt": ox.Literal("2020-01-01", datatype=ox.NamedNode(f"{XSD}date")),
    "i": ox.Literal("42", datatype=ox.NamedNode(f"{XSD}integer")),
    "edges": ox.Literal("  lead and trail \n", language="en"),
    "space": ox.Literal(" "),
}


def by_format(seen: list[str]) -> Script:
    """Virtuoso as recorded: XML when asked for XML, else JSON (the ASK that recognises the engine too)."""

    def answer(request: SeenRequest) -> Answer:
        accept = request.headers.get("accept", "")
        seen.append(accept)
        status, headers, body = recorded("select-terms-xml" if accept == XML else "select-terms")
        return Answer(status, headers, body)

    return answer


def store_on(server: ScriptedStore) -> RemoteStore:
    return RemoteStore(server.url, timeout=5.0, max_rows=100, version_interval=math.inf)


async def test_whole_reads_ask_virtuoso_for_xml_and_read_every_term_exactly(scripted: Scripted) -> None:
    seen: list[str] = []
    store = store_on(scripted(by_format(seen)))
    [row] = await store.select_all("SELECT * WHERE { ?s ?p ?o }")
    assert row == TERMS  # ?none is unbound: no key
    assert seen[-1] == XML
    await store.select("SELECT * WHERE { ?s ?p ?o }")  # a client's query keeps the JSON path
    assert seen[-1] == "application/sparql-results+json"
    await store.aclose()


async def test_virtuoso_blank_nodes_in_xml_get_valid_labels_stable_in_the_answer(scripted: Scripted) -> None:
    # SELECT ?b ?c WHERE { ?s ?p ?b FILTER(isBlank(?b)) BIND(?b AS ?c) } LIMIT 2
    status, headers, body = recorded("select-bnodes-xml")
    store = store_on(scripted(lambda _: Answer(status, headers, body)))
    first, second = await store.select_all("SELECT ?b ?c WHERE { ?s ?p ?b }")
    assert isinstance(first["b"], ox.BlankNode)
    assert first["b"] == first["c"]
    assert second["b"] == second["c"]
    assert first["b"] != second["b"]
    await store.aclose()


async def test_a_malformed_xml_answer_is_a_bad_gateway(scripted: Scripted) -> None:
    status, headers, _ = recorded("select-terms-xml")
    headers = [(name, value) for name, value in headers if name.lower() != "content-length"]
    body = b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="s"/></head><results'
    store = store_on(scripted(lambda _: Answer(status, headers, body)))
    with pytest.raises(BadGateway, match="malformed XML results"):
        await store.select_all("SELECT ?s WHERE { ?s ?p ?o }")
    await store.aclose()


def _solutions_body(count: int) -> bytes:
    results = b"".join(
        b'<result><binding name="n"><literal> %d </literal></binding></result>\n' % n for n in range(count)
    )
    return (
        b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="n"/></head>'
        b"<results>" + results + b"</results></sparql>"
    )


@pytest.mark.parametrize("chunk", [1, 3, 7, 8, 9, 64, 10_000])
def test_solutions_are_counted_across_chunk_boundaries(chunk: int) -> None:
    body = _solutions_body(5)
    reader = XmlResultsBody(limit=5)
    assert not any(reader.feed(body[i : i + chunk]) for i in range(0, len(body), chunk))
    assert (reader.solutions, reader.truncated) == (5, False)
    parsed = ox.parse_query_results(reader.document(), format=ox.QueryResultsFormat.XML)
    assert [s["n"].value for s in parsed] == [f" {n} " for n in range(5)]  # type: ignore[union-attr]
    cut = XmlResultsBody(limit=4)
    assert any(cut.feed(body[i : i + chunk]) for i in range(0, len(body), chunk))
    assert cut.truncated


def test_edge_space_survives_and_nothing_outside_literals_changes() -> None:
    body = (
        b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="a"/>'
        b'<variable name="b"/><variable name="c"/></head><results><result>\n'
        b'<binding name="a"><literal xml:lang="zh">\t\r\n \xe5\x90\x88\xe4\xbd\x9c \r\n</literal></binding>\n'
        b'<binding name="b"><literal/>\n</binding>\n'
        b'<binding name="c"><literal datatype="http://www.w3.org/2001/XMLSchema#string">\n</literal></binding>\n'
        b"</result></results></sparql>"
    )
    reader = XmlResultsBody(limit=10)
    reader.feed(body)
    [solution] = ox.parse_query_results(reader.document(), format=ox.QueryResultsFormat.XML)  # type: ignore[misc]
    assert solution["a"] == ox.Literal("\t\r\n 合作 \r\n", language="zh")
    assert solution["b"] == ox.Literal("")
    assert solution["c"] == ox.Literal("\n")


def test_virtuosos_partial_answer_with_http_500_is_recognised_in_xml_too() -> None:
    """At MaxQueryExecutionTime Virtuoso sends the rows found so far with HTTP 500 (recorded in JSON as
    partial-timeout.http); a whole read asks for XML, so the same answer in XML must read as a timeout."""
    from coopkg.store.remote_engines import classify_error

    status, _, body = recorded("select-bnodes-xml")
    found = classify_error(body.decode("utf-8"))
    assert status == 200
    assert found is not None
    assert found.kind == "timeout"
    assert classify_error("<html><body>Internal error</body></html>") is None
