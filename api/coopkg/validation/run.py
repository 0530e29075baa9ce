"""What `coopkg validate` and `POST /validate` validate: the shipped graph, or a steward's RDF in context.

A steward's files are validated together with the ontology and the SDG taxonomy (so `sh:class` and the
alignment rule see the terms they point to), and with the source texts their provenance quotes (see
coopkg-rules.ttl: the text is added as `<document> rdf:value "…"` so SPARQL can compare quotes with it).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path, PurePosixPath

import pyoxigraph as ox

from coopkg.errors import UnusableInput
from coopkg.rdf.dataset import GRAPH_ONTOLOGY, GRAPH_SDG, GraphSource, shipped_graphs
from coopkg.rdf.namespaces import DEF, PREFIXES
from coopkg.resources import data_dir
from coopkg.validation.engine import Engine, Progress, validate_data
from coopkg.validation.inputs import FORMATS, InputFormat, load_files, parse_into
from coopkg.validation.report import ValidationReport
from coopkg.validation.shapes import Shapes, shipped_shapes
from coopkg.validation.terms import DataGraph

COOP = DEF
RDF_VALUE = ox.NamedNode(PREFIXES["rdf"] + "value")
_SOURCE_FILES = f"""
SELECT DISTINCT ?document ?file WHERE {{
    ?document a <{COOP}SourceDocument> ; <{COOP}sourceFile> ?file .
    FILTER NOT EXISTS {{ ?document <{RDF_VALUE.value}> ?text }}
}}
"""


def _quiet(_: str) -> None:
    return None


def _load_sources(data: DataGraph, sources: Iterable[GraphSource]) -> None:
    # Parsed here rather than with coopkg.rdf.dataset.load_into: a store would turn xsd:nonNegativeInteger
    # offsets
    # into xsd:integer before the shapes see them (see coopkg.validation.terms).
    for source in sources:
        if not source.path.is_file():
            raise UnusableInput(
                f"{source.path}: missing (graph {source.graph}); run `coopkg build` or restore it from git"
            )
        fmt = next(f for f in FORMATS if f.rdf_format == source.format)
        parse_into(data, source.path, fmt, str(source.path))


@cache
def _parsed_context() -> DataGraph:
    # Parsed once per process (the CLI runs once; the service validates many uploads). Never handed out:
    # each run gets its own copy, so one upload cannot leak into the next.
    data = DataGraph()
    _load_sources(data, [s for s in shipped_graphs() if s.graph in (GRAPH_ONTOLOGY, GRAPH_SDG)])
    return data


def context_data() -> DataGraph:
    """A fresh data graph holding the ontology and the SDG taxonomy (the context of a steward's data)."""
    data = DataGraph()
    data.copy_from(_parsed_context())
    return data


def attach_source_texts(data: DataGraph, search_dirs: Sequence[Path]) -> list[str]:
    """Add the text of every source document found in `search_dirs`; returns the file names not found."""
    missing = []
    solutions = data.store.query(_SOURCE_FILES)
    assert isinstance(solutions, ox.QuerySolutions)
    for row in list(solutions):
        document, name = row["document"], row["file"]
        assert isinstance(name, ox.Literal)
        relative = PurePosixPath(name.value)
        if relative.is_absolute() or ".." in relative.parts:
            missing.append(name.value)  # the shapes report the malformed name; never read outside the dirs
            continue
        candidates = [d / relative for d in search_dirs] + [d / relative.name for d in search_dirs]
        path = next((p for p in candidates if p.is_file()), None)
        if path is None:
            missing.append(name.value)
            continue
        try:
            # newline="": offsets count the file's own line breaks (docs/design.md).
            with path.open(encoding="utf-8", newline="") as handle:
                text = handle.read()
        except UnicodeDecodeError as error:
            raise UnusableInput(
                f"{path}: a source text must be UTF-8 ({error.reason} at byte {error.start})"
            ) from None
        data.add([ox.Quad(document, RDF_VALUE, ox.Literal(text))])
    return missing


def shipped_sources_dir() -> Path:
    return data_dir() / "sources"


def _shipped_dirs() -> list[Path]:
    # coop:sourceFile is relative to data/ ("sources/….txt"); a bare name is looked up in data/sources/.
    return [data_dir(), shipped_sources_dir()]


def validate_shipped(
    *, shapes: Shapes | None = None, engine: Engine = "fast", progress: Progress = _quiet
) -> ValidationReport:
    progress("loading the shipped graph")
    data = DataGraph()
    _load_sources(data, shipped_graphs())
    attach_source_texts(data, _shipped_dirs())
    return validate_data(data, shapes or shipped_shapes(), engine=engine, progress=progress)


def validate_files(
    paths: Sequence[Path],
    *,
    format_name: str | None = None,
    source_dirs: Iterable[Path] = (),
    shapes: Shapes | None = None,
    engine: Engine = "fast",
    progress: Progress = _quiet,
) -> ValidationReport:
    """Validate the files together (one data graph) in the context of the ontology and SDG taxonomy."""
    progress("loading the ontology and the SDG taxonomy")
    data = context_data()
    progress(f"reading {len(paths)} file(s)")
    load_files(data, paths, format_name)
    beside = [p.resolve().parent for p in paths]
    dirs = [*source_dirs, *beside, *(d / "sources" for d in beside), *_shipped_dirs()]
    attach_source_texts(data, list(dict.fromkeys(dirs)))
    return validate_data(data, shapes or shipped_shapes(), engine=engine, progress=progress)


def validate_document(
    data: bytes,
    fmt: InputFormat,
    *,
    source: str = "request body",
    texts: Mapping[str, bytes] | None = None,
    shapes: Shapes | None = None,
    engine: Engine = "fast",
) -> ValidationReport:
    """Validate one uploaded document in context. Source texts are the uploaded `texts` (by file name) and
    the shipped data/sources/."""
    graph = context_data()
    parse_into(graph, data, fmt, source)
    with tempfile.TemporaryDirectory(prefix="coopkg-sources-") as folder:
        for name, content in (texts or {}).items():
            (Path(folder) / Path(name).name).write_bytes(content)  # the bare name: never outside `folder`
        attach_source_texts(graph, [Path(folder), *_shipped_dirs()])
    return validate_data(graph, shapes or shipped_shapes(), engine=engine)
