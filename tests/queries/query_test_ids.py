"""IRIs used by the named-query tests (imported by module name: tests/ folders are not packages)."""

from __future__ import annotations

ID = "https://w3id.org/coopkg/id/"
PROGRAMME = f"{ID}programme/cn-dk-green-2023-2026"
DEMO = f"{ID}programme/demo"
SDG = "http://metadata.un.org/sdg/"
SOURCE_FILE = "000_e060dfadf5293257.txt"


def commitment(path: str) -> str:
    """`05/item/4` -> the IRI of that commitment (or section, `05`) of the first programme."""
    return f"{PROGRAMME}/section/{path}"


def area(key: str) -> str:
    return f"{PROGRAMME}/area/{key}"


def framework(slug: str) -> str:
    return f"{ID}framework/{slug}"
