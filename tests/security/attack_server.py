"""The limits the security tests' gateways run with (the server itself is `tests/live.py`'s Gateway)."""

from __future__ import annotations

# Limits of the session gateway (tests/security/conftest.py): short, so a runaway query costs seconds.
QUERY_TIMEOUT = 2.0  # seconds
MAX_ROWS = 1000
MAX_BODY = 1_000_000  # the default; the multi-megabyte case must exceed it
MAX_UPLOAD = 2_000_000  # /validate: its own limit (default 32 MB), small here so refusals are quick
VALIDATE_TIMEOUT = 30.0  # seconds; the one upload that passes it in the tests is the timeout's own test
