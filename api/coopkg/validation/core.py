"""Core SHACL constraints run natively: all focus nodes of a shape at once, not one pySHACL call per node.

pySHACL validates a property shape once per focus node (and per node shape that uses it), with a fixed
overhead per call that dominates our data: a 100k-triple programme spends most of its core-SHACL time there,
not in the checks themselves. Here each (node shape, property shape) pair is one pass: the focus nodes come
from the targets, the value nodes and the SHACL instances of a `sh:class` (rdf:type/rdfs:subClassOf*) all
from the data graph's per-predicate index of the parsed triples (exact terms, so datatypes are as written;
see DataGraph.values), each computed once; not from the pyoxigraph store, which merges integer-derived
literals into xsd:integer (and measured slower here than the index for class closures). Each test mirrors
pySHACL 0.40's component for component (its reports are the reference), and the results carry the same
triples pySHACL writes: component, source shape, severity, focus node, value (for value-level components),
result path, and the shape's `sh:message` literals as they are.

A shape is run here only when every part of it is understood: its parameters are all among the components
below, its path is an IRI or an inverse IRI, it has `sh:message` (pySHACL's generic messages are not
imitated), and the node shapes that use it have plain targets and are not nested in other shapes. Anything
else stays with pySHACL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from pyshacl.rdfutil.clone import clone_blank_node
from pyshacl.rdfutil.compare import compare_literal
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from coopkg.validation.report import SH
from coopkg.validation.terms import DataGraph

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# Not constraints: metadata pySHACL reads (severity, messages) or ignores.
_METADATA = {
    RDF.type,
    SH.severity,
    SH.message,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    RDFS.label,
    RDFS.comment,
}
# Components whose test looks at one value node at a time; each parameter may appear once, except those
# pySHACL evaluates once per value (sh:class, sh:pattern).
_VALUE_PARAMETERS = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
}
_REPEATABLE = {SH["class"], SH.pattern}
# Components whose test looks at all value nodes of a focus node (property shapes only).
_SET_PARAMETERS = {
    SH.minCount,
    SH.maxCount,
    SH.hasValue,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
}
_SHAPE_REFERENCES = {
    SH.node,
    SH.property,
    SH.qualifiedValueShape,
    SH["not"],
    SH["and"],
    SH["or"],
    SH.xone,
}

_compare_literal: Callable[[Literal, Literal], int] = compare_literal  # pySHACL's own order of literals
_STRING_TYPES = (None, RDF.langString, XSD.string)
_XSD_PYTHON_TYPES: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


_NODE_KINDS: dict[Node, frozenset[type]] = {
    SH.IRI: frozenset({URIRef}),
    SH.BlankNode: frozenset({BNode}),
    SH.Literal: frozenset({Literal}),
    SH.BlankNodeOrIRI: frozenset({BNode, URIRef}),
    SH.BlankNodeOrLiteral: frozenset({BNode, Literal}),
    SH.IRIOrLiteral: frozenset({URIRef, Literal}),
}


@dataclass(frozen=True)
class ValueTest:
    """One value-level constraint: `parameter` of `component`, e.g. sh:class coop:Section."""

    component: URIRef
    parameter: URIRef
    argument: Node
    regex: re.Pattern[str] | None = None  # sh:pattern, compiled as pySHACL does (with sh:flags)
    members: frozenset[Node] = frozenset()  # sh:in
    languages: frozenset[str] = frozenset()  # sh:languageIn, lower-cased
    kind: str = field(init=False)  # the parameter's local name: cheaper to dispatch on than URIRef equality
    node_kinds: frozenset[type] = field(init=False)  # sh:nodeKind: the rdflib term types it accepts

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", self.parameter.removeprefix(str(SH)))
        object.__setattr__(self, "node_kinds", _NODE_KINDS.get(self.argument, frozenset()))


@dataclass(frozen=True)
class SetTest:
    """One constraint on the set of a focus node's value nodes (counts, sh:hasValue, qualified counts)."""

    component: URIRef
    parameter: URIRef
    argument: Node
    qualified: tuple[ValueTest, ...] = ()  # the tests of the sh:qualifiedValueShape, all must pass
    kind: str = field(init=False)
    limit: int = field(init=False)  # the count, for all but sh:hasValue

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", self.parameter.removeprefix(str(SH)))
        count = self.argument.value if isinstance(self.argument, Literal) else None
        object.__setattr__(self, "limit", count if isinstance(count, int) else -1)


