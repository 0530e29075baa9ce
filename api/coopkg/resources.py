"""Where the project's RDF and SPARQL folders are, from a clone or from an installed wheel.

A clone keeps `ontology/`, `data/`, `shapes/` and `queries/` beside `api/` (the folder that holds this
package); a wheel carries them
inside the package under `coopkg/_resources/` (see `[tool.hatch.build.targets.wheel.force-include]`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_FOLDERS = ("ontology", "data", "shapes", "queries")


@cache
def resource_root() -> Path:
    """The directory that holds `ontology/`, `data/`, `shapes/` and `queries/`."""
    bundled = _PACKAGE_DIR / "_resources"
    if (bundled / "ontology").is_dir():
        return bundled
    checkout = _PACKAGE_DIR.parent.parent  # api/coopkg -> the repository
    if all((checkout / name).is_dir() for name in _FOLDERS):
        return checkout
    raise FileNotFoundError(
        f"coopkg's RDF folders were not found beside {_PACKAGE_DIR} nor in {bundled}: "
        "reinstall the package (`pip install .`) or run from a clone of the repository."
    )


def ontology_dir() -> Path:
    return resource_root() / "ontology"


def data_dir() -> Path:
    return resource_root() / "data"


def shapes_dir() -> Path:
    return resource_root() / "shapes"


def queries_dir() -> Path:
    return resource_root() / "queries"
