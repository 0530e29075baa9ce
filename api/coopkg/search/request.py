"""A search as asked (text, filters, page) made into a `SearchQuery`, and its answer as JSON with a JSON-LD
context: shared by `GET /api/search` and `coopkg search`. Bad values are clear errors (400, or 422 for a
filter that is not a value of its kind), never a failure further in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from coopkg.errors import BadRequest, InvalidParameter
from coopkg.rdf.namespaces import DEF, ID, SDG
from coopkg.search.documents import KINDS
from coopkg.search.index import MAX_QUERY_CHARS, Hit, Results, SearchQuery

MAX_PER_PAGE = 100
_SDG_CODE = re.compile(r"(?:http://metadata\.un\.org/sdg/)?([0-9]{1,2})(?:\.([0-9a-z]{1,2}))?")
_NOT_IN_IRI = set(' <>"{}|^`\\')
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
TYPES = {
    "commitment": "Commitment",
    "programme": "Programme",
    "section": "Section",
    "area": "CooperationArea",
    "agency": "Agency",
    "framework": "Framework",
    "party": "Party",
    "goal": "http://metadata.un.org/sdg/ontology#Goal",
    "target": "http://metadata.un.org/sdg/ontology#Target",
}
# Terms of the answer that are about this search, not statements about the things: mapped to null, so a
# JSON-LD processor drops them and reads the hits as typed, labelled resources.
CONTEXT: dict[str, Any] = {
    "@vocab": DEF,
    "id": "@id",
    "type": "@type",
    "items": "@graph",
    "label": {"@id": f"{_RDFS}label", "@container": "@language"},
    "text": {"@id": f"{DEF}text", "@container": "@language"},
    **dict.fromkeys(
        ("query", "words", "matched", "total", "page", "per_page", "score", "snippets", "links", "kind")
    ),
}


@dataclass(frozen=True)
class Filters:
    programme: str | None = None
    area: str | None = None
    sdg: str | None = None
    framework: str | None = None
    party: str | None = None
    kind: str | None = None


def clean_text(q: str) -> str:
    """The query with control, format and unassigned characters as spaces; BadRequest when too long."""
    if len(q) > MAX_QUERY_CHARS:
        raise BadRequest(
            f"parameter 'q' has {len(q)} characters; a search takes at most {MAX_QUERY_CHARS}: "
            "give a few words"
        )
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") else ch for ch in q)


def _iri(name: str, value: str, example: str) -> str:
    """A full IRI, or an id relative to https://w3id.org/coopkg/id/."""
    value = value.strip()
    if not value or len(value) > 2000 or _NOT_IN_IRI & set(value) or not value.isprintable():
        raise InvalidParameter(
            f"parameter '{name}' is not an IRI or an id like {example}: got {value[:80]!r}"
        )
    return value if value.startswith(("http://", "https://")) else ID + value.lstrip("/")


def _sdg(value: str) -> tuple[str, str]:
    match = _SDG_CODE.fullmatch(value.strip())
    if match is None or not 1 <= int(match[1]) <= 17:
        raise InvalidParameter(
            f"parameter 'sdg' is a goal 1-17 or a target such as 6.3 (or its IRI): got {value[:80]!r}"
        )
    goal = int(match[1])
    return ("target", f"{SDG}{goal}.{match[2]}") if match[2] else ("goal", str(goal))


def search_query(text: str, filters: Filters, page: int = 1, per_page: int = 20) -> SearchQuery:
    facets: dict[str, list[str]] = {}
    for name, example in (
        ("programme", "programme/cn-dk-green-2023-2026"),
        ("area", "programme/cn-dk-green-2023-2026/area/1"),
        ("framework", "framework/paris-agreement"),
        ("party", "party/china"),
    ):
        value = getattr(filters, name)
        if value:
            facets[name] = [_iri(name, value, example)]
    if filters.sdg:
        facet, value = _sdg(filters.sdg)
        facets[facet] = [value]
    if filters.kind and filters.kind not in KINDS:
        raise InvalidParameter(f"parameter 'kind' is one of {', '.join(KINDS)}: got {filters.kind[:80]!r}")
    if not 1 <= page <= 100_000 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidParameter(f"'page' counts from 1 and 'per_page' is 1 to {MAX_PER_PAGE}")
    return SearchQuery(clean_text(text), facets, [filters.kind] if filters.kind else [], page, per_page)


def _offsets(pieces: list[tuple[str, bool]]) -> list[list[int]]:
    found, position = [], 0
    for piece, matched in pieces:
        if matched:
            found.append([position, position + len(piece)])
        position += len(piece)
    return found


def hit_json(hit: Hit) -> dict[str, Any]:
    document: dict[str, Any] = {"id": hit.iri, "type": TYPES[hit.kind], "kind": hit.kind, "score": hit.score}
    texts = {lang: values[0] for lang, values in (("zh", hit.zh), ("en", hit.en)) if values}
    document["text" if hit.kind == "commitment" else "label"] = texts
    if hit.notation:
        document["notation"] = hit.notation
    if hit.programme:
        document["programme"] = {"id": hit.programme}
    document["snippets"] = {
        lang: {"text": "".join(piece for piece, _ in pieces), "matches": _offsets(pieces)}
        for lang, pieces in hit.snippets.items()
    }
    return document


def results_json(query: SearchQuery, results: Results, links: dict[str, str] | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "query": query.text,
        "words": results.words,
        "matched": results.matched,
        "total": results.total,
        "page": query.page,
        "per_page": query.per_page,
    }
    if links is not None:
        document["links"] = links
    document["items"] = [hit_json(hit) for hit in results.hits]
    return document
