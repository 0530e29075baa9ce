"""The index: built from any store through SPARQL (paged under a small row limit), filters, paging, the
shared file named after the data version, rebuilding when the version changes."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox
import pytest

from coopkg.search.documents import read_documents
from coopkg.search.index import SearchIndex, SearchQuery
from coopkg.search.service import SearchService
from coopkg.store.base import Row, SelectResult, Term
from coopkg.store.inprocess import InProcessStore

P = "https://w3id.org/coopkg/id/programme/cn-dk-green-2023-2026/"


class CountingStore(InProcessStore):
    """An in-process store that counts the queries it is asked and can change its data version."""

    def __init__(self, store: ox.Store, version: str, max_rows: int = 10_000) -> None:
        super().__init__(store, version=version, max_rows=max_rows)
        self.selects = 0

    async def select(
        self, query: str, bindings: Mapping[str, Term] | None = None, *, timeout: float | None = None
    ) -> SelectResult:
        self.selects += 1
        return await super().select(query, bindings, timeout=timeout)

    async def select_all(self, query: str) -> list[Row]:
        self.selects += 1
        return await super().select_all(query)

    def change_version(self, version: str) -> None:
        self._version = version


def _documents(
    store: InProcessStore,
) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...], frozenset[str]]]:
    documents = asyncio.run(read_documents(store))
    return sorted(
        (d.iri, d.kind, tuple(sorted(d.zh)), tuple(sorted(d.en)), frozenset(d.facets)) for d in documents
    )


def test_a_store_that_cuts_answers_short_yields_the_same_documents(shipped_store: ox.Store) -> None:
    whole = _documents(InProcessStore(shipped_store, version="a", max_rows=100_000))
    paged = _documents(InProcessStore(shipped_store, version="a", max_rows=7))
    assert paged == whole
    kinds = {kind for _, kind, *_ in whole}
    assert kinds == {
        "commitment",
        "programme",
        "section",
        "area",
        "agency",
        "framework",
        "party",
        "goal",
        "target",
    }
    assert sum(kind == "commitment" for _, kind, *_ in whole) == 49


def test_filters_keep_only_documents_with_the_facet(shipped_index: SearchIndex) -> None:
    def iris(**facets: list[str]) -> set[str]:
        results = shipped_index.search(SearchQuery("合作", facets, ["commitment"], per_page=100))
        return {hit.iri for hit in results.hits}

    everything = iris()
    water = iris(goal=["6"])
    assert water
    assert water < everything
    assert iris(area=[P + "area/2"]) <= {iri for iri in everything if iri.startswith(P + "section/06/")}
    assert iris(framework=["https://w3id.org/coopkg/id/framework/paris-agreement"])
    assert iris(party=["https://w3id.org/coopkg/id/party/china"]) == everything
    assert iris(programme=["https://w3id.org/coopkg/id/programme/none"]) == set()


def test_pages_split_the_ranked_list_without_overlap(shipped_index: SearchIndex) -> None:
    whole = shipped_index.search(SearchQuery("合作", per_page=100))
    pages = [shipped_index.search(SearchQuery("合作", page=n, per_page=7)).hits for n in range(1, 100)]
    joined = [hit.iri for page in pages for hit in page]
    assert joined == [hit.iri for hit in whole.hits]
    assert whole.total == len(joined)
    assert shipped_index.search(SearchQuery("合作", page=10_000)).hits == []


def test_the_index_file_is_shared_by_every_process_of_the_same_data(
    shipped_store: ox.Store, tmp_path: Path
) -> None:
    store = CountingStore(shipped_store, "v1")
    first = asyncio.run(SearchService(tmp_path).index(store))
    built_with = store.selects
    assert built_with > 0
    assert first.path is not None
    assert first.path.is_file()
    # Another process (a second service) opens the file: not one query to the store.
    second = asyncio.run(SearchService(tmp_path).index(store))
    assert store.selects == built_with
    assert second.search(SearchQuery("海绵城市")).hits[0].iri == P + "section/05/item/4"


def test_a_new_data_version_builds_a_new_index_and_the_same_version_does_not(shipped_store: ox.Store) -> None:
    store = CountingStore(shipped_store, "v1")
    service = SearchService()

    async def twice_then_changed() -> tuple[SearchIndex, SearchIndex, SearchIndex]:
        one, two = await asyncio.gather(service.index(store), service.index(store))
        store.change_version("v2")
        return one, two, await service.index(store)

    one, two, three = asyncio.run(twice_then_changed())
    assert one is two
    assert three is not one
    assert three.version == "v2"


def test_a_file_of_another_format_or_version_is_not_opened(shipped_store: ox.Store, tmp_path: Path) -> None:
    stray = tmp_path / "not-an-index.sqlite"
    stray.write_bytes(b"not sqlite at all")
    with pytest.raises(ValueError, match="not a search index"):
        SearchIndex.open(stray, "v1")
    built = asyncio.run(SearchService(tmp_path).index(InProcessStore(shipped_store, version="v1")))
    assert built.path is not None
    with pytest.raises(ValueError, match="another format or data version"):
        SearchIndex.open(built.path, "v2")


def test_documents_read_a_programme_at_a_time_are_the_documents_read_at_once(
    invented_store: ox.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several programmes (the shipped one and the invented ones): one batch per programme gives the same
    documents as one batch for all of them, each document once."""
    from coopkg.search import documents

    store = InProcessStore(invented_store, version="a", max_rows=100_000)
    together = _documents(store)
    batches: list[list[documents.Document]] = []

    async def read() -> None:
        async for batch in documents.document_batches(store):
            batches.append(batch)

    monkeypatch.setattr(documents, "_GROUP", 1)
    asyncio.run(read())
    programmes = {iri for iri, kind, *_ in together if kind == "programme"}
    assert len(programmes) >= 3
    assert len(batches) == 1 + len(programmes)  # the shared things, then one per programme
    one_by_one = [document for batch in batches for document in batch]
    assert len({d.iri for d in one_by_one}) == len(one_by_one)
    assert _documents(store) == together
    assert (
        sorted(
            (d.iri, d.kind, tuple(sorted(d.zh)), tuple(sorted(d.en)), frozenset(d.facets)) for d in one_by_one
        )
        == together
    )


