"""The search index: SQLite FTS5 over pre-analysed terms, ranked by BM25 (docs/search.md says why FTS5).

Every document's text is analysed in Python (`coopkg.search.analysis`: jieba words, English stems, Han
characters) and stored as space-separated terms in four FTS5 columns: `zh` and `en` (the commitment's text
or the thing's labels), `context` (labels of what it belongs or links to, ranked lower) and `chars` (the Han
characters of `zh` one by one: the fallback that finds a word jieba cut differently, ranked lowest).
FTS5's own tokenizer only splits those terms at spaces. A query is turned into an FTS5 expression made only
of quoted terms of the same analysis, so no query text can reach FTS5's syntax: operators, quotes,
backslashes and control characters in a query are just not words.

The index is one SQLite database: in memory, or a file that any process on the machine opens read-only
(`SearchService` names it after the data version). Blocking: call it from a worker thread.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from coopkg.search import analysis
from coopkg.search.analysis import QueryWord
from coopkg.search.documents import Document

FORMAT = "coopkg-search-3"  # changes whenever the schema or the analysis does: old files are not reused
# BM25 weight of each column (zh, en, context, chars): the text itself first, its surroundings after.
WEIGHTS = (1.0, 1.0, 0.35, 0.2)
MAX_QUERY_CHARS = 256
Matched = Literal["all", "any", "none"]

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs(
  id INTEGER PRIMARY KEY, iri TEXT NOT NULL, kind TEXT NOT NULL, zh TEXT NOT NULL, en TEXT NOT NULL,
  notation TEXT, programme TEXT);
CREATE TABLE facets(facet TEXT NOT NULL, doc INTEGER NOT NULL);
CREATE VIRTUAL TABLE terms USING fts5(zh, en, context, chars, content='', tokenize='unicode61');
"""
_RANK = "bm25(terms, {}, {}, {}, {})".format(*WEIGHTS)
# SQL below is assembled only from these fixed fragments and `?` placeholders (hence the S608 waivers): every
# value from a request is a bound parameter.
_SEPARATOR = "\n"  # between several texts (labels) of one document in `docs`


@dataclass(frozen=True)
class SearchQuery:
    text: str
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)  # facet -> values (any of them)
    kinds: Sequence[str] = ()  # empty: every kind
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True)
class Hit:
    iri: str
    kind: str
    score: float  # BM25, higher is better
    zh: tuple[str, ...]
    en: tuple[str, ...]
    notation: str | None
    programme: str | None
    snippets: dict[str, list[tuple[str, bool]]]  # language -> (piece, matched) pairs


@dataclass(frozen=True)
class Results:
    total: int
    hits: list[Hit]
    matched: Matched  # "all" words, or (when no document has them all) "any" of them; "none": no word
    words: list[str]  # the query's terms, as analysed


class _Analyser:
    """Analysis of one build, remembering the terms of labels (they recur on thousands of commitments); a
    commitment's own text occurs once and is not remembered, so the memory stays that of the labels."""

    def __init__(self) -> None:
        self._memo: dict[str, tuple[str, str, tuple[str, ...]]] = {}

    @staticmethod
    def _analyse(text: str) -> tuple[str, str, tuple[str, ...]]:
        """The text's words and Han characters as space-separated terms, and its distinct words."""
        analysed = analysis.analyse(text)
        return " ".join(analysed.words), " ".join(analysed.chars), tuple(dict.fromkeys(analysed.words))

    def __call__(self, text: str, *, recurs: bool = True) -> tuple[str, str, tuple[str, ...]]:
        if not recurs:
            return self._memo.get(text) or self._analyse(text)
        found = self._memo.get(text)
        if found is None:
            found = self._memo[text] = self._analyse(text)
        return found


