"""The query editor's completion vocabulary: our prefixes, the ontology's terms and the SDG goals and targets,
each with its compact name (`coop:Commitment`, `sdg:6.3`) and labels, as one JSON document per data version.

The editor (frontend/src) fetches it from /api/vocabulary once per page load, so completion always offers the
terms of the data being served, not a list frozen at build time.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pyoxigraph as ox

from coopkg.linkeddata.sparql_files import query_text
from coopkg.rdf.namespaces import PREFIXES, compact
from coopkg.store.base import Store

_OWL = PREFIXES["owl"]
_KINDS = {
    _OWL + "Class": "class",
    _OWL + "ObjectProperty": "property",
    _OWL + "DatatypeProperty": "property",
    PREFIXES["skos"] + "Concept": "concept",
    PREFIXES["sdgo"] + "Goal": "goal",
    PREFIXES["sdgo"] + "Target": "target",
}
# A class that is also a skos:Concept (or a goal typed twice) is listed once, under its most specific kind.
_DIGITS = re.compile(r"(\d+)")
_RANK = {"class": 0, "property": 0, "goal": 0, "target": 0, "concept": 1}


def _value(term: object) -> str | None:
    return term.value if isinstance(term, ox.Literal | ox.NamedNode) else None


async def vocabulary(store: Store) -> dict[str, Any]:
    """`{"prefixes": {prefix: namespace}, "terms": [...]}`, a term being `{"name", "iri", "kind", "label":
    {"en", "zh"}, "definition"}`.

    Terms are sorted by kind then name; only terms with a compact name (a known prefix) are listed, since a
    completion inserts that name.
    """
    result = await store.select(query_text("vocabulary"))
    terms: dict[str, dict[str, Any]] = {}
    for row in result.rows:
        iri, kind = _value(row.get("term")), _KINDS.get(_value(row.get("kind")) or "")
        if iri is None or kind is None:
            continue
        name = compact(iri)
        if name == iri:
            continue
        entry = terms.get(iri)
        if entry is not None and _RANK[entry["kind"]] <= _RANK[kind]:
            continue
        labels = (("en", row.get("labelEn")), ("zh", row.get("labelZh")))
        label = {lang: text for lang, term in labels if (text := _value(term))}
        terms[iri] = {"name": name, "iri": iri, "kind": kind, "label": label}
        if definition := _value(row.get("definition")):
            terms[iri]["definition"] = definition
    order = ["class", "property", "concept", "goal", "target"]
    listed = sorted(terms.values(), key=lambda t: (order.index(t["kind"]), _natural(t["name"])))
    return {"prefixes": dict(PREFIXES), "terms": listed}


def _natural(name: str) -> tuple[Any, ...]:
    """`sdg:2` before `sdg:10`, `sdg:6.2` before `sdg:6.10`: digits compare as numbers."""
    return tuple((0, int(chunk), "") if chunk.isdigit() else (1, 0, chunk) for chunk in _DIGITS.split(name))


def vocabulary_json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
