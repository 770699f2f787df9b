"""The README documents every command and every setting the code reads."""

from __future__ import annotations

import re
from pathlib import Path

import click

from warning.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command_paths(group: click.Group, prefix: str = "shitstorm") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        if command.hidden:
            continue
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            paths.extend(_command_paths(command, path))
        else:
            paths.append(path)
    return paths


def test_every_command_is_in_the_readme() -> None:
    missing = [path for path in _command_paths(cli) if f"`{path}" not in README]
    assert not missing, f"document these commands in README.md: {missing}"


def test_every_setting_is_in_the_readme() -> None:
    names = set()
    for source in (ROOT / "warning").rglob("*.py"):
        names |= set(re.findall(r"SHITSTORM_[A-Z_]+[A-Z]", source.read_text(encoding="utf-8")))
    missing = sorted(name for name in names if name not in README)
    assert not missing, f"document these settings in README.md: {missing}"
