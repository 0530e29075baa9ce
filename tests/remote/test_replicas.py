"""Replicas: two `coopkg serve` processes in front of one store agree on the data version (a fingerprint of
the VoID graph read from the store), so their ETags match, and both notice a reload of the store themselves.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from oxigraph_server import OxigraphServer

sys.path.insert(0, str(Path(__file__).parents[1] / "gateway"))
from coopkg.rdf.dataset import GRAPH_META, shipped_graphs
from live import Gateway

pytestmark = [pytest.mark.remote, pytest.mark.slow]
QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
NOTICED_WITHIN = 30.0  # seconds: the fingerprint is re-read every 5 s while queries come in


@pytest.fixture(scope="module")
def store_and_replicas(
    oxigraph_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[OxigraphServer, list[Gateway]]]:
    folder = tmp_path_factory.mktemp("replicas")
    server = OxigraphServer(oxigraph_path, folder / "store", read_only=False)
    server.load((source.graph, source.path) for source in shipped_graphs())
    server.start()
    env = {"COOPKG_STORE": "remote", "COOPKG_REMOTE_QUERY_URL": server.query_url}
    replicas = [Gateway(folder / f"serve-{number}.log", [], env) for number in (1, 2)]
    try:
        for replica in replicas:
            replica.start()
        yield server, replicas
    finally:
        for replica in replicas:
            replica.stop()
        server.stop()


def etag(replica: Gateway) -> str:
    answer = httpx.get(replica.sparql, params={"query": QUERY}, headers={"Accept": "text/csv"}, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.headers["etag"]


def test_replicas_agree_and_notice_a_reload(store_and_replicas: tuple[OxigraphServer, list[Gateway]]) -> None:
    server, replicas = store_and_replicas
    for replica in replicas:
        assert httpx.get(f"{replica.base}/ready", timeout=30).status_code == 200
    versions = {httpx.get(f"{replica.base}/ready", timeout=30).json()["version"] for replica in replicas}
    assert len(versions) == 1
    before = {etag(replica) for replica in replicas}
    assert len(before) == 1, "two gateways on one store give different ETags"

    # A reload: the rebuilt dataset's VoID description differs (here: one more triple in the meta graph).
    meta = next(source for source in shipped_graphs() if source.graph == GRAPH_META)
    body = meta.path.read_bytes() + b'\n<urn:coopkg:test:reload> <urn:coopkg:test:at> "1" .\n'
    answer = httpx.put(
        server.graph_store_url,
        params={"graph": GRAPH_META},
        content=body,
        headers={"Content-Type": "text/turtle"},
    )
    assert answer.status_code in (200, 201, 204), answer.text

    deadline = time.monotonic() + NOTICED_WITHIN
    after = before
    while time.monotonic() < deadline:
        after = {etag(replica) for replica in replicas}
        if after.isdisjoint(before) and len(after) == 1:
            break
        time.sleep(0.5)  # polling interval: the replicas re-read the fingerprint on their own schedule
    assert after.isdisjoint(before), "a replica kept serving the old data version"
    assert len(after) == 1, "the replicas disagree after the reload"
    stale = httpx.get(
        replicas[0].sparql,
        params={"query": QUERY},
        headers={"Accept": "text/csv", "If-None-Match": before.pop()},
    )
    assert stale.status_code == 200  # the old ETag no longer matches: the client gets the new answer
