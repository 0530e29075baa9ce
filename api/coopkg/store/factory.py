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
        from coopkg.store.remote import RemoteStore

        return Opened(RemoteStore.from_settings(settings), None)
    from coopkg.store.embedded import EmbeddedStore

    store = await EmbeddedStore.open(settings, preloaded)
    return Opened(store, store.modified)