@dataclass(frozen=True)
class NativeShape:
    """A shape run natively, once for each node shape that targets its focus nodes."""

    shape: Node
    path: Node | None  # None for a node shape: its value node is the focus node
    predicate: URIRef | None
    inverse: bool
    targets: tuple[dict[URIRef, tuple[Node, ...]], ...]  # per using node shape (pySHACL runs each)
    severity: Node
    messages: tuple[Node, ...]
    value_tests: tuple[ValueTest, ...]
    set_tests: tuple[SetTest, ...]


@dataclass(frozen=True)
class CoreSplit:
    native: tuple[NativeShape, ...]
    removed: frozenset[tuple[Node, Node, Node]]  # triples pySHACL must not see (checked here instead)


def _predicates(graph: Graph, node: Node) -> set[URIRef]:
    return {p for p in graph.predicates(node, None) if isinstance(p, URIRef)}


def _single(graph: Graph, node: Node, predicate: URIRef) -> Node | None:
    values = list(graph.objects(node, predicate))
    return values[0] if len(values) == 1 else None


def _value_test(graph: Graph, shape: Node, parameter: URIRef, argument: Node) -> ValueTest | None:
    component = _VALUE_PARAMETERS[parameter]
    if parameter == SH.pattern:
        if not isinstance(argument, Literal):
            return None
        flags = list(graph.objects(shape, SH.flags))
        re_flags = 0
        if flags:
            text = str(flags[0].toPython() if isinstance(flags[0], Literal) else flags[0]).lower()
            re_flags |= re.I if "i" in text else 0
            re_flags |= re.M if "m" in text else 0
        value = argument.value
        pattern = str(value) if value is not None and len(value) > 1 else str(argument)
        return ValueTest(component, parameter, argument, regex=re.compile(pattern, re_flags))
    if parameter in (SH["in"], SH.languageIn):
        try:
            items = list(graph.items(argument))
        except Exception:  # a malformed list: pySHACL's error is the one to show
            return None
        if parameter == SH.languageIn:
            if not all(isinstance(i, Literal) and isinstance(i.value, str) for i in items):
                return None
            return ValueTest(
                component, parameter, argument, languages=frozenset(str(i).lower() for i in items)
            )
        return ValueTest(component, parameter, argument, members=frozenset(items))
    if parameter in (SH.minLength, SH.maxLength) and not (
        isinstance(argument, Literal) and isinstance(argument.value, int) and argument.value >= 0
    ):
        return None
    if parameter == SH.minInclusive and not isinstance(argument, Literal):
        return None
    return ValueTest(component, parameter, argument)


def _value_tests(graph: Graph, shape: Node, parameters: Iterable[URIRef]) -> tuple[ValueTest, ...] | None:
    tests = []
    for parameter in parameters:
        arguments = list(graph.objects(shape, parameter))
        if len(arguments) > 1 and parameter not in _REPEATABLE:
            return None
        for argument in arguments:
            test = _value_test(graph, shape, parameter, argument)
            if test is None:
                return None
            tests.append(test)
    return tuple(tests)


def _qualified_shape_tests(graph: Graph, value_shape: Node) -> tuple[ValueTest, ...] | None:
    """The tests of a nested node shape made only of value-level constraints, else None."""
    predicates = _predicates(graph, value_shape)
    if SH.deactivated in predicates or SH.path in predicates:
        return None
    constraints = predicates - _METADATA - set(TARGETS) - {SH.flags}
    if not constraints or not constraints <= set(_VALUE_PARAMETERS):
        return None
    return _value_tests(graph, value_shape, sorted(constraints))


def _count_tests(
    graph: Graph,
    shape: Node,
    parameters: set[URIRef],
    components: tuple[tuple[URIRef, URIRef], ...],
    qualified: tuple[ValueTest, ...] = (),
) -> list[SetTest] | None:
    """A test per integer count parameter of `components` the shape has; None when one is not an integer."""
    tests = []
    for parameter, component in components:
        if parameter in parameters:
            argument = _single(graph, shape, parameter)
            if not isinstance(argument, Literal) or not isinstance(argument.value, int):
                return None
            tests.append(SetTest(component, parameter, argument, qualified=qualified))
    return tests


