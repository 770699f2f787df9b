"""The wheel carries every package and the bundled defaults."""

from __future__ import annotations

import tomllib
from pathlib import Path

from warning.assets import asset_dir

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_folder_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "warning").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    missing = sorted(on_disk - listed)
    assert not missing, f"add these packages to [tool.setuptools] packages: {missing}"


def test_bundled_folders_resolve_in_checkout() -> None:
    assert asset_dir("models") == ROOT / "models"
    assert asset_dir("playbooks") == ROOT / "playbooks"
    assert asset_dir("incidents") == ROOT / "data" / "incidents"
