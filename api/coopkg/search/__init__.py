"""Ranked bilingual search over commitments and the labels of what they link to (no HTTP here).

`documents` reads what to index from any store through SPARQL; `analysis` segments Chinese (jieba) and stems
English (Snowball); `index` keeps it in SQLite FTS5 and ranks by BM25; `service` builds it once per data
version and shares it. docs/search.md describes the whole.
"""
