"""Whole-configuration checks: every name used is defined, periods are sane.

Each message names the place, the rule and the offending value, e.g.
``rotations.evening.members[1]: undefined person 'anan' (did you mean 'anna'?)``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from warning.playbook.entries import Entries, Located
from warning.playbook.fields import CRISIS_TYPES, known_fields
from warning.playbook.schedule import Period, period
from warning.playbook.schema import Playbook, Step
from warning.playbook.schema_roster import Layer, Schedule
from warning.playbook.timerules import did_you_mean, get_zone
from warning.playbook.yamlload import Finding, Location

__all__ = ["WHAT", "check_references"]

#: How an entry of each section is called in messages.
WHAT = {
    "people": "person",
    "rotations": "rotation",
    "holidays": "holiday calendar",
    "schedules": "schedule",
    "windows": "window",
    "slack_channels": "Slack channel",
    "roles": "role",
    "paths": "escalation path",
    "playbooks": "playbook",
}
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


class _Checker:
    def __init__(self, entries: Entries) -> None:
        self.entries = entries
        self.out: list[Finding] = []

    def ref(self, item: Located[Any], sub: Location, section: str, name: str | None) -> None:
        names = self.entries.names(section)
        if name is not None and name not in names:
            hint = did_you_mean(name, names)
            self.out.append(item.finding(sub, f"undefined {WHAT[section]} '{name}'{hint}"))

    def layers(self, item: Located[Any], sub: Location, layers: Sequence[Layer]) -> None:
        seen: set[str] = set()
        for i, layer in enumerate(layers):
            if layer.name in seen:
                self.out.append(
                    item.finding((*sub, i, "name"), f"duplicate layer name '{layer.name}'")
                )
            seen.add(layer.name)
            self.ref(item, (*sub, i, "rotation"), "rotations", layer.rotation)
            for j, person in enumerate(layer.people or ()):
                self.ref(item, (*sub, i, "people", j), "people", person)
            if layer.people is not None and not layer.people:
                self.out.append(item.finding((*sub, i, "people"), "must not be empty"))

    def schedule(self, item: Located[Schedule]) -> None:
        spec, zone = item.model, get_zone(item.model.timezone)
        self.ref(item, ("holidays",), "holidays", spec.holidays)
        self.layers(item, ("layers",), spec.layers)
        for i, override in enumerate(spec.overrides):
            self.ref(item, ("overrides", i, "person"), "people", override.person)
            self.ref(item, ("overrides", i, "replaces"), "people", override.replaces)
            span = period(override.from_, override.to, zone)
            if span.start >= span.end:
                self.out.append(item.finding(("overrides", i, "to"), "must be after 'from'"))
        spans: list[tuple[str, Period]] = []
        for i, temp in enumerate(spec.temporary):
            self.layers(item, ("temporary", i, "layers"), temp.layers)
            span = period(temp.from_, temp.to, zone)
            if span.start >= span.end:
                self.out.append(item.finding(("temporary", i, "to"), "must be after 'from'"))
            for other, other_span in spans:
                if span.start < other_span.end and other_span.start < span.end:
                    self.out.append(
                        item.finding(
                            ("temporary", i),
                            f"overlaps the temporary roster '{other}'",
                            at_key=True,
                        )
                    )
            spans.append((temp.name, span))

    def steps(self, item: Located[Any], sub: Location, steps: Sequence[Step]) -> None:
        for i, step in enumerate(steps):
            for j, target in enumerate(step.targets or ()):
                where = (*sub, i, "targets", j)
                self.ref(item, (*where, "person"), "people", target.person)
                self.ref(item, (*where, "schedule"), "schedules", target.schedule)
                self.ref(item, (*where, "slack_channel"), "slack_channels", target.slack_channel)
            self.ref(item, (*sub, i, "wait_until"), "windows", step.wait_until)
            self.steps(item, (*sub, i, "then"), step.then or ())
            self.steps(item, (*sub, i, "else"), step.else_ or ())

    def playbook(self, item: Located[Playbook]) -> None:
        spec = item.model
        for severity in ("watch", "warning", "critical"):
            self.ref(item, ("escalation", severity), "paths", getattr(spec.escalation, severity))
        if spec.escalation.critical is None:
            self.out.append(
                item.finding(("escalation",), "no path for critical alerts", at_key=True)
            )
        for i, task in enumerate(spec.checklist):
            self.ref(item, ("checklist", i, "role"), "roles", task.role)
        crisis_types = {*CRISIS_TYPES, *self.entries.settings_model.crisis_types}
        for i, trigger in enumerate(spec.triggers):
            for j, kind in enumerate(trigger.crisis_type or ()):
                if kind not in crisis_types:
                    hint = did_you_mean(kind, crisis_types)
                    self.out.append(
                        item.finding(
                            ("triggers", i, "crisis_type", j), f"unknown crisis type '{kind}'{hint}"
                        )
                    )
        seen: set[str] = set()
        for i, statement in enumerate(spec.statements):
            if statement.id in seen:
                self.out.append(
                    item.finding(
                        ("statements", i, "id"), f"duplicate statement id '{statement.id}'"
                    )
                )
            seen.add(statement.id)

    def run(self) -> list[Finding]:
        get = self.entries.get
        for item in get("rotations").values():
            for i, member in enumerate(item.model.members):
                self.ref(item, ("members", i), "people", member)
        for item in get("schedules").values():
            self.schedule(item)
        fields = set(known_fields(self.entries.settings_model.extra_fields))
        for item in get("windows").values():
            self.ref(item, ("holidays",), "holidays", item.model.holidays)
            if not _IDENTIFIER.fullmatch(item.name):
                self.out.append(
                    item.finding(
                        (),
                        f"window name '{item.name}' cannot be used in conditions: "
                        "use lowercase letters, digits and '_'",
                        at_key=True,
                    )
                )
            elif item.name in fields:
                self.out.append(
                    item.finding((), f"window name '{item.name}' is an alert field", at_key=True)
                )
        for item in get("roles").values():
            for i, person in enumerate(item.model.people):
                self.ref(item, ("people", i), "people", person)
            self.ref(item, ("schedule",), "schedules", item.model.schedule)
        for item in get("paths").values():
            self.steps(item, ("levels",), item.model.levels)
            self.ref(item, ("fallback",), "people", item.model.fallback)
        for item in get("playbooks").values():
            self.playbook(item)
        if self.entries.settings is not None:
            settings = self.entries.settings
            self.ref(settings, ("default_playbook",), "playbooks", settings.model.default_playbook)
        return self.out


def check_references(entries: Entries) -> list[Finding]:
    """Every cross-reference and period check over the valid entries."""
    return _Checker(entries).run()
