"""Uploads to `POST /validate`: oversized bodies (declared or streamed, over COOPKG_MAX_UPLOAD, which is not
the query body limit), compression bombs, entity bombs, deep nesting and remote JSON-LD contexts all get a
clear 4xx quickly, the server makes no outbound request (a loopback listener must record nothing), and it
keeps answering afterwards. A validation past COOPKG_VALIDATE_TIMEOUT is stopped (its process killed) with a
503 problem document, and queries are answered while it runs.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from attack_listener import Listener
from attack_server import MAX_BODY, MAX_UPLOAD

from live import Gateway

QUICK = 5.0  # seconds a refusal may take at most
VALIDATION_LIMIT = 60.0  # seconds an accepted, large but legal upload may take
TURTLE = "text/turtle"
JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"


def validate(
    gateway: Gateway,
    body: bytes | Iterator[bytes],
    content_type: str,
    limit: float = QUICK,
    **headers: str,
) -> httpx.Response:
    started = time.monotonic()
    answer = httpx.post(
        f"{gateway.base}/validate",
        content=body,
        headers={"Content-Type": content_type, "Accept": "application/json", **headers},
        timeout=60,
    )
    elapsed = time.monotonic() - started
    assert elapsed < limit, f"the answer took {elapsed:.1f} s"
    return answer


def assert_clear_4xx(answer: httpx.Response, *statuses: int) -> dict[str, object]:
    assert answer.status_code in statuses, f"{answer.status_code}: {answer.text[:500]}"
    assert answer.headers["content-type"].startswith("application/problem+json"), answer.headers
    problem: dict[str, object] = answer.json()
    assert str(problem["detail"]).strip()
    assert "Traceback" not in answer.text
    return problem


def assert_still_serving(gateway: Gateway) -> None:
    answer = httpx.post(
        f"{gateway.base}/validate",
        content=b'<https://w3id.org/coopkg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .',
        headers={"Content-Type": TURTLE, "Accept": "application/json"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text[:500]


def test_declared_oversized_body_is_refused_with_413(gateway: Gateway) -> None:
    body = b"# padding\n" * (MAX_UPLOAD // 10 + 1000)
    problem = assert_clear_4xx(validate(gateway, body, TURTLE), 413)
    assert str(MAX_UPLOAD) in str(problem["detail"]), problem
    assert "COOPKG_MAX_UPLOAD" in str(problem["detail"]), problem


def test_an_upload_over_the_query_body_limit_is_validated(gateway: Gateway) -> None:
    """Uploads have their own limit: a document bigger than COOPKG_MAX_BODY (1 MB here) is validated."""
    line = b'<https://w3id.org/coopkg/id/x> <http://www.w3.org/2000/01/rdf-schema#comment> "%d"@en .\n'
    body = b"".join(line % n for n in range(MAX_BODY // len(line) + 100))
    assert MAX_BODY < len(body) < MAX_UPLOAD
    answer = validate(gateway, body, "application/n-triples", limit=VALIDATION_LIMIT)
    assert answer.status_code == 200, answer.text[:500]


def test_streamed_oversized_body_without_length_is_refused_with_413(gateway: Gateway) -> None:
    """Chunked transfer has no Content-Length to check first: the limit must count bytes as they come."""

    def chunks() -> Iterator[bytes]:
        for _ in range(3 * MAX_UPLOAD // 65536 + 1):
            yield b"#" * 65535 + b"\n"

    assert_clear_4xx(validate(gateway, chunks(), TURTLE), 413)
    assert_still_serving(gateway)


def test_gzip_bomb_is_refused(gateway: Gateway) -> None:
    """100 MB of zeros in 100 kB: inflating it before checking the size would be the attack's success."""
    bomb = gzip.compress(b"\0" * 100_000_000, compresslevel=9)
    assert len(bomb) < MAX_UPLOAD
    assert_clear_4xx(validate(gateway, bomb, TURTLE, **{"Content-Encoding": "gzip"}), 413, 415, 400)
    assert_still_serving(gateway)


def nested_json_ld(depth: int) -> bytes:
    level = '{"@id": "https://w3id.org/coopkg/id/x", "http://example.org/p": '
    return (level * depth + '"x"' + "}" * depth).encode()


def test_json_ld_nested_past_the_upload_limit_is_refused_with_413(gateway: Gateway) -> None:
    body = nested_json_ld(100_000)
    assert len(body) > MAX_UPLOAD
    assert_clear_4xx(validate(gateway, body, JSON_LD), 413)


@pytest.fixture
def own_gateway(tmp_path: Path) -> Iterator[Gateway]:
    """A gateway of its own, for attacks that may break the validator for everyone after them."""
    with Gateway(tmp_path / "serve.log") as server:
        yield server


def test_deeply_nested_json_ld_is_refused(own_gateway: Gateway) -> None:
    """pyoxigraph's JSON-LD parser overflows its stack (SIGSEGV) ~5,000 levels deep; the nesting is measured
    before parsing (api/coopkg/rdf/nesting_limit.py) and refused with a 400 naming line and column."""
    body = nested_json_ld(5000)
    assert len(body) < MAX_UPLOAD
    problem = assert_clear_4xx(validate(own_gateway, body, JSON_LD), 400)
    assert "nesting too deep" in str(problem["detail"]), problem
    assert str(problem["detail"]).startswith("request body:1:"), problem
    assert_still_serving(own_gateway)


