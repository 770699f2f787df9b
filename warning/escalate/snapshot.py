"""The escalation frozen when a crisis starts, and how to read it back.

When the first alert opens a crisis, the plan of every severity the playbook pages
is resolved *at that instant* (who is on call, which branch, which level is empty)
and stored with the crisis, together with everyone's contact details, the channels
and the checklist. Later edits of the configuration do not change a running crisis.

Level times are kept as offsets from the crisis start; an episode's ``shift`` moves
them (escalating by hand, a missed promise, a rise in severity start a new episode).

>>> from datetime import timedelta
>>> lv = [Level(0, 1, 1, "a", timedelta(0), timedelta(minutes=5), ("anna",), (), False, (), False),
...       Level(1, 2, 1, "b", timedelta(minutes=5), timedelta(minutes=10), ("jonas",), (), False,
...             (), False)]
>>> entry_for_elapsed(lv, timedelta(minutes=7))
1
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from warning.playbook.compiled import Config
from warning.playbook.plan import PlanLevel, escalation_plan
from warning.records import Severity

__all__ = [
    "SEVERITIES",
    "Level",
    "build_snapshot",
    "due_at",
    "entry_for_elapsed",
    "plan_levels",
]

SEVERITIES: tuple[str, ...] = tuple(s.value for s in Severity)


@dataclass(frozen=True, slots=True)
class Level:
    """One level of a frozen plan (``index`` is its position, ``number`` its plan number)."""

    index: int
    number: int
    round: int
    label: str
    offset: timedelta
    ack: timedelta
    people: tuple[str, ...]
    channels: tuple[str, ...]
    skipped: bool
    reasons: tuple[str, ...]
    fallback: bool


def _level(level: PlanLevel, start: datetime, *, fallback: bool) -> dict[str, Any]:
    return {
        "number": level.number,
        "round": level.round,
        "label": level.label,
        "offset": (level.at - start).total_seconds(),
        "ack": level.ack.total_seconds(),
        "people": list(level.people),
        "channels": list(level.channels),
        "skipped": level.skipped,
        "reasons": list(level.reasons),
        "fallback": fallback,
    }


def _owners(config: Config, role_name: str, at: datetime) -> list[str]:
    role = config.roles.get(role_name)
    if role is None:
        return []
    owners = dict.fromkeys(role.people)
    if role.schedule is not None and role.schedule in config.schedules:
        owners.update(dict.fromkeys(config.schedules[role.schedule].timeline.value_at(at)[0]))
    return list(owners)


def build_snapshot(
    config: Config, fields: Mapping[str, object], at: datetime, playbook: str
) -> dict[str, Any]:
    """Everything a crisis of ``playbook`` needs for its whole life, resolved at ``at``."""
    plans: dict[str, Any] = {}
    people: set[str] = set()
    channels: set[str] = set()
    for severity in SEVERITIES:
        plan = escalation_plan(config, {**fields, "severity": severity}, at, playbook=playbook)
        levels: list[dict[str, Any]] = []
        if plan.route.path is not None:
            levels = [_level(level, at, fallback=False) for level in plan.levels]
            if plan.fallback is not None:
                levels.append(_level(plan.fallback, at, fallback=True))
        for level in levels:
            people.update(level["people"])
            channels.update(level["channels"])
        plans[severity] = {
            "path": plan.route.path,
            "route": list(plan.route.reasons),
            "notes": list(plan.notes),
            "levels": levels,
        }
    spec = config.playbooks[playbook].spec
    checklist = []
    for number, item in enumerate(spec.checklist, start=1):
        owners = _owners(config, item.role, at)
        people.update(owners)
        checklist.append(
            {
                "key": f"item-{number}",
                "task": item.task,
                "role": item.role,
                "role_title": config.roles[item.role].title if item.role in config.roles else "",
                "owners": owners,
                "due": item.due.total_seconds(),
            }
        )
    contacts = {
        p: {
            "name": config.person_name(p),
            "slack": config.people[p].slack if p in config.people else None,
            "email": config.people[p].email if p in config.people else None,
        }
        for p in sorted(people)
    }
    slack_channels = {
        c: {"name": config.slack_channels[c].name, "id": config.slack_channels[c].id}
        for c in sorted(channels)
        if c in config.slack_channels
    }
    return {
        "playbook": playbook,
        "title": spec.title,
        "timezone": config.settings.timezone,
        "plans": plans,
        "contacts": contacts,
        "channels": slack_channels,
        "checklist": checklist,
    }


def plan_levels(snapshot: Mapping[str, Any], severity: str) -> list[Level]:
    """The frozen levels of ``severity`` (empty when that severity pages nobody)."""
    plan = (snapshot.get("plans") or {}).get(severity) or {}
    return [
        Level(
            index=i,
            number=int(d["number"]),
            round=int(d["round"]),
            label=str(d["label"]),
            offset=timedelta(seconds=float(d["offset"])),
            ack=timedelta(seconds=float(d["ack"])),
            people=tuple(d["people"]),
            channels=tuple(d["channels"]),
            skipped=bool(d["skipped"]),
            reasons=tuple(d["reasons"]),
            fallback=bool(d["fallback"]),
        )
        for i, d in enumerate(plan.get("levels") or [])
    ]


def due_at(opened_at: datetime, level: Level, shift_seconds: float) -> datetime:
    """When ``level`` pages in an episode whose levels are moved by ``shift_seconds``."""
    return opened_at + level.offset + timedelta(seconds=shift_seconds)


def entry_for_elapsed(levels: list[Level], elapsed: timedelta) -> int:
    """The first-round level in force ``elapsed`` after the start (where a rise re-enters)."""
    entry = 0
    for level in levels:
        if level.round != 1 or level.fallback:
            break
        if level.offset <= elapsed:
            entry = level.index
    return entry
