"""Pushing named graphs into a store over the SPARQL 1.1 Graph Store HTTP Protocol (used by `coopkg load`).

Each graph goes in one `PUT ?graph=IRI` with its N-Triples: the protocol says PUT replaces the graph's
content, and a store that runs a request as one transaction (the Oxigraph server does) never shows a reader a
half-loaded graph. Virtuoso's `/sparql-graph-crud-auth` takes the same request with HTTP digest
authentication. Credentials come from settings (COOPKG_REMOTE_USER, COOPKG_REMOTE_PASSWORD), never from the
command line; the scheme (Basic or Digest) is the one the store's 401 challenge asks for.

A graph of an earlier load that the data no longer has (a programme taken out) is deleted, so the store serves
what the data folder holds: the earlier load's VoID graph (`id:graph/meta`) lists its graphs (`void:subset`),
and those under `id:graph/` that are not loaded now are removed with `DELETE ?graph=IRI`, before the new VoID
graph goes in last. Graphs outside `id:graph/` (another dataset sharing the store) are never touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import httpx
import pyoxigraph as ox

from coopkg.errors import StoreUnavailable, UnusableInput
from coopkg.rdf.dataset import GRAPH_META, GraphSource
from coopkg.rdf.namespaces import ID
from coopkg.store.remote import public_url

N_TRIPLES = "application/n-triples"
_PROBE_GRAPH = "urn:coopkg:load:probe"  # never written: only asked for, to see the store's challenge
_OURS = f"{ID}graph/"  # the only graphs a load may delete
_VOID_SUBSET = ox.NamedNode("http://rdfs.org/ns/void#subset")


@dataclass(frozen=True)
class Loaded:
    graph: str
    triples: int


@dataclass
class Replaced:
    """What a load did: the graphs put, the stale graphs deleted, and what the user should know."""

    loaded: list[Loaded]
    removed: list[str]
    notes: list[str]


class GraphStore:
    """A Graph Store Protocol endpoint (e.g. http://host:7878/store, http://host:8890/sparql-graph-crud-auth)."""

    def __init__(
        self,
        url: str,
        *,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 600.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url
        self.public_url = public_url(url)
        if not url.startswith(("http://", "https://")):
            raise UnusableInput(f"--to {self.public_url!r} is not an http(s) URL of a Graph Store endpoint.")
        self._credentials = (user, password or "") if user else None
        self._client = httpx.Client(timeout=timeout, transport=transport, follow_redirects=False)

    def close(self) -> None:
        self._client.close()

    def _auth(self) -> httpx.Auth | None:
        """The scheme the store challenges with (Virtuoso: Digest), for the configured user."""
        if self._credentials is None:
            return None
        probe = self._request("GET", _PROBE_GRAPH, None, None)
        challenge = probe.headers.get("www-authenticate", "").lower()
        if challenge.startswith("digest"):
            return httpx.DigestAuth(*self._credentials)
        return httpx.BasicAuth(*self._credentials)

    def _request(
        self, method: str, graph: str, body: bytes | None, auth: httpx.Auth | None
    ) -> httpx.Response:
        headers = {"Content-Type": N_TRIPLES} if body is not None else {}
        if method == "GET":  # only there: Virtuoso answers a DELETE that names an Accept with 406
            headers["Accept"] = N_TRIPLES
        try:
            return self._client.request(
                method,
                self.url,
                params={"graph": graph},
                content=body,
                headers=headers,
                auth=auth or httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.HTTPError as error:
            raise StoreUnavailable(
                f"The Graph Store {self.public_url} cannot be reached ({type(error).__name__})."
            ) from error

    def replace(self, sources: Iterable[GraphSource], progress: Callable[[str], None]) -> Replaced:
        """PUT each named graph (all its source files together), in order, the VoID graph last, after deleting
        the graphs of the previous load that are gone from the data; stops at the first refusal."""
        auth = self._auth()
        files: dict[str, list[GraphSource]] = {}
        for source in sources:  # the SDG graph comes from two files: one PUT with both
            if source.graph is None:
                raise UnusableInput(f"{source.path} names no graph to load into; give each file its graph.")
            files.setdefault(source.graph, []).append(source)
        meta = files.pop(GRAPH_META, None)
        loaded = []
        total = len(files) + (meta is not None)
        for number, (graph, parts) in enumerate(files.items(), 1):
            loaded.append(self._put(graph, parts, auth, progress, f"[{number}/{total}]"))
        notes: list[str] = []
        previous = self._previous_graphs(auth, notes)
        removed = sorted(g for g in previous if g.startswith(_OURS) and g not in files and g != GRAPH_META)
        for graph in removed:
            progress(f"removing {graph} (not in the data any more)")
            answer = self._request("DELETE", graph, None, auth)
            if answer.status_code not in (200, 202, 204, 404):
                raise UnusableInput(
                    f"The Graph Store {self.public_url} refused to delete graph {graph}, which the data no "
                    f"longer has, with HTTP {answer.status_code}: {answer.text[:300].strip()}"
                )
        if meta is not None:
            loaded.append(self._put(GRAPH_META, meta, auth, progress, f"[{total}/{total}]"))
        return Replaced(loaded, removed, notes)

    def _put(
        self,
        graph: str,
        parts: list[GraphSource],
        auth: httpx.Auth | None,
        progress: Callable[[str], None],
        step: str,
    ) -> Loaded:
        triples = [quad.triple for part in parts for quad in ox.parse(path=part.path, format=part.format)]
        progress(f"{step} {graph}: {len(triples)} triples")
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        answer = self._request("PUT", graph, body, auth)
        if answer.status_code not in (200, 201, 204):
            login = answer.status_code in (401, 403)
            hint = " (check COOPKG_REMOTE_USER and COOPKG_REMOTE_PASSWORD)" if login else ""
            raise UnusableInput(
                f"The Graph Store {self.public_url} refused graph {graph} with HTTP "
                f"{answer.status_code}{hint}: {answer.text[:300].strip()}"
            )
        return Loaded(graph, len(triples))

    def _previous_graphs(self, auth: httpx.Auth | None, notes: list[str]) -> set[str]:
        """The graphs the store's current VoID graph lists (empty when there is none: a first load)."""
        answer = self._request("GET", GRAPH_META, None, auth)
        if answer.status_code == 404 or (answer.status_code == 200 and not answer.content.strip()):
            return set()
        if answer.status_code != 200:
            return self._unread(notes, f"HTTP {answer.status_code}")
        media_type = answer.headers.get("content-type", "").split(";")[0].strip()
        # N-Triples was asked for; a store may answer Turtle (a superset) or name the type its own way.
        rdf_format = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.TURTLE
        try:
            triples = list(ox.parse(answer.content, format=rdf_format))
        except SyntaxError as error:
            return self._unread(notes, str(error))
        return {
            quad.object.value
            for quad in triples
            if quad.predicate == _VOID_SUBSET and isinstance(quad.object, ox.NamedNode)
        }

    @staticmethod
    def _unread(notes: list[str], problem: str) -> set[str]:
        """Nothing is deleted when the previous VoID graph cannot be read: said, not guessed."""
        notes.append(
            f"the store's current VoID graph could not be read ({problem}): graphs of earlier loads that the "
            "data no longer has, if any, were left in place"
        )
        return set()
