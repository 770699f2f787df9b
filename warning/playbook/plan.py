"""The escalation plan of an alert at an instant, level by level, with reasons.

Time runs through the plan: a level starts when the previous one's time to
acknowledge is over. A level with ``wait_until`` waits for its window to open;
then, after its ``delay``, its targets are resolved. A level that reaches
nobody is skipped at once (its delay is not spent) and says so. Branches are
decided when they are reached. After the last round the fallback person is
always paged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from warning.clock import ensure_utc
from warning.playbook.compiled import CompiledLevel, CompiledStep, Config
from warning.playbook.fields import alert_fields
from warning.playbook.resolve import WindowValues
from warning.playbook.routing import Route, route
from warning.playbook.rules import local_text
from warning.playbook.timerules import format_duration, get_zone
from warning.records import Alert

__all__ = ["Plan", "PlanLevel", "escalation_plan", "resolve_targets"]


@dataclass(frozen=True, slots=True)
class PlanLevel:
    """One level of a plan: when, whom, how long to acknowledge, and why."""

    number: int
    round: int
    label: str
    at: datetime
    ack: timedelta
    people: tuple[str, ...]
    channels: tuple[str, ...]
    skipped: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    """Route plus levels in order plus the final fallback (``None`` if not paged)."""

    at: datetime
    route: Route
    levels: tuple[PlanLevel, ...]
    fallback: PlanLevel | None
    notes: tuple[str, ...]

    @property
    def reaches_anyone(self) -> bool:
        """Whether some level (not counting the fallback) pages a person."""
        return any(level.people and not level.skipped for level in self.levels)


def resolve_targets(
    config: Config, level: CompiledLevel, at: datetime
) -> tuple[tuple[str, ...], tuple[str, ...], list[str]]:
    """People and channels of ``level`` at ``at``, with one reason per target."""
    people: dict[str, None] = {}
    channels: list[str] = []
    reasons: list[str] = []
    for kind, name in level.targets:
        if kind == "person":
            people[name] = None
            reasons.append(f"{config.person_name(name)}: paged directly")
        elif kind == "schedule":
            found = config.schedules[name].timeline.value_at(at)
            people.update(dict.fromkeys(found[0]))
            who = ", ".join(config.person_name(p) for p in found[0]) or "nobody on call"
            reasons.append(f"schedule '{name}' → {who}: " + "; ".join(found[1]))
        else:
            channel = config.slack_channels[name]
            channels.append(name)
            reasons.append(f"Slack channel {channel.name} notified")
    return tuple(people), tuple(channels), reasons


class _Planner:
    def __init__(self, config: Config, fields: Mapping[str, object]) -> None:
        self.config = config
        self.fields = fields
        self.zone = get_zone(config.settings.timezone)
        self.levels: list[PlanLevel] = []
        self.notes: list[str] = []

    def walk(
        self, steps: tuple[CompiledStep, ...], t: datetime, rnd: int, why: list[str]
    ) -> datetime:
        for step in steps:
            if isinstance(step, CompiledLevel):
                t = self.level(step, t, rnd, why)
                why = []
                continue
            holds = step.condition(WindowValues(self.config, self.fields, t))
            decision = f"if {step.condition.source} → {'true' if holds else 'false'}"
            self.notes.append(f"round {rnd}, {local_text(t, self.zone)}: {decision}")
            t = self.walk(step.then if holds else step.otherwise, t, rnd, [*why, decision])
            why = []
        return t

    def level(self, level: CompiledLevel, t: datetime, rnd: int, why: list[str]) -> datetime:
        reasons = list(why)
        number = len(self.levels) + 1
        page_at = t
        if level.wait_until is not None:
            window = self.config.windows[level.wait_until]
            opened = window.next_open(t)
            if opened is None:
                reasons.append(f"window '{level.wait_until}' does not open within 2 weeks: skipped")
                self.levels.append(
                    PlanLevel(number, rnd, level.label, t, level.ack, (), (), True, tuple(reasons))
                )
                return t
            if opened > t:
                reasons.append(
                    f"waits until window '{level.wait_until}' opens at "
                    f"{local_text(opened, self.zone)}"
                )
            page_at = t = opened
        if level.delay:
            page_at = t + level.delay
            reasons.append(f"after a delay of {format_duration(level.delay)}")
        people, channels, target_reasons = resolve_targets(self.config, level, page_at)
        reasons.extend(target_reasons)
        if not people:
            reasons.append("nobody to acknowledge: skipped at once")
            self.levels.append(
                PlanLevel(
                    number, rnd, level.label, t, level.ack, (), channels, True, tuple(reasons)
                )
            )
            return t
        self.levels.append(
            PlanLevel(
                number,
                rnd,
                level.label,
                page_at,
                level.ack,
                people,
                channels,
                False,
                tuple(reasons),
            )
        )
        return page_at + level.ack


def escalation_plan(
    config: Config,
    alert: Alert | Mapping[str, Any],
    at: datetime,
    *,
    playbook: str | None = None,
) -> Plan:
    """The full plan for ``alert`` (an Alert or a mapping of fields) starting at ``at``."""
    at = ensure_utc(at)
    fields = alert_fields(alert)
    chosen = route(config, fields, at, playbook=playbook)
    if chosen.path is None:
        return Plan(at, chosen, (), None, ())
    path = config.paths[chosen.path]
    planner = _Planner(config, fields)
    t = at
    for rnd in range(1, path.repeat + 2):
        t = planner.walk(path.steps, t, rnd, [] if rnd == 1 else ["repeat: nobody acknowledged"])
    reached = any(not level.skipped for level in planner.levels)
    rounds = path.repeat + 1
    why = (
        f"final fallback after {rounds} round{'s' if rounds > 1 else ''} without acknowledgement"
        if reached
        else "final fallback: no level reached anybody"
    )
    fallback = PlanLevel(
        len(planner.levels) + 1,
        rounds,
        "fallback",
        t,
        timedelta(0),
        (path.fallback,),
        (),
        False,
        (why, f"{config.person_name(path.fallback)}: paged directly"),
    )
    return Plan(at, chosen, tuple(planner.levels), fallback, tuple(planner.notes))
