"""coopkg.rdf.dataset: the list of shipped graphs, loading, and clear errors for missing or broken files."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest

import coopkg
from coopkg.errors import UnusableInput
from coopkg.rdf import dataset

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_graphs_follow_the_design() -> None:
    sources = dataset.shipped_graphs()
    by_graph: dict[str, list[str]] = {}
    for source in sources:
        assert source.path.is_file(), source.path
        by_graph.setdefault(source.graph, []).append(source.path.relative_to(ROOT).as_posix())
    assert by_graph == {
        "https://w3id.org/coopkg/id/graph/ontology": ["ontology/coopkg.ttl"],
        "https://w3id.org/coopkg/id/graph/sdg": [
            "data/sdg/sdg-kos-goals-targets-indicators.ttl",
            "data/sdg/sdgs-ontology.ttl",
        ],
        "https://w3id.org/coopkg/id/graph/programme/cn-dk-green-2023-2026": [
            "data/generated/programme-cn-dk-green-2023-2026.ttl"
        ],
        "https://w3id.org/coopkg/id/graph/curated": ["data/generated/curated.ttl"],
        "https://w3id.org/coopkg/id/graph/derived": ["data/generated/derived.ttl"],
        "https://w3id.org/coopkg/id/graph/meta": ["data/generated/void.ttl"],
    }
    assert all(source.format == ox.RdfFormat.TURTLE for source in sources)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    source = dataset.GraphSource(dataset.GRAPH_CURATED, tmp_path / "curated.ttl")
    with pytest.raises(UnusableInput, match=r"curated.ttl: missing .*coopkg build"):
        dataset.load_into(ox.Store(), [source])


def test_malformed_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(UnusableInput, match=r"broken\.ttl: not valid Turtle"):
        dataset.load_into(ox.Store(), [dataset.GraphSource(dataset.GRAPH_CURATED, path)])


def test_loads_into_the_named_graph(tmp_path: Path) -> None:
    path = tmp_path / "one.ttl"
    path.write_text("<http://e.org/s> <http://e.org/p> 1 .", encoding="utf-8")
    store = ox.Store()
    dataset.load_into(store, [dataset.GraphSource(dataset.GRAPH_META, path)])
    assert [q.graph_name for q in store] == [ox.NamedNode(dataset.GRAPH_META)]


@pytest.mark.slow
def test_wheel_carries_the_rdf_folders(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", str(ROOT), "-w", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    wheels = list(tmp_path.glob("coopkg-*.whl"))
    assert len(wheels) == 1
    names = set(zipfile.ZipFile(wheels[0]).namelist())
    for required in (
        "coopkg/_resources/ontology/coopkg.ttl",
        "coopkg/_resources/data/generated/programme-cn-dk-green-2023-2026.ttl",
        "coopkg/_resources/data/generated/curated.ttl",
        "coopkg/_resources/data/generated/void.ttl",
        "coopkg/_resources/data/sdg/sdg-kos-goals-targets-indicators.ttl",
        "coopkg/_resources/data/sources/000_e060dfadf5293257.txt",
        "coopkg/rdf/dataset.py",
        "coopkg/reader/parser.py",
        "coopkg/templates/base.html",
        "coopkg/static/coopkg.css",
    ):
        assert required in names, required
    # The query editor's bundle is gitignored (built by `make assets`) and shipped as a hatch artifact.
    if (ROOT / "api/coopkg/static/query-editor.js").is_file():
        assert {"coopkg/static/query-editor.js", "coopkg/static/query-editor.css"} <= names
    # The import name is `coopkg`: nothing else lands at the top of site-packages.
    assert {name.split("/")[0] for name in names} == {"coopkg", f"coopkg-{coopkg.__version__}.dist-info"}
