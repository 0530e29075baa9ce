"""RDF foundations: namespaces, source files and loading, the nesting limit."""
