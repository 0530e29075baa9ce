"""SECURITY.md stays true: its limits table matches the settings' defaults, and every test it cites exists."""

from __future__ import annotations

import re
from pathlib import Path

from coopkg.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SECURITY = ROOT / "SECURITY.md"
HERE = Path(__file__).parent


def limits_table() -> dict[str, str]:
    """`COOPKG_NAME` -> default column, from the rows of the limits table."""
    rows = {}
    for line in SECURITY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 4 and cells[1].startswith("`COOPKG_"):
            rows.setdefault(cells[1].strip("`"), cells[2])
    return rows


def test_every_limit_default_in_security_md_is_the_code_default() -> None:
    defaults = Settings.model_fields
    table = limits_table()
    assert set(table) >= {
        "COOPKG_QUERY_TIMEOUT",
        "COOPKG_MAX_ROWS",
        "COOPKG_MAX_BODY",
        "COOPKG_MAX_UPLOAD",
        "COOPKG_VALIDATE_TIMEOUT",
        "COOPKG_WORKERS",
        "COOPKG_SERVICE_ALLOW",
    }
    for variable, written in table.items():
        field = defaults[variable.removeprefix("COOPKG_").lower()]
        default = field.get_default(call_default_factory=True)
        if default is None or isinstance(default, list):
            assert not default, f"{variable}: SECURITY.md says {written!r}, the code {default!r}"
            assert "none" in written, f"{variable}: SECURITY.md says {written!r}, the code {default!r}"
            continue
        number = re.match(r"[0-9.]+", written)
        assert number is not None, f"{variable}: no number in {written!r}"
        assert float(number.group()) == float(default), (
            f"{variable}: SECURITY.md {written!r}, code {default!r}"
        )


def test_every_test_security_md_cites_exists() -> None:
    text = SECURITY.read_text(encoding="utf-8")
    files = set(re.findall(r"`(test_[a-z_]+\.py)`", text)) | set(re.findall(r"`(test_[a-z_]+\.py) \(", text))
    assert files, "SECURITY.md cites no test"
    for name in files:
        assert (HERE / name).is_file(), f"SECURITY.md cites {name}, which does not exist"
    sources = "".join(path.read_text(encoding="utf-8") for path in HERE.glob("test_*.py"))
    for function in re.findall(r"`(test_[a-z_]+)`", text):
        assert f"def {function}(" in sources, f"SECURITY.md cites {function}, which does not exist"