def _set_tests(graph: Graph, shape: Node, parameters: set[URIRef]) -> tuple[SetTest, ...] | None:
    counts = ((SH.minCount, SH.MinCountConstraintComponent), (SH.maxCount, SH.MaxCountConstraintComponent))
    tests = _count_tests(graph, shape, parameters, counts)
    if tests is None:
        return None
    for argument in graph.objects(shape, SH.hasValue):
        tests.append(SetTest(SH.HasValueConstraintComponent, SH.hasValue, argument))
    if {SH.qualifiedMinCount, SH.qualifiedMaxCount} & parameters:
        value_shape = _single(graph, shape, SH.qualifiedValueShape)
        if value_shape is None or SH.qualifiedValueShapesDisjoint in parameters:
            return None
        nested = _qualified_shape_tests(graph, value_shape)
        if nested is None:
            return None
        qualified_counts = (
            (SH.qualifiedMinCount, SH.QualifiedMinCountConstraintComponent),
            (SH.qualifiedMaxCount, SH.QualifiedMaxCountConstraintComponent),
        )
        more = _count_tests(graph, shape, parameters, qualified_counts, qualified=nested)
        if more is None:
            return None
        tests.extend(more)
    elif SH.qualifiedValueShape in parameters:
        return None
    return tuple(tests)


def _is_nested(graph: Graph, shape: Node) -> bool:
    """True when another shape refers to `shape` (sh:node, sh:or...): pySHACL validates it there too."""
    for _subject, predicate in graph.subject_predicates(shape):
        if predicate in _SHAPE_REFERENCES or (predicate == RDF.first):
            return True
    return False


def _targets(graph: Graph, shape: Node) -> dict[URIRef, tuple[Node, ...]]:
    return {t: tuple(graph.objects(shape, t)) for t in TARGETS if (shape, t, None) in graph}


def _implicit_class_target(graph: Graph, shape: Node) -> bool:
    """A shape that is also a class targets its instances (SHACL 2.1.3.3): left to pySHACL."""
    return any(t not in (SH.NodeShape, SH.PropertyShape, SH.Shape) for t in graph.objects(shape, RDF.type))


def _native_node_shapes(graph: Graph) -> list[Node]:
    """Node shapes whose focus nodes we can compute: plain targets, active, used by no other shape."""
    shapes = []
    candidates = set(graph.subjects(RDF.type, SH.NodeShape)) | {s for t in TARGETS for s in graph.subjects(t)}
    for shape in candidates:
        if (shape, SH.path, None) in graph or (shape, SH.target, None) in graph:
            continue
        if (shape, SH.deactivated, None) in graph or _is_nested(graph, shape):
            continue
        if _implicit_class_target(graph, shape) or not _targets(graph, shape):
            continue
        shapes.append(shape)
    return sorted(shapes, key=str)


def _path(graph: Graph, shape: Node) -> tuple[Node, URIRef, bool] | None:
    path = _single(graph, shape, SH.path)
    if isinstance(path, URIRef):
        return path, path, False
    if isinstance(path, BNode):
        inverse = _single(graph, path, SH.inversePath)
        if isinstance(inverse, URIRef) and set(graph.predicates(path, None)) == {SH.inversePath}:
            return path, inverse, True
    return None


def split_core(graph: Graph, skip: Iterable[Node] = ()) -> CoreSplit:
    """Which core constraints of `graph` run natively (shapes in `skip` are left alone)."""
    skipped = set(skip)
    node_shapes = [s for s in _native_node_shapes(graph) if s not in skipped]
    users: dict[Node, list[Node]] = {}
    for node_shape in node_shapes:
        for property_shape in graph.objects(node_shape, SH.property):
            users.setdefault(property_shape, []).append(node_shape)
    native: list[NativeShape] = []
    removed: set[tuple[Node, Node, Node]] = set()

    def messages(shape: Node) -> tuple[Node, ...]:
        return tuple(sorted(graph.objects(shape, SH.message), key=lambda m: (str(m), m.n3())))

    def severity(shape: Node) -> Node:
        return next(iter(set(graph.objects(shape, SH.severity))), SH.Violation)

    # Node shapes' own constraints (their value node is the focus node).
    for node_shape in node_shapes:
        parameters = _predicates(graph, node_shape) - _METADATA - set(TARGETS) - {SH.property}
        if not parameters or not messages(node_shape) or SH.sparql in parameters:
            continue
        if not parameters - {SH.flags} <= set(_VALUE_PARAMETERS):
            continue
        tests = _value_tests(graph, node_shape, sorted(parameters - {SH.flags}))
        if tests is None:
            continue
        native.append(
            NativeShape(
                node_shape,
                None,
                None,
                False,
                (_targets(graph, node_shape),),
                severity(node_shape),
                messages(node_shape),
                tests,
                (),
            )
        )
        for parameter in parameters:
            removed.update(graph.triples((node_shape, parameter, None)))
    # Property shapes used only through sh:property of those node shapes.
    for property_shape, using in sorted(users.items(), key=lambda item: str(item[0])):
        referrers = list(graph.subject_predicates(property_shape))
        if len(referrers) != len(using) or any(p != SH.property for _s, p in referrers):
            continue
        if _targets(graph, property_shape) or _implicit_class_target(graph, property_shape):
            continue
        if (property_shape, SH.deactivated, None) in graph:
            continue
        path = _path(graph, property_shape)
        if path is None or not messages(property_shape):
            continue
        parameters = _predicates(graph, property_shape) - _METADATA - {SH.path}
        value_parameters = parameters & set(_VALUE_PARAMETERS)
        set_parameters = parameters & _SET_PARAMETERS
        if parameters - value_parameters - set_parameters - {SH.flags}:
            continue
        value_tests = _value_tests(graph, property_shape, sorted(value_parameters))
        set_tests = _set_tests(graph, property_shape, set_parameters)
        if value_tests is None or set_tests is None:
            continue
        native.append(
            NativeShape(
                property_shape,
                path[0],
                path[1],
                path[2],
                tuple(_targets(graph, s) for s in using),
                severity(property_shape),
                messages(property_shape),
                value_tests,
                set_tests,
            )
        )
        removed.update(graph.triples((property_shape, None, None)))
        removed.update((s, SH.property, property_shape) for s in using)
    # A node shape left with nothing to check is dropped from pySHACL's graph altogether.
    for node_shape in node_shapes:
        left = {t[1] for t in graph.triples((node_shape, None, None)) if t not in removed}
        if not left - _METADATA - set(TARGETS):
            removed.update(graph.triples((node_shape, None, None)))
    return CoreSplit(native=tuple(native), removed=frozenset(removed))


