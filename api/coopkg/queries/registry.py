"""The named-query registry: every `queries/*.rq`, its header parsed into a `NamedQuery`, loaded once.

Header format (docs/design.md): the file opens with comment lines

    # title: Commitments aligned to an SDG goal or target
    # description: Commitments whose alignment points to the goal or target, or (for a goal) to its targets.
    # param: sdg iri "An SDG goal or target IRI, e.g. http://metadata.un.org/sdg/6"
    # param: lang enum(zh,en) = en "Language of the labels"

A default is a bare word or a double-quoted text. Loading checks more than the header, so that a defect shows
when the registry loads rather than on some later request: the query must be a SELECT that parses, every
parameter must occur in its WHERE clause and be projected (pyoxigraph's substitutions bind only projected
variables, and the VALUES block `run()` and the remote store use answers the same only then), and every
default must be a valid value of its type.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from coopkg import resources
from coopkg.errors import InvalidParameter, NotFound, QueryDefinitionError
from coopkg.queries.params import Param, ParamKind, parse_type
from coopkg.sparql.text import VARIABLE_NAME, variables_after, where_brace

QUERY_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_HEADER_LINE = re.compile(r"#\s*(?P<key>[A-Za-z]+)\s*:\s*(?P<value>.*?)\s*")
_PARAM = re.compile(
    r"(?P<name>\S+)\s+(?P<type>enum\([^)]*\)|\S+)"
    r"(?:\s*=\s*(?P<default>\"(?:[^\"\\]|\\.)*\"|[^\s\"]+))?"
    r"\s+\"(?P<description>(?:[^\"\\]|\\.)+)\""
)
_PARAM_SHAPE = 'NAME TYPE [= DEFAULT] "DESCRIPTION"'
_SINGLE_KEYS = ("title", "description", "search")
_REQUIRED_KEYS = ("title", "description")
# Query-string names the web API gives a meaning of its own, so a parameter may not take them.
RESERVED_NAMES = {"format": "the web API's content-negotiation override, ?format=csv"}


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    # `# search: TEXT [LANG]`: the query is answered from the search index (coopkg.search), not by matching
    # text in SPARQL: the commitments it finds for parameter TEXT (in the language LANG names) are bound as
    # VALUES (?commitment ?rank ?matchedIn) before the query runs (coopkg.queries.run.search_block).
    search: tuple[str, ...] = ()

    def param(self, name: str) -> Param | None:
        return next((param for param in self.params if param.name == name), None)


@dataclass(frozen=True)
class QueryRegistry(Mapping[str, NamedQuery]):
    """Named queries by name, in name order."""

    queries: Mapping[str, NamedQuery]

    def __getitem__(self, name: str) -> NamedQuery:
        return self.queries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.queries)

    def __len__(self) -> int:
        return len(self.queries)

    def get_query(self, name: str) -> NamedQuery:
        """The query called `name`, or NotFound listing the names that exist."""
        query = self.queries.get(name)
        if query is None:
            raise NotFound(f"no named query {name!r}; known queries: {', '.join(self.queries) or '(none)'}")
        return query


@cache
def default_registry() -> QueryRegistry:
    """The shipped queries (`coopkg.resources.queries_dir()`), parsed on first use and kept."""
    return load_registry(resources.queries_dir())


def load_registry(directory: Path) -> QueryRegistry:
    """Every `*.rq` of `directory`; QueryDefinitionError naming the file (and line) of the first defect."""
    paths = sorted(directory.glob("*.rq"))
    return QueryRegistry({path.stem: load_query(path) for path in paths})


def load_query(path: Path) -> NamedQuery:
    if not QUERY_NAME.fullmatch(path.stem):
        raise QueryDefinitionError(f"{path}: query file names are kebab-case (e.g. commitments-by-sdg.rq)")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QueryDefinitionError(f"{path}: cannot read the query file: {error}") from error
    fields, params = _parse_header(path, text)
    search = tuple(fields.get("search", "").split())
    unknown = [name for name in search if name not in {param.name for param in params}]
    if len(search) > 2 or unknown:
        raise QueryDefinitionError(
            f"{path}: '# search:' names the text parameter and, optionally, the language one"
        )
    query = NamedQuery(path.stem, fields["title"], fields["description"], params, text, search)
    _check_body(path, query)
    return query


def _parse_header(path: Path, text: str) -> tuple[dict[str, str], tuple[Param, ...]]:
    fields: dict[str, str] = {}
    params: list[Param] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        if not line[1:].strip():
            continue
        match = _HEADER_LINE.fullmatch(line)
        where = f"{path}:{number}"
        if match is None:
            raise QueryDefinitionError(f"{where}: header lines read '# key: value' (title/description/param)")
        key, value = match["key"], match["value"]
        if key == "param":
            params.append(_parse_param(where, value))
            if len({param.name for param in params}) != len(params):
                raise QueryDefinitionError(f"{where}: parameter {params[-1].name!r} is declared twice")
        elif key in _SINGLE_KEYS:
            if key in fields:
                raise QueryDefinitionError(f"{where}: '{key}' is given twice; write it on one line")
            if not value:
                raise QueryDefinitionError(f"{where}: '{key}' is empty")
            fields[key] = value
        else:
            raise QueryDefinitionError(
                f"{where}: unknown header key {key!r} (use title/description/param/search)"
            )
    for key in _REQUIRED_KEYS:
        if key not in fields:
            raise QueryDefinitionError(f"{path}:1: the header lacks '# {key}: ...'")
    return fields, tuple(params)


def _parse_param(where: str, value: str) -> Param:
    match = _PARAM.fullmatch(value)
    if match is None:
        raise QueryDefinitionError(f"{where}: a parameter reads '# param: {_PARAM_SHAPE}'; got {value!r}")
    name = match["name"]
    if not VARIABLE_NAME.fullmatch(name):
        raise QueryDefinitionError(f"{where}: parameter name {name!r} is not [A-Za-z_][A-Za-z0-9_]*")
    if name in RESERVED_NAMES:
        raise QueryDefinitionError(f"{where}: parameter name {name!r} is reserved ({RESERVED_NAMES[name]})")
    try:
        kind, choices = parse_type(match["type"])
    except ValueError as error:
        raise QueryDefinitionError(f"{where}: {error}") from None
    default = match["default"]
    if default is not None and default.startswith('"'):
        default = _unescape(default[1:-1])
    param = Param(name, kind, _unescape(match["description"]), default, choices)
    if default is not None:
        try:
            param.to_term(default)
        except InvalidParameter as error:
            raise QueryDefinitionError(f"{where}: bad default: {error.detail}") from None
    return param


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


_DRY_RUN_VALUES: dict[ParamKind, ox.NamedNode | ox.Literal] = {
    ParamKind.IRI: ox.NamedNode("urn:coopkg:dry-run"),
    ParamKind.STRING: ox.Literal(""),
    ParamKind.LANGSTRING: ox.Literal("", language="en"),
    ParamKind.INTEGER: ox.Literal(0),
}


def _check_body(path: Path, query: NamedQuery) -> None:
    """Parse the query (on an empty store: nothing to evaluate) with every parameter bound."""
    try:
        brace = where_brace(query.text)
    except ValueError as error:
        raise QueryDefinitionError(f"{path}: {error}; named queries write `WHERE {{` explicitly") from None
    used = variables_after(query.text, brace)
    for param in query.params:
        if param.name not in used and param.name not in query.search:  # search ones are bound by VALUES
            raise QueryDefinitionError(f"{path}: parameter ?{param.name} is declared but unused after WHERE")
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(param.name): _DRY_RUN_VALUES.get(param.kind) or ox.Literal(param.choices[0])
        for param in query.params
    }
    try:
        result = ox.Store().query(query.text, substitutions=substitutions, use_default_graph_as_union=True)
    except SyntaxError as error:
        raise QueryDefinitionError(f"{path}: SPARQL syntax error (at file line:column): {error}") from None
    except RuntimeError as error:  # pyoxigraph refuses substitutions of variables that are not projected
        raise QueryDefinitionError(f"{path}: {error}; project every parameter in SELECT") from None
    if not isinstance(result, ox.QuerySolutions):
        raise QueryDefinitionError(f"{path}: named queries are SELECT queries (their answers are tables)")
