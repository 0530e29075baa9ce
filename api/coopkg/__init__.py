"""coopkg: a knowledge graph of international cooperation commitments."""

__version__ = "0.2.0"