# ---------------------------------------------------------------------------------------------------------
# Running: each test mirrors pySHACL 0.40's ConstraintComponent.evaluate for one value node or value set.
# ---------------------------------------------------------------------------------------------------------


def _value_string(value: Node) -> str:
    if isinstance(value, Literal) and value.value is not None and value.datatype in _STRING_TYPES:
        return str(value.value)
    return str(value)


def _datatype_matches(value: Node, rule: Node) -> bool:
    if not isinstance(value, Literal):
        return False
    datatype, language = value.datatype, value.language

    def actual() -> bool:
        expected = _XSD_PYTHON_TYPES.get(rule)
        return True if expected is None else isinstance(value.value, expected)

    if datatype == rule:
        return False if getattr(value, "ill_typed", None) is True else actual()
    if rule == RDFS.Literal:
        return True
    if rule == RDFS.Datatype and datatype:
        return True
    if datatype is None and language is None and rule == XSD.string:
        return actual()
    if rule == RDF.langString and language:
        return actual()
    return False


def _passes(test: ValueTest, value: Node, instances: Callable[[Node], set[Node]]) -> bool:
    kind, argument = test.kind, test.argument
    if kind == "class":
        return not isinstance(value, Literal) and value in instances(argument)
    if kind == "datatype":
        return _datatype_matches(value, argument)
    if kind == "nodeKind":
        node_type = BNode if isinstance(value, BNode) else Literal if isinstance(value, Literal) else URIRef
        return node_type in test.node_kinds
    if kind == "pattern":
        assert test.regex is not None
        return not isinstance(value, BNode) and test.regex.search(_value_string(value)) is not None
    if kind in ("minLength", "maxLength"):
        assert isinstance(argument, Literal)
        limit = int(argument.value)
        if kind == "minLength" and limit == 0:
            return True
        if isinstance(value, BNode):
            return False
        length = len(_value_string(value))
        return length >= limit if kind == "minLength" else length <= limit
    if kind == "languageIn":
        if not isinstance(value, Literal) or not value.language:
            return False
        language = str(value.language).lower()
        allowed = test.languages
        return "*" in allowed or language in allowed or language.split("-")[0] in allowed
    if kind == "in":
        return value in test.members
    if kind == "minInclusive":
        assert isinstance(argument, Literal)
        if not isinstance(value, Literal):
            return False
        if isinstance(argument.value, str) != isinstance(value.value, str):
            return False
        try:
            return _compare_literal(value, argument) >= 0
        except (TypeError, NotImplementedError):
            return False
    raise AssertionError(f"no native test for {test.parameter}")


def _set_passes(test: SetTest, values: set[Node], instances: Callable[[Node], set[Node]]) -> bool:
    kind, limit = test.kind, test.limit
    if kind == "hasValue":
        return any(v == test.argument for v in values)
    if kind == "minCount":
        return limit == 0 or len(values) >= limit
    if kind == "maxCount":
        return len(values) <= limit
    conforming = sum(1 for v in values if all(_passes(t, v, instances) for t in test.qualified))
    if kind == "qualifiedMinCount":
        return conforming >= limit
    return conforming <= limit


