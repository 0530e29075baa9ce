"""The gateway's end of a worker's socket, on the event loop: multiprocessing's message framing over asyncio.

A worker talks through a `multiprocessing.connection.Connection` (blocking, in its own process). The gateway
reads the same frames with an `asyncio.StreamReader`, so waiting for a worker costs no thread and no thread
hop: a reply wakes the event loop directly. The framing is CPython's (`Connection._send_bytes`): a 4-byte
big-endian signed length, or -1 followed by an 8-byte unsigned length for payloads of 2 GiB and more.
"""

from __future__ import annotations

import asyncio
import pickle
import struct
from typing import Any

_SHORT = struct.Struct("!i")
_LONG = struct.Struct("!Q")


def frame(payload: bytes) -> bytes:
    size = len(payload)
    if size > 0x7FFFFFFF:
        return _SHORT.pack(-1) + _LONG.pack(size) + payload
    return _SHORT.pack(size) + payload


async def read_bytes(reader: asyncio.StreamReader) -> bytes:
    """One frame's payload; `asyncio.IncompleteReadError` when the worker closed its end (it died)."""
    (size,) = _SHORT.unpack(await reader.readexactly(4))
    if size == -1:
        (size,) = _LONG.unpack(await reader.readexactly(8))
    return await reader.readexactly(size) if size else b""


async def read_object(reader: asyncio.StreamReader) -> Any:
    # Only our own worker writes to this socket (a socket pair we created): unpickling is safe here.
    return pickle.loads(await read_bytes(reader))  # noqa: S301


def write_object(writer: asyncio.StreamWriter, message: object) -> None:
    writer.write(frame(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)))
