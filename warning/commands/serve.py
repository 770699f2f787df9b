"""`shitstorm` commands: serve (not built yet)."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
