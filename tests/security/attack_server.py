"""The limits the security tests' gateways run with (the server itself is `tests/live.py`'s Gateway)."""

from __future__ import annotations

# Limits of the session gateway (tests/security/conftest.py): short, so a runaway query costs seconds.
QUERY_TIMEOUT = 2.0  # seconds
MAX_ROWS = 1000
MAX_BODY = 1_000_000  # the default; the multi-megabyte case must exceed it
