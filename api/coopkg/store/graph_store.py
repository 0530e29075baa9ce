"""Pushing named graphs into a store over the SPARQL 1.1 Graph Store HTTP Protocol (used by `coopkg load`).

Each graph goes in one `PUT ?graph=IRI` with its N-Triples: the protocol says PUT replaces the graph's
content, and a store that runs a request as one transaction (the Oxigraph server does) never shows a reader a
half-loaded graph. Virtuoso's `/sparql-graph-crud-auth` takes the same request with HTTP digest
authentication. Credentials come from settings (COOPKG_REMOTE_USER, COOPKG_REMOTE_PASSWORD), never from the
command line; the scheme (Basic or Digest) is the one the store's 401 challenge asks for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import httpx
import pyoxigraph as ox

from coopkg.errors import StoreUnavailable, UnusableInput
from coopkg.rdf.dataset import GraphSource
from coopkg.store.remote import public_url

N_TRIPLES = "application/n-triples"
_PROBE_GRAPH = "urn:coopkg:load:probe"  # never written: only asked for, to see the store's challenge


@dataclass(frozen=True)
class Loaded:
    graph: str
    triples: int


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

    def replace(self, sources: Iterable[GraphSource], progress: Callable[[str], None]) -> list[Loaded]:
        """PUT each named graph (all its source files together), in order; stops at the first refusal."""
        auth = self._auth()
        files: dict[str, list[GraphSource]] = {}
        for source in sources:  # the SDG graph comes from two files: one PUT with both
            if source.graph is None:
                raise UnusableInput(f"{source.path} names no graph to load into; give each file its graph.")
            files.setdefault(source.graph, []).append(source)
        loaded = []
        for number, (graph, parts) in enumerate(files.items(), 1):
            triples = [quad.triple for part in parts for quad in ox.parse(path=part.path, format=part.format)]
            progress(f"[{number}/{len(files)}] {graph}: {len(triples)} triples")
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            answer = self._request("PUT", graph, body, auth)
            if answer.status_code not in (200, 201, 204):
                login = answer.status_code in (401, 403)
                hint = " (check COOPKG_REMOTE_USER and COOPKG_REMOTE_PASSWORD)" if login else ""
                raise UnusableInput(
                    f"The Graph Store {self.public_url} refused graph {graph} with HTTP "
                    f"{answer.status_code}{hint}: {answer.text[:300].strip()}"
                )
            loaded.append(Loaded(graph, len(triples)))
        return loaded
