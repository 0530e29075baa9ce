"""The published JSON-LD context (`/context.jsonld`) and the framing of a description into nested JSON.

Compaction is done here rather than by a general JSON-LD processor: the context is ours and fixed, so each
value is written in the form its term declares (an IRI string, a language map, a number) and any value that
does not fit its term (say, a label without a language) is written in full under the compact IRI instead,
where no coercion applies. That keeps the output short and readable and still expands to exactly the same
triples (tests/linkeddata round-trips every kind of resource through a JSON-LD parser).

Framing: the node described is the top object; a node the description also describes (its source span, the
span's selectors, its English rendering, its alignments, the labels of what it links to) is nested where it
is first referenced, once: a commitment reads as one object with area, section, alignments and quote inside.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal as TypingLiteral

import pyoxigraph as ox

from coopkg.rdf.namespaces import PREFIXES, RDF_TYPE, compact

Kind = TypingLiteral["id", "lang", "string", "integer", "boolean", "number"]
JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]

_XSD = PREFIXES["xsd"]
_XSD_STRING = f"{_XSD}string"
_XSD_INTEGER = f"{_XSD}integer"
_XSD_BOOLEAN = f"{_XSD}boolean"


@dataclass(frozen=True)
class Term:
    """A short key of the context: the property it stands for and the one value form it takes."""

    name: str
    iri: str
    kind: Kind
    # For kind "number": the datatype the context coerces to. Such values are written as strings ("899"):
    # JSON-LD processors disagree on whether a coerced native number keeps the datatype (pyoxigraph makes it
    # xsd:integer), and a string is read the same way by all of them.
    datatype: str | None = None
    many: bool = (
        False  # always an array (`@container: @set`), for properties that usually have several values
    )


def _c(local: str) -> str:
    return PREFIXES["coop"] + local


def _p(prefix: str, local: str) -> str:
    return PREFIXES[prefix] + local


TERMS: tuple[Term, ...] = (
    Term("label", _p("rdfs", "label"), "lang"),
    Term("prefLabel", _p("skos", "prefLabel"), "lang"),
    Term("definition", _p("skos", "definition"), "lang"),
    Term("comment", _p("rdfs", "comment"), "lang"),
    Term("text", _c("text"), "lang"),
    Term("value", _p("rdf", "value"), "lang"),
    Term("rationale", _c("rationale"), "lang"),
    Term("notation", _c("notation"), "string"),
    Term("order", _c("order"), "integer"),
    Term("isPriority", _c("isPriority"), "boolean"),
    Term("official", _c("official"), "boolean"),
    Term("programme", _c("programme"), "id"),
    Term("section", _c("section"), "id"),
    Term("area", _c("area"), "id", many=True),
    Term("statedAs", _c("statedAs"), "id"),
    Term("chapeau", _c("chapeau"), "id"),
    Term("frequency", _c("frequency"), "id"),
    Term("citesFramework", _c("citesFramework"), "id", many=True),
    Term("involvesAgency", _c("involvesAgency"), "id", many=True),
    Term("translation", _c("translation"), "id"),
    Term("translationOf", _c("translationOf"), "id"),
    Term("hasAlignment", _c("hasAlignment"), "id", many=True),
    Term("alignedTo", _c("alignedTo"), "id"),
    Term("alignmentBasis", _c("alignmentBasis"), "id"),
    Term("party", _c("party"), "id", many=True),
    Term("period", _c("period"), "id"),
    Term("predecessor", _c("predecessor"), "id"),
    Term("successor", _c("successor"), "id", many=True),
    Term("standingMechanism", _c("standingMechanism"), "id"),
    Term("earlierCommitment", _c("earlierCommitment"), "id"),
    Term("laterCommitment", _c("laterCommitment"), "id"),
    Term("score", _c("score"), "number", datatype=_p("xsd", "decimal")),
    Term("similarityMethod", _c("similarityMethod"), "id"),
    Term("basis", _c("basis"), "id"),
    Term("priorityArea", _c("priorityArea"), "id", many=True),
    Term("hasSection", _c("hasSection"), "id", many=True),
    Term("hasParagraph", _c("hasParagraph"), "id", many=True),
    Term("involvesActorType", _c("involvesActorType"), "id", many=True),
    Term("sourceDocument", _c("sourceDocument"), "id"),
    Term("sourceFile", _c("sourceFile"), "string"),
    Term("source", _c("source"), "id"),
    Term("hasSource", _p("oa", "hasSource"), "id"),
    Term("hasSelector", _p("oa", "hasSelector"), "id", many=True),
    # Oxigraph stores xsd:nonNegativeInteger offsets as xsd:integer, so that is what descriptions carry.
    Term("start", _p("oa", "start"), "integer"),
    Term("end", _p("oa", "end"), "integer"),
    Term("exact", _p("oa", "exact"), "string"),
    Term("attributedTo", _p("prov", "wasAttributedTo"), "id"),
    Term("isPartOf", _p("dct", "isPartOf"), "id"),
    Term("format", _p("dct", "format"), "string"),
    Term("broader", _p("skos", "broader"), "id"),
    Term("inScheme", _p("skos", "inScheme"), "id"),
    Term("sameAs", _p("owl", "sameAs"), "id"),
    Term("exactMatch", _p("skos", "exactMatch"), "id"),
)

# Classes get short names too (values of `type`).
CLASSES: dict[str, str] = {
    name: _c(name)
    for name in (
        "Programme",
        "Party",
        "SourceDocument",
        "Section",
        "Paragraph",
        "CooperationArea",
        "Commitment",
        "Mechanism",
        "Framework",
        "Agency",
        "ActorType",
        "Alignment",
        "Translation",
        "StandingMechanism",
        "Similarity",
        "SimilarityMethod",
    )
} | {
    "SpecificResource": _p("oa", "SpecificResource"),
    "TextPositionSelector": _p("oa", "TextPositionSelector"),
    "TextQuoteSelector": _p("oa", "TextQuoteSelector"),
    "Concept": _p("skos", "Concept"),
}

_BY_IRI: dict[str, Term] = {term.iri: term for term in TERMS}
_CLASS_NAMES: dict[str, str] = {iri: name for name, iri in CLASSES.items()}


def context() -> dict[str, JsonValue]:
    """The context document served at `/context.jsonld`."""
    definitions: dict[str, JsonValue] = {"@version": 1.1, "type": "@type"}
    definitions |= dict(PREFIXES.items())
    definitions |= {name: compact(iri) for name, iri in CLASSES.items()}
    for term in TERMS:
        definition: dict[str, JsonValue] = {"@id": compact(term.iri)}
        if term.kind == "id":
            definition["@type"] = "@id"
        elif term.kind == "lang":
            definition["@container"] = "@language"
        elif term.kind == "number" and term.datatype:
            definition["@type"] = compact(term.datatype)
        if term.many:
            definition["@container"] = "@set"
        definitions[term.name] = definition
    return {"@context": definitions}


def _fits(term: Term, value: ox.NamedNode | ox.BlankNode | ox.Literal) -> bool:
    if term.kind == "id":
        return isinstance(value, ox.NamedNode | ox.BlankNode)
    if not isinstance(value, ox.Literal):
        return False
    datatype = value.datatype.value
    if term.kind == "lang":
        return bool(value.language)
    if term.kind == "string":
        return not value.language and datatype == _XSD_STRING
    if term.kind == "boolean":
        return datatype == _XSD_BOOLEAN and value.value in ("true", "false")
    if term.kind in ("integer", "number"):
        wanted = term.datatype or _XSD_INTEGER
        # Only the canonical form survives a trip through a JSON number unchanged.
        return (
            datatype == wanted
            and value.value.isascii()
            and value.value.isdigit()
            and str(int(value.value)) == value.value
        )
    return False


def _id_text(node: ox.NamedNode | ox.BlankNode) -> str:
    return node.value if isinstance(node, ox.NamedNode) else f"_:{node.value}"


def _full_literal(value: ox.Literal) -> dict[str, JsonValue]:
    written: dict[str, JsonValue] = {"@value": value.value}
    if value.language:
        written["@language"] = value.language
    elif value.datatype.value != _XSD_STRING:
        written["@type"] = value.datatype.value
    return written


Subject = ox.NamedNode | ox.BlankNode
Object = ox.NamedNode | ox.BlankNode | ox.Literal


class _Framer:
    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self.outgoing: dict[Subject, list[tuple[str, Object]]] = defaultdict(list)
        for triple in triples:
            subject, obj = triple.subject, triple.object
            if isinstance(subject, ox.Triple) or isinstance(obj, ox.Triple):
                continue  # RDF-star terms never occur in our data
            self.outgoing[subject].append((triple.predicate.value, obj))
        self.placed: set[Subject] = set()

    def node(self, subject: Subject) -> dict[str, JsonValue]:
        self.placed.add(subject)
        written: dict[str, JsonValue] = {"@id": _id_text(subject)}
        by_predicate: dict[str, list[Object]] = defaultdict(list)
        for predicate, obj in sorted(self.outgoing.get(subject, []), key=_sort_key):
            by_predicate[predicate].append(obj)
        types = [obj for obj in by_predicate.pop(RDF_TYPE, []) if isinstance(obj, ox.NamedNode)]
        if types:
            names = [_CLASS_NAMES.get(obj.value) or compact(obj.value) for obj in types]
            written["type"] = names[0] if len(names) == 1 else list(names)
        for predicate in sorted(by_predicate, key=_predicate_order):
            self._property(written, predicate, by_predicate[predicate])
        return written

    def _property(self, written: dict[str, JsonValue], predicate: str, values: list[Object]) -> None:
        term = _BY_IRI.get(predicate)
        fitting = [value for value in values if term is not None and _fits(term, value)]
        rest = [value for value in values if value not in fitting]
        if term is not None and fitting:
            written[term.name] = self._compact_values(term, fitting)
        if rest:
            full = [self._full_value(value) for value in rest]
            written[compact(predicate)] = full[0] if len(full) == 1 else full

    def _compact_values(self, term: Term, values: list[Object]) -> JsonValue:
        if term.kind == "lang":
            languages: dict[str, list[str]] = defaultdict(list)
            for value in values:
                assert isinstance(value, ox.Literal)
                assert value.language  # _fits admitted only tagged literals
                languages[value.language].append(value.value)
            return {tag: texts[0] if len(texts) == 1 else list(texts) for tag, texts in languages.items()}
        out: list[JsonValue] = []
        for value in values:
            if term.kind == "id":
                assert isinstance(value, ox.NamedNode | ox.BlankNode)
                out.append(self._reference(value))
            elif term.kind == "boolean":
                out.append(value.value == "true")
            elif term.kind == "integer":
                out.append(int(value.value))
            else:
                out.append(value.value)
        return out if term.many or len(out) > 1 else out[0]

    def _reference(self, node: Subject) -> JsonValue:
        """A nested object the first time a described node is referenced, its IRI string afterwards."""
        if node in self.outgoing and node not in self.placed:
            return self.node(node)
        return _id_text(node)

    def _full_value(self, value: Object) -> JsonValue:
        if isinstance(value, ox.Literal):
            return _full_literal(value)
        reference = self._reference(value)
        return reference if isinstance(reference, dict) else {"@id": reference}


def _sort_key(pair: tuple[str, Object]) -> tuple[str, str]:
    predicate, obj = pair
    return predicate, str(obj)


_TERM_ORDER = {term.iri: index for index, term in enumerate(TERMS)}


def _predicate_order(predicate: str) -> tuple[int, str]:
    return _TERM_ORDER.get(predicate, len(_TERM_ORDER)), predicate


def frame(triples: Sequence[ox.Triple], root: str | None, context_url: str) -> dict[str, JsonValue]:
    """The description as one JSON-LD document: `root` on top with what it owns nested, using `context_url`.

    Nodes not reachable from the root (or every node when `root` is None, e.g. the ontology) are listed
    in `@graph`, in IRI order.
    """
    framer = _Framer(triples)
    tops: list[dict[str, JsonValue]] = []
    root_node = ox.NamedNode(root) if root else None
    if root_node is not None and root_node in framer.outgoing:
        tops.append(framer.node(root_node))
    # Nodes that nothing in the description references go on top; what they reference nests under them.
    referenced = {obj for pairs in framer.outgoing.values() for _, obj in pairs}
    for subject in sorted(framer.outgoing, key=str):
        if subject not in framer.placed and subject not in referenced:
            tops.append(framer.node(subject))
    for subject in sorted(framer.outgoing, key=str):  # whatever remains sits in a cycle
        if subject not in framer.placed:
            tops.append(framer.node(subject))
    document: dict[str, JsonValue] = {"@context": context_url}
    if len(tops) == 1:
        document.update(tops[0])
    else:
        document["@graph"] = list(tops)
    return document
