"""The coverage proof: does every playbook reach a person at every step of the sweep?

For each playbook and each severity it pages, the sweep starts an escalation
every ``step`` (default 5 minutes) over ``weeks`` (default 8) and asks whether
some level, in some round, pages a person before the fallback. A branch on
alert values is unknown ahead of time, so both of its sides must reach someone;
a branch on windows alone is decided at the instant. Failing steps are merged
into windows ``[start, end)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from warning.clock import ensure_utc
from warning.playbook.compiled import CompiledLevel, CompiledPath, CompiledStep, Config
from warning.playbook.resolve import WindowValues
from warning.playbook.rules import local_text
from warning.playbook.timerules import get_zone

__all__ = ["CoverageGap", "FirstLevelGap", "Sweep", "path_reaches", "sweep"]

_EMPTY: dict[str, object] = {}


@dataclass(frozen=True, slots=True)
class CoverageGap:
    """A window ``[start, end)`` in which a playbook at a severity reaches nobody."""

    playbook: str
    severity: str
    path: str
    start: datetime
    end: datetime

    def describe(self, config: Config) -> str:
        zone = get_zone(config.settings.timezone)
        fallback = config.paths[self.path].fallback
        return (
            f"playbook '{self.playbook}' ({self.severity}, path '{self.path}') reaches nobody "
            f"from {local_text(self.start, zone)} to {local_text(self.end, zone)} "
            f"{zone.key}; only the fallback {config.person_name(fallback)} would be paged"
        )


@dataclass(frozen=True, slots=True)
class FirstLevelGap:
    """A window in which the first level of a path reaches nobody (it is skipped)."""

    path: str
    start: datetime
    end: datetime

    def describe(self, config: Config) -> str:
        zone = get_zone(config.settings.timezone)
        return (
            f"path '{self.path}': level 1 reaches nobody from {local_text(self.start, zone)} "
            f"to {local_text(self.end, zone)} {zone.key}; pages start at the next level"
        )


@dataclass(frozen=True, slots=True)
class Sweep:
    """The result of a sweep: gaps, problems that hold at any time, and notes.

    Notes (first levels that are skipped) do not fail the check.
    """

    start: datetime
    end: datetime
    step: timedelta
    steps: int
    gaps: tuple[CoverageGap, ...]
    problems: tuple[str, ...]
    notes: tuple[FirstLevelGap, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.gaps and not self.problems


def _level_reaches(config: Config, level: CompiledLevel, t: datetime) -> tuple[bool, datetime]:
    if level.wait_until is not None:
        opened = config.windows[level.wait_until].next_open(t)
        if opened is None:
            return False, t
        t = opened
    page_at = t + level.delay
    for kind, name in level.targets:
        if kind == "person":
            return True, t
        if kind == "schedule" and config.schedules[name].timeline.value_at(page_at)[0]:
            return True, t
    return False, t


def _reaches(config: Config, steps: tuple[CompiledStep, ...], t: datetime) -> bool:
    i = 0
    while i < len(steps):
        step = steps[i]
        if isinstance(step, CompiledLevel):
            reached, t = _level_reaches(config, step, t)
            if reached:
                return True
            i += 1
            continue
        rest = steps[i + 1 :]
        if step.on_values:
            return _reaches(config, step.then + rest, t) and _reaches(
                config, step.otherwise + rest, t
            )
        holds = step.condition(WindowValues(config, _EMPTY, t))
        steps, i = (step.then if holds else step.otherwise) + rest, 0
    return False


def path_reaches(config: Config, path: CompiledPath, at: datetime) -> bool:
    """Whether an escalation on ``path`` started at ``at`` pages a person before the fallback,
    whatever the alert's values."""
    return _reaches(config, path.steps * (path.repeat + 1), ensure_utc(at))


def sweep(
    config: Config,
    start: datetime,
    *,
    weeks: int = 8,
    step: timedelta = timedelta(minutes=5),
) -> Sweep:
    """Sweep ``weeks`` from ``start`` in ``step`` increments (start is floored to the step)."""
    start = ensure_utc(start)
    step_s = int(step.total_seconds())
    start = datetime.fromtimestamp(int(start.timestamp()) // step_s * step_s, start.tzinfo)
    end = start + timedelta(weeks=weeks)
    count = int((end - start) / step)
    instants = [start + i * step for i in range(count)]
    failing: dict[str, list[datetime]] = {}
    notes: list[FirstLevelGap] = []
    for name in sorted(
        {
            path
            for playbook in config.playbooks.values()
            for path in (
                playbook.spec.escalation.watch,
                playbook.spec.escalation.warning,
                playbook.spec.escalation.critical,
            )
            if path is not None
        }
    ):
        path = config.paths[name]
        failing[name] = [t for t in instants if not path_reaches(config, path, t)]
        first = path.steps[0] if path.steps else None
        if isinstance(first, CompiledLevel):
            skipped = [t for t in instants if not _level_reaches(config, first, t)[0]]
            notes.extend(FirstLevelGap(name, lo, hi) for lo, hi in _ranges(skipped, step))
    gaps: list[CoverageGap] = []
    for playbook in sorted(config.playbooks):
        escalation = config.playbooks[playbook].spec.escalation
        for severity in ("watch", "warning", "critical"):
            path_name = getattr(escalation, severity)
            if path_name is None:
                continue
            for lo, hi in _ranges(failing[path_name], step):
                gaps.append(CoverageGap(playbook, severity, path_name, lo, hi))
    problems: list[str] = []
    catch_all = config.settings.default_playbook is not None or any(
        trigger.spec.model_dump(exclude_none=True) == {}
        for playbook in config.playbooks.values()
        for trigger in playbook.triggers
    )
    if config.playbooks and not catch_all:
        problems.append(
            "an alert that matches no trigger reaches nobody: set settings.default_playbook "
            "or give one playbook an empty trigger ({})"
        )
    if not config.playbooks:
        problems.append("there are no playbooks: every alert reaches nobody")
    return Sweep(start, end, step, count, tuple(gaps), tuple(problems), tuple(notes))


def _ranges(instants: list[datetime], step: timedelta) -> list[tuple[datetime, datetime]]:
    out: list[tuple[datetime, datetime]] = []
    for t in instants:
        if out and out[-1][1] == t:
            out[-1] = (out[-1][0], t + step)
        else:
            out.append((t, t + step))
    return out
