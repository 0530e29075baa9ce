"""Which RDF files the gateway serves, their fingerprint (the data version), and the on-disk store
built from them.

By default the shipped graph (`coopkg.rdf.dataset.shipped_graphs()`, each file in its named graph); with
`--data`,
the given files and directories instead: TriG and N-Quads keep their named graphs, triple formats go to the
store's default graph (which the union default graph includes).

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
from coopkg.rdf.nesting_limit import check_file

MARKER = "coopkg-store.json"
_EXTENSIONS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".n3": ox.RdfFormat.N3,
}
_QUAD_FORMATS = (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)


@dataclass(frozen=True)
class Source:
    """One RDF file; `graph` is the named graph it goes to (None: its own graphs, or the default graph)."""

    path: Path
    format: ox.RdfFormat
    graph: str | None


@dataclass(frozen=True)
class BuiltStore:
    path: Path
    version: str  # fingerprint of the sources (content hash): ETags change exactly when the data does
    modified: datetime  # newest source file: Last-Modified


def shipped_sources() -> list[Source]:
    from coopkg.rdf.dataset import shipped_graphs

    return [Source(source.path, source.format, source.graph) for source in shipped_graphs()]


def data_sources(paths: Sequence[Path]) -> list[Source]:
    """The RDF files of `--data` arguments (directories are searched recursively, in sorted order)."""
    sources: list[Source] = []
    for given in paths:
        if given.is_dir():
            files = sorted(p for p in given.rglob("*") if p.is_file() and p.suffix.lower() in _EXTENSIONS)
            if not files:
                raise UnusableInput(
                    f"{given}: the directory holds no RDF file ({', '.join(sorted(_EXTENSIONS))})."
                )
        elif given.is_file():
            files = [given]
        else:
            raise UnusableInput(f"{given}: no such file or directory (given with --data / COOPKG_DATA).")
        for path in files:
            fmt = _EXTENSIONS.get(path.suffix.lower())
            if fmt is None:
                raise UnusableInput(
                    f"{path}: unknown RDF format; name the file with one of {', '.join(sorted(_EXTENSIONS))}."
                )
            sources.append(Source(path.resolve(), fmt, None))
    return sources


def sources_for(data: Sequence[Path]) -> list[Source]:
    return data_sources(data) if data else shipped_sources()


def fingerprint(sources: Iterable[Source]) -> str:
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


def load(store: ox.Store, sources: Iterable[Source]) -> None:
    """Bulk-load every source; a malformed file is an UnusableInput naming the file, line and reason."""
    for source in sources:
        options: dict[str, object] = {}
        if source.graph is not None and source.format not in _QUAD_FORMATS:
            options["to_graph"] = ox.NamedNode(source.graph)
        check_file(
            source.path, source.format
        )  # nesting that would crash the parser (api/coopkg/rdf/nesting_limit.py)
        try:
            store.bulk_load(path=source.path, format=source.format, **options)  # type: ignore[arg-type]
        except SyntaxError as error:
            raise UnusableInput(
                f"{source.path}: not valid {source.format.name}: {error}; fix the file or leave it out."
            ) from None
        except OSError as error:
            raise UnusableInput(f"{source.path}: cannot be loaded ({error}).") from None


def identity(sources: Sequence[Source]) -> tuple[str, datetime]:
    """The data version (content fingerprint) and the newest source's modification time (Last-Modified)."""
    modified = max(
        (datetime.fromtimestamp(source.path.stat().st_mtime, UTC) for source in sources),
        default=datetime.now(UTC),
    ).replace(microsecond=0)
    return fingerprint(sources), modified


def build(store_dir: Path, sources: Sequence[Source]) -> BuiltStore:
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
        load(store, sources)
        store.flush()
        del store  # release RocksDB's lock so the workers can open it
    except BaseException:
        shutil.rmtree(store_dir, ignore_errors=True)  # never leave a half-built store to be reused
        raise
    graphs = sorted({source.graph or source.path.name for source in sources})
    marker.write_text(json.dumps({"version": version, "sources": graphs}, indent=1), encoding="utf-8")
    return BuiltStore(store_dir, version, modified)


def in_memory(sources: Sequence[Source]) -> tuple[ox.Store, str]:
    """An in-memory store of `sources` and its version (for the in-process store)."""
    store = ox.Store()
    load(store, sources)
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


def memory_needed(sources: Iterable[Source]) -> int:
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
