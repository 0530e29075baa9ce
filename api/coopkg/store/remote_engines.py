"""What differs between the SPARQL stores the remote backend talks to, and how the engine is recognised.

Every store is asked for line-oriented or streamable formats (docs/remote-backend.md); which one depends on
what the store writes correctly:

| engine   | SELECT      | whole SELECT | ASK         | CONSTRUCT | recognised by                      |
|----------|-------------|--------------|-------------|-----------|------------------------------------|
| oxigraph | TSV         | TSV          | JSON        | N-Triples | `Server: Oxigraph/...`             |
| virtuoso | JSON *      | XML **       | JSON *      | N-Triples | `Server: Virtuoso/...`             |
| generic  | JSON        | JSON         | JSON        | N-Triples | anything else (Fuseki, GraphDB...) |

(TSV, JSON, XML: the SPARQL results formats; CONSTRUCT stands for DESCRIBE too.)
A whole SELECT is one of the gateway's own reads (`RemoteStore.select_all`, `quads`: the catalogue and the
downloads, for instance), read to its end. (**) Virtuoso writes SPARQL XML 1.5-1.8 times faster than JSON
for big answers, and pyoxigraph parses it natively (remote_xml; docs/scaling.md).

(*) normalised by `remote_json`: Virtuoso's TSV quotes IRIs like CSV, its JSON has `typed-literal` and answers
ASK as a SELECT. An answer Virtuoso cut at its own `ResultSetMaxRows` (header `X-SPARQL-MaxRows`) is flagged
truncated like one cut at the gateway's row limit. Virtuoso is also sent the gateway's deadline as its
`timeout` parameter (its "anytime query" limit, so it stops computing by itself), and an answer cut at its own
time limit (header `X-SQL-State: S1TAT`) is a timeout, never a complete answer. Its system graphs (`virtrdf#`
and two more) would show in the default graph and in `GRAPH ?g`: the store hides them with graph-level
security (docs/remote-backend.md), because its `define input:*-graph-exclude` pragmas also empty explicit
`GRAPH <iri>` patterns (measured on 7.2.5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from coopkg.store.results import N_TRIPLES, RESULTS_JSON, RESULTS_XML, TSV

EngineName = Literal["oxigraph", "virtuoso", "generic"]
# Virtuoso's own graphs in a fresh database: its RDF-view metadata, and two the bundled apps put there.
VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
)
# Media types accepted for each transfer format: the standard one and the aliases stores really send.
ACCEPTED_AS = {
    TSV: frozenset({TSV}),
    RESULTS_JSON: frozenset({RESULTS_JSON, "application/json"}),
    RESULTS_XML: frozenset({RESULTS_XML, "application/xml"}),
    N_TRIPLES: frozenset({N_TRIPLES, "text/plain"}),
}


@dataclass(frozen=True)
class Engine:
    name: EngineName
    select_format: str
    timeout_parameter: bool = False  # the store takes a `timeout` form field in milliseconds
    whole_select_format: str | None = None  # for the gateway's own whole reads, when not `select_format`

    def transfer_format(self, kind: str, *, whole: bool = False) -> str:
        if kind == "select":
            return (self.whole_select_format if whole else None) or self.select_format
        return RESULTS_JSON if kind == "ask" else N_TRIPLES


ENGINES: dict[EngineName, Engine] = {
    "oxigraph": Engine("oxigraph", TSV),
    "virtuoso": Engine("virtuoso", RESULTS_JSON, timeout_parameter=True, whole_select_format=RESULTS_XML),
    "generic": Engine("generic", RESULTS_JSON),
}
_SERVER_PATTERNS: tuple[tuple[re.Pattern[str], EngineName], ...] = (
    (re.compile(r"\bvirtuoso/", re.IGNORECASE), "virtuoso"),
    (re.compile(r"\boxigraph\b", re.IGNORECASE), "oxigraph"),
)


def detect(server_header: str | None) -> Engine:
    """The engine a response's `Server` header names; `generic` (standard formats only) when unknown."""
    for pattern, name in _SERVER_PATTERNS:
        if server_header and pattern.search(server_header):
            return ENGINES[name]
    return ENGINES["generic"]


def is_partial_answer(headers: dict[str, str]) -> bool:
    """Virtuoso's "anytime" answers: cut at the store's own time limit, flagged only in a header."""
    return headers.get("x-sql-state", "").strip().upper() == "S1TAT"


def is_cut_by_store(headers: dict[str, str]) -> bool:
    """Virtuoso cuts answers at its `ResultSetMaxRows` without an error; it says so only in this header."""
    return "x-sparql-maxrows" in headers


# Virtuoso's error bodies: "Virtuoso 37000 Error SP030: SPARQL compiler, line 2: syntax error at '}'".
_VIRTUOSO_ERROR = re.compile(r"^Virtuoso (?P<state>[0-9A-Z]{5}) Error (?P<message>.*)$", re.MULTILINE)


@dataclass(frozen=True)
class StoreError:
    kind: Literal["query", "timeout"]
    message: str


def classify_error(body: str) -> StoreError | None:
    """A query error or a timeout in a store's error page (Virtuoso's SQL states); None if unrecognised."""
    match = _VIRTUOSO_ERROR.search(body)
    if match is None:
        start = body.lstrip()
        if (start.startswith("{") and '"bindings"' in body) or (
            start.startswith(("<?xml", "<sparql")) and "<results" in body
        ):
            # Virtuoso at MaxQueryExecutionTime, when the query asked for more time: the rows found so far,
            # as a results document with HTTP 500 and no X-SQL-State header (measured on 7.2.5).
            return StoreError("timeout", "it sent the rows found so far with HTTP 500")
        return None
    state, message = match["state"], match["message"].strip()
    if state.startswith("S1T") or "estimated execution time" in message:
        return StoreError("timeout", message)
    if state[:2] in ("22", "37", "42"):  # data exception, syntax error, syntax or access rule violation
        return StoreError("query", f"Virtuoso {state}: {message}")
    return None
