"""The HTML pages: each function gathers its view model and renders its template. Routers stay thin."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

from coopkg.errors import CoopkgError, InvalidParameter, NotFound
from coopkg.linkeddata import describe as describing
from coopkg.linkeddata import programme_pages
from coopkg.linkeddata.catalogue import Catalogue, Links, small_number
from coopkg.linkeddata.describe import Description
from coopkg.linkeddata.downloads import DUMPS
from coopkg.linkeddata.i18n import Lang
from coopkg.linkeddata.site import PageAddress, Site, base_context
from coopkg.linkeddata.svg import SDG_COLOURS, diagram, heatmap
from coopkg.linkeddata.views import (
    Labeller,
    kind_of,
    programme_view,
    programmes_with_commitments,
    property_rows,
    related_commitments,
    source_span,
    titles,
)
from coopkg.queries import NamedQuery, QueryRegistry, bind, inline_values
from coopkg.rdf.namespaces import DEF, ID, ONTOLOGY, PREFIXES, RDF_TYPE, SDG, compact, local_href
from coopkg.store.base import SelectResult, Store

# Runs the editor's SPARQL text the way /sparql does: its QueryKind (select, ask, graph) and a table
# (SELECT; CONSTRUCT and DESCRIBE as subject/predicate/object rows) or a boolean (ASK).
TextRunner = Callable[[str], Awaitable[tuple[str, SelectResult | bool]]]
_EXAMPLE_VALUE = re.compile(r"e\.g\. (\S+)")

_KIND_WORD = {"section": "section", "area": "area", "framework": "framework", "agency": "agency"}


async def home(site: Site, store: Store, address: PageAddress, lang: Lang) -> str:
    """The home page of a graph that describes one programme (or none): that programme in full."""
    described = (await site.directory_catalogue(store)).links.described
    catalogue = await site.catalogue_of(store, described)
    programmes = [
        {
            "view": programme_view(catalogue, iri, lang),
            "heatmap": heatmap(catalogue, iri, lang),
            "diagram": diagram(catalogue, iri, lang),
        }
        for iri in programmes_with_commitments(catalogue)
    ]
    return site.render("home.html", base_context(address, lang) | {"programmes": programmes})


async def resource(site: Site, store: Store, address: PageAddress, lang: Lang, iri: str) -> str:
    """The page of any IRI under /id/: a commitment, programme, section, area, framework, agency, source
    document, or (for everything else) a table of its properties."""
    description = await describing.describe(store, iri)
    kind = kind_of(description)
    links = (await site.directory_catalogue(store)).links
    catalogue = await site.catalogue_of(store, await _programmes_shown(site, store, description, links, kind))
    labeller = Labeller(catalogue, lang)
    context = base_context(address, lang, alternates_for=local_href(iri))
    if kind == "commitment" and (commitment := catalogue.commitment(iri)) is not None:
        programme = catalogue.programmes.get(commitment.programme)
        text = await site.source_text(programme.file if programme else None)
        span = source_span(description, text, labeller)
        source_href = None
        if span is not None and span.document.href:
            base = span.document.href.split("?", 1)[0]
            source_href = f"{base}?lang={lang}&start={span.start}&end={span.end}&of={local_href(iri)}#span"
        return site.render(
            "commitment.html",
            context | {"c": labeller.commitment(commitment), "span": span, "source_href": source_href},
        )
    if kind == "programme" and iri in links.described:
        page = {"view": programme_view(catalogue, iri, lang), "heatmap": heatmap(catalogue, iri, lang)}
        page["diagram"] = diagram(catalogue, iri, lang)
        return site.render("home.html", context | {"programmes": [page]})
    if kind == "source":
        return await source(site, store, address, lang, iri, description_context=context)
    if kind == "party":
        return await programme_pages.party(site, store, context, lang, description)
    if kind == "standing-mechanism":
        return await programme_pages.standing_mechanism(site, store, context, lang, description)
    commitments = related_commitments(catalogue, kind, iri)
    return site.render(
        "list.html",
        context
        | _headings(catalogue, iri, lang)
        | {
            "iri": iri,
            "kind_label": context["t"].get(_KIND_WORD.get(kind, ""), ""),
            "rows": property_rows(description, labeller),
            "show_commitments": kind in _KIND_WORD,
            "commitments": [labeller.commitment(c) for c in commitments],
        },
    )


async def _programmes_shown(
    site: Site, store: Store, description: Description, links: Links, kind: str
) -> frozenset[str]:
    """The programmes whose commitments the page of `description` shows: a commitment's own, the programme
    itself, those of a section, area, framework or agency; none for the rest (party and standing mechanism
    pages choose theirs in coopkg.linkeddata.programme_pages)."""
    if kind == "commitment":
        return frozenset(description.linked(description.iri, DEF + "programme"))
    if kind == "programme":
        return frozenset({description.iri}) & links.described
    return await related_programmes(site, store, kind, description.iri)


async def related_programmes(site: Site, store: Store, kind: str, iri: str) -> frozenset[str]:
    """The programmes whose commitments `related_commitments` looks at (those it may list)."""
    if kind == "framework":
        return await site.programmes_under(store, iri)
    if kind in ("section", "area", "agency", "goal"):
        return await site.programmes_linked(store, kind, iri)
    return frozenset()


def _headings(catalogue: Catalogue, iri: str, lang: Lang) -> dict[str, Any]:
    other: Lang = "zh" if lang == "en" else "en"
    heading = catalogue.label(iri, lang)
    heading_lang = lang if catalogue.has_label(iri, lang) else other
    other_heading = catalogue.label(iri, other) if catalogue.has_label(iri, other) else None
    if other_heading == heading:
        other_heading = None
    return {"heading": heading, "heading_lang": heading_lang, "other_heading": other_heading}


async def goal(site: Site, store: Store, address: PageAddress, lang: Lang, number: int) -> str:
    if not 1 <= number <= 17:
        raise NotFound(f"{address.path}: SDG goals are numbered 1 to 17, e.g. /sdg/6")
    iri = f"{SDG}{number}"
    catalogue = await site.catalogue_of(store, await related_programmes(site, store, "goal", iri))
    labeller = Labeller(catalogue, lang)
    commitments = related_commitments(catalogue, "goal", iri)
    by_target: dict[str, list[str]] = defaultdict(list)
    for commitment in commitments:
        for alignment in commitment.alignments:
            if alignment.goal == number:
                by_target[alignment.target].append(commitment.iri)
    targets = [
        (target[len(SDG) :], labeller.link(target), items)
        for target, items in sorted(by_target.items(), key=_target_key)
    ]
    context = base_context(address, lang)
    return site.render(
        "list.html",
        context
        | _headings(catalogue, iri, lang)
        | {
            "iri": iri,
            "kind_label": context["t"]["goal"],
            "badge": {"goal": number, "text": str(number), "colour": SDG_COLOURS[number]},
            "targets": targets,
            "show_commitments": True,
            "commitments": [labeller.commitment(c) for c in commitments],
        },
    )


def _target_key(item: tuple[str, list[str]]) -> tuple[int, ...]:
    code = item[0][len(SDG) :] if item[0].startswith(SDG) else ""
    parts = code.split(".")
    return tuple(n if (n := small_number(p)) is not None else 100 + ord(p[0]) if p else 0 for p in parts)


async def mechanisms(site: Site, store: Store, address: PageAddress, lang: Lang) -> str:
    links = (await site.directory_catalogue(store)).links
    catalogue = await site.catalogue_of(store, links.linked("mechanism"))
    labeller = Labeller(catalogue, lang)
    context = base_context(address, lang)
    items = [labeller.commitment(c) for c in catalogue.commitments if c.mechanism]
    heading = context["t"]["mechanisms"]
    return site.render(
        "list.html",
        context
        | {
            "heading": heading,
            "heading_lang": lang,
            "show_commitments": True,
            "commitments": items,
        },
    )


async def source(
    site: Site,
    store: Store,
    address: PageAddress,
    lang: Lang,
    iri: str,
    *,
    description_context: dict[str, Any] | None = None,
) -> str:
    """The source text of a programme, with `?start=&end=` (code point offsets) highlighted."""
    catalogue = await site.directory_catalogue(store)
    programme = next((p for p in catalogue.programmes.values() if p.document == iri), None)
    text = await site.source_text(programme.file if programme else None)
    if text is None:
        raise NotFound(f"the text of <{iri}> is not available on this server")
    context = description_context or base_context(address, lang, alternates_for=local_href(iri))
    start, end = _offsets(address, len(text))
    highlight = None
    before, after = text, ""
    if start is not None and end is not None:
        highlight = {"start": start, "end": end, "text": text[start:end]}
        before, after = text[:start], text[end:]
    of = address.query.get("of", "")
    highlight_of = None
    if of.startswith("/id/"):
        highlight_of = Labeller(catalogue, lang).link(ID + of[len("/id/") :])
    return site.render(
        "source.html",
        context
        | {
            "iri": iri,
            "titles": titles(catalogue, iri, programme.language if programme else None),
            "source_lang": programme.language if programme else None,  # unknown: no lang claimed
            "raw_href": f"{local_href(iri)}.txt",
            "before": before,
            "after": after,
            "highlight": highlight,
            "highlight_of": highlight_of,
        },
    )


def _offsets(address: PageAddress, length: int) -> tuple[int | None, int | None]:
    raw_start, raw_end = address.query.get("start"), address.query.get("end")
    if raw_start is None and raw_end is None:
        return None, None
    start, end = small_number(raw_start or ""), small_number(raw_end or "")
    if start is None or end is None:
        raise InvalidParameter(
            f"start and end are code point offsets (digits), got start={raw_start!r} end={raw_end!r}"
        )
    if not 0 <= start <= end <= length:
        raise InvalidParameter(
            f"need 0 <= start <= end <= {length} (the text's length), got {start} and {end}"
        )
    return start, end


async def ontology(site: Site, store: Store, address: PageAddress, lang: Lang) -> str:
    description = await describing.ontology(store)
    catalogue = await site.directory_catalogue(store)
    labeller = Labeller(catalogue, lang)
    words = base_context(address, lang)["t"]
    by_subject: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for triple in description.triples:
        if hasattr(triple.subject, "value") and triple.subject.value.startswith(DEF):
            by_subject[triple.subject.value][triple.predicate.value].append(triple.object)
    rdfs, skos = PREFIXES["rdfs"], PREFIXES["skos"]
    groups: dict[str, list[dict[str, Any]]] = {"classes": [], "properties": [], "concepts": []}
    used_namespaces: set[str] = set()
    for subject in sorted(by_subject):
        props = by_subject[subject]
        types = {o.value for o in props.get(RDF_TYPE, [])}
        labels = {o.language: o.value for o in props.get(rdfs + "label", []) if getattr(o, "language", None)}
        definitions = props.get(skos + "definition", []) or props.get(rdfs + "comment", [])
        facts = []
        for key, predicate in (
            ("subclass_of", rdfs + "subClassOf"),
            ("subproperty_of", rdfs + "subPropertyOf"),
            ("domain", rdfs + "domain"),
            ("range", rdfs + "range"),
        ):
            values = [o.value for o in props.get(predicate, []) if hasattr(o, "value") and "://" in o.value]
            used_namespaces.update(v for v in values if not v.startswith(DEF))
            if values:
                facts.append((words[key], [labeller.link(v) for v in values]))
        definition = None
        if definitions:
            chosen = next((d for d in definitions if d.language == lang), definitions[0])
            definition = (chosen.value, chosen.language)
        entry = {
            "local": subject[len(DEF) :],
            "zh": labels.get("zh", ""),
            "en": labels.get("en", ""),
            "definition": definition,
            "facts": facts,
        }
        owl = PREFIXES["owl"]
        if owl + "Class" in types:
            groups["classes"].append(entry)
        elif types & {owl + "ObjectProperty", owl + "DatatypeProperty", owl + "AnnotationProperty"}:
            groups["properties"].append(entry)
        else:
            groups["concepts"].append(entry)
    titles = {
        t.object.language: t.object.value
        for t in description.about(ONTOLOGY)
        if t.predicate.value in (PREFIXES["dct"] + "title", rdfs + "label")
        and isinstance(t.object, ox.Literal)
    }
    title = titles.get(lang) or titles.get("en") or next(iter(titles.values()), "coopkg ontology")
    reused = [
        (prefix, namespace)
        for prefix, namespace in PREFIXES.items()
        if any(value.startswith(namespace) for value in used_namespaces) and prefix not in ("coop", "id")
    ]
    return site.render(
        "ontology.html",
        base_context(address, lang, alternates_for="/def")
        | {
            "iri": ONTOLOGY,
            "title": title,
            "comment": None,
            "groups": [
                ("classes", words["classes"], groups["classes"]),
                ("properties", words["properties_onto"], groups["properties"]),
                ("concepts", words["concepts"], groups["concepts"]),
            ],
            "reused": reused,
        },
    )


# ---- the query page ---------------------------------------------------------------------------------------


# Every results format /sparql answers in, by query form: (link text, `format=` name).
RESULT_DOWNLOADS = (("SPARQL JSON", "json"), ("SPARQL XML", "xml"), ("CSV", "csv"), ("TSV", "tsv"))
GRAPH_DOWNLOADS = (
    ("Turtle", "ttl"),
    ("N-Triples", "nt"),
    ("JSON-LD", "jsonld"),
    ("RDF/XML", "rdfxml"),
    ("N-Quads", "nq"),
    ("TriG", "trig"),
)
_NUMERIC = {
    f"{PREFIXES['xsd']}{name}"
    for name in ("integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger")
}


def result_cells(result: SelectResult, labeller: Labeller) -> list[list[dict[str, str | None]]]:
    """Table cells: IRIs as links (ours to this host) labelled in the page's language, with the compact IRI
    as a title; literals with their language; numbers marked so a sorted column sorts them as numbers."""
    rows = []
    for row in result.rows:
        cells: list[dict[str, str | None]] = []
        for name in result.variables:
            term = row.get(name)
            cell: dict[str, str | None] = dict.fromkeys(("href", "lang", "title", "number")) | {"text": ""}
            if isinstance(term, ox.NamedNode):
                link = labeller.link(term.value)
                cell |= {"text": link.label, "href": link.href, "lang": link.lang}  # href: safe_href-checked
                cell["title"] = compact(term.value) if link.label != compact(term.value) else None
            elif isinstance(term, ox.Literal):
                cell |= {"text": term.value, "lang": term.language}
                if term.datatype.value in _NUMERIC:
                    cell["number"] = term.value
            elif term is not None:
                cell["text"] = str(term)
            cells.append(cell)
        rows.append(cells)
    return rows


def example_text(query: NamedQuery) -> str:
    """The named query's text with its parameters bound to their defaults or the example its description
    gives (`e.g. <value>`), as the editor's menu of examples loads it; unbound if no example is known."""
    values: dict[str, str] = {}
    for param in query.params:
        value = param.default
        if value is None and (found := _EXAMPLE_VALUE.search(param.description)):
            value = found.group(1).rstrip(",.;)")
        if value is None:
            return query.text
        values[param.name] = value
    try:
        return inline_values(query.text, bind(query, values))
    except CoopkgError:  # an example in a description that does not fit its type: show the text unbound
        return query.text


