"""The registry: every shipped `.rq` is complete and sound; malformed files fail with file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from coopkg import resources
from coopkg.errors import NotFound, QueryDefinitionError
from coopkg.queries.params import ParamKind
from coopkg.queries.registry import QueryRegistry, load_query, load_registry
from coopkg.sparql.text import variables_after, where_brace

QUERY_FILES = sorted(resources.queries_dir().glob("*.rq"))
PREFIXED_NAME = re.compile(r"(?<![\w?$:-])([A-Za-z][\w-]*):[A-Za-z_]")


def test_the_researcher_questions_are_all_there(registry: QueryRegistry) -> None:
    expected = {
        "programme-sections",  # sections with their commitments in document order
        "commitments-by-area",
        "commitments-by-sdg",
        "area-sdg-matrix",
        "commitments-by-framework",
        "mechanisms",
        "text-search",
        "commitment-provenance",
        "programme-overview",
    }
    assert expected <= set(registry)
    assert list(registry) == sorted(registry)
    assert len(registry) == len(QUERY_FILES)


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda path: path.stem)
def test_every_query_file_is_complete(path: Path) -> None:
    query = load_query(path)
    assert query.name == path.stem
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", query.name)
    assert len(query.title) >= 10
    assert len(query.description) >= 40
    body = query.text.split("\nSELECT", 1)[0]
    declared = set(re.findall(r"^PREFIX (\w+):", body, flags=re.MULTILINE))
    code = re.sub(r"^#.*$|<[^>\s]*>|\"[^\"]*\"", "", query.text, flags=re.MULTILINE)
    used = set(PREFIXED_NAME.findall(code))
    assert used <= declared, f"prefixes used but not declared: {used - declared}"
    assert declared <= used, f"prefixes declared but not used: {declared - used}"
    after_where = variables_after(query.text, where_brace(query.text))
    for param in query.params:
        assert param.description
        # A search-backed query's text parameter goes to the search index, not into the pattern.
        assert param.name in after_where or param.name in query.search
        # pyoxigraph binds only projected variables; the projection is what the SELECT line lists.
        assert re.search(rf"SELECT[^{{]*\?{param.name}\b", query.text), f"?{param.name} is not projected"
        if param.default is not None:
            param.to_term(param.default)


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda path: path.stem)
def test_every_query_parses_and_runs_on_an_empty_store(path: Path) -> None:
    query = load_query(path)
    result = ox.Store().query(query.text, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    assert list(result) == [] or "COUNT" in query.text  # an aggregate without groups still answers one row


def test_get_query_names_the_known_queries(registry: QueryRegistry) -> None:
    with pytest.raises(NotFound) as caught:
        registry.get_query("no-such-query")
    assert "no-such-query" in caught.value.detail
    assert "commitments-by-sdg" in caught.value.detail
    assert caught.value.status == 404


GOOD = """# title: A good query
# description: Finds things for the tests.
# param: thing iri "A thing"
# param: lang enum(zh,en) = en "A language"
# param: note string = "two words" "A note with a default of two words"
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing ?lang ?note ?label WHERE {
  ?thing rdfs:label ?label FILTER(LANG(?label) = ?lang && STR(?label) != ?note)
}
"""


def swap(old: str, new: str) -> str:
    """GOOD with one defect."""
    assert old in GOOD
    return GOOD.replace(old, new)


def _write(tmp_path: Path, text: str, name: str = "probe") -> Path:
    path = tmp_path / f"{name}.rq"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_header_is_parsed(tmp_path: Path) -> None:
    query = load_query(_write(tmp_path, GOOD))
    assert (query.name, query.title) == ("probe", "A good query")
    assert query.description == "Finds things for the tests."
    thing, lang, note = query.params
    assert (thing.name, thing.kind, thing.required) == ("thing", ParamKind.IRI, True)
    assert (lang.kind, lang.choices, lang.default) == (ParamKind.ENUM, ("zh", "en"), "en")
    assert note.default == "two words"
    assert query.param("lang") is lang
    assert query.param("nope") is None
    assert query.text == GOOD


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (swap("# title: A good query\n", ""), r"probe\.rq:1: the header lacks '# title: \.\.\.'"),
        (swap("# description: Finds things for the tests.\n", ""), "lacks '# description"),
        (swap("# title:", "# titel:"), r"probe\.rq:1: unknown header key 'titel'"),
        (swap("# title: A good query", "# title:"), r"probe\.rq:1: 'title' is empty"),
        (swap("# title: A good query", "# title: A\n# title: B"), r"probe\.rq:2: 'title' is given twice"),
        (swap("# param: thing iri", "# param: thing uri"), r"probe\.rq:3: unknown parameter type 'uri'"),
        (swap('"A thing"', "A thing"), r"probe\.rq:3: a parameter reads"),
        (swap("lang enum(zh,en) = en", "lang enum(zh,en) = fr"), r"probe\.rq:4: bad default: .*'lang'"),
        (swap("# param: thing", "# param: th-ing"), r"probe\.rq:3: parameter name 'th-ing'"),
        (
            swap("# param: note string", "# param: format string"),
            r"probe\.rq:5: .*'format' is reserved",
        ),
        (swap('"A language"', '"A language"\n# param: thing iri "again"'), "declared twice"),
        (swap("# title: A good query", "# just a remark"), r"probe\.rq:1: header lines read"),
        (swap("?thing rdfs:label", "?other rdfs:label"), r"parameter \?thing is declared but unused"),
        (swap("SELECT ?thing ?lang", "SELECT ?lang"), "project every parameter"),
        (swap("WHERE {", "{"), "no explicit `WHERE {`"),
        (swap("rdfs:label ?label FILTER", "rdfs:label ?label FILTR"), r"SPARQL syntax error"),
        (swap("SELECT ?thing ?lang ?note ?label WHERE", "ASK WHERE"), r"project every parameter|SELECT"),
    ],
)
def test_bad_files_are_refused_with_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(QueryDefinitionError, match=message) as caught:
        load_query(_write(tmp_path, text))
    assert str(tmp_path / "probe.rq") in caught.value.detail


def test_ask_queries_are_refused(tmp_path: Path) -> None:
    text = "# title: Ask\n# description: Whether anything exists.\nASK WHERE { ?s ?p ?o }\n"
    with pytest.raises(QueryDefinitionError, match="named queries are SELECT queries"):
        load_query(_write(tmp_path, text))


def test_file_names_are_kebab_case(tmp_path: Path) -> None:
    with pytest.raises(QueryDefinitionError, match="kebab-case"):
        load_query(_write(tmp_path, GOOD, name="Bad_Name"))


def test_load_registry_reads_every_rq_file(tmp_path: Path) -> None:
    _write(tmp_path, GOOD, name="b-query")
    _write(tmp_path, GOOD, name="a-query")
    (tmp_path / "notes.txt").write_text("not a query", encoding="utf-8")
    registry = load_registry(tmp_path)
    assert list(registry) == ["a-query", "b-query"]
    assert registry["a-query"].title == "A good query"
