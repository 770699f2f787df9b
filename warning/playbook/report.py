"""Plain-text rendering of on-call answers and plans, for the command line and the demo."""

from __future__ import annotations

from datetime import datetime

from warning.playbook.compiled import Config
from warning.playbook.plan import Plan, PlanLevel
from warning.playbook.rules import local_text
from warning.playbook.schedule import OnCall
from warning.playbook.timerules import format_duration, get_zone
from warning.records import isoformat_utc

__all__ = ["format_instant", "format_on_call", "format_plan"]


def format_instant(config: Config, instant: datetime) -> str:
    """``'Sat 2026-03-28 20:30 Europe/Berlin (2026-03-28T19:30:00Z)'``."""
    zone = get_zone(config.settings.timezone)
    return f"{local_text(instant, zone)} {zone.key} ({isoformat_utc(instant)})"


def _who(config: Config, people: tuple[str, ...]) -> str:
    out = []
    for person in people:
        found = config.people.get(person)
        contact = ""
        if found is not None:
            contact = f" <@{found.slack}>" if found.slack else f" <{found.email}>"
        out.append(f"{config.person_name(person)}{contact}")
    return ", ".join(out) or "nobody"


def format_on_call(config: Config, schedule: str, on_call: OnCall) -> list[str]:
    zone = get_zone(config.settings.timezone)
    span = ""
    if on_call.since is not None and on_call.until is not None:
        span = f" (from {local_text(on_call.since, zone)} to {local_text(on_call.until, zone)})"
    lines = [f"  {schedule}: {_who(config, on_call.people)}{span}"]
    lines += [f"      because {reason}" for reason in on_call.reasons]
    return lines


def _level(config: Config, level: PlanLevel) -> list[str]:
    zone = get_zone(config.settings.timezone)
    when = local_text(level.at, zone)[4:]
    head = "fallback" if level.label == "fallback" else f"level {level.number}"
    if level.skipped:
        status = "skipped"
    elif level.label == "fallback":
        status = f"pages {_who(config, level.people)}"
    else:
        status = f"pages {_who(config, level.people)}, {format_duration(level.ack)} to acknowledge"
    channels = ""
    if level.channels:
        names = [config.slack_channels[c].name for c in level.channels]
        channels = f" + {', '.join(names)}"
    label = "" if level.label == "fallback" else f" [{level.label}]"
    lines = [f"  {head:<9} {when}{label}: {status}{channels}"]
    lines += [f"      because {reason}" for reason in level.reasons]
    return lines


def format_plan(config: Config, plan: Plan) -> list[str]:
    """The route and the levels of ``plan``, one line per level plus its reasons."""
    lines = ["route:"]
    lines += [f"  {reason}" for reason in plan.route.reasons]
    if plan.route.path is None:
        return lines
    lines.append(f"escalation from {format_instant(config, plan.at)}:")
    rounds = 0
    for level in plan.levels:
        if level.round != rounds and level.round > 1:
            lines.append(f"  round {level.round} (nobody acknowledged):")
        rounds = level.round
        lines += _level(config, level)
    if plan.fallback is not None:
        lines += _level(config, plan.fallback)
    if not plan.reaches_anyone:
        lines.append("  warning: no level reaches anybody; only the fallback is paged")
    return lines
