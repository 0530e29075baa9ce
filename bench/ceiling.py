"""The ceiling: a bare ASGI app answering every request with one fixed SPARQL JSON body, under uvicorn with
the gateway's own settings (`coopkg serve`: httptools and uvloop when installed, access log off).

No Python web server on this machine answers faster than this; the gateway is reported as a fraction of it
(issue 13). The body has as many rows as a `lookup` answer, so response sizes are comparable.

.venv/bin/python bench/ceiling.py PORT
"""

import json
import sys

import uvicorn
from starlette.types import Receive, Scope, Send

ROWS = 12
BODY = json.dumps(
    {
        "head": {"vars": ["p", "o"]},
        "results": {
            "bindings": [
                {
                    "p": {"type": "uri", "value": f"https://w3id.org/coopkg/def#property{n}"},
                    "o": {"type": "literal", "value": f"value number {n} of a commitment"},
                }
                for n in range(ROWS)
            ]
        },
    }
).encode()
START = {
    "type": "http.response.start",
    "status": 200,
    "headers": [
        (b"content-type", b"application/sparql-results+json"),
        (b"content-length", str(len(BODY)).encode()),
    ],
}
RESPONSE = {"type": "http.response.body", "body": BODY}


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return  # lifespan: nothing to start
    await send(START)
    await send(RESPONSE)


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
