"""Which programmes link to a shared thing (a framework, an agency, an SDG target or goal), asked of each
remote engine, against the catalogue read whole from the embedded store: the directory holds only the whole
graph's counts of these links, so pages and filters ask these questions of the store itself
(coopkg.linkeddata.catalogue_cache, catalogue-linking-*.rq)."""

from __future__ import annotations

import asyncio

import pyoxigraph as ox
import pytest

from coopkg.linkeddata import catalogue_reading
from coopkg.linkeddata.catalogue import SHARED_KINDS, Catalogue, Links
from coopkg.linkeddata.catalogue_cache import CatalogueCache
from coopkg.store.inprocess import InProcessStore
from coopkg.store.remote import RemoteStore

pytestmark = [pytest.mark.remote, pytest.mark.anyio]

FRAMEWORKS = "https://w3id.org/coopkg/id/framework/"


@pytest.fixture(scope="module")
def whole(shipped_store: ox.Store) -> Catalogue:
    return asyncio.run(catalogue_reading.load(InProcessStore(shipped_store, version="whole")))


@pytest.mark.parametrize("kind", SHARED_KINDS)
async def test_each_engine_names_the_programmes_linked_to_every_shared_thing(
    remote_store: RemoteStore, whole: Catalogue, kind: str
) -> None:
    cache = CatalogueCache()
    things = sorted(whole.links.linked(kind))
    assert things, f"the shipped graph has no {kind} links"
    for thing in things:
        found = await cache.programmes_linked(remote_store, kind, [thing])
        assert found == whole.links.programmes(kind, thing), thing
    absent = f"{FRAMEWORKS}absent"
    assert await cache.programmes_linked(remote_store, kind, [absent]) == frozenset()


async def test_each_engine_names_the_programmes_under_every_framework(
    remote_store: RemoteStore, whole: Catalogue
) -> None:
    cache = CatalogueCache()
    frameworks = sorted(whole.links.linked("framework"))
    assert any(_parts(whole.links, f) for f in frameworks), "no framework with an aligned part to test"
    for framework in frameworks:
        expected = whole.links.programmes("framework", framework).union(
            *(whole.links.programmes("target", part) for part in _parts(whole.links, framework))
        )
        assert await cache.programmes_under(remote_store, framework) == expected, framework


def _parts(links: Links, framework: str) -> list[str]:
    return [t for t in links.linked("target") if t.startswith(framework + "/")]
