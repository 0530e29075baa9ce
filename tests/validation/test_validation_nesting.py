"""Deeply nested RDF is refused before parsing (api/coopkg/rdf/nesting_limit.py): pyoxigraph's JSON-LD
parser segfaults at
~5,000 nested objects and its RDF/XML parser stalls on deep elements. Anything that could crash runs in a
subprocess or in the validation worker, never in the pytest process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from coopkg.errors import UnusableInput
from coopkg.rdf.dataset import GraphSource, load_into
from coopkg.rdf.nesting_limit import MAX_DEPTH, check_nesting

COOPKG = Path(sys.executable).with_name("coopkg")


OPENING = '{"@id": "http://e/a", "http://e/p": '


def nested_objects(depth: int) -> bytes:
    return (OPENING * depth + '"x"' + "}" * depth).encode()


def nested_elements(depth: int) -> bytes:
    return (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">\n'
        '<rdf:Description rdf:about="http://e/a">'
        + "<e:p><rdf:Description>" * depth
        + "<e:q>x</e:q>"
        + "</rdf:Description></e:p>" * depth
        + "</rdf:Description></rdf:RDF>"
    ).encode()


def refusal(data: bytes, rdf_format: ox.RdfFormat, limit: int = MAX_DEPTH) -> str:
    with pytest.raises(UnusableInput) as caught:
        check_nesting(data, rdf_format, "up.x", limit)
    return str(caught.value)


def test_json_ld_nesting_past_the_limit_is_refused_with_its_position() -> None:
    check_nesting(nested_objects(100), ox.RdfFormat.JSON_LD, "ok")  # 100 objects + nothing else: fine
    message = refusal(nested_objects(MAX_DEPTH + 1), ox.RdfFormat.JSON_LD)
    # the 257th "{" is where the limit is passed: 256 openings before it
    column = MAX_DEPTH * len(OPENING) + 1
    assert message.startswith(f"up.x:1:{column}: nesting too deep: more than 256 levels"), message


def test_json_arrays_count_and_brackets_in_strings_do_not() -> None:
    arrays = b'{"http://e/p": ' + b"[" * 5 + b'"x"' + b"]" * 5 + b"}"
    assert "1:" in refusal(arrays, ox.RdfFormat.JSON_LD, limit=5)
    in_strings = b'{"http://e/p": "[[[[[{{{{ \\" [[[[[", "http://e/q": ["{{{{{{"]}'
    check_nesting(in_strings, ox.RdfFormat.JSON_LD, "ok", limit=2)


def test_line_and_column_are_counted_in_characters() -> None:
    body = '{"@id": "http://e/a",\n  "http://e/中文": [[["x"]]]}'.encode()
    # the third "[" (level 4) is character 20 of line 2 (byte 24: the two CJK characters are 3 bytes each)
    assert refusal(body, ox.RdfFormat.JSON_LD, limit=3).startswith("up.x:2:20:")


def test_rdf_xml_element_nesting_is_refused_and_markup_that_opens_nothing_is_not_counted() -> None:
    assert refusal(nested_elements(MAX_DEPTH), ox.RdfFormat.RDF_XML).startswith("up.x:2:")
    flat = (
        b'<?xml version="1.0"?>\n<!-- <a><b><c> -->\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        b' xmlns:e="http://e/"><rdf:Description rdf:about="http://e/a" e:label="a > b /> c"><e:p rdf:resource="http://e/b"/>'
        b"<e:q><![CDATA[<x><y><z>]]></e:q></rdf:Description></rdf:RDF>"
    )
    check_nesting(flat, ox.RdfFormat.RDF_XML, "ok", limit=3)
    assert len(list(ox.parse(flat, format=ox.RdfFormat.RDF_XML))) == 3  # the sample is real RDF/XML


def test_turtle_is_not_scanned_because_its_parser_copes() -> None:
    deep = b"<http://e/a> <http://e/p> " + b"[ <http://e/p> " * 1000 + b'"x"' + b" ]" * 1000 + b" ."
    check_nesting(deep, ox.RdfFormat.TURTLE, "ok")
    assert len(list(ox.parse(deep, format=ox.RdfFormat.TURTLE))) == 1001


def test_cli_refuses_deep_json_ld_with_exit_2_and_one_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonld"
    path.write_bytes(nested_objects(5000))  # segfaulted the parser before the guard
    done = subprocess.run(
        [str(COOPKG), "validate", str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 2, (done.returncode, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"coopkg validate: {path}:1:"), lines
    assert "nesting too deep" in lines[0]


def test_gateway_loaders_refuse_a_deep_data_file_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonld"
    path.write_bytes(nested_objects(MAX_DEPTH + 1))
    with pytest.raises(UnusableInput, match=rf"{path}:1:\d+: nesting too deep"):
        load_into(ox.Store(), [GraphSource(None, path, ox.RdfFormat.JSON_LD)])
    with pytest.raises(UnusableInput, match=rf"{path}:1:\d+: nesting too deep"):
        load_into(ox.Store(), [GraphSource("https://e/g", path, ox.RdfFormat.JSON_LD)])


def test_serve_refuses_to_start_on_a_deep_data_file(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonld"
    path.write_bytes(nested_objects(5000))
    done = subprocess.run(
        [str(COOPKG), "serve", "--data", str(path), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode > 0, done.returncode  # an error exit, not a signal (negative) or a clean start
    assert f"{path}:1:" in done.stderr, done.stderr
    assert "nesting too deep" in done.stderr, done.stderr
