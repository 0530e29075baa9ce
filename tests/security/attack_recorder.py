"""A SPARQL 1.1 endpoint on loopback that records every query it is sent and answers it from a store.

The gateway runs with `COOPKG_STORE=remote` in front of it, so the injection tests can assert on the query
text the gateway actually executed, not only on the status it returned. Answers follow what the remote
backend asks for (SPARQL TSV, N-Triples, SPARQL JSON), computed by pyoxigraph over the union of the graphs.
"""

from __future__ import annotations

import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

import pyoxigraph as ox

_RESULT_FORMATS = {
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
}


class Recorder:
    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.queries: list[str] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start the recorder first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/query"

    def take(self) -> list[str]:
        """The queries received since the last call."""
        with self._lock:
            taken, self.queries = self.queries, []
        return taken

    def answer(self, query: str, accept: str) -> tuple[int, str, bytes]:
        with self._lock:
            self.queries.append(query)
        try:
            result = self.store.query(query, use_default_graph_as_union=True)
        except SyntaxError as error:
            return 400, "text/plain", str(error).encode()
        if isinstance(result, ox.QueryTriples):
            return 200, "application/n-triples", result.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
        media_type = accept if accept in _RESULT_FORMATS else "application/sparql-results+json"
        return 200, media_type, result.serialize(format=_RESULT_FORMATS[media_type]) or b""

    def __enter__(self) -> Recorder:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"))
                status, media_type, body = recorder.answer(form["query"][0], self.headers.get("Accept", ""))
                self.send_response(status)
                self.send_header("Content-Type", media_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: pytest shows the assertions, not an access log."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
