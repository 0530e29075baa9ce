"""Parse programme source texts into RDF: parser, normaliser, graph builder, canonical Turtle, VoID."""
