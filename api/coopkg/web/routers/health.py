"""`/health`: the process is alive. `/ready`: the store answers a trivial ASK (for load balancers)."""

from __future__ import annotations

from fastapi import APIRouter

from coopkg.errors import StoreUnavailable
from coopkg.web.dependencies import StoreDep
from coopkg.web.openapi import problems

router = APIRouter(tags=["Health"], responses=problems(503))


@router.get("/health", summary="The gateway process is alive")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready", summary="The store answers queries")
async def ready(store: StoreDep) -> dict[str, str]:
    if not await store.health():
        raise StoreUnavailable("The store did not answer ASK {} in time; it may be starting or down.")
    return {"status": "ready", "version": store.version}
