"""The notebooks run top to bottom on a fresh kernel, and are stored without outputs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]


def test_there_are_notebooks() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "01_replay_incident.ipynb",
        "02_tune_detector.ipynb",
        "03_who_would_have_been_paged.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, f"{path.name}: no code cells"
    for cell in code:
        assert cell.outputs == [], f"{path.name}: cell {cell.get('id')} has stored outputs"
        assert cell.execution_count is None, f"{path.name}: cell {cell.get('id')} was run"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs_without_errors(path: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    # "python3" is the kernel spec ipykernel installs; without one, jupyter_client falls back to
    # ipykernel's native kernel on this interpreter under the same name.
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=300,
        resources={"metadata": {"path": str(ROOT)}},
    )
    started = time.perf_counter()
    client.execute()  # raises CellExecutionError naming the cell if any cell raised
    seconds = time.perf_counter() - started
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert errors == []
    figures = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if "image/png" in output.get("data", {})
    ]
    if path.stem != "03_who_would_have_been_paged":
        assert figures, f"{path.name}: no figure was drawn"
    print(f"{path.name}: {seconds:.1f} s")
