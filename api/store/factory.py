"""Open the store the settings ask for: the embedded Oxigraph (worker processes) or a remote endpoint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from api.settings import Settings
from api.store.base import Store
from api.store.pool import Launcher


@dataclass
class Opened:
    store: Store
    modified: datetime | None  # when the served data last changed (Last-Modified), if known


async def open_store(settings: Settings, preloaded: Launcher | None = None) -> Opened:
    if settings.store == "remote":
        from api.store.remote import RemoteStore

        return Opened(RemoteStore.from_settings(settings), None)
    from api.store.embedded import EmbeddedStore

    store = await EmbeddedStore.open(settings, preloaded)
    return Opened(store, store.modified)