class Runner:
    """Focus nodes, value nodes and class instances of one data graph, each computed once."""

    def __init__(self, data: DataGraph) -> None:
        self.data = data
        self._instances: dict[Node, set[Node]] = {}
        self._inverse: dict[Node, dict[Node, set[Node]]] = {}
        self._focus: dict[tuple[URIRef, Node], set[Node]] = {}

    def instances(self, cls: Node) -> set[Node]:
        """SHACL instances of `cls`: rdf:type/rdfs:subClassOf* (the ontology is in the data graph)."""
        found = self._instances.get(cls)
        if found is None:
            typed = self.values(RDF.type, inverse=True)  # class -> its direct instances
            subclasses = self.values(RDFS.subClassOf, inverse=True)  # class -> its direct subclasses
            closure, stack = {cls}, [cls]
            while stack:
                for subclass in subclasses.get(stack.pop(), ()):
                    if subclass not in closure:
                        closure.add(subclass)
                        stack.append(subclass)
            found = set().union(*(typed.get(c, ()) for c in closure))
            self._instances[cls] = found
        return found

    def focus_nodes(self, targets: dict[URIRef, tuple[Node, ...]]) -> set[Node]:
        focus: set[Node] = set()
        for kind, values in targets.items():
            for value in values:
                if kind == SH.targetNode:
                    focus.add(value)
                    continue
                key = (kind, value)
                if key not in self._focus:
                    if kind == SH.targetClass:
                        self._focus[key] = self.instances(value)
                    elif kind == SH.targetSubjectsOf:
                        self._focus[key] = set(self.values(value, inverse=False))
                    else:
                        self._focus[key] = set(self.values(value, inverse=True))
                focus |= self._focus[key]
        return focus

    def values(self, predicate: Node, inverse: bool) -> dict[Node, set[Node]]:
        """Value nodes by focus node, as parsed (literals exactly as written, which the store is not)."""
        if not inverse:
            return self.data.values(predicate)
        found = self._inverse.get(predicate)
        if found is None:
            found = {}
            for subject, objects in self.data.values(predicate).items():
                for value in objects:
                    found.setdefault(value, set()).add(subject)
            self._inverse[predicate] = found
        return found

    def results(self, shape: NativeShape) -> list[tuple[URIRef, Node, Node | None]]:
        """(component, focus node, value node or None) of every result, once per using node shape."""
        results: list[tuple[URIRef, Node, Node | None]] = []
        values = self.values(shape.predicate, shape.inverse) if shape.predicate is not None else {}
        for targets in shape.targets:
            for focus in self.focus_nodes(targets):
                value_nodes = {focus} if shape.predicate is None else values.get(focus, set())
                for test in shape.value_tests:
                    for value in value_nodes:
                        if not _passes(test, value, self.instances):
                            results.append((test.component, focus, value))
                for set_test in shape.set_tests:
                    if not _set_passes(set_test, value_nodes, self.instances):
                        results.append((set_test.component, focus, None))
        return results


def add_core_results(
    report: Graph, data: DataGraph, shapes_graph: Graph, native: Iterable[NativeShape]
) -> int:
    """Write pySHACL's result triples for every failure of the native shapes into `report`."""
    runner = Runner(data)
    report_node = next(report.subjects(RDF.type, SH.ValidationReport))
    added = 0

    def data_node(node: Node) -> Node:
        # pySHACL copies a blank focus or value node, with its description, into the report.
        return clone_blank_node(data.graph, node, report, keepid=True) if isinstance(node, BNode) else node

    def shape_node(node: Node) -> Node:
        # ... and a blank shape or path, from the shapes graph.
        return clone_blank_node(shapes_graph, node, report, keepid=True) if isinstance(node, BNode) else node

    for shape in native:
        for component, focus, value in runner.results(shape):
            result = BNode()
            report.add((report_node, SH.result, result))
            report.add((result, RDF.type, SH.ValidationResult))
            report.add((result, SH.sourceConstraintComponent, component))
            report.add((result, SH.sourceShape, shape_node(shape.shape)))
            report.add((result, SH.resultSeverity, shape.severity))
            report.add((result, SH.focusNode, data_node(focus)))
            if value is not None:
                report.add((result, SH.value, data_node(value)))
            if shape.path is not None:
                report.add((result, SH.resultPath, shape_node(shape.path)))
            for message in shape.messages:
                report.add((result, SH.resultMessage, message))
            added += 1
    return added
