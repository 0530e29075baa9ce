"""Fixtures of the validation tests (constants and helpers live in validation_examples.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from validation_examples import VALID_FILE


@pytest.fixture(scope="session")
def valid_file() -> Path:
    return VALID_FILE