def test_validator_recovers_after_its_worker_dies(own_gateway: Gateway) -> None:
    """Whatever kills the validation process (here the JSON-LD stack overflow), the upload that did gets a
    clear 503 and the next upload a fresh process."""
    crash = httpx.post(
        f"{own_gateway.base}/validate",
        content=nested_json_ld(5000),
        headers={"Content-Type": JSON_LD},
        timeout=60,
    )
    if crash.status_code != 400:  # once nesting is refused up front, there is no crash to recover from
        problem = assert_clear_4xx(crash, 503)
        assert str(problem["type"]).endswith("worker-died"), problem
    assert_still_serving(own_gateway)


def test_deeply_nested_turtle_collections_do_not_crash(gateway: Gateway) -> None:
    depth = 50_000
    body = f"<https://w3id.org/coopkg/id/x> <http://example.org/p> {'(' * depth}{')' * depth} .".encode()
    answer = validate(gateway, body, TURTLE, limit=VALIDATION_LIMIT)  # 10^5 triples to validate: real work
    assert answer.status_code in (200, 400), answer.text[:500]
    assert_still_serving(gateway)


@pytest.mark.parametrize(
    "context",
    [
        "{url}context.jsonld",
        ["{url}a.jsonld", {"@vocab": "http://example.org/"}],
        {"@import": "{url}imported.jsonld", "@vocab": "http://example.org/"},
    ],
    ids=["string", "in-a-list", "import"],
)
def test_remote_json_ld_context_is_refused_without_fetching(
    gateway: Gateway, listener: Listener, context: object
) -> None:
    before = len(listener.recorded())
    document = {"@context": json.loads(json.dumps(context).replace("{url}", listener.url)), "@id": "urn:x:a"}
    problem = assert_clear_4xx(validate(gateway, json.dumps(document).encode(), JSON_LD), 400)
    assert "context" in str(problem["detail"]).lower(), problem
    assert len(listener.recorded()) == before, listener.recorded()


def test_rdf_xml_external_entity_is_not_fetched(gateway: Gateway, listener: Listener) -> None:
    before = len(listener.recorded())
    body = f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY e SYSTEM "{listener.url}xxe">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="https://w3id.org/coopkg/id/x"><ex:p>&e;</ex:p></rdf:Description>
</rdf:RDF>""".encode()
    assert_clear_4xx(validate(gateway, body, RDF_XML), 400)
    assert len(listener.recorded()) == before, listener.recorded()


def entity_bomb(levels: int) -> bytes:
    entities = '<!ENTITY l0 "lolololololololololol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, levels + 1)
    )
    return f"""<?xml version="1.0"?><!DOCTYPE rdf:RDF [{entities}]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
<rdf:Description rdf:about="https://w3id.org/coopkg/id/x"><ex:p>&l{levels};</ex:p></rdf:Description>
</rdf:RDF>""".encode()


def test_rdf_xml_entity_bomb_is_refused(own_gateway: Gateway) -> None:
    """'Billion laughs': 800 bytes whose entities would expand to 210 MB (7 levels; 8 would be 2.1 GB)."""
    body = entity_bomb(7)
    assert len(body) < 1000
    assert_clear_4xx(validate(own_gateway, body, RDF_XML), 400, 413)


def test_parse_into_refuses_an_rdf_xml_entity_bomb() -> None:
    """The parser the validator (and `coopkg validate`) uses, directly."""
    from coopkg.errors import UnusableInput
    from coopkg.validation.inputs import format_by_name, parse_into
    from coopkg.validation.terms import DataGraph

    with pytest.raises(UnusableInput, match=r"(?i)entit"):
        parse_into(DataGraph(), entity_bomb(6), format_by_name("rdfxml"), "upload")


def test_a_validation_past_its_time_limit_is_stopped_and_queries_go_on(tmp_path: Path) -> None:
    """COOPKG_VALIDATE_TIMEOUT: the validation process is killed when it fires (its CPU is free again), the
    upload gets a 503 problem document, queries are answered meanwhile, and the next upload is validated."""
    depth = 200_000  # a Turtle collection this deep: about 10 s of validation
    slow = f"<https://w3id.org/coopkg/id/x> <http://example.org/p> {'(' * depth}{')' * depth} .".encode()
    with Gateway(tmp_path / "serve.log", env={"COOPKG_VALIDATE_TIMEOUT": "3"}) as server:
        assert_still_serving(server)  # the validation process is up (its imports are not timed)
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(validate, server, slow, TURTLE, VALIDATION_LIMIT)
            while not pending.done():
                started = time.monotonic()
                answer = httpx.get(f"{server.sparql}", params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
                assert answer.status_code == 200
                assert time.monotonic() - started < QUICK
            problem = assert_clear_4xx(pending.result(), 503)
        assert str(problem["type"]).endswith("/validation-timeout"), problem
        assert "COOPKG_VALIDATE_TIMEOUT" in str(problem["detail"])
        assert_still_serving(server)
