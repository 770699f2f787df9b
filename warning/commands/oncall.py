"""`shitstorm oncall`: who is paged at an instant, and on-call shifts as iCalendar."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from warning.commands.playbooks import load, parse_time
from warning.errors import UsageError

__all__ = ["COMMANDS"]

_SEVERITIES = click.Choice(["watch", "warning", "critical"])


@click.group("oncall")
def oncall() -> None:
    """Who is on call, and their shifts as a calendar."""


@oncall.command("who")
@click.option("--at", "at", required=True, help="ISO time with offset, 'now', or local with --tz.")
@click.option("--tz", default=None, help="Zone of a local --at time, e.g. Europe/Berlin.")
@click.option("--playbook", default=None, help="Playbook to plan (default: as routed).")
@click.option("--severity", type=_SEVERITIES, default="critical", show_default=True)
@click.option("--dir", "directory", type=click.Path(path_type=Path, file_okay=False))
def who(
    at: str, tz: str | None, playbook: str | None, severity: str, directory: Path | None
) -> None:
    """Who gets paged at --at, level by level, and why (rule, rotation, override, holiday)."""
    from warning.playbook.plan import escalation_plan
    from warning.playbook.report import format_instant, format_on_call, format_plan
    from warning.playbook.resolve import who_is_on_call

    config = load(directory)
    instant = parse_time(at, tz)
    click.echo(f"at {format_instant(config, instant)}")
    click.echo("on call:")
    for name in sorted(config.schedules):
        for line in format_on_call(config, name, who_is_on_call(config, name, instant)):
            click.echo(line)
    plan = escalation_plan(config, {"severity": severity}, instant, playbook=playbook)
    for line in format_plan(config, plan):
        click.echo(line)


@oncall.command("export-ical")
@click.option("--person", default=None, help="Shifts of this person (across schedules).")
@click.option("--schedule", default=None, help="Shifts of this schedule.")
@click.option("--weeks", default=8, show_default=True, type=click.IntRange(1, 104))
@click.option("--from", "start", default="now", show_default=True, help="Start of the export.")
@click.option("--tz", default=None, help="Zone of a local --from time.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Write to a file.")
@click.option("--dir", "directory", type=click.Path(path_type=Path, file_okay=False))
def export_ical_command(
    person: str | None,
    schedule: str | None,
    weeks: int,
    start: str,
    tz: str | None,
    out: Path | None,
    directory: Path | None,
) -> None:
    """Print on-call shifts as iCalendar (RFC 5545) for a person or a schedule."""
    from warning.playbook.ical import export_ical

    if person is not None and schedule is not None:
        raise UsageError("give --person or --schedule, not both")
    config = load(directory)
    text = export_ical(config, parse_time(start, tz), weeks=weeks, person=person, schedule=schedule)
    if out is None:
        stream = sys.stdout.buffer
        stream.write(text.encode("utf-8"))
        stream.flush()
    else:
        out.write_bytes(text.encode("utf-8"))
        click.echo(f"wrote {out}")


COMMANDS: list[click.Command] = [oncall]
