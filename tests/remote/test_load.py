"""`coopkg load --to URL` into real stores: the Oxigraph server's /store and Virtuoso's digest-protected
/sparql-graph-crud-auth. Every named graph of the shipped dataset must arrive whole, a second load must
replace (not add to) each graph, a graph the data no longer has must go (and no graph of someone else's), and
a refused login is one clear line and exit 2.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from oxigraph_server import OxigraphServer
from virtuoso_server import DBA_PASSWORD, VirtuosoServer

from coopkg import resources
from coopkg.rdf.dataset import GRAPH_META, programme_graph, shipped_graphs

pytestmark = [pytest.mark.remote, pytest.mark.slow]
COOPKG = str(Path(sys.executable).parent / "coopkg")


def load(
    url: str, user: str | None = None, password: str | None = None, data_dir: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("COOPKG_")}
    if user is not None:
        env |= {"COOPKG_REMOTE_USER": user, "COOPKG_REMOTE_PASSWORD": password or ""}
    argv = [COOPKG, "load", "--to", url, *(["--data-dir", str(data_dir)] if data_dir else [])]
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)


def stored_graphs(query_url: str) -> set[str]:
    answer = httpx.post(
        query_url,
        data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    answer.raise_for_status()
    return {row["g"]["value"] for row in answer.json()["results"]["bindings"]}


def expected_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for source in shipped_graphs():
        triples = {str(quad.triple) for quad in ox.parse(path=source.path, format=source.format)}
        counts[source.graph] = counts.get(source.graph, 0) + len(triples)
    return counts


def stored_counts(query_url: str, graphs: list[str]) -> dict[str, int]:
    counts = {}
    for graph in graphs:
        answer = httpx.post(
            query_url,
            data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        answer.raise_for_status()
        counts[graph] = int(answer.json()["results"]["bindings"][0]["n"]["value"])
    return counts


def test_load_into_the_oxigraph_server_replaces_every_graph(oxigraph_path: Path, tmp_path: Path) -> None:
    server = OxigraphServer(oxigraph_path, tmp_path / "store", read_only=False)
    server.start()
    try:
        expected = expected_counts()
        for _ in range(2):  # the second load replaces: the counts stay the same
            done = load(server.graph_store_url)
            assert done.returncode == 0, done.stderr
            assert f"loaded {len(expected)} graphs" in done.stdout
            assert stored_counts(server.query_url, sorted(expected)) == expected
    finally:
        server.stop()


@pytest.mark.virtuoso
def test_load_into_virtuoso_with_digest_auth(virtuoso_paths: tuple[Path, Path], tmp_path: Path) -> None:
    server = VirtuosoServer(virtuoso_paths, tmp_path / "virtuoso")
    server.start()
    try:
        crud = f"{server.base_url}/sparql-graph-crud-auth"
        refused = load(crud, "dba", "wrong")
        assert refused.returncode == 2
        [line] = refused.stderr.strip().splitlines()
        assert "HTTP 401" in line
        assert "COOPKG_REMOTE_USER" in line
        assert "wrong" not in line
        expected = expected_counts()
        extra = load(crud, "dba", DBA_PASSWORD, data_dir=_data_with_an_extra_programme(tmp_path / "data"))
        assert extra.returncode == 0, extra.stderr
        for _ in range(2):
            done = load(crud, "dba", DBA_PASSWORD)
            assert done.returncode == 0, done.stderr
            assert stored_counts(server.query_url, sorted(expected)) == expected
        assert stored_counts(server.query_url, [GONE]) == {GONE: 0}  # removed by the first of the two
    finally:
        server.stop()


GONE = programme_graph("test-taken-out")  # an invented programme, loaded once and then taken out of the data
FOREIGN = "http://example.org/another-dataset"  # a graph of someone else sharing the store


def _data_with_an_extra_programme(folder: Path) -> Path:
    """A copy of the shipped data folder with one more (invented) programme graph, listed in its VoID."""
    shutil.copytree(resources.data_dir(), folder)
    generated = folder / "generated"
    (generated / "programme-test-taken-out.ttl").write_text(
        "<https://w3id.org/coopkg/id/programme/test-taken-out> a <https://w3id.org/coopkg/def#Programme> .\n",
        encoding="utf-8",
    )
    with (generated / "void.ttl").open("a", encoding="utf-8") as void:
        void.write(
            f"\n<https://w3id.org/coopkg/id/dataset/coopkg> <http://rdfs.org/ns/void#subset> <{GONE}> .\n"
        )
    return folder


def test_a_graph_the_data_no_longer_has_is_removed(oxigraph_path: Path, tmp_path: Path) -> None:
    server = OxigraphServer(oxigraph_path, tmp_path / "store", read_only=False)
    server.start()
    try:
        foreign = httpx.put(
            server.graph_store_url,
            params={"graph": FOREIGN},
            content=b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n",
            headers={"Content-Type": "application/n-triples"},
            timeout=60,
        )
        assert foreign.status_code in (200, 201, 204)
        first = load(server.graph_store_url, data_dir=_data_with_an_extra_programme(tmp_path / "data"))
        assert first.returncode == 0, first.stderr
        assert GONE in stored_graphs(server.query_url)
        second = load(server.graph_store_url)  # the shipped data: the invented programme is gone from it
        assert second.returncode == 0, second.stderr
        assert f"removed 1 graphs the data no longer has: {GONE}" in second.stdout
        graphs = stored_graphs(server.query_url)
        assert GONE not in graphs
        assert FOREIGN in graphs  # never ours to delete
        assert set(expected_counts()) <= graphs
        assert GRAPH_META in graphs
        third = load(server.graph_store_url)  # nothing stale left: nothing removed
        assert third.returncode == 0, third.stderr
        assert "removed" not in third.stdout
    finally:
        server.stop()


def test_an_unreachable_store_is_one_line_and_exit_2() -> None:
    done = load("http://127.0.0.1:9/store")
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("coopkg load: The Graph Store http://127.0.0.1:9/store cannot be reached")
