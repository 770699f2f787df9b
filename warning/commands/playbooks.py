"""`shitstorm playbooks`: check (validation and coverage proof), schema, route-test.

The configuration directory is DIR, else ``$SHITSTORM_PLAYBOOKS``, else the
``playbooks/`` folder of a checkout, else the example shipped with the package.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from warning.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from warning.playbook.compiled import Config

__all__ = ["COMMANDS", "config_dir", "load", "parse_time"]

_ENV = "SHITSTORM_PLAYBOOKS"


def config_dir(directory: Path | None) -> Path:
    """Where the configuration lives (see the module docstring for the order)."""
    if directory is not None:
        return directory
    from warning.assets import asset_dir
    from warning.errors import InputError

    try:
        return asset_dir("playbooks")
    except InputError as err:
        raise UsageError(f"no playbook directory found: pass DIR or set {_ENV}") from err


def load(directory: Path | None) -> Config:
    from warning.playbook.config import load_config

    return load_config(config_dir(directory))


def parse_time(text: str, tz: str | None) -> datetime:
    """``--at``/``--from``: ISO with offset, ``now``, or a local time with ``--tz``."""
    from warning.clock import SystemClock
    from warning.playbook.timerules import parse_instant

    try:
        instant, note = parse_instant(text, tz, SystemClock().now())
    except ValueError as err:
        raise UsageError(str(err)) from None
    if note is not None:
        click.echo(f"note: {note}", err=True)
    return instant


_DIR = click.argument("directory", required=False, type=click.Path(path_type=Path, file_okay=False))


@click.group("playbooks")
def playbooks() -> None:
    """Check, export and try out playbooks and on-call rosters (YAML)."""


@playbooks.command("check")
@_DIR
@click.option("--from", "start", default="now", show_default=True, help="Start of the sweep.")
@click.option("--tz", default=None, help="Zone of a local --from time.")
@click.option("--weeks", default=8, show_default=True, type=click.IntRange(1, 104))
@click.option("--step", default="5m", show_default=True, help="Sweep step, e.g. 5m.")
def check(directory: Path | None, start: str, tz: str | None, weeks: int, step: str) -> None:
    """Validate every YAML file, then prove coverage: every step reaches a person.

    Exit 0 when clean, 1 on any finding (all of them are listed), 2 on usage errors.
    """
    from warning.playbook.coverage import sweep
    from warning.playbook.report import format_instant
    from warning.playbook.timerules import format_duration, parse_duration

    try:
        step_delta = parse_duration(step)
    except ValueError as err:
        raise UsageError(f"--step: {err}") from None
    begin = parse_time(start, tz)
    root = config_dir(directory)
    try:
        config = load(root)
    except ConfigError as err:
        for finding in err.findings:
            click.echo(finding)
        click.echo(f"{len(err.findings)} problem{'s' if len(err.findings) != 1 else ''} in {root}")
        click.get_current_context().exit(1)
    click.echo(f"valid: {root} ({config.summary()})")
    result = sweep(config, begin, weeks=weeks, step=step_delta)
    click.echo(
        f"coverage: {result.steps} steps of {format_duration(result.step)} from "
        f"{format_instant(config, result.start)} to {format_instant(config, result.end)}"
    )
    for note in result.notes:
        click.echo(f"note: {note.describe(config)}")
    for problem in result.problems:
        click.echo(f"coverage: {problem}")
    for gap in result.gaps:
        click.echo(f"coverage: {gap.describe(config)}")
    if not result.ok:
        count = len(result.gaps) + len(result.problems)
        click.echo(f"{count} coverage finding{'s' if count != 1 else ''}")
        click.get_current_context().exit(1)
    click.echo("ok: every playbook reaches a person at every step")


@playbooks.command("schema")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Write to a file.")
def schema(out: Path | None) -> None:
    """Print the JSON Schema of a configuration file, for editor autocompletion."""
    import json

    from warning.playbook.schema import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}")


@playbooks.command("route-test")
@click.argument("pairs", nargs=-1, metavar="FIELD=VALUE...")
@click.option("--at", "at", default="now", show_default=True, help="Instant of the alert.")
@click.option("--tz", default=None, help="Zone of a local --at time.")
@click.option("--dir", "directory", type=click.Path(path_type=Path, file_okay=False))
def route_test(pairs: tuple[str, ...], at: str, tz: str | None, directory: Path | None) -> None:
    """Which playbook and path an alert with these fields takes, and why.

    Example: shitstorm playbooks route-test severity=critical terms=rückruf,wallbox
    negative_share=0.6 volume_ratio=4
    """
    from warning.playbook.fields import parse_field
    from warning.playbook.plan import escalation_plan
    from warning.playbook.report import format_plan

    config = load(directory)
    fields: dict[str, object] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise UsageError(f"expected FIELD=VALUE, got {pair!r}")
        try:
            fields[name.strip()] = parse_field(
                name.strip(), value.strip(), config.settings.extra_fields
            )
        except ValueError as err:
            raise UsageError(str(err)) from None
    plan = escalation_plan(config, fields, parse_time(at, tz))
    for line in format_plan(config, plan):
        click.echo(line)


COMMANDS: list[click.Command] = [playbooks]
