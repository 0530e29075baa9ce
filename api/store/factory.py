"""Open the store the settings ask for: the embedded Oxigraph (worker processes) or a remote endpoint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import anyio

from api.settings import Settings
from api.store.base import Store


@dataclass
class Opened:
    store: Store
    modified: datetime | None  # when the served data last changed (Last-Modified), if known


async def open_store(settings: Settings) -> Opened:
    if settings.store == "remote":
        from api.store.remote import RemoteStore

        return Opened(RemoteStore.from_settings(settings), None)
    from api.store.data import in_memory, sources_for
    from api.store.inprocess import InProcessStore

    def build() -> tuple[InProcessStore, None]:
        store, version = in_memory(sources_for(settings.data))
        return InProcessStore(store, version=version, max_rows=settings.max_rows), None

    store, modified = await anyio.to_thread.run_sync(build)
    return Opened(store, modified)
