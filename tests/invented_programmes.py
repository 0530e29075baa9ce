"""The shipped graph with the invented programmes of tests/invented/ (not real agreements; see its README),
and the derived graph recomputed over both with the build's own code, as `coopkg build` would write it.

A plain module with a unique name (like live.py), imported by the tests of queries, similarity and pages.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from coopkg.rdf import dataset
from coopkg.reader.links import derived_triples

INVENTED = Path(__file__).resolve().parent / "invented" / "invented-programmes.trig"
ID = "https://w3id.org/coopkg/id/"
SHIPPED = f"{ID}programme/cn-dk-green-2023-2026"
SUCCESSOR = f"{ID}programme/test-invented-2027-2030"
SECOND_SUCCESSOR = f"{ID}programme/test-invented-2031-2034"
PREDECESSOR = f"{ID}programme/cn-dk-2017-2020"
JETC = f"{ID}mechanism/cn-dk-joint-economic-trade-commission"
STC = f"{ID}mechanism/cn-dk-science-technology-joint-committee"
CHINA = f"{ID}party/china"


def invented_store() -> ox.Store:
    """Shipped graphs + invented programmes; id:graph/derived replaced by what the build derives from both."""
    store = ox.Store()
    dataset.load_into(store, dataset.shipped_graphs())
    store.load(path=INVENTED, format=ox.RdfFormat.TRIG)
    derived = ox.NamedNode(dataset.GRAPH_DERIVED)
    store.clear_graph(derived)
    inputs = {
        quad.triple
        for quad in store
        if isinstance(quad.graph_name, ox.NamedNode)
        and (
            quad.graph_name.value.startswith(dataset.PROGRAMME_GRAPH_PREFIX)
            or quad.graph_name.value == dataset.GRAPH_CURATED
        )
    }
    store.extend(ox.Quad(t.subject, t.predicate, t.object, derived) for t in derived_triples(inputs))
    return store


def write_trig(store: ox.Store, path: Path) -> Path:
    """The whole store as one TriG file (named graphs kept), for a gateway started with --data."""
    path.write_bytes(ox.serialize(store, format=ox.RdfFormat.TRIG))
    return path


def definitions() -> dict[str, Any]:
    """The invented programmes as make_invented.py defines them (slug -> its tuple), for expected answers."""
    spec = importlib.util.spec_from_file_location("make_invented", INVENTED.parent / "make_invented.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    programmes: dict[str, Any] = module.PROGRAMMES
    return programmes
