"""Named SPARQL queries (`queries/*.rq`): the registry, typed parameters, and running them.

Shared by `coopkg query` and the web API: `default_registry()` loads the shipped queries once, `bind()`
turns raw text values into validated RDF terms, `run()` evaluates on a pyoxigraph store with those terms
substituted, and `inline_values()` renders the bound query as text (a VALUES block) for a remote SPARQL store.
"""

from coopkg.queries.params import Param, ParamKind
from coopkg.queries.registry import NamedQuery, QueryRegistry, default_registry, load_registry
from coopkg.queries.run import bind, run
from coopkg.sparql.text import inline_values

__all__ = [
    "NamedQuery",
    "Param",
    "ParamKind",
    "QueryRegistry",
    "bind",
    "default_registry",
    "inline_values",
    "load_registry",
    "run",
]
