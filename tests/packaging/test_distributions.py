"""The sdist and the wheel work anywhere: both are built here (the wheel from the sdist, as an installer
would), the wheel is installed into a fresh virtual environment outside the checkout, and that install
serves the graph, answers a named query and validates a file, run from a directory with nothing of ours in it.

Dependencies come from the package index through pip's cache, so after the first run this takes about a
minute; the whole module shares one build and one install.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

import coopkg
from live import Gateway

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "tests" / "data" / "valid"
COMMITMENTS = 49  # docs/design.md: 26 enumerated items + 23 prose commitments


@dataclass(frozen=True)
class Install:
    sdist: Path
    wheel: Path
    bin: Path  # the fresh environment's bin/
    elsewhere: Path  # a working directory outside the checkout


def step(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{' '.join(command)}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def install(tmp_path_factory: pytest.TempPathFactory) -> Install:
    dist = tmp_path_factory.mktemp("dist")
    # --no-isolation: hatchling comes from the test extras, so the build needs no download of its own.
    step([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(ROOT)])
    (sdist,) = dist.glob("coopkg-*.tar.gz")
    (wheel,) = dist.glob("coopkg-*-py3-none-any.whl")
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    step([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    # This environment's pip installs into the fresh one (--python): no pip bootstrap there.
    python = str(venv / "bin" / "python")
    step(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            python,
            "install",
            "--quiet",
            "--disable-pip-version-check",
            str(wheel),
        ]
    )
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    return Install(sdist, wheel, venv / "bin", elsewhere)


def run(install: Install, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(install.bin / "python"), *args],
        cwd=install.elsewhere,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_both_carry_one_version_the_changelog_names(install: Install) -> None:
    version = coopkg.__version__
    assert install.sdist.name == f"coopkg-{version}.tar.gz"
    assert install.wheel.name == f"coopkg-{version}-py3-none-any.whl"
    latest = re.search(r"^## \[(\d+\.\d+\.\d+)\]", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert latest is not None
    assert latest.group(1) == version
    shown = run(install, "-m", "coopkg", "--version")
    assert shown.returncode == 0, shown.stderr
    assert version in shown.stdout


def test_the_sdist_holds_what_the_wheel_is_built_from(install: Install) -> None:
    with tarfile.open(install.sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"pyproject.toml", "README.md", "CHANGELOG.md", "api/coopkg/__init__.py"} <= names
    assert any(name.startswith("shapes/") for name in names)
    assert not any(name.startswith((".venv/", "bench/out/")) for name in names)


def test_the_wheel_holds_the_package_and_its_resources_only(install: Install) -> None:
    names = zipfile.ZipFile(install.wheel).namelist()
    tops = {name.split("/", 1)[0] for name in names}
    assert tops == {"coopkg", f"coopkg-{coopkg.__version__}.dist-info"}
    assert "coopkg/static/swagger-init.js" in names
    assert "coopkg/templates/validate.html" in names
    assert any(name.startswith("coopkg/_resources/shapes/") for name in names)


def test_the_wheel_ships_the_editor_bundle_that_make_assets_built(install: Install) -> None:
    bundle = [ROOT / "api" / "coopkg" / "static" / name for name in ("query-editor.js", "query-editor.css")]
    if not all(path.is_file() for path in bundle):
        pytest.skip("the editor bundle is not built here (make assets; make test builds it first)")
    names = set(zipfile.ZipFile(install.wheel).namelist())
    assert {f"coopkg/static/{path.name}" for path in bundle} <= names


def test_the_fresh_install_imports_coopkg_from_its_own_site_packages(install: Install) -> None:
    found = run(install, "-c", "import coopkg; print(coopkg.__file__)")
    assert found.returncode == 0, found.stderr
    assert "site-packages" in found.stdout
    assert str(ROOT) not in found.stdout
    assert run(install, "-c", "import api").returncode != 0


def test_the_fresh_install_validates_a_file(install: Install) -> None:
    checked = run(
        install,
        "-m",
        "coopkg",
        "validate",
        str(VALID / "test-fixture-2024-2025.ttl"),
        "--sources",
        str(VALID / "sources"),
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("Conforms: yes")


def test_the_fresh_install_serves_queries_and_validates(install: Install) -> None:
    log = install.elsewhere / "serve.log"
    with Gateway(log, command=str(install.bin / "coopkg"), cwd=install.elsewhere) as gateway:
        count = httpx.get(
            gateway.sparql,
            params={
                "query": "SELECT (COUNT(?c) AS ?n) WHERE { ?c a <https://w3id.org/coopkg/def#Commitment> }"
            },
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        assert count.status_code == 200, count.text
        assert int(count.json()["results"]["bindings"][0]["n"]["value"]) == COMMITMENTS
        named = httpx.get(f"{gateway.base}/api/queries/mechanisms", timeout=30)
        assert named.status_code == 200, named.text
        assert len(named.json()["results"]["bindings"]) == 4
        page = httpx.get(f"{gateway.base}/docs/assets/swagger-ui-bundle.js", timeout=30)
        assert page.status_code == 200
        document = VALID / "test-fixture-2024-2025.ttl"
        report = httpx.post(
            f"{gateway.base}/validate",
            files={"file": (document.name, document.read_bytes(), "text/turtle")},
            timeout=120,
        )
        assert report.status_code == 200, report.text
        assert report.json()["counts"]["violation"] == 0
