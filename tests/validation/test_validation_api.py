"""`POST /validate` in the app: body or upload, report by Accept, clear 400/413/415, off the event loop."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace
from validation_examples import INVALID_DIR, VALID_DIR

from coopkg.settings import Settings
from coopkg.web.app import create_app

SH = Namespace("http://www.w3.org/ns/shacl#")
SOURCE_TEXT = VALID_DIR / "sources" / "test-fixture-2024-2025.txt"
MAX_BODY = 2_000  # the query body limit: uploads do not share it
MAX_UPLOAD = 200_000


@pytest.fixture(scope="module")
def client(valid_file: Path) -> Iterator[TestClient]:
    # The served graph is the example itself, so we can check that validating never changes it.
    settings = Settings(data=[valid_file], workers=1, max_body=MAX_BODY, max_upload=MAX_UPLOAD)
    with TestClient(create_app(settings)) as instance:
        yield instance


def upload(path: Path, with_text: bool = True) -> dict[str, object]:
    files: list[tuple[str, tuple[str, bytes, str]]] = [
        ("file", (path.name, path.read_bytes(), "text/turtle"))
    ]
    if with_text:
        files.append(("source", (SOURCE_TEXT.name, SOURCE_TEXT.read_bytes(), "text/plain")))
    return {"files": files}


def test_a_valid_upload_with_its_source_text_conforms(client: TestClient, valid_file: Path) -> None:
    response = client.post("/validate", **upload(valid_file))  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["conforms"] is True
    assert report["counts"] == {"violation": 0, "warning": 0, "info": 0}
    assert response.headers["Coopkg-Conforms"] == "true"


def test_without_its_source_text_the_quotes_are_not_checked_and_it_says_so(
    client: TestClient, valid_file: Path
) -> None:
    response = client.post(
        "/validate", content=valid_file.read_bytes(), headers={"Content-Type": "text/turtle"}
    )
    report = response.json()
    assert report["counts"]["warning"] == 1
    (result,) = report["results"]
    assert result["sourceShape"].endswith("#SourceText-value")


def test_an_invalid_upload_names_shape_and_focus(client: TestClient) -> None:
    response = client.post("/validate", **upload(INVALID_DIR / "notation-unique.ttl"))  # type: ignore[arg-type]
    report = response.json()
    assert response.status_code == 200
    assert report["conforms"] is False
    assert report["counts"]["violation"] == 2
    assert {r["sourceShape"].split("#")[1] for r in report["results"]} == {"NotationUniqueShape"}
    assert response.headers["Coopkg-Violations"] == "2"


@pytest.mark.parametrize(
    ("accept", "rdf_format"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld")]
)
def test_the_report_as_rdf_by_accept(client: TestClient, accept: str, rdf_format: str) -> None:
    response = client.post(
        "/validate",
        **upload(INVALID_DIR / "period-order.ttl"),
        headers={"Accept": accept},  # type: ignore[arg-type]
    )
    assert response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.text, format=rdf_format)
    assert (None, SH.conforms, Literal(False)) in graph
    assert len(list(graph.objects(None, SH.result))) == 1


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        (
            "application/n-triples",
            b'<https://w3id.org/coopkg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .',
        ),
        (
            "application/ld+json",
            json.dumps({"@id": "https://w3id.org/coopkg/id/x", "http://x/p": "y"}).encode(),
        ),
        ("application/rdf+xml", b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'),
    ],
)
def test_content_type_picks_the_parser(client: TestClient, content_type: str, body: bytes) -> None:
    response = client.post("/validate", content=body, headers={"Content-Type": content_type})
    assert response.status_code == 200, response.text
    assert response.json()["conforms"] is True


def test_a_syntax_error_is_a_400_with_line_and_column(client: TestClient) -> None:
    body = b'@prefix x: <http://x/> .\nx:a x:b x:c ;\n  x:d "open .\n'
    response = client.post("/validate", content=body, headers={"Content-Type": "text/turtle"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"].startswith("request body:3:")


def test_a_remote_jsonld_context_is_refused_not_fetched(client: TestClient) -> None:
    body = json.dumps(
        {"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://x/a", "p": "v"}
    ).encode()
    started = time.monotonic()
    response = client.post("/validate", content=body, headers={"Content-Type": "application/ld+json"})
    assert response.status_code == 400
    assert "never fetched" in response.json()["detail"]
    assert time.monotonic() - started < 30


def test_an_unsupported_media_type_is_a_415(client: TestClient) -> None:
    response = client.post("/validate", content=b"hello", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert "text/turtle" in response.json()["detail"]


def test_a_body_over_the_upload_limit_is_a_413_naming_the_setting(client: TestClient) -> None:
    body = b"# " + b"x" * MAX_UPLOAD + b"\n"
    response = client.post("/validate", content=body, headers={"Content-Type": "text/turtle"})
    assert response.status_code == 413
    assert "COOPKG_MAX_UPLOAD" in response.json()["detail"]
    as_file = client.post("/validate", files={"file": ("big.ttl", body, "text/turtle")})
    assert as_file.status_code == 413


def test_uploads_have_their_own_limit_apart_from_the_query_body_limit(client: TestClient) -> None:
    body = b"# " + b"x" * (MAX_BODY * 10) + b"\n"
    response = client.post("/validate", content=body, headers={"Content-Type": "text/turtle"})
    assert response.status_code == 200, response.text
    as_file = client.post("/validate", files={"file": ("big.ttl", body, "text/turtle")})
    assert as_file.status_code == 200, as_file.text
    query = "ASK {} #" + "x" * MAX_BODY
    too_long = client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"})
    assert too_long.status_code == 413


def test_an_upload_without_a_file_part_is_a_400(client: TestClient) -> None:
    response = client.post("/validate", files={"other": ("a.ttl", b"", "text/turtle")})
    assert response.status_code == 400
    assert "`file` part" in response.json()["detail"]


def test_an_unacceptable_accept_is_a_406(client: TestClient, valid_file: Path) -> None:
    response = client.post(
        "/validate",
        content=valid_file.read_bytes(),
        headers={"Content-Type": "text/turtle", "Accept": "image/png"},
    )
    assert response.status_code == 406


def test_validation_never_changes_the_served_graph(client: TestClient) -> None:
    marker = (
        b'<https://w3id.org/coopkg/id/upload-marker> <http://www.w3.org/2000/01/rdf-schema#label> "m"@en .'
    )
    assert (
        client.post(
            "/validate", content=marker, headers={"Content-Type": "application/n-triples"}
        ).status_code
        == 200
    )
    ask = client.get(
        "/sparql",
        params={"query": "ASK { <https://w3id.org/coopkg/id/upload-marker> ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert ask.status_code == 200
    assert ask.json()["boolean"] is False


def test_the_service_answers_while_a_validation_runs(client: TestClient) -> None:
    big = (INVALID_DIR / "defined-terms.ttl").read_bytes()
    finished = threading.Event()

    def validate() -> None:
        for _ in range(3):
            client.post("/validate", content=big, headers={"Content-Type": "text/turtle"})
        finished.set()

    worker = threading.Thread(target=validate)
    worker.start()
    try:
        answered_during = 0
        while not finished.is_set():
            started = time.monotonic()
            assert client.get("/health").status_code == 200
            if not finished.is_set() and time.monotonic() - started < 1.0:
                answered_during += 1
            time.sleep(0.05)
    finally:
        worker.join(timeout=120)
    assert answered_during > 0


def test_documented_in_openapi_with_examples(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/validate"]["post"]
    body = operation["requestBody"]["content"]
    assert {"text/turtle", "application/ld+json", "multipart/form-data"} <= set(body)
    assert "example" in body["text/turtle"]
    assert "example" in operation["responses"]["200"]["content"]["application/json"]
    assert {"400", "413", "415"} <= set(operation["responses"])


def test_deeply_nested_json_ld_is_a_400_not_a_dead_worker(client: TestClient) -> None:
    depth = 5000  # pyoxigraph's JSON-LD parser segfaults here; the guard refuses it before parsing
    body = ('{"@id": "http://e/a", "http://e/p": ' * depth + '"x"' + "}" * depth).encode()
    response = client.post("/validate", content=body, headers={"Content-Type": "application/ld+json"})
    assert response.status_code == 400, response.text
    assert response.json()["detail"].startswith("request body:1:")
    assert "nesting too deep" in response.json()["detail"]


def test_cors_exposes_the_summary_headers(client: TestClient, valid_file: Path) -> None:
    """A browser app on another origin may read the verdict without parsing the report."""
    response = client.post(
        "/validate",
        content=valid_file.read_bytes(),
        headers={"Content-Type": "text/turtle", "Origin": "https://example.org"},
    )
    assert response.status_code == 200
    exposed = {h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")}
    for header in ("Coopkg-Conforms", "Coopkg-Violations", "Coopkg-Warnings", "Coopkg-Infos"):
        assert header.lower() in exposed, exposed
        assert header in response.headers
