"""Which RDF files the gateway serves, their fingerprint (the data version), and the on-disk store
built from them.

By default the shipped graph (`coopkg.rdf.dataset.shipped_graphs()`, each file in its named graph); with
`--data`, the given files and directories instead (formats by extension, `coopkg.rdf.formats`): TriG and
N-Quads keep their named graphs, triple formats go to the store's default graph (which the union default
graph includes). Both load with `coopkg.rdf.dataset.load_into`.

The store is built ONCE into a directory with pyoxigraph's bulk loader; the query workers open it read-only.
A marker file records the fingerprint of the sources it was built from, so starting again on the same
`COOPKG_STORE_DIR` with unchanged data skips the load entirely.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from coopkg.errors import UnusableInput
from coopkg.rdf.dataset import GraphSource, load_into, shipped_graphs
from coopkg.rdf.formats import EXTENSIONS, format_of_path

MARKER = "coopkg-store.json"


@dataclass(frozen=True)
class BuiltStore:
    path: Path
    version: str  # fingerprint of the sources (content hash): ETags change exactly when the data does
    modified: datetime  # newest source file: Last-Modified


def shipped_sources() -> list[GraphSource]:
    return shipped_graphs()


def data_sources(paths: Sequence[Path]) -> list[GraphSource]:
    """The RDF files of `--data` arguments (directories are searched recursively, in sorted order)."""
    sources: list[GraphSource] = []
    for given in paths:
        if given.is_dir():
            files = sorted(p for p in given.rglob("*") if p.is_file() and format_of_path(p) is not None)
            if not files:
                raise UnusableInput(
                    f"{given}: the directory holds no RDF file ({', '.join(sorted(EXTENSIONS))})."
                )
        elif given.is_file():
            files = [given]
        else:
            raise UnusableInput(f"{given}: no such file or directory (given with --data / COOPKG_DATA).")
        for path in files:
            fmt = format_of_path(path)
            if fmt is None:
                raise UnusableInput(
                    f"{path}: unknown RDF format; name the file with one of {', '.join(sorted(EXTENSIONS))}."
                )
            sources.append(GraphSource(None, path.resolve(), fmt.rdf_format))
    return sources


def sources_for(data: Sequence[Path]) -> list[GraphSource]:
    return data_sources(data) if data else shipped_sources()


def fingerprint(sources: Iterable[GraphSource]) -> str:
    digest = hashlib.sha256()
    for source in sources:
        digest.update(f"{source.graph}\n{source.format.name}\n{source.path.name}\n".encode())
        try:
            with source.path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        except OSError as error:
            raise UnusableInput(f"{source.path}: cannot be read ({error.strerror}).") from None
    return digest.hexdigest()[:20]


def identity(sources: Sequence[GraphSource]) -> tuple[str, datetime]:
    """The data version (content fingerprint) and the newest source's modification time (Last-Modified)."""
    modified = max(
        (datetime.fromtimestamp(source.path.stat().st_mtime, UTC) for source in sources),
        default=datetime.now(UTC),
    ).replace(microsecond=0)
    return fingerprint(sources), modified


def build(store_dir: Path, sources: Sequence[GraphSource]) -> BuiltStore:
    """The on-disk store for `sources` in `store_dir`, reused when it was built from the same data.

    Only a directory that is empty or holds our marker is (re)built: anything else there is refused rather
    than overwritten.
    """
    version, modified = identity(sources)
    marker = store_dir / MARKER
    if marker.is_file():
        try:
            recorded = json.loads(marker.read_text(encoding="utf-8")).get("version")
        except (OSError, ValueError):
            recorded = None
        if recorded == version:
            return BuiltStore(store_dir, version, modified)
        shutil.rmtree(store_dir)  # built by us from other data: rebuild from scratch
    elif store_dir.exists() and any(store_dir.iterdir()):
        raise UnusableInput(
            f"{store_dir} (COOPKG_STORE_DIR) is not empty and was not built by coopkg; "
            "give an empty or new directory."
        )
    store_dir.mkdir(parents=True, exist_ok=True)
    try:
        store = ox.Store(str(store_dir))
        load_into(store, sources)
        store.flush()
        del store  # release RocksDB's lock so the workers can open it
    except BaseException:
        shutil.rmtree(store_dir, ignore_errors=True)  # never leave a half-built store to be reused
        raise
    graphs = sorted({source.graph or source.path.name for source in sources})
    marker.write_text(json.dumps({"version": version, "sources": graphs}, indent=1), encoding="utf-8")
    return BuiltStore(store_dir, version, modified)


def in_memory(sources: Sequence[GraphSource]) -> tuple[ox.Store, str]:
    """An in-memory store of `sources` and its version (for the in-process store)."""
    store = ox.Store()
    load_into(store, sources)
    return store, fingerprint(sources)


# Peak memory of pyoxigraph's in-memory store per byte of source file while it loads (measured at 100k-1M
# triples: N-Quads 1.8x settled, 2.6x at the peak; TriG 3.7x settled), rounded up: an estimate, not a promise.
_MEMORY_PER_BYTE = {
    ox.RdfFormat.N_QUADS: 2.6,
    ox.RdfFormat.N_TRIPLES: 2.6,
    ox.RdfFormat.TURTLE: 5.0,
    ox.RdfFormat.TRIG: 5.0,
    ox.RdfFormat.N3: 5.0,
}
_MEMORY_PER_BYTE_OTHER = 3.0  # RDF/XML and JSON-LD: verbose syntaxes


def memory_needed(sources: Iterable[GraphSource]) -> int:
    """About how many bytes holding `sources` in memory takes (see `_MEMORY_PER_BYTE`)."""
    return int(
        sum(
            source.path.stat().st_size * _MEMORY_PER_BYTE.get(source.format, _MEMORY_PER_BYTE_OTHER)
            for source in sources
        )
    )


def memory_available() -> int | None:
    """MemAvailable of /proc/meminfo (Linux) in bytes; None where it cannot be read."""
    try:
        with Path("/proc/meminfo").open(encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None
