"""Fixtures of the validation tests: the example files and their expectations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
VALID_DIR = DATA / "valid"
INVALID_DIR = DATA / "invalid"
SHAPES_NS = "https://w3id.org/coopkg/shapes#"
_EXPECT = re.compile(r"^# expect: <([^>]+)> <([^>]+)>$", re.MULTILINE)


def expectations(path: Path) -> set[tuple[str, str]]:
    """The (shape, focus node) pairs an invalid example's header says the report must hold."""
    return set(_EXPECT.findall(path.read_text(encoding="utf-8")))


def invalid_files() -> list[Path]:
    return sorted(INVALID_DIR.glob("*.ttl"))


@pytest.fixture(scope="session")
def valid_file() -> Path:
    return VALID_DIR / "test-fixture-2024-2025.ttl"
