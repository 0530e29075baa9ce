"""What GET /sparql without a query answers: a SPARQL 1.1 Service Description (Turtle or JSON-LD, serialised
by pyoxigraph) or, for a browser, a small HTML query page with the named queries as examples."""

from __future__ import annotations

import html

import pyoxigraph as ox
from fastapi import Request, Response
from fastapi.responses import HTMLResponse

from coopkg.rdf.namespaces import RDF_TYPE as RDF_TYPE_IRI
from coopkg.rdf.namespaces import SD, W3C_FORMATS
from coopkg.sparql.inspection import ServiceAllowlist
from coopkg.store.base import Store
from coopkg.web.conneg import negotiate, prefers_html

FORMATS = W3C_FORMATS
RDF_TYPE = ox.NamedNode(RDF_TYPE_IRI)
SD_OFFERS = ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
_SD_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
    "N-Quads",
    "TriG",
)
_GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


async def describe_service(request: Request, store: Store, allowlist: ServiceAllowlist) -> Response:
    accept = request.headers.get("accept")
    if prefers_html(accept) and "format" not in request.query_params:
        return HTMLResponse(await _page(request), headers={"Content-Security-Policy": _CSP, "Vary": "Accept"})
    media_type = negotiate(accept, SD_OFFERS, request.query_params.get("format"))
    endpoint = ox.NamedNode(str(request.url.replace(query="", fragment="")))
    graphs = await store.select(_GRAPHS_QUERY)
    triples = [
        ox.Triple(endpoint, RDF_TYPE, _sd("Service")),
        ox.Triple(endpoint, _sd("endpoint"), endpoint),
        ox.Triple(endpoint, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(endpoint, _sd("feature"), _sd("UnionDefaultGraph")),
    ]
    if allowlist.prefixes:
        triples.append(ox.Triple(endpoint, _sd("feature"), _sd("BasicFederatedQuery")))
    triples += [
        ox.Triple(endpoint, _sd("resultFormat"), ox.NamedNode(FORMATS + name)) for name in _RESULT_FORMATS
    ]
    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("default")
    triples += [
        ox.Triple(endpoint, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, _sd("Graph")),
    ]
    # Some engines (Virtuoso) answer the graph listing with rows that leave ?g unbound: skip those.
    names = [row["g"] for row in graphs.rows if isinstance(row.get("g"), ox.NamedNode)]
    for index, name in enumerate(names):
        named = ox.BlankNode(f"graph{index}")
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), name),
        ]
    body = ox.serialize(triples, format=_SD_FORMATS[media_type], prefixes={"sd": SD, "format": FORMATS})
    content_type = media_type + ("; charset=utf-8" if media_type.startswith("text/") else "")
    return Response(body, media_type=content_type, headers={"Vary": "Accept"})


def _examples() -> list[tuple[str, str, str]]:
    """(name, title, text) of the named queries, when the registry is present and loads."""
    try:
        from coopkg.queries.registry import default_registry

        registry = default_registry()
    except Exception:  # the page works without examples; a broken query file is reported by its own tests
        return []
    return [(name, query.title, query.text) for name, query in registry.items()]


async def _page(request: Request) -> str:
    import anyio

    examples = await anyio.to_thread.run_sync(_examples)
    action = html.escape(request.url.path)
    items = "\n".join(
        f"<li><details><summary>{html.escape(title)} <code>{html.escape(name)}</code></summary>"
        f'<form method="get" action="{action}"><textarea name="query" rows="12" cols="100">'
        f'{html.escape(text)}</textarea><br><button type="submit">Run</button></form></details></li>'
        for name, title, text in examples
    )
    formats = "".join(
        f'<option value="{value}">{label}</option>'
        for value, label in (
            ("json", "SPARQL JSON"),
            ("xml", "SPARQL XML"),
            ("csv", "CSV"),
            ("tsv", "TSV"),
            ("ttl", "Turtle (CONSTRUCT/DESCRIBE)"),
            ("jsonld", "JSON-LD (CONSTRUCT/DESCRIBE)"),
            ("nt", "N-Triples (CONSTRUCT/DESCRIBE)"),
            ("rdfxml", "RDF/XML (CONSTRUCT/DESCRIBE)"),
        )
    )
    default_query = (
        "SELECT ?class (COUNT(?s) AS ?n)\nWHERE { ?s a ?class }\nGROUP BY ?class\nORDER BY DESC(?n)\nLIMIT 20"
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>coopkg SPARQL endpoint</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
textarea{{width:100%;font-family:monospace}}code{{font-size:.9em}}</style></head>
<body><h1>coopkg SPARQL endpoint</h1>
<p>SPARQL 1.1 queries over the cooperation-commitments graph (read-only). The default graph is the union of
all named graphs. Use GET <code>?query=</code>, or POST <code>application/sparql-query</code> or a form.</p>
<form method="get" action="{action}">
<label for="query">Query</label><br>
<textarea id="query" name="query" rows="14" cols="100">{html.escape(default_query)}</textarea><br>
<label for="format">Result format</label> <select id="format" name="format">{formats}</select>
<button type="submit">Run</button></form>
<h2>Examples: the named queries</h2>
<ul>{items or "<li>(none)</li>"}</ul>
<p>Machine-readable service description: <a href="{action}?format=ttl">Turtle</a>,
<a href="{action}?format=jsonld">JSON-LD</a>.</p>
</body></html>"""
