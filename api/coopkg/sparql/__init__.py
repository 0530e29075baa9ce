"""SPARQL text: one lexer, query inspection, named-query text and VALUES pushdown."""
