"""The "FastAPI + pyoxigraph in a dozen lines" baseline: what the gateway costs over the bare minimum.

.venv/bin/python bench/baseline.py DATA.nq PORT
"""

import sys

import pyoxigraph as ox
import uvicorn
from fastapi import FastAPI, Response


def main() -> None:
    store = ox.Store()
    store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
    app = FastAPI()

    @app.get("/sparql")
    def sparql(query: str) -> Response:  # a plain def: FastAPI runs it in its thread pool, off the event loop
        results = store.query(query, use_default_graph_as_union=True)
        if isinstance(results, ox.QueryTriples):  # CONSTRUCT / DESCRIBE
            return Response(
                results.serialize(format=ox.RdfFormat.N_TRIPLES), media_type="application/n-triples"
            )
        body = results.serialize(format=ox.QueryResultsFormat.JSON)
        return Response(body, media_type="application/sparql-results+json")

    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")


if __name__ == "__main__":
    main()
