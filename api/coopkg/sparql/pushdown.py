"""Which sub-selects a bound parameter's one-row VALUES block also opens, so that they bind it first.

SPARQL evaluates a sub-select bottom-up: `{ SELECT ?programme (COUNT(?s) AS ?n) WHERE { ... } GROUP BY
?programme }` counts for every programme of the graph before the outer VALUES block joins the one asked for,
so a query about one programme costs what the whole dataset costs (programme-overview: ~0.35 s at 1M
triples, against ~3 ms when each count opens with the block).

The reference meaning of a bound parameter is pyoxigraph's `substitutions` (SEP-0007): the variable is
replaced by its value wherever it is in scope, and a sub-select that projects a variable shares it with the
enclosing query, so the value goes into that sub-select too (and into the sub-selects inside it that project
it in turn); a sub-select that does not project it has a variable of its own that happens to have the same
name, and is left alone. A block at the start of each such sub-select's WHERE group is that substitution for
the sub-select. It is required for the answers, not only for speed, whenever a sub-select has a LIMIT or
OFFSET, leaves the variable unbound in some rows, or sits under a nested OPTIONAL, MINUS or NOT EXISTS: with
the outer block only, those would see the rows of every value (tests/queries/test_query_pushdown.py).

Left alone as well: sub-selects that assign the variable (`(... AS ?p)`), `SELECT *` unless a triple pattern
directly in its WHERE group binds the variable (otherwise it may not be in scope there), and any sub-select
inside a VALUES data block, a SERVICE pattern (a remote endpoint's query is not ours to change), a CONSTRUCT
template or an expression outside the WHERE clause (a projection, HAVING or ORDER BY).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from coopkg.sparql.lexer import tokens

_OPAQUE_KEYWORDS = {"VALUES", "SERVICE"}  # their braces hold data or a remote pattern: never rewritten


@dataclass(eq=False)
class _Group:
    """One `{ ... }` of the query, with what the rules above need to know about it."""

    kind: str  # where (the outermost WHERE), sub (a sub-select's WHERE), pattern (other groups), opaque
    open_offset: int
    parent: _Group | None
    sub: _SubSelect | None = None  # for kind == "sub": the sub-select whose WHERE group this is
    bound: set[str] = field(default_factory=set)  # of triple patterns directly in it (for *)
    parens: int = 0  # parenthesis depth inside this group, at its own level


@dataclass(eq=False)
class _SubSelect:
    wrapper: _Group  # the group `{ SELECT ... }` that holds it
    projected: set[str] = field(default_factory=set)  # plain projected variables
    star: bool = False
    group: _Group | None = None  # its WHERE group, once seen
    parens: int = 0  # parenthesis depth in its projection


def _groups(query: str, where_offset: int) -> list[_Group]:
    """Every group of the query in text order, the outermost WHERE group (at `where_offset`) among them."""
    groups: list[_Group] = []
    stack: list[_Group] = []
    projecting: _SubSelect | None = None  # a sub-select whose projection is being read
    finished: list[_SubSelect] = []  # sub-selects whose WHERE group closed; their wrapper holds modifiers
    pending: str | None = None  # VALUES or SERVICE: the next group is opaque
    for token in tokens(query):
        top = stack[-1] if stack else None
        in_modifiers = bool(finished) and top is finished[-1].wrapper
        upper = token.text.upper() if token.kind == "word" else ""
        if token.kind == "open":
            if projecting is not None and projecting.parens == 0:
                kind = "sub"
            elif token.start == where_offset:
                kind = "where"
            elif top is None or in_modifiers or projecting is not None or top.kind == "opaque":
                kind = "opaque"  # a CONSTRUCT template, or EXISTS in a projection or a HAVING: not a pattern
            else:
                kind = "opaque" if pending is not None else "pattern"
            group = _Group(kind, token.start, top)
            if kind == "sub" and projecting is not None:
                group.sub, projecting.group, projecting = projecting, group, None
            groups.append(group)
            stack.append(group)
            pending = None
        elif token.kind == "close":
            if not stack:
                break  # unbalanced: the parser will say so; nothing here depends on the rest
            closed = stack.pop()
            if closed.sub is not None:
                finished.append(closed.sub)
            elif finished and closed is finished[-1].wrapper:
                finished.pop()
        elif projecting is not None:
            _read_projection(projecting, token.kind, token.text)
        elif top is None:
            continue  # the prologue and the outer query's own clauses
        elif upper == "SELECT" and not in_modifiers and top.kind != "opaque":
            projecting = _SubSelect(top)
        elif in_modifiers:
            continue  # GROUP BY, ORDER BY, LIMIT...: no pattern, nothing bound
        elif token.kind == "other" and token.text in ("(", ")"):
            top.parens += 1 if token.text == "(" else -1
        elif upper in _OPAQUE_KEYWORDS:
            pending = upper
        elif token.kind == "var" and top.parens == 0 and pending is None:
            top.bound.add(token.text[1:])
    return groups


def _read_projection(sub: _SubSelect, kind: str, text: str) -> None:
    if kind == "other" and text in ("(", ")"):
        sub.parens += 1 if text == "(" else -1
    elif kind == "other" and text == "*" and sub.parens == 0:
        sub.star = True
    elif kind == "var" and sub.parens == 0:
        sub.projected.add(text[1:])


def _qualifies(group: _Group, name: str, memo: dict[int, bool]) -> bool:
    """Whether `group` (a sub-select's WHERE group) opens with ?name's VALUES block."""
    key = id(group)
    if key not in memo:
        memo[key] = _check(group, name, memo)
    return memo[key]


def _check(group: _Group, name: str, memo: dict[int, bool]) -> bool:
    sub = group.sub
    if sub is None:
        return False
    if name not in sub.projected and not (sub.star and name in group.bound):
        return False
    scope = sub.wrapper  # up to the nearest group that binds ?name: the outermost WHERE or a sub-select's
    while scope.kind not in ("where", "sub"):
        if scope.kind == "opaque" or scope.parent is None:
            return False
        scope = scope.parent
    return scope.kind == "where" or _qualifies(scope, name, memo)


def pushdown_groups(query: str, where_offset: int, names: Iterable[str]) -> list[tuple[int, list[str]]]:
    """(offset of a sub-select's `{`, the parameter names whose VALUES block may open it), in text order.

    `where_offset` is the outermost WHERE group's `{` (which always opens with every parameter).
    """
    wanted = list(names)
    memo_by_name: dict[str, dict[int, bool]] = {name: {} for name in wanted}
    found: list[tuple[int, list[str]]] = []
    for group in _groups(query, where_offset):
        if group.kind != "sub":
            continue
        chosen = [name for name in wanted if _qualifies(group, name, memo_by_name[name])]
        if chosen:
            found.append((group.open_offset, chosen))
    return found
