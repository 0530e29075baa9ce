"""The one RDF format table (api/coopkg/rdf/formats.py): pyoxigraph's names first, the aliases after, and the
same answer for the gateway's --data files and the validator's inputs."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from coopkg.errors import UnusableInput
from coopkg.rdf.formats import FORMATS, RdfFileFormat, format_of, format_of_path
from coopkg.store.data import data_sources
from coopkg.validation.inputs import format_for_media_type, format_for_path


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_canonical_extension_and_media_type_are_pyoxigraphs(fmt: RdfFileFormat) -> None:
    assert fmt.extensions[0] == f".{fmt.rdf_format.file_extension}"
    assert fmt.media_types[0] == fmt.rdf_format.media_type
    assert format_of(fmt.rdf_format) is fmt


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.ttl", ox.RdfFormat.TURTLE),
        ("a.TURTLE", ox.RdfFormat.TURTLE),
        ("a.trig", ox.RdfFormat.TRIG),
        ("a.nt", ox.RdfFormat.N_TRIPLES),
        ("a.nq", ox.RdfFormat.N_QUADS),
        ("a.jsonld", ox.RdfFormat.JSON_LD),
        ("a.json", ox.RdfFormat.JSON_LD),
        ("a.rdf", ox.RdfFormat.RDF_XML),
        ("a.owl", ox.RdfFormat.RDF_XML),
        ("a.xml", ox.RdfFormat.RDF_XML),
        ("a.n3", ox.RdfFormat.N3),
    ],
)
def test_extensions(name: str, expected: ox.RdfFormat) -> None:
    found = format_of_path(Path(name))
    assert found is not None
    assert found.rdf_format == expected


def test_the_gateway_and_the_validator_read_extensions_alike(tmp_path: Path) -> None:
    for extension in (".ttl", ".turtle", ".json", ".owl"):
        path = tmp_path / f"data{extension}"
        path.write_text("", encoding="utf-8")
        (source,) = data_sources([path])
        assert source.format == format_for_path(path).rdf_format
        assert source.graph is None  # --data files: their own graphs, or the default graph


def test_the_validator_takes_no_n3() -> None:
    with pytest.raises(UnusableInput, match=r"\.n3"):
        format_for_path(Path("rules.n3"))
    assert format_for_media_type("application/x-turtle").rdf_format == ox.RdfFormat.TURTLE


def test_unknown_extension() -> None:
    assert format_of_path(Path("notes.txt")) is None
