"""The whole build: every programme, the curated layer and the VoID description, as file name -> bytes.

Computing the outputs is separate from writing them, so `coopkg build --check` compares the very bytes a build
would write with what is on disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from coopkg.errors import UnusableInput
from coopkg.rdf import dataset
from coopkg.rdf.namespaces import DEF, SDG
from coopkg.reader.links import derived_triples
from coopkg.reader.programme import ProgrammeInput, build_programme, read_turtle
from coopkg.reader.turtle import serialise
from coopkg.reader.void import describe, sdg_licence


@dataclass(frozen=True)
class BuildInputs:
    data_dir: Path  # holds programmes/, sources/, curated/, sdg/
    ontology_dir: Path


def programmes(data_dir: Path) -> list[ProgrammeInput]:
    folder = data_dir / "programmes"
    found = sorted(path.parent for path in folder.glob("*/programme.ttl"))
    if not found:
        raise UnusableInput(f"{folder}: no programme folder with a programme.ttl; nothing to build")
    return [ProgrammeInput(path.name, path, data_dir) for path in found]


def curated_triples(data_dir: Path) -> set[ox.Triple]:
    """The union of data/curated/*.ttl (an empty graph while the folder has no files)."""
    triples: set[ox.Triple] = set()
    for path in sorted((data_dir / "curated").glob("*.ttl")):
        triples.update(read_turtle(path))
    return triples


def build_outputs(inputs: BuildInputs) -> dict[str, bytes]:
    """File name (inside data/generated/) -> exact bytes."""
    outputs: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    titles: dict[str, tuple[str, str]] = {}
    sources: dict[str, list[str]] = {}
    every_programme: set[ox.Triple] = set()

    for programme in programmes(inputs.data_dir):
        triples = build_programme(programme)
        every_programme.update(triples)
        graph = dataset.programme_graph(programme.slug)
        outputs[f"{dataset.PROGRAMME_FILE_PREFIX}{programme.slug}.ttl"] = serialise(triples)
        counts[graph] = len(triples)
        titles[graph] = (
            f"工作方案 {programme.slug}：解析文本与方案信息",
            f"Programme {programme.slug}: parsed text and facts",
        )
        sources[graph] = sorted(
            t.object.value
            for t in triples
            if t.predicate == ox.NamedNode(DEF + "sourceDocument")
            and t.subject == ox.NamedNode(programme.iri)
            and isinstance(t.object, ox.NamedNode)
        )

    curated = curated_triples(inputs.data_dir)
    outputs[dataset.CURATED_FILE] = serialise(curated)
    counts[dataset.GRAPH_CURATED] = len(curated)
    titles[dataset.GRAPH_CURATED] = (
        "人工整理数据：英文译文、目标关联与参考资料",
        "Curated layer: English renderings, alignments and reference data",
    )

    derived = derived_triples(every_programme | curated)
    outputs[dataset.DERIVED_FILE] = serialise(derived)
    counts[dataset.GRAPH_DERIVED] = len(derived)
    titles[dataset.GRAPH_DERIVED] = (
        "推导数据：后续方案链接与相似承诺对（本项目计算）",
        "Derived links: successor programmes and similar commitments (computed by coopkg)",
    )

    ontology = read_turtle(inputs.ontology_dir / "coopkg.ttl")
    counts[dataset.GRAPH_ONTOLOGY] = len(set(ontology))
    titles[dataset.GRAPH_ONTOLOGY] = ("coopkg 本体", "The coopkg ontology")

    sdg: set[ox.Triple] = set()
    for name in dataset.SDG_FILES:
        sdg.update(read_turtle(inputs.data_dir / name))
    counts[dataset.GRAPH_SDG] = len(sdg)
    titles[dataset.GRAPH_SDG] = (
        "联合国可持续发展目标知识组织系统",
        "UN Sustainable Development Goals Knowledge Organization System",
    )
    sources[dataset.GRAPH_SDG] = [SDG.removesuffix("/")]

    citation = sdg_licence(inputs.data_dir / "sdg" / "void.ttl")
    outputs[dataset.VOID_FILE] = serialise(describe(counts, titles, sources, citation))
    return outputs


def write_outputs(out_dir: Path, outputs: dict[str, bytes]) -> list[str]:
    """Write the outputs; remove programme files no programme produces any more. Returns the names written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in stale_extras(out_dir, outputs):
        (out_dir / stale).unlink()
    for name, content in sorted(outputs.items()):
        (out_dir / name).write_bytes(content)
    return sorted(outputs)


def stale_extras(out_dir: Path, outputs: dict[str, bytes]) -> list[str]:
    """Programme files on disk that the build would not produce (of a removed or renamed programme).

    Only `programme-*.ttl` is considered, so pointing `--out` at a folder with other files never deletes them.
    """
    pattern = f"{dataset.PROGRAMME_FILE_PREFIX}*.ttl"
    return sorted(path.name for path in out_dir.glob(pattern) if path.name not in outputs)


def stale_files(out_dir: Path, outputs: dict[str, bytes]) -> list[str]:
    """Messages for every generated file that is missing, differs from a fresh build, or should not exist."""
    problems: list[str] = []
    for name, content in sorted(outputs.items()):
        path = out_dir / name
        if not path.is_file():
            problems.append(f"{path}: missing")
        elif path.read_bytes() != content:
            problems.append(f"{path}: differs from a fresh build")
    problems.extend(
        f"{out_dir / name}: no longer produced by the build" for name in stale_extras(out_dir, outputs)
    )
    return problems