def _connect(path: str, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    return sqlite3.connect(path, check_same_thread=False)


class IndexWriter:
    """Fills a new index batch by batch (`add`), so the documents of a big graph never sit in memory all at
    once; `finish` adds what needs every document (the facet index, FTS5's merge) and opens the index.
    Blocking: call it from a worker thread. Its calls never overlap: a build cancelled while a step runs in a
    thread discards the writer from another thread, which then waits for that step (closing an SQLite
    connection in use crashes the process)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._scratch: str | None = None
        if path is None:
            self._connection = _connect(":memory:")
        else:  # written aside, then renamed into place: a process never opens a half-written index
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, self._scratch = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
            os.close(handle)
            self._connection = _connect(self._scratch)
        self._connection.executescript(_SCHEMA)
        self._connection.execute("PRAGMA journal_mode = OFF")  # a new file, renamed into place when complete
        self._connection.execute("PRAGMA synchronous = OFF")
        self._analyse = _Analyser()
        self._count = 0
        self._lock = threading.Lock()
        self._ended = False  # finished or discarded

    def add(self, documents: Iterable[Document]) -> None:
        with self._lock:
            if self._ended:
                raise RuntimeError("the index writer has ended")
            self._add(documents)

    def _add(self, documents: Iterable[Document]) -> None:
        docs, facets, terms = [], [], []
        for document in documents:
            self._count += 1
            number = self._count
            recurs = document.kind != "commitment"  # a thing's labels recur as context; a text does not
            zh = [self._analyse(text, recurs=recurs) for text in document.zh]
            en = [self._analyse(text, recurs=recurs) for text in document.en]
            # The labels around a document count once each word: they place it, the text itself ranks it.
            context = dict.fromkeys(word for text in document.context for word in self._analyse(text)[2])
            docs.append(
                (
                    number,
                    document.iri,
                    document.kind,
                    _SEPARATOR.join(document.zh),
                    _SEPARATOR.join(document.en),
                    document.notation,
                    document.programme,
                )
            )
            facets += [(facet, number) for facet in sorted({*document.facets, f"kind={document.kind}"})]
            terms.append(
                (
                    number,
                    " ".join(words for words, _, _ in zh),
                    " ".join(words for words, _, _ in en),
                    " ".join(context),
                    " ".join(chars for _, chars, _ in zh),
                )
            )
        self._connection.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)", docs)
        self._connection.executemany("INSERT INTO facets VALUES (?, ?)", facets)
        self._connection.executemany(
            "INSERT INTO terms(rowid, zh, en, context, chars) VALUES (?, ?, ?, ?, ?)", terms
        )
        self._connection.commit()

    def __len__(self) -> int:
        return self._count

    def finish(self, version: str) -> SearchIndex:
        with self._lock:
            if self._ended:
                raise RuntimeError("the index writer has ended")
            self._ended = True
            return self._finish(version)

    def _finish(self, version: str) -> SearchIndex:
        connection = self._connection
        try:
            connection.execute("CREATE INDEX facets_by_name ON facets(facet, doc)")
            meta = [("format", FORMAT), ("version", version)]
            connection.executemany("INSERT INTO meta VALUES (?, ?)", meta)
            connection.execute("INSERT INTO terms(terms) VALUES ('optimize')")
            connection.commit()
        except BaseException:
            self._discard()
            raise
        if self.path is None:
            return SearchIndex(connection, version)
        connection.close()
        assert self._scratch is not None
        Path(self._scratch).replace(self.path)
        return SearchIndex.open(self.path, version)

    def discard(self) -> None:
        """Drop a build that will not finish (its scratch file too); nothing once it has finished."""
        with self._lock:
            if not self._ended:
                self._ended = True
                self._discard()

    def _discard(self) -> None:
        self._connection.close()
        if self._scratch is not None:
            Path(self._scratch).unlink(missing_ok=True)


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


# Which columns a word is looked for in: everything (search), the texts themselves (a filter on the
# commitments' text), or one language of them.
Fields = Literal["all", "any", "zh", "en"]
_COLUMNS: dict[str, tuple[str, bool]] = {  # fields -> (FTS5 column filter, also the Han characters?)
    "all": ("{zh en context}", True),
    "any": ("{zh en}", True),
    "zh": ("zh", True),
    "en": ("en", False),
}


def _word_expression(word: QueryWord, fields: Fields = "all") -> str:
    columns, chars = _COLUMNS[fields]
    expression = f"{columns} : {_quoted(word.term)}"
    if (
        word.chars and chars
    ):  # a Han word: also its characters in a row, wherever jieba cut the text otherwise
        expression = f"({expression} OR chars : {_quoted(' '.join(word.chars))})"
    return expression


class SearchIndex:
    """An open index. Safe to share between threads (one query at a time; each takes milliseconds)."""

    def __init__(self, connection: sqlite3.Connection, version: str, path: Path | None = None) -> None:
        self._connection = connection
        self.version = version
        self.path = path
        self._lock = threading.Lock()

    @classmethod
    def build(cls, documents: Iterable[Document], version: str, path: Path | None = None) -> SearchIndex:
        """Index `documents`: in memory, or into the file `path` (see `IndexWriter`)."""
        writer = IndexWriter(path)
        try:
            writer.add(documents)
        except BaseException:
            writer.discard()
            raise
        return writer.finish(version)

    @classmethod
    def open(cls, path: Path, version: str) -> SearchIndex:
        """The index file at `path`; ValueError when it is not one of this format and data version."""
        connection = _connect(str(path), read_only=True)
        try:
            meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as error:
            connection.close()
            raise ValueError(f"{path} is not a search index ({error})") from None
        if meta.get("format") != FORMAT or meta.get("version") != version:
            connection.close()
            raise ValueError(f"{path} is an index of another format or data version")
        return cls(connection, version, path)

    def close(self) -> None:
        self._connection.close()

    def __len__(self) -> int:
        with self._lock:
            return int(self._connection.execute("SELECT count(*) FROM docs").fetchone()[0])

    def search(self, query: SearchQuery) -> Results:
        words = analysis.query_words(query.text)
        if not words:
            return Results(0, [], "none", [])
        matched: Matched = "all"
        total, rows = self._ranked(" AND ".join(map(_word_expression, words)), query)
        # No document has every word: any of them will do, but not a lone Han character (中, 的-like words
        # match most of the texts and would bury everything else).
        weighty = [word for word in words if len(word.chars) != 1]
        if total == 0 and len(weighty) > 1:
            matched = "any"
            total, rows = self._ranked(" OR ".join(map(_word_expression, weighty)), query)
        hits = [self._hit(row, words) for row in rows]
        return Results(total, hits, matched, [word.term for word in words])

    def matching(self, text: str, kind: str, fields: Fields = "any", limit: int = 100_000) -> dict[str, int]:
        """The documents of `kind` (at most `limit`) whose `fields` have all the words of `text`, with their
        rank (0 is best). `any`: the texts themselves in either language, not the labels around them."""
        words = analysis.query_words(text)
        if not words:
            return {}
        expression = " AND ".join(_word_expression(word, fields) for word in words)
        where, parameters = self._where(expression, SearchQuery(text, kinds=[kind]))
        sql = (
            f"SELECT docs.iri FROM (SELECT rowid AS id, {_RANK} AS rank FROM terms WHERE {where} "  # noqa: S608
            "ORDER BY rank, rowid LIMIT ?) AS hits JOIN docs ON docs.id = hits.id ORDER BY hits.rank, hits.id"
        )
        parameters.append(limit)
        with self._lock:
            rows = self._connection.execute(sql, parameters).fetchall()
        return {iri: rank for rank, (iri,) in enumerate(rows)}

    def _where(self, expression: str, query: SearchQuery) -> tuple[str, list[object]]:
        """The WHERE clause over `terms` alone (filters are facets: no join until the page is chosen)."""
        clauses = ["terms MATCH ?"]
        parameters: list[object] = [expression]
        wanted = dict(query.filters)
        if query.kinds:
            wanted["kind"] = list(query.kinds)
        for facet, values in sorted(wanted.items()):
            if values:
                marks = ", ".join("?" * len(values))
                # `+rowid`: a test per hit, not a full-text query per listed row (FTS5 would take IN as that)
                clauses.append(f"+rowid IN (SELECT doc FROM facets WHERE facet IN ({marks}))")  # noqa: S608
                parameters += [f"{facet}={value}" for value in values]
        return " AND ".join(clauses), parameters

    def _ranked(self, expression: str, query: SearchQuery) -> tuple[int, list[tuple[object, ...]]]:
        where, parameters = self._where(expression, query)
        offset = (query.page - 1) * query.per_page
        with self._lock:
            count = f"SELECT count(*) FROM terms WHERE {where}"  # noqa: S608
            total = int(self._connection.execute(count, parameters).fetchone()[0])
            rows = (
                self._connection.execute(
                    "SELECT docs.iri, docs.kind, hits.rank, docs.zh, docs.en, docs.notation, docs.programme "  # noqa: S608
                    f"FROM (SELECT rowid AS id, {_RANK} AS rank FROM terms WHERE {where} "
                    "ORDER BY rank, rowid LIMIT ? OFFSET ?) AS hits "
                    "JOIN docs ON docs.id = hits.id ORDER BY hits.rank, hits.id",
                    [*parameters, query.per_page, offset],
                ).fetchall()
                if offset < total
                else []
            )
        return total, rows

    @staticmethod
    def _hit(row: tuple[object, ...], words: list[QueryWord]) -> Hit:
        iri, kind, rank, zh, en, notation, programme = row
        texts = {"zh": str(zh).split(_SEPARATOR) if zh else [], "en": str(en).split(_SEPARATOR) if en else []}
        snippets: dict[str, list[tuple[str, bool]]] = {}
        for lang, candidates in texts.items():
            if not candidates:
                continue
            # The text (or label) with the most matched spans, else the first one.
            scored = [(analysis.spans(text, words), -i, text) for i, text in enumerate(candidates)]
            matched, _, best = max(scored, key=lambda item: (len(item[0]), item[1]))
            snippets[lang] = list(analysis.snippet(best, matched))
        return Hit(
            iri=str(iri),
            kind=str(kind),
            score=round(-float(rank), 4),  # type: ignore[arg-type]
            zh=tuple(texts["zh"]),
            en=tuple(texts["en"]),
            notation=None if notation is None else str(notation),
            programme=None if programme is None else str(programme),
            snippets=snippets,
        )
