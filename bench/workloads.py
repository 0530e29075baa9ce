"""The query mix: which requests each server gets, written as wrk request lists (bench/mix.lua).

Every SPARQL server gets the same query texts (GET `?query=`), so their numbers compare like for like:
- `lookup`: everything about one commitment, by IRI (64 different commitments, round robin);
- `aggregate`: commitments per area x SDG goal over all commitments (target -> goal by skos:broader);
- `named:<name>`: each named query of queries/*.rq, its parameters bound with a trailing VALUES block;
The gateway also gets `named-api:<name>` (its own route for the named query) and `page-html` / `page-turtle`
(linked-data pages of the same 64 commitments).
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

COOP_COMMITMENT = "<https://w3id.org/coopkg/def#Commitment>"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
ID = "https://w3id.org/coopkg/id/"
SPARQL_JSON = "application/sparql-results+json"

LOOKUP = "SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"
AGGREGATE = """PREFIX coop: <https://w3id.org/coopkg/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sdgo: <http://metadata.un.org/sdg/ontology#>
SELECT ?area ?goal (COUNT(DISTINCT ?c) AS ?commitments) WHERE {
  ?c a coop:Commitment ; coop:area/rdfs:label ?area ; coop:hasAlignment/coop:alignedTo ?target .
  FILTER(lang(?area) = "en")
  ?target skos:broader ?goal . ?goal a sdgo:Goal .
} GROUP BY ?area ?goal ORDER BY ?area ?goal"""


@dataclass(frozen=True)
class Request:
    path: str  # path and query string
    accept: str


@dataclass(frozen=True)
class Workload:
    name: str
    requests: tuple[Request, ...]

    def write(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{r.path}\t{r.accept}\n" for r in self.requests), encoding="utf-8")
        return path


def sample_commitments(data: Path, count: int = 64) -> list[str]:
    """`count` commitment IRIs spread over the whole file (cached beside it: 10M lines take a while)."""
    cache = data.with_suffix(".commitments.json")
    if cache.exists() and cache.stat().st_mtime >= data.stat().st_mtime:
        return list(json.loads(cache.read_text()))
    found: list[str] = []
    with data.open(encoding="utf-8") as lines:
        for line in lines:
            if f"> {RDF_TYPE} {COOP_COMMITMENT} " in line:
                found.append(line[1 : line.index(">")])
    if not found:
        raise SystemExit(f"error: {data} holds no coop:Commitment; generate it with bench/generate.py")
    step = max(1, len(found) // count)
    chosen = found[::step][:count]
    cache.write_text(json.dumps(chosen))
    return chosen


def sparql_path(endpoint: str, query: str) -> str:
    return f"{endpoint}?{urllib.parse.urlencode({'query': query})}"


def sparql_workloads(endpoint: str, commitments: list[str], named: dict[str, list[str]]) -> list[Workload]:
    """The workloads every SPARQL server gets; `named` maps a query name to ready-to-run query texts."""
    lookups = tuple(Request(sparql_path(endpoint, LOOKUP.format(iri=c)), SPARQL_JSON) for c in commitments)
    workloads = [
        Workload("lookup", lookups),
        Workload("aggregate", (Request(sparql_path(endpoint, AGGREGATE), SPARQL_JSON),)),
    ]
    for name, texts in sorted(named.items()):
        requests = tuple(Request(sparql_path(endpoint, text), SPARQL_JSON) for text in texts)
        workloads.append(Workload(f"named:{name}", requests))
    return workloads


def page_workloads(commitments: list[str]) -> list[Workload]:
    """Linked-data pages of the same commitments on the gateway (`/id/...`), as HTML and as Turtle."""
    paths = [urllib.parse.urlsplit(c).path.removeprefix("/coopkg") for c in commitments]
    return [
        Workload("page-html", tuple(Request(p, "text/html") for p in paths)),
        Workload("page-turtle", tuple(Request(p, "text/turtle") for p in paths)),
    ]


def count_results(body: bytes, accept: str) -> int:
    """Rows (SELECT), 1/0 (ASK) or lines (triples) of a response, to check servers agree on the answers."""
    if accept == SPARQL_JSON:
        parsed = json.loads(body)
        if "boolean" in parsed:
            return int(bool(parsed["boolean"]))
        return len(parsed["results"]["bindings"])
    if accept in ("application/n-triples", "text/turtle", "text/html"):
        return len([line for line in body.decode("utf-8", "replace").splitlines() if line.strip()])
    return len(body)
