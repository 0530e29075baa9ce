"""bench/generate.py: deterministic, sized, and faithful to the source texts it generates."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[2]
OA = "http://www.w3.org/ns/oa#"
COOP = "https://w3id.org/coopkg/def#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench/generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def generator() -> ModuleType:
    return _load_generator()


@pytest.fixture(scope="session")
def sample(generator: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """30k triples (a few programmes) with their source texts."""
    sources = tmp_path_factory.mktemp("sources")
    out = io.StringIO()
    list(generator.generate(out, triples=30_000, seed=7, quads=True, shipped=True, sources_dir=sources))
    return out.getvalue(), sources


@pytest.fixture(scope="session")
def store(sample: tuple[str, Path]) -> ox.Store:
    store = ox.Store()
    store.load(sample[0].encode(), format=ox.RdfFormat.N_QUADS)
    return store


def _union(store: ox.Store, query: str) -> list[ox.QuerySolution]:
    return list(store.query(query, use_default_graph_as_union=True))


def test_same_seed_same_bytes_other_seed_other_bytes(generator: ModuleType, sample: tuple[str, Path]) -> None:
    again, other = io.StringIO(), io.StringIO()
    list(generator.generate(again, triples=30_000, seed=7, quads=True, shipped=True, sources_dir=None))
    list(generator.generate(other, triples=30_000, seed=8, quads=True, shipped=True, sources_dir=None))
    assert again.getvalue() == sample[0]
    assert other.getvalue() != sample[0]


def test_size_is_close_to_the_request_and_every_line_is_a_distinct_quad(
    sample: tuple[str, Path], store: ox.Store
) -> None:
    lines = sample[0].splitlines()
    assert 30_000 <= len(lines) <= 30_000 + 4_000  # stops after the programme that crosses the target
    assert len(store) == len(lines)  # no duplicate quads: every subject block is written once


def test_every_quote_is_the_exact_slice_of_its_generated_source(
    store: ox.Store, sample: tuple[str, Path]
) -> None:
    rows = _union(
        store,
        f"""SELECT ?doc ?start ?end ?exact WHERE {{
              ?r <{OA}hasSource> ?doc ; <{OA}hasSelector> ?p , ?q .
              ?p <{OA}start> ?start ; <{OA}end> ?end . ?q <{OA}exact> ?exact }}""",
    )
    assert len(rows) > 100
    texts: dict[str, str] = {}
    for row in rows:
        slug = row["doc"].value.split("/")[-2]
        if slug not in texts:
            texts[slug] = (sample[1] / f"{slug}.txt").read_text(encoding="utf-8")
        start, end = int(row["start"].value), int(row["end"].value)
        assert texts[slug][start:end] == row["exact"].value, (slug, start, end)


def test_commitment_text_is_the_quote_without_pdf_line_breaks(store: ox.Store) -> None:
    rows = _union(
        store,
        f"""SELECT ?text ?exact ?kind WHERE {{
              ?c a <{COOP}Commitment> ; <{COOP}text> ?text ; <{COOP}statedAs> ?kind ;
                 <{COOP}source>/<{OA}hasSelector>/<{OA}exact> ?exact }}""",
    )
    assert len(rows) > 50
    for row in rows:
        raw = row["exact"].value.replace("\n\n", "")
        if row["kind"].value.endswith("EnumeratedItem"):
            raw = raw[raw.index("）") + 1 :]  # the item's notation is in the span, not in the text
        assert raw == row["text"].value


def test_alignments_point_to_real_sdg_targets_and_every_commitment_has_an_english_rendering(
    store: ox.Store,
) -> None:
    unknown = _union(
        store,
        f"""SELECT ?t WHERE {{ ?a <{COOP}alignedTo> ?t .
              FILTER NOT EXISTS {{ GRAPH <https://w3id.org/coopkg/id/graph/sdg> {{
                ?t a <http://metadata.un.org/sdg/ontology#Target> }} }} }}""",
    )
    assert unknown == []
    untranslated = _union(
        store,
        f"""SELECT ?c WHERE {{ ?c a <{COOP}Commitment> .
              FILTER NOT EXISTS {{ ?c <{COOP}translation>/<{RDF}value> ?v }}
            }}""",
    )
    assert untranslated == []


def test_size_words_and_bad_sizes(generator: ModuleType) -> None:
    assert generator.parse_size("10M") == 10_000_000
    assert generator.parse_size("2_500") == 2500
    with pytest.raises(Exception, match="use one of"):
        generator.parse_size("lots")


def test_source_documents_carry_the_digest_of_the_written_text(
    store: ox.Store, sample: tuple[str, Path]
) -> None:
    rows = _union(store, f"SELECT ?file ?sha WHERE {{ ?d <{COOP}sourceFile> ?file ; <{COOP}sha256> ?sha }}")
    assert rows
    for row in rows:
        data = (sample[1] / Path(row["file"].value).name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha"].value


def test_every_coop_term_used_is_declared_in_the_ontology(sample: tuple[str, Path]) -> None:
    ontology = ox.Store()
    ontology.bulk_load(path=str(ROOT / "ontology/coopkg.ttl"), format=ox.RdfFormat.TURTLE)
    declared = {q.subject.value for q in ontology.quads_for_pattern(None, None, None)}
    used = set()
    for quad in ox.parse(sample[0].encode(), format=ox.RdfFormat.N_QUADS):
        for term in (quad.predicate, quad.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(COOP):
                used.add(term.value)
    assert used
    assert used - declared == set()


def test_generated_data_has_no_shape_violation(generator: ModuleType, tmp_path: Path) -> None:
    """`coopkg validate` on a 10k sample, quotes checked against the generated source texts beside it.

    Warnings remain by design: synthetic partner countries have no hand-verified Wikidata link.
    """
    from click.testing import CliRunner

    from coopkg.commands.validate import command

    data = tmp_path / "sample.nt"
    with data.open("w", encoding="utf-8") as out:
        list(
            generator.generate(
                out, triples=10_000, seed=11, quads=False, shipped=True, sources_dir=tmp_path / "sources"
            )
        )
    result = CliRunner().invoke(command, ["--fail-on", "violation", str(data)])
    assert result.exit_code == 0, result.output
    assert "0 violations" in result.output
