"""The named queries of queries/*.rq as benchmark requests, with values that fit the synthetic data.

The same query text goes to every SPARQL server, its parameters bound the way the gateway binds them for a
remote store (`coopkg.queries.inline_values`: a one-row VALUES block opening the WHERE group), the terms
made by
the registry's own typed parameters; the gateway is also called through its named-query route.
"""

from __future__ import annotations

import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SDG_GOALS = ("6", "13", "3", "14", "7", "11", "15", "4")  # goals the synthetic topics align to
FRAMEWORKS = ("paris-agreement", "2030-agenda", "unfccc", "one-health", "cbd")  # bench/vocab.py's
SEARCH_TEXTS = ("可再生能源", "water", "食品安全", "shipping", "联合研究")  # words of bench/vocab.py's topics
REQUESTS_PER_QUERY = 16  # different values per named query, so no server answers from one cached result


def programme_of(commitment: str) -> str:
    return commitment[: commitment.index("/section/")]


def values_for(name: str, commitment: str, k: int) -> str | None:
    """A value for a parameter called `name` that selects something in the synthetic data, if we know one."""
    programme = programme_of(commitment)
    return {
        "programme": programme,
        "area": f"{programme}/area/1",
        "section": commitment[: commitment.index("/", commitment.index("/section/") + 9)],
        "number": "3",
        "sdg": f"http://metadata.un.org/sdg/{SDG_GOALS[k % len(SDG_GOALS)]}",
        "commitment": commitment,
        "framework": f"https://w3id.org/coopkg/id/framework/{FRAMEWORKS[k % len(FRAMEWORKS)]}",
        "text": SEARCH_TEXTS[k % len(SEARCH_TEXTS)],
    }.get(name)


def named_requests(commitments: list[str]) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """name -> [(query text with its values inlined, the raw parameter values)] for every named query."""
    sys.path.insert(0, str(ROOT))
    # The project's own parser and binder: the header format and the binding semantics are theirs.
    from coopkg.queries import bind, inline_values, load_registry

    registry = load_registry(ROOT / "queries")
    chosen = commitments[:: max(1, len(commitments) // REQUESTS_PER_QUERY)][:REQUESTS_PER_QUERY]
    out: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for name, query in registry.items():
        requests: list[tuple[str, dict[str, str]]] = []
        for k, commitment in enumerate(chosen):
            raw: dict[str, str] = {}
            for param in query.params:
                value = values_for(param.name, commitment, k) or param.default
                if value is None:
                    break  # a required parameter we cannot fill: leave this query out
                raw[param.name] = value
            else:
                requests.append((inline_values(query.text, bind(query, raw)), raw))
        if requests:
            out[name] = requests
    return out


def api_path(route: str, name: str, raw: dict[str, str]) -> str:
    """The gateway's named-query route, `route` being e.g. '/queries/{name}'."""
    return route.format(name=name) + ("?" + urllib.parse.urlencode(raw) if raw else "")
