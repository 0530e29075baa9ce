"""Query backends behind the gateway: an embedded Oxigraph store and any remote SPARQL 1.1 endpoint."""
