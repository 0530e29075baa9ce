"""A canonical Turtle writer: the same set of triples always gives the same bytes.

Library serialisers may change their layout between versions, and `coopkg build --check` compares bytes, so
the build writes Turtle itself: the prefixes used (sorted) declared once, one block per subject (subjects
sorted; `a` first, then predicates sorted; objects sorted), literals in their shortest exact form, UTF-8 text
unescaped. Blank nodes are written inline (`[ … ]`) where each is the object of exactly one triple, which
makes the output independent of their labels; a blank node shared by several triples or in a cycle cannot be
written canonically and is refused with a message saying to give it an IRI.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from coopkg.errors import UnusableInput
from coopkg.rdf.namespaces import PREFIXES as NAMESPACES
from coopkg.rdf.namespaces import RDF_TYPE

XSD = NAMESPACES["xsd"]

# The generated files' prefixes, in the order they are written (coop first, then by name); `id:` is left out:
# our hierarchical IRIs would need escapes (`id:programme\/…`) and are written in full.
_WRITTEN = ("coop", "dcat", "dct", "oa", "org", "owl", "prov", "rdf", "rdfs", "sdg", "sdgo", "skos", "time")
PREFIXES: Mapping[str, str] = {name: NAMESPACES[name] for name in (*_WRITTEN, "void", "wd", "xsd")}

# A conservative subset of Turtle's PN_LOCAL: anything else is written as a full <IRI>.
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}

Subject = ox.NamedNode | ox.BlankNode
Object = ox.NamedNode | ox.BlankNode | ox.Literal


class _Writer:
    def __init__(self, triples: Iterable[ox.Triple], prefixes: Mapping[str, str]) -> None:
        self.prefixes = dict(prefixes)
        self.used: set[str] = set()
        self.properties: dict[Subject, list[tuple[ox.NamedNode, Object]]] = defaultdict(list)
        references: dict[ox.BlankNode, int] = defaultdict(int)
        for triple in set(triples):
            subject, predicate, obj = triple.subject, triple.predicate, triple.object
            if not isinstance(subject, ox.NamedNode | ox.BlankNode) or isinstance(obj, ox.Triple):
                raise UnusableInput(f"RDF-star triple {triple} cannot be written as plain Turtle")
            self.properties[subject].append((predicate, obj))
            if isinstance(obj, ox.BlankNode):
                references[obj] += 1
        shared = [node for node, count in references.items() if count > 1]
        if shared:
            raise UnusableInput(
                f"blank node used as the object of {references[shared[0]]} triples "
                f"(e.g. of {self._describe(shared[0])}); "
                "give that resource an IRI so it can be written canonically"
            )
        self.inline = set(references)
        self.written: set[ox.BlankNode] = set()

    def _describe(self, node: ox.BlankNode) -> str:
        for subject, pairs in self.properties.items():
            if any(obj == node for _, obj in pairs):
                return str(subject)
        return str(node)

    def iri(self, node: ox.NamedNode) -> str:
        value = node.value
        if value == RDF_TYPE:
            return "a"
        for prefix, namespace in self.prefixes.items():
            if value.startswith(namespace) and _LOCAL.fullmatch(value[len(namespace) :]):
                self.used.add(prefix)
                return f"{prefix}:{value[len(namespace) :]}"
        return f"<{value}>"

    def literal(self, node: ox.Literal) -> str:
        datatype = node.datatype.value
        if node.language:
            return f"{_quote(node.value)}@{node.language}"
        if datatype == XSD + "integer" and _INTEGER.fullmatch(node.value):
            return node.value
        if datatype == XSD + "boolean" and node.value in ("true", "false"):
            return node.value
        if datatype == XSD + "string":
            return _quote(node.value)
        return f"{_quote(node.value)}^^{self.iri(node.datatype)}"

    def term(self, node: Object, indent: int) -> str:
        if isinstance(node, ox.NamedNode):
            return self.iri(node)
        if isinstance(node, ox.Literal):
            return self.literal(node)
        self.written.add(node)
        pairs = self.properties.get(node, [])
        if not pairs:
            return "[]"
        return "[\n" + self.body(node, indent + 4) + "\n" + " " * indent + "]"

    def body(self, subject: Subject, indent: int) -> str:
        grouped: dict[str, list[str]] = defaultdict(list)
        for predicate, obj in self.properties[subject]:
            grouped[predicate.value].append(self.term(obj, indent))
        lines = []
        for name in sorted(grouped, key=lambda value: (value != RDF_TYPE, value)):
            objects = sorted(grouped[name])
            # Long object lists get one object per line, so diffs of generated files stay readable.
            one_line = " , ".join(objects)
            separator = (
                " , " if len(one_line) <= 100 and "\n" not in one_line else " ,\n" + " " * (indent + 4)
            )
            lines.append(" " * indent + f"{self.iri(ox.NamedNode(name))} {separator.join(objects)}")
        return " ;\n".join(lines)

    def document(self) -> str:
        blocks: list[str] = []
        named = sorted(
            (s for s in self.properties if isinstance(s, ox.NamedNode)), key=lambda node: node.value
        )
        for subject in named:
            body = self.body(subject, 4).lstrip()
            blocks.append(f"{self.iri(subject)} {body} .")
        roots = [s for s in self.properties if isinstance(s, ox.BlankNode) and s not in self.inline]
        blocks.extend(sorted(f"{self.term(root, 0)} ." for root in roots))
        unwritten = [
            node for node in self.properties if isinstance(node, ox.BlankNode) and node not in self.written
        ]
        if unwritten:
            raise UnusableInput(
                f"blank nodes in a cycle (e.g. {self._describe(unwritten[0])}) "
                "cannot be written canonically; give them IRIs"
            )
        header = "".join(f"@prefix {prefix}: <{self.prefixes[prefix]}> .\n" for prefix in sorted(self.used))
        return header + "\n" + "\n\n".join(blocks) + "\n"


def _quote(value: str) -> str:
    escaped = "".join(
        _ESCAPES.get(char, char) if char in _ESCAPES or char >= " " else f"\\u{ord(char):04X}"
        for char in value
    )
    return f'"{escaped}"'


def serialise(triples: Iterable[ox.Triple], prefixes: Mapping[str, str] = PREFIXES) -> bytes:
    """Canonical Turtle (UTF-8 bytes) of a set of triples."""
    return _Writer(triples, prefixes).document().encode("utf-8")
