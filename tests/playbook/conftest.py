"""Shared fixtures of the playbook tests: the example configuration, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from warning.playbook.compiled import Config
from warning.playbook.config import load_config

EXAMPLE_DIR = Path(__file__).resolve().parents[2] / "playbooks"


@pytest.fixture(scope="session")
def example() -> Config:
    return load_config(EXAMPLE_DIR)
