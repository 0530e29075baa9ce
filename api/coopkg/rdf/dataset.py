"""The shipped graph: which file goes into which named graph, and loading them into a pyoxigraph store.

Every part of coopkg (CLI, gateway, tests) loads the shipped data through `shipped_graphs()` and
`load_into()`, so the list of named graphs lives in exactly one place (docs/design.md, "Named graphs").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from coopkg import resources
from coopkg.errors import UnusableInput
from coopkg.rdf.formats import format_of
from coopkg.rdf.namespaces import ID
from coopkg.rdf.nesting_limit import check_file

GRAPH_ONTOLOGY = f"{ID}graph/ontology"
GRAPH_SDG = f"{ID}graph/sdg"
GRAPH_CURATED = f"{ID}graph/curated"
GRAPH_DERIVED = f"{ID}graph/derived"
GRAPH_META = f"{ID}graph/meta"
PROGRAMME_GRAPH_PREFIX = f"{ID}graph/programme/"

# Build outputs, relative to the data folder (written by `coopkg build`).
GENERATED_DIR = "generated"
CURATED_FILE = "curated.ttl"
DERIVED_FILE = "derived.ttl"
VOID_FILE = "void.ttl"
PROGRAMME_FILE_PREFIX = "programme-"
SDG_FILES = ("sdg/sdg-kos-goals-targets-indicators.ttl", "sdg/sdgs-ontology.ttl")


def programme_graph(slug: str) -> str:
    """The named graph IRI of one programme's parsed data."""
    return f"{PROGRAMME_GRAPH_PREFIX}{slug}"


@dataclass(frozen=True)
class GraphSource:
    """One RDF file and the named graph it is loaded into (None: a TriG or N-Quads file's own graphs, or the
    default graph for a triple format). The one source type of every loader: shipped graphs, `--data`."""

    graph: str | None
    path: Path
    format: ox.RdfFormat = ox.RdfFormat.TURTLE

    @property
    def graph_node(self) -> ox.NamedNode | None:
        return ox.NamedNode(self.graph) if self.graph is not None else None


def programme_slugs(data_dir: Path | None = None) -> list[str]:
    """Slugs of the programmes whose build output is in `data/generated/`, sorted."""
    generated = (data_dir or resources.data_dir()) / GENERATED_DIR
    return sorted(
        path.name.removeprefix(PROGRAMME_FILE_PREFIX).removesuffix(".ttl")
        for path in generated.glob(f"{PROGRAMME_FILE_PREFIX}*.ttl")
    )


def shipped_graphs(data_dir: Path | None = None, ontology_dir: Path | None = None) -> list[GraphSource]:
    """The shipped named graphs (docs/design.md), in a fixed order; arguments override the shipped folders."""
    data = data_dir or resources.data_dir()
    ontology = ontology_dir or resources.ontology_dir()
    generated = data / GENERATED_DIR
    sources = [GraphSource(GRAPH_ONTOLOGY, ontology / "coopkg.ttl")]
    sources += [GraphSource(GRAPH_SDG, data / name) for name in SDG_FILES]
    sources += [
        GraphSource(programme_graph(slug), generated / f"{PROGRAMME_FILE_PREFIX}{slug}.ttl")
        for slug in programme_slugs(data)
    ]
    sources.append(GraphSource(GRAPH_CURATED, generated / CURATED_FILE))
    sources.append(GraphSource(GRAPH_DERIVED, generated / DERIVED_FILE))
    sources.append(GraphSource(GRAPH_META, generated / VOID_FILE))
    return sources


def load_into(store: ox.Store, sources: Iterable[GraphSource]) -> None:
    """Bulk-load each file into its named graph (pyoxigraph's native loader: no Python per triple).

    A missing or malformed file is an UnusableInput naming the file and what to do, never a bare traceback.
    """
    for source in sources:
        if not source.path.is_file():
            where = f" (graph {source.graph})" if source.graph is not None else ""
            raise UnusableInput(
                f"{source.path}: missing{where}; run `coopkg build` to regenerate data/generated/, or "
                "restore the file from git (or give an existing file with --data)."
            )
        check_file(source.path, source.format)  # nesting that would crash the parser (rdf/nesting_limit.py)
        graph = None if format_of(source.format).keeps_graphs else source.graph_node
        try:
            if graph is None:
                store.bulk_load(path=source.path, format=source.format)
            else:
                store.bulk_load(path=source.path, format=source.format, to_graph=graph)
        except SyntaxError as error:
            raise UnusableInput(
                f"{source.path}: not valid {source.format.name}: {error}; fix the file or leave it out."
            ) from None
        except OSError as error:
            raise UnusableInput(f"{source.path}: cannot be loaded ({error}).") from None
