"""CPU per exchange of the remote store's HTTP client (coopkg.store.remote_http) against general clients.

    .venv/bin/python bench/store_client.py [--requests 5000] [--rounds 2]

A stand-in store in a child process answers every POST at once with a Virtuoso-like SPARQL JSON answer of
15 rows over one kept-alive connection. In this process, one query at a time, each client sends `--requests`
form POSTs and reads the answers: the CPU time this process used per exchange (time.process_time) and the
wall time, for StoreConnection, httpx (a dependency, for `coopkg load --to`) and aiohttp (if installed: the
client before remote_http). The clients take turns, `--rounds` times, so all see the same machine; quote the
figures of one run side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import time
from collections.abc import Awaitable, Callable

import httptools
import httpx

from coopkg.store.remote_http import StoreConnection

JSON = "application/sparql-results+json"
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON}
QUERY = "SELECT ?p ?o WHERE { <https://w3id.org/coopkg/id/commitment/x> ?p ?o }"
_ROWS = b",".join(
    b'{"p":{"type":"uri","value":"https://w3id.org/coopkg/def#p%d"},"o":{"type":"literal","value":"v%d"}}'
    % (number, number)
    for number in range(15)
)
_BODY = b'{"head":{"link":[],"vars":["p","o"]},"results":{"distinct":false,"ordered":true,"bindings":['
_BODY += _ROWS + b"]}}"
ANSWER = (
    b"HTTP/1.1 200 OK\r\nServer: Virtuoso/07.20.3240 (Linux) x86_64-pc-linux-gnu\r\n"
    b"Connection: Keep-Alive\r\n"
    b"Content-Type: application/sparql-results+json; charset=UTF-8\r\nContent-Length: %d\r\n\r\n%s"
    % (len(_BODY), _BODY)
)


class _Store(asyncio.Protocol):
    """Answers each request as soon as it has arrived whole."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.parser = httptools.HttpRequestParser(self)

    def data_received(self, data: bytes) -> None:
        self.parser.feed_data(data)

    def on_message_complete(self) -> None:
        self.transport.write(ANSWER)  # type: ignore[attr-defined]


def serve(listening: socket.socket) -> None:
    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(_Store, sock=listening)
        await server.serve_forever()

    asyncio.run(main())


async def with_store_connection(url: str, requests: int) -> None:
    connection = StoreConnection(url, user_agent="coopkg-bench")
    for _ in range(requests):
        async with connection.post([("query", QUERY)], JSON, 30.0) as response:
            await response.read()
    await connection.aclose()


async def with_httpx(url: str, requests: int) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(requests):
            (await client.post(url, data={"query": QUERY}, headers={"Accept": JSON})).read()


async def with_aiohttp(url: str, requests: int) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        for _ in range(requests):
            async with session.post(url, data={"query": QUERY}, headers={"Accept": JSON}) as response:
                await response.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    listening = socket.create_server(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{listening.getsockname()[1]}/sparql"
    store = multiprocessing.Process(target=serve, args=(listening,), daemon=True)
    store.start()
    clients: dict[str, Callable[[str, int], Awaitable[None]]] = {
        "coopkg StoreConnection": with_store_connection,
        "httpx": with_httpx,
    }
    try:
        import aiohttp  # noqa: F401  (only measured when installed)

        clients["aiohttp"] = with_aiohttp
    except ImportError:
        print("(aiohttp is not installed: not measured)")
    try:
        for number in range(options.rounds):
            for name, client in clients.items():
                asyncio.run(client(url, 200))  # warm-up: imports, first connection
                cpu, wall = time.process_time(), time.perf_counter()
                asyncio.run(client(url, options.requests))
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                print(
                    f"round {number + 1}  {name:24s} CPU {cpu / options.requests * 1e6:6.1f} µs"
                    f"  wall {wall / options.requests * 1e6:6.1f} µs per exchange"
                )
    finally:
        store.terminate()


if __name__ == "__main__":
    main()
