"""Open the store the settings ask for: the embedded Oxigraph (worker processes) or a remote endpoint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coopkg.settings import Settings
from coopkg.store.base import Store
from coopkg.store.pool import Launcher


@dataclass
class Opened:
    store: Store
    modified: datetime | None  # when the served data last changed (Last-Modified), if known


async def open_store(settings: Settings, preloaded: Launcher | None = None) -> Opened:
    if settings.store == "remote":
        from coopkg.store.client_budget import ClientLimits
        from coopkg.store.limited import LimitedStore
        from coopkg.store.remote import RemoteStore

        # The embedded store's pool applies the per-client limits itself; in front of a remote one, here.
        limits = ClientLimits(settings.client_concurrency, settings.client_budget)
        return Opened(LimitedStore(RemoteStore.from_settings(settings), limits), None)
    from coopkg.store.embedded import EmbeddedStore

    store = await EmbeddedStore.open(settings, preloaded)
    return Opened(store, store.modified)
