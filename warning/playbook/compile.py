"""Compile valid entries: conditions, statements, schedules, windows, paths, playbooks.

Conditions and templates can still be wrong here; their findings are collected
with the others before anything is built.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from warning.playbook.compiled import (
    CompiledBranch,
    CompiledLevel,
    CompiledPath,
    CompiledPlaybook,
    CompiledStep,
    CompiledTrigger,
    Config,
)
from warning.playbook.entries import Entries, Located
from warning.playbook.fields import known_fields
from warning.playbook.holidaycal import CompiledCalendar
from warning.playbook.predicates import Predicate, PredicateError, compile_predicate
from warning.playbook.rules import CompiledRotation, CompiledRules
from warning.playbook.schedule import CompiledLayer, CompiledSchedule, CompiledWindow, period
from warning.playbook.schema import Playbook, Step
from warning.playbook.schema_roster import Layer, Schedule
from warning.playbook.statements import CompiledStatement, compile_statement, make_environment
from warning.playbook.timerules import get_zone
from warning.playbook.yamlload import Finding, Location

__all__ = ["build_config", "check_texts"]


class _Texts:
    """Compiles every condition and template, keeping findings."""

    def __init__(self, entries: Entries) -> None:
        self.entries = entries
        settings = entries.settings_model
        self.fields = set(known_fields(settings.extra_fields))
        self.names = self.fields | entries.names("windows")
        self.findings: list[Finding] = []
        self.env = make_environment()

    def predicate(self, item: Located[Any], sub: Location, source: str) -> Predicate | None:
        try:
            return compile_predicate(source, self.names)
        except PredicateError as err:
            self.findings.append(item.finding_in_text(sub, err.reason, err.column))
            return None

    def steps(
        self, item: Located[Any], sub: Location, steps: Sequence[Step]
    ) -> tuple[CompiledStep, ...]:
        out: list[CompiledStep] = []
        for i, step in enumerate(steps):
            if step.if_ is not None:
                condition = self.predicate(item, (*sub, i, "if"), step.if_)
                then = self.steps(item, (*sub, i, "then"), step.then or ())
                otherwise = self.steps(item, (*sub, i, "else"), step.else_ or ())
                if condition is not None:
                    on_values = bool(condition.names & self.fields)
                    out.append(CompiledBranch(condition, then, otherwise, on_values))
                continue
            targets = tuple(
                (kind, name)
                for t in step.targets or ()
                for kind in ("person", "schedule", "slack_channel")
                if (name := getattr(t, kind)) is not None
            )
            label = step.name or ", ".join(f"{k.replace('_', ' ')} {n}" for k, n in targets)
            out.append(
                CompiledLevel(
                    label, targets, step.ack_or_default, step.delay_or_default, step.wait_until
                )
            )
        return tuple(out)

    def playbook(self, item: Located[Playbook]) -> CompiledPlaybook:
        spec = item.model
        triggers = []
        for i, trigger in enumerate(spec.triggers):
            when = None
            if trigger.when is not None:
                when = self.predicate(item, ("triggers", i, "when"), trigger.when)
            triggers.append(CompiledTrigger(trigger, when))
        statements: list[CompiledStatement] = []
        settings = self.entries.settings_model
        for i, statement in enumerate(spec.statements):
            compiled, problems = compile_statement(
                self.env, statement, spec.variables, settings.channel_limits, settings.sample_values
            )
            for key, message in problems:
                self.findings.append(item.finding(("statements", i, key), message))
            if compiled is not None:
                statements.append(compiled)
        return CompiledPlaybook(item.name, spec, tuple(triggers), tuple(statements))


def check_texts(
    entries: Entries,
) -> tuple[dict[str, CompiledPath], dict[str, CompiledPlaybook], list[Finding]]:
    """Compile paths and playbooks; findings for bad conditions and templates."""
    texts = _Texts(entries)
    paths = {
        name: CompiledPath(
            name,
            texts.steps(item, ("levels",), item.model.levels),
            item.model.repeat,
            item.model.fallback,
        )
        for name, item in entries.get("paths").items()
    }
    playbooks = {name: texts.playbook(item) for name, item in entries.get("playbooks").items()}
    return paths, playbooks, texts.findings


def _layers(
    layers: Sequence[Layer],
    schedule: Schedule,
    rotations: Mapping[str, CompiledRotation],
    calendar: CompiledCalendar | None,
    names: Mapping[str, str],
) -> list[CompiledLayer]:
    zone = get_zone(schedule.timezone)
    out = []
    for layer in layers:
        rules = (
            CompiledRules(layer.rules, zone, calendar, schedule.holiday_as) if layer.rules else None
        )
        rotation = rotations[layer.rotation] if layer.rotation is not None else None
        out.append(CompiledLayer(layer, rules, rotation, names))
    return out


def build_config(
    entries: Entries,
    files: Sequence[str],
    paths: dict[str, CompiledPath],
    playbooks: dict[str, CompiledPlaybook],
) -> Config:
    """Build the runtime configuration from entries that passed every check."""
    people = {name: item.model for name, item in entries.get("people").items()}
    names = {name: person.name for name, person in people.items()}
    calendars = {
        name: CompiledCalendar(name, item.model) for name, item in entries.get("holidays").items()
    }
    rotations = {
        name: CompiledRotation(name, item.model, get_zone(item.model.timezone))
        for name, item in entries.get("rotations").items()
    }
    schedules: dict[str, CompiledSchedule] = {}
    for name, item in entries.get("schedules").items():
        spec: Schedule = item.model
        zone = get_zone(spec.timezone)
        calendar = calendars.get(spec.holidays) if spec.holidays else None
        temporary = [
            (
                temp.name,
                period(temp.from_, temp.to, zone),
                _layers(temp.layers, spec, rotations, calendar, names),
            )
            for temp in spec.temporary
        ]
        layers = _layers(spec.layers, spec, rotations, calendar, names)
        schedules[name] = CompiledSchedule(name, spec, layers, temporary, names)
    windows = {
        name: CompiledWindow(
            name, item.model, calendars.get(item.model.holidays) if item.model.holidays else None
        )
        for name, item in entries.get("windows").items()
    }
    return Config(
        files=tuple(files),
        people=people,
        rotations={name: item.model for name, item in entries.get("rotations").items()},
        holidays={name: item.model for name, item in entries.get("holidays").items()},
        schedules=schedules,
        windows=windows,
        slack_channels={name: item.model for name, item in entries.get("slack_channels").items()},
        roles={name: item.model for name, item in entries.get("roles").items()},
        paths=paths,
        playbooks=playbooks,
        settings=entries.settings_model,
    )
