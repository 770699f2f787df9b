"""The project's own quality gates run as part of the test suite, so one command checks all."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    "command",
    [
        ("ruff", "check", "."),
        ("ruff", "format", "--check", "."),
        ("lint-imports",),
    ],
    ids=["ruff-lint", "ruff-format", "import-linter"],
)
def test_quality_gate(command: tuple[str, ...]) -> None:
    exe = shutil.which(command[0])
    assert exe is not None, f"{command[0]} is not installed; run pip install -e '.[dev]'"
    result = _run(exe, *command[1:])
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_on_package() -> None:
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr
