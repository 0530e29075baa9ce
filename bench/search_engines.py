"""Which library ranks the search: SQLite FTS5 (what coopkg uses), tantivy and bm25s on the same documents.

    .venv/bin/python bench/search_engines.py [--size 1M] [--queries 200]
    (tantivy and bm25s are not dependencies of coopkg: `pip install tantivy bm25s` first)

Reads the documents of the synthetic graph (bench/generate.py) through the store protocol as the gateway
does, analyses them once (jieba words, Snowball stems: coopkg.search.analysis), then builds each engine from
the same terms and runs the same word queries (top 20 with the total count). Prints build seconds and query
p50/p95 for each; docs/search.md quotes the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from coopkg.search.analysis import analyse, query_words  # noqa: E402
from coopkg.search.documents import read_documents  # noqa: E402
from coopkg.search.index import SearchIndex, SearchQuery  # noqa: E402
from coopkg.store.inprocess import InProcessStore  # noqa: E402
from search_bench import _data  # noqa: E402 - generates the graph if missing


def _ms(samples: list[float]) -> str:
    cut = statistics.quantiles(sorted(samples), n=100)
    return f"p50 {cut[49]:.2f} ms, p95 {cut[94]:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", default="1M")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    store = ox.Store()
    store.bulk_load(path=str(_data(args.size)), format=ox.RdfFormat.N_QUADS)
    documents = asyncio.run(read_documents(InProcessStore(store, version="bench", max_rows=10_000)))
    rng = random.Random(1)
    vocabulary = sorted(
        {w for d in documents[:3000] for t in (*d.zh, *d.en) for w in analyse(t, query=True).words}
    )
    texts = [rng.choice(vocabulary) for _ in range(args.queries)]
    print(f"{len(documents)} documents; {len(texts)} one-word queries from their vocabulary")

    started = time.perf_counter()
    fts = SearchIndex.build(documents, "bench")
    print(f"SQLite FTS5: build {time.perf_counter() - started:.2f} s (analysis included)")
    timings = []
    for text in texts:
        started = time.perf_counter()
        fts.search(SearchQuery(text))
        timings.append((time.perf_counter() - started) * 1000)
    print(f"SQLite FTS5: search (top 20, count, snippets) {_ms(timings)}")

    started = time.perf_counter()
    analysed = [
        (
            " ".join(w for t in d.zh for w in analyse(t).words),
            " ".join(w for t in d.en for w in analyse(t).words),
            " ".join(w for t in d.context for w in analyse(t).words),
        )
        for d in documents
    ]
    print(f"analysis alone (no memo): {time.perf_counter() - started:.2f} s")
    try:
        import tantivy
    except ImportError:
        print("tantivy: not installed (pip install tantivy)")
    else:
        builder = tantivy.SchemaBuilder()
        for name in ("zh", "en", "context"):
            builder.add_text_field(name, tokenizer_name="whitespace")
        builder.add_text_field("iri", stored=True, tokenizer_name="raw")
        schema = builder.build()
        with tempfile.TemporaryDirectory() as directory:
            started = time.perf_counter()
            index = tantivy.Index(schema, path=directory)
            writer = index.writer(heap_size=100_000_000, num_threads=1)
            for document, (zh, en, context) in zip(documents, analysed, strict=True):
                writer.add_document(tantivy.Document(iri=document.iri, zh=zh, en=en, context=context))
            writer.commit()
            writer.wait_merging_threads()
            index.reload()
            print(f"tantivy: build {time.perf_counter() - started:.2f} s (analysis not included)")
            searcher = index.searcher()
            timings = []
            for text in texts:
                words = [word.term for word in query_words(text)]
                started = time.perf_counter()
                clauses = [
                    (tantivy.Occur.Must, tantivy.Query.boolean_query([
                        (tantivy.Occur.Should, tantivy.Query.term_query(schema, "zh", word)),
                        (tantivy.Occur.Should, tantivy.Query.term_query(schema, "en", word)),
                        (tantivy.Occur.Should, tantivy.Query.boost_query(
                            tantivy.Query.term_query(schema, "context", word), 0.35)),
                    ]))
                    for word in words
                ]  # fmt: skip
                result = searcher.search(tantivy.Query.boolean_query(clauses), 20, count=True)
                [searcher.doc(address) for _, address in result.hits]
                timings.append((time.perf_counter() - started) * 1000)
            print(f"tantivy: search (top 20, count, no snippets) {_ms(timings)}")
    try:
        import bm25s
    except ImportError:
        print("bm25s: not installed (pip install bm25s)")
    else:
        corpus = [f"{zh} {en} {context}".split() for zh, en, context in analysed]
        started = time.perf_counter()
        retriever = bm25s.BM25()
        retriever.index(bm25s.tokenization.Tokenized(*_tokenized(corpus)), show_progress=False)
        print(
            f"bm25s: build {time.perf_counter() - started:.2f} s (one field: no column weights, no phrases)"
        )
        vocab = _tokenized(corpus)[1]
        timings = []
        for text in texts:
            ids = [[vocab[w.term] for w in query_words(text) if w.term in vocab]]
            started = time.perf_counter()
            if ids[0]:
                retriever.retrieve(ids, k=20, show_progress=False)
            timings.append((time.perf_counter() - started) * 1000)
        print(f"bm25s: search (top 20, no count, no filters) {_ms(timings)}")


_VOCAB: dict[int, tuple[list[list[int]], dict[str, int]]] = {}


def _tokenized(corpus: list[list[str]]) -> tuple[list[list[int]], dict[str, int]]:
    found = _VOCAB.get(id(corpus))
    if found is None:
        vocab: dict[str, int] = {}
        ids = [[vocab.setdefault(word, len(vocab)) for word in words] for words in corpus]
        found = _VOCAB[id(corpus)] = (ids, vocab)
    return found


if __name__ == "__main__":
    main()