def _downloads(text: str, kind: str) -> list[tuple[str, str]]:
    names = GRAPH_DOWNLOADS if kind == "graph" else RESULT_DOWNLOADS  # QueryKind: CONSTRUCT, DESCRIBE
    return [(label, "/sparql?" + urlencode({"query": text, "format": name})) for label, name in names]


async def query_page(
    site: Site,
    store: Store,
    address: PageAddress,
    lang: Lang,
    registry: QueryRegistry,
    run_text: TextRunner,
    *,
    style_nonce: str = "",
) -> tuple[str, int]:
    """The query page: the editor, the named queries as runnable examples, and a result table.

    `?name=<query>&p.<param>=<value>` runs a named query (values bound as RDF terms); `?query=<SPARQL>` runs
    the editor's text through `run_text` (the gateway's /sparql path, with its checks and limits).
    """
    params = address.query
    context = base_context(address, lang)
    query_text = ""
    example = params.get("example")
    if example is not None and example in registry:
        query_text = registry[example].text
    result_view: dict[str, Any] | None = None
    error = None
    status = 200
    try:
        if params.get("name"):
            named = registry.get_query(params["name"])
            values = {key[2:]: value for key, value in params.items() if key.startswith("p.")}
            query_text = named.text
            result = await store.select(inline_values(named.text, bind(named, values)))
            result_view = {
                "title": named.title,
                "variables": result.variables,
                "rows": result_cells(result, Labeller(await site.directory_catalogue(store), lang)),
                "truncated": result.truncated,
                "boolean": None,
                "downloads": _downloads(inline_values(named.text, bind(named, values)), "select"),
            }
        elif params.get("query"):
            query_text = params["query"]
            kind, outcome = await run_text(query_text)
            downloads = _downloads(query_text, kind)
            if isinstance(outcome, bool):
                result_view = {
                    "title": None,
                    "variables": [],
                    "rows": [],
                    "truncated": False,
                    "boolean": outcome,
                }
            else:
                result_view = {
                    "title": None,
                    "variables": outcome.variables,
                    "rows": result_cells(outcome, Labeller(await site.directory_catalogue(store), lang)),
                    "truncated": outcome.truncated,
                    "boolean": None,
                }
            result_view["downloads"] = downloads
    except CoopkgError as problem:
        error, status = problem.detail, problem.status
    named_list = [registry[name] for name in registry]
    # What the editor script (frontend/src) reads from the page: the menu of examples, in page order.
    editor_data = {
        "examples": [
            {"name": q.name, "title": q.title, "params": [p.name for p in q.params], "text": example_text(q)}
            for q in named_list
        ],
        "lang": lang,
    }
    page = site.render(
        "query.html",
        context
        | {
            "query_text": query_text,
            "result": result_view,
            "error": error,
            "named": named_list,
            "editor_data": editor_data,
            "style_nonce": style_nonce,
        },
    )
    return page, status


async def downloads_page(site: Site, address: PageAddress, lang: Lang) -> str:
    files = [
        {
            "name": dump.name,
            "href": f"/downloads/{dump.name}",
            "media_type": dump.media_type,
            "note": dump.note_zh if lang == "zh" else dump.note_en,
        }
        for dump in DUMPS
    ]
    return site.render("downloads.html", base_context(address, lang) | {"files": files})
