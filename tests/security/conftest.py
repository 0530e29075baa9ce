"""Fixtures of the attack tests: a live gateway with short limits, loopback listeners that must stay silent.

The live gateway is started once per session (a real `coopkg serve` process: timeouts must stop real work in
real worker processes) with a 2-second query timeout, so a runaway query costs the suite seconds, not minutes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from attack_listener import Listener
from attack_server import MAX_BODY, MAX_ROWS, QUERY_TIMEOUT, LiveServer


@pytest.fixture(scope="session")
def listener() -> Iterator[Listener]:
    """Answers like a willing web server; any connection it records is an outbound request that happened."""
    with Listener() as instance:
        yield instance


@pytest.fixture(scope="session")
def redirector(listener: Listener) -> Iterator[Listener]:
    """Answers 302 to the metadata address (through `listener`'s port would also be caught)."""
    with Listener(redirect_to="http://169.254.169.254/latest/meta-data/") as instance:
        yield instance


@pytest.fixture(scope="session")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`coopkg serve` on the shipped graph, two query workers, short limits, on a free loopback port."""
    log = tmp_path_factory.mktemp("gateway") / "serve.log"
    env = {
        "COOPKG_QUERY_TIMEOUT": str(QUERY_TIMEOUT),
        "COOPKG_MAX_ROWS": str(MAX_ROWS),
        "COOPKG_MAX_BODY": str(MAX_BODY),
        "COOPKG_WORKERS": "2",
    }
    with LiveServer(log, env) as server:
        yield server
