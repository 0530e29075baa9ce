"""docs/examples/research-questions.ipynb runs top to bottom against a live gateway (nbclient, a real
Jupyter kernel), so the researcher's notebook never rots: a query that stops answering, or answers nothing,
fails here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from live import Gateway

pytestmark = pytest.mark.slow

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "examples" / "research-questions.ipynb"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    with Gateway(tmp_path_factory.mktemp("notebook") / "serve.log", env={"COOPKG_WORKERS": "1"}) as server:
        yield server


def test_the_notebook_answers_its_three_questions(
    gateway: Gateway, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert not any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), (
        "commit the notebook without outputs (they would go stale)"
    )
    monkeypatch.setenv("COOPKG_GATEWAY_URL", gateway.base)  # the kernel inherits this environment
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "matplotlib"))
    NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()

    outputs = [cell.outputs for cell in notebook.cells if cell.cell_type == "code"]
    texts = [
        str(output.get("data", {}).get("text/plain", "")) + str(output.get("text", ""))
        for cell_outputs in outputs
        for output in cell_outputs
    ]
    assert "49" in texts[0]  # the programme's 49 commitments
    assert any("ExplicitInText" in text for text in texts)
    assert any("Paris Agreement" in text for text in texts)
    assert any("Annual" in text or "annual" in text for text in texts)
    pictures = [o for cell_outputs in outputs for o in cell_outputs if "image/png" in o.get("data", {})]
    assert len(pictures) == 1  # the one plot
