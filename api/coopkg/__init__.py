"""coopkg: a knowledge graph of international cooperation commitments."""

__version__ = "0.1.0"
