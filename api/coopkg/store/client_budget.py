"""Per-client limits on the query workers: queries at once, and worker time per minute.

As public SPARQL endpoints do (the Wikidata Query Service: a minute of query time per minute and five
parallel queries per client), each client (an address, see `coopkg.web.client_address`) may have at most
`concurrency` requests with queries waiting or running (the queries one request runs together, as a page
gathering several, count once), and a bucket of `budget` seconds of worker time, refilled
continuously at `budget` per minute and charged, when a query lets go of its worker, with the time it
actually held it (waiting in the queue is free). A client whose bucket is empty, or who has `concurrency`
queries in flight, is answered 429 with `Retry-After` at once, before its query waits for anything.

Why these defaults never stop a researcher's script: a script that sends one query at a time holds at most
one worker, so it uses at most one second of worker time per second, which is exactly the refill rate of a
60 s budget; it only ever meets the limit with several queries in parallel, and a flood always does.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from coopkg.errors import ClientBudgetExhausted, ClientConcurrencyLimit

WINDOW = 60.0  # seconds: the budget is per minute
_SWEEP_AT = 4096  # clients remembered before the idle, full ones are forgotten


@dataclass
class _Account:
    balance: float  # seconds of worker time left (negative after a long query: the debt is paid in time)
    updated: float  # when `balance` was last refilled
    # Requests with queries waiting or running -> how many queries each (a page may run several at once).
    requests: dict[object, int] = field(default_factory=dict)

    @property
    def in_flight(self) -> int:
        return len(self.requests)


class Ticket:
    """One admitted query; `close()` (idempotent) gives its place back."""

    def __init__(self, limits: ClientLimits | None, client: str | None, request: object = None) -> None:
        self._limits = limits
        self.client = client
        self.request = request

    def close(self) -> None:
        if self._limits is not None:
            self._limits._leave(self.client, self.request)
            self._limits = None


class ClientLimits:
    """`concurrency` 0 or `budget` 0 turns that limit off. Clients named None (work outside a request) are
    never limited."""

    def __init__(
        self, concurrency: int, budget: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.concurrency = concurrency
        self.budget = budget
        self.rate = budget / WINDOW  # seconds of worker time given back per second
        self._clock = clock
        self._accounts: dict[str, _Account] = {}

    def _account(self, client: str) -> _Account:
        now = self._clock()
        account = self._accounts.get(client)
        if account is None:
            if len(self._accounts) >= _SWEEP_AT:
                self._sweep(now)
            account = self._accounts[client] = _Account(self.budget, now)
        else:
            account.balance = min(self.budget, account.balance + (now - account.updated) * self.rate)
            account.updated = now
        return account

    def _sweep(self, now: float) -> None:
        for name, account in list(self._accounts.items()):
            refilled = account.balance + (now - account.updated) * self.rate
            if account.in_flight == 0 and refilled >= self.budget:
                del self._accounts[name]

    def admit(self, client: str | None, request: object = None) -> Ticket:
        """A place for one query of `client` made for `request` (None: a request of its own), or the 429
        that says which limit and when to come back. The queries of one request share one place."""
        if client is None:
            return Ticket(None, None)
        account = self._account(client)
        request = object() if request is None else request
        if request in account.requests:  # another query of a request already admitted
            account.requests[request] += 1
            return Ticket(self, client, request)
        if self.concurrency and account.in_flight >= self.concurrency:
            refused: ClientConcurrencyLimit | ClientBudgetExhausted = ClientConcurrencyLimit(
                f"This client ({client}) already has {account.in_flight} requests with queries waiting or "
                f"running, the most allowed (COOPKG_CLIENT_CONCURRENCY={self.concurrency}). The limit "
                "resets as soon as one of them finishes: send queries one after another, or retry in 1 s.",
                headers={"Retry-After": "1"},
            )
            # Problem-document members (RFC 9457 extensions) for programs: which limit, when to come back.
            refused.extensions = {
                "limit": "COOPKG_CLIENT_CONCURRENCY",
                "max": self.concurrency,
                "resetsIn": 1,
            }
            raise refused
        if self.budget and account.balance <= 0:
            wait = max(1, math.ceil(-account.balance / self.rate + 0.01))
            refused = ClientBudgetExhausted(
                f"This client ({client}) used its {self.budget:g} s of query-worker time per minute "
                f"(COOPKG_CLIENT_BUDGET; it is refilled at {self.rate:g} s per second). It resets in "
                f"{wait} s: retry then, and make queries more selective or add a LIMIT.",
                headers={"Retry-After": str(wait)},
            )
            refused.extensions = {"limit": "COOPKG_CLIENT_BUDGET", "max": self.budget, "resetsIn": wait}
            raise refused
        account.requests[request] = 1
        return Ticket(self, client, request)

    def charge(self, client: str | None, seconds: float) -> None:
        """`client`'s query held a worker for `seconds`."""
        if client is None or not self.budget:
            return
        account = self._account(client)
        account.balance -= seconds

    def balance(self, client: str) -> float:
        return self._account(client).balance

    def _leave(self, client: str | None, request: object) -> None:
        account = self._accounts.get(client) if client is not None else None
        if account is None or request not in account.requests:
            return
        account.requests[request] -= 1
        if account.requests[request] <= 0:
            del account.requests[request]
