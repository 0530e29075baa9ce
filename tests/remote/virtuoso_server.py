"""A real Virtuoso 7 (Debian's `virtuoso-opensource`) for the remote-backend tests.

`VirtuosoServer` writes its own `virtuoso.ini` into a temporary directory (database, logs, free loopback ports
for SQL and HTTP), starts `virtuoso-t` in the foreground and polls `/sparql` until it answers. `load()` runs
Virtuoso's bulk loader (`ld_dir` + `rdf_loader_run()` + `checkpoint`) through `isql-vt` on N-Quads files,
as docs/remote-backend.md tells users to. `stop()` kills it (an outage, not a shutdown) and `start()` brings
it back on the same ports with the same data.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from oxigraph_server import free_port

from coopkg.store.remote_engines import VIRTUOSO_SYSTEM_GRAPHS

READY_WITHIN = 120.0  # seconds: a first start creates the database; a loaded 2-core machine is slow
POLL_EVERY = 0.1
DBA_PASSWORD = "dba"  # a fresh database's default; loopback only, and the database is thrown away
MISSING = (
    "Debian's virtuoso-opensource is not installed (virtuoso-t, isql-vt): `make test` installs it when run "
    "as root, or: apt-get install virtuoso-opensource"
)


def virtuoso_binaries() -> tuple[Path, Path] | None:
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    return None if server is None or isql is None else (Path(server), Path(isql))


class VirtuosoServer:
    def __init__(
        self,
        binaries: tuple[Path, Path],
        folder: Path,
        *,
        server_timeout: float | None = None,
        result_rows: int = 1_000_000,
        buffers: int = 10_000,
    ) -> None:
        self.server_binary, self.isql_binary = binaries
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sql_port = free_port()
        self.http_port = free_port()
        self.log = folder / "virtuoso.out"
        self.process: subprocess.Popen[bytes] | None = None
        self.ini = folder / "virtuoso.ini"
        (folder / "www").mkdir(exist_ok=True)
        self.buffers = buffers  # 8 kB pages of Virtuoso's buffer pool (its main memory setting)
        self.ini.write_text(self._ini(server_timeout, result_rows))

    def _ini(self, server_timeout: float | None, result_rows: int) -> str:
        folder = self.folder
        # A small buffer pool and few threads: the test data is small and the machine is shared.
        return f"""[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{self.sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
DirsAllowed = ., {folder}
NumberOfBuffers = {self.buffers}
MaxDirtyBuffers = {self.buffers * 3 // 4}
ThreadsPerQuery = 2
MaxClientConnections = 20

[HTTPServer]
ServerPort = 127.0.0.1:{self.http_port}
ServerRoot = {folder}/www
ServerThreads = 20
MaxClientConnections = 20
MaxKeepAlives = 20
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = {result_rows}
MaxQueryExecutionTime = {0 if server_timeout is None else max(1, round(server_timeout))}
MaxQueryCostEstimationTime = 0
"""

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/sparql"

    def isql(self, statements: str) -> str:
        """Run SQL statements as dba; the output, or RuntimeError with it when isql reports an error."""
        command = [
            str(self.isql_binary),
            f"127.0.0.1:{self.sql_port}",
            "dba",
            DBA_PASSWORD,
            f"exec={statements}",
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
        if done.returncode != 0 or "*** Error" in done.stdout or "*** Error" in done.stderr:
            raise RuntimeError(f"isql failed on {statements!r}:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def load(self, nquads: Path) -> None:
        """Bulk-load one N-Quads file (each quad into its own graph), make it durable, and let anonymous
        SPARQL read exactly its graphs (docs/remote-backend.md: Virtuoso's system graphs stay hidden)."""
        target = self.folder / "load"
        target.mkdir(exist_ok=True)
        shutil.copy(nquads, target / nquads.name)
        self.isql(f"ld_dir('{target}', '{nquads.name}', 'urn:coopkg:unused'); rdf_loader_run(); checkpoint;")
        failures = self.isql("SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;")
        if "0 Rows" not in failures:
            raise RuntimeError(f"the Virtuoso bulk loader reported errors:\n{failures}")
        # In SQL: the SPARQL form (DISTINCT ?g over every quad) takes minutes on a million quads.
        listing = self.isql("SELECT DISTINCT id_to_iri(G) FROM DB.DBA.RDF_QUAD;").splitlines()
        start = next(number for number, line in enumerate(listing) if line.startswith("____")) + 1
        graphs = {line.strip() for line in listing[start:] if line.strip() and " Rows." not in line}
        self.publish(sorted(graphs - set(VIRTUOSO_SYSTEM_GRAPHS)))

    def publish(self, graphs: list[str]) -> None:
        """Anonymous SPARQL (Virtuoso's user `nobody`) reads these graphs and no other."""
        self.isql("DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 0);")
        for start in range(0, len(graphs), 40):  # isql takes at most 50 statements on one line
            batch = graphs[start : start + 40]
            self.isql(
                " ".join(f"DB.DBA.RDF_GRAPH_USER_PERMS_SET ('{graph}', 'nobody', 1);" for graph in batch)
            )

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(self.server_binary), "-f", "-c", str(self.ini)],
                cwd=self.folder,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + READY_WITHIN
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {self.process.returncode}:\n{self.output()}")
            try:
                answer = httpx.post(self.query_url, data={"query": "ASK {}"}, timeout=2.0)
                if answer.status_code == 200:
                    return
            except httpx.TransportError:
                pass  # not listening yet
            time.sleep(POLL_EVERY)  # readiness polling interval
        self.stop()
        raise RuntimeError(
            f"Virtuoso did not answer on {self.base_url} within {READY_WITHIN} s:\n{self.output()}"
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""

    def stop(self) -> None:
        """Kill the server (an outage: no checkpoint, no grace period), and wait until it is gone."""
        if self.process is None:
            return
        self.process.kill()
        self.process.wait(timeout=30)
        self.process = None
        (self.folder / "virtuoso.lck").unlink(missing_ok=True)  # a killed server leaves its lock behind

    def restart(self) -> None:
        self.stop()
        self.start()


@contextmanager
def loaded_virtuoso(
    binaries: tuple[Path, Path], folder: Path, nquads: Path, **options: Any
) -> Iterator[VirtuosoServer]:
    """A started Virtuoso (options as VirtuosoServer's) with `nquads` bulk-loaded, stopped afterwards."""
    server = VirtuosoServer(binaries, folder, **options)
    server.start()
    try:
        server.load(nquads)
        yield server
    finally:
        server.stop()
