"""The loaded configuration: validated models plus everything compiled at load time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from warning.playbook.predicates import Predicate
from warning.playbook.schedule import CompiledSchedule, CompiledWindow
from warning.playbook.schema import Playbook, Settings, Trigger
from warning.playbook.schema_roster import HolidayCalendar, Person, Role, Rotation, SlackChannel
from warning.playbook.statements import CompiledStatement

__all__ = [
    "CompiledBranch",
    "CompiledLevel",
    "CompiledPath",
    "CompiledPlaybook",
    "CompiledStep",
    "CompiledTrigger",
    "Config",
]


@dataclass(frozen=True, slots=True)
class CompiledLevel:
    """One level: targets as ``(kind, name)`` pairs, with its timing."""

    label: str
    targets: tuple[tuple[str, str], ...]
    ack: timedelta
    delay: timedelta
    wait_until: str | None


@dataclass(frozen=True, slots=True)
class CompiledBranch:
    """``if`` / ``then`` / ``else``; ``on_values`` when the condition reads alert fields."""

    condition: Predicate
    then: tuple[CompiledStep, ...]
    otherwise: tuple[CompiledStep, ...]
    on_values: bool


CompiledStep = CompiledLevel | CompiledBranch


@dataclass(frozen=True, slots=True)
class CompiledPath:
    """An escalation path ready to plan."""

    name: str
    steps: tuple[CompiledStep, ...]
    repeat: int
    fallback: str


@dataclass(frozen=True, slots=True)
class CompiledTrigger:
    """A trigger with its ``when`` condition compiled."""

    spec: Trigger
    when: Predicate | None


@dataclass(frozen=True, slots=True)
class CompiledPlaybook:
    """A playbook with compiled triggers and statements."""

    name: str
    spec: Playbook
    triggers: tuple[CompiledTrigger, ...]
    statements: tuple[CompiledStatement, ...]


@dataclass(frozen=True, slots=True)
class Config:
    """A whole, valid configuration directory. Build it with ``load_config``."""

    files: tuple[str, ...]
    people: Mapping[str, Person]
    rotations: Mapping[str, Rotation]
    holidays: Mapping[str, HolidayCalendar]
    schedules: Mapping[str, CompiledSchedule]
    windows: Mapping[str, CompiledWindow]
    slack_channels: Mapping[str, SlackChannel]
    roles: Mapping[str, Role]
    paths: Mapping[str, CompiledPath]
    playbooks: Mapping[str, CompiledPlaybook]
    settings: Settings = field(default_factory=Settings)

    def person_name(self, person: str) -> str:
        found = self.people.get(person)
        return found.name if found is not None else person

    def summary(self) -> str:
        """One line with the counts of everything loaded."""
        counts = [
            (len(self.people), "people"),
            (len(self.rotations), "rotations"),
            (len(self.schedules), "schedules"),
            (len(self.windows), "windows"),
            (len(self.paths), "escalation paths"),
            (len(self.playbooks), "playbooks"),
        ]
        files = f"{len(self.files)} file{'s' if len(self.files) != 1 else ''}"
        return f"{files}: " + ", ".join(f"{n} {what}" for n, what in counts)

    def __repr__(self) -> str:
        return f"Config({self.summary()})"