def test_an_index_written_in_batches_answers_as_one_written_at_once(shipped_store: ox.Store) -> None:
    from coopkg.search.index import IndexWriter

    documents = asyncio.run(read_documents(InProcessStore(shipped_store, version="a")))
    at_once = SearchIndex.build(documents, "a")
    writer = IndexWriter()
    for start in range(0, len(documents), 5):
        writer.add(documents[start : start + 5])
    in_batches = writer.finish("a")
    assert len(in_batches) == len(at_once) == len(documents)
    for text in ("合作", "海绵城市", "water", "联合委员会"):
        query = SearchQuery(text, per_page=100)
        assert in_batches.search(query) == at_once.search(query)


def test_a_build_that_fails_leaves_no_file_behind(shipped_store: ox.Store, tmp_path: Path) -> None:
    from coopkg.search.index import IndexWriter

    writer = IndexWriter(tmp_path / "index.sqlite")
    writer.add(asyncio.run(read_documents(InProcessStore(shipped_store, version="a")))[:3])
    assert len(list(tmp_path.iterdir())) == 1  # the scratch file, not yet the index
    writer.discard()
    assert list(tmp_path.iterdir()) == []


def test_the_programmes_block_opens_the_where_group_and_no_search_query_opens_with_a_union() -> None:
    """Opening: Oxigraph starts from the block there (a closing one it joins after evaluating the whole
    group: minutes per group at 10M triples); Virtuoso ignores a block followed directly by a UNION."""
    from coopkg.search.documents import query_text
    from coopkg.sparql.lexer import tokens
    from coopkg.sparql.text import opening_values

    query = 'SELECT ?x WHERE { ?x ?p "{" . { ?x ?q ?y } UNION { ?x ?r ?y } } ORDER BY ?x'
    bound = opening_values(query, "programme", [P + "a", P + "b"])
    assert bound == (
        f'SELECT ?x WHERE {{ VALUES ?programme {{ <{P}a> <{P}b> }}\n ?x ?p "{{" . {{ ?x ?q ?y }} UNION '
        "{ ?x ?r ?y } } ORDER BY ?x"
    )
    for name in ("search-commitments", "search-links", "search-parts"):
        kinds = [token.kind for token in tokens(query_text(name))]
        where = next(i for i, t in enumerate(tokens(query_text(name))) if t.text.upper() == "WHERE")
        # The WHERE group opens with a triple pattern (a variable), not with a group `{ ... } UNION`.
        assert kinds[where + 1 : where + 3] == ["open", "var"], name


def test_a_build_cancelled_while_a_batch_is_written_waits_for_it_then_leaves_no_file(
    shipped_store: ox.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The gateway cancels the start-up build when it stops: the writer's step still running in its thread
    must end before the writer is discarded from another (closing the connection under it crashed Python)."""
    import threading
    import time

    from coopkg.search.index import IndexWriter

    writing = threading.Event()
    real_add = IndexWriter._add

    def slow_add(self: IndexWriter, documents: object) -> None:
        writing.set()
        time.sleep(0.3)  # a batch still being written when the cancellation comes
        real_add(self, documents)  # type: ignore[arg-type]

    monkeypatch.setattr(IndexWriter, "_add", slow_add)

    async def cancel_midway() -> None:
        building = asyncio.ensure_future(
            SearchService(tmp_path).index(InProcessStore(shipped_store, version="v1"))
        )
        while not writing.is_set():
            await asyncio.sleep(0.01)
        building.cancel()
        with pytest.raises(asyncio.CancelledError):
            await building

    asyncio.run(cancel_midway())
    deadline = time.monotonic() + 10
    while any(tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)  # the discard runs in a worker thread once the batch is written
    assert list(tmp_path.iterdir()) == []
