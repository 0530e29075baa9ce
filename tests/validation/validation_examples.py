"""The example files of the validation tests and their expectations.

A plain module, not conftest.py: `from conftest import ...` resolves to whichever conftest module was
imported first (tests/conftest.py, tests/linkeddata/conftest.py...), so it broke when other test folders ran
in the same session. The name is unique across tests/ for the same reason.
"""

from __future__ import annotations

import re
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
VALID_DIR = DATA / "valid"
INVALID_DIR = DATA / "invalid"
VALID_FILE = VALID_DIR / "test-fixture-2024-2025.ttl"
SHAPES_NS = "https://w3id.org/coopkg/shapes#"
_EXPECT = re.compile(r"^# expect: <([^>]+)> <([^>]+)>$", re.MULTILINE)


def expectations(path: Path) -> set[tuple[str, str]]:
    """The (shape, focus node) pairs an invalid example's header says the report must hold."""
    return set(_EXPECT.findall(path.read_text(encoding="utf-8")))


def invalid_files() -> list[Path]:
    return sorted(INVALID_DIR.glob("*.ttl"))
