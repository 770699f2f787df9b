"""Weekly wall-clock windows and rotations, compiled for one zone.

:class:`CompiledRules` answers "which rule window holds this instant?" straight
from the definition (DESIGN.md §5) and lists the instants where the answer may
change; :class:`CompiledRotation` does the same for turns of a rotation. Both are
exact at any instant; :mod:`warning.playbook.timeline` makes them fast.

>>> from datetime import UTC, datetime
>>> from warning.playbook.schema_roster import Rule
>>> from warning.playbook.timerules import get_zone
>>> rules = CompiledRules([Rule.model_validate({"days": ["sat"], "from": "18:00",
...                                             "to": "23:00"})], get_zone("Europe/Berlin"))
>>> rules.match(datetime(2026, 3, 28, 19, 30, tzinfo=UTC)).rule
'sat 18:00-23:00'
>>> rules.match(datetime(2026, 3, 28, 22, 30, tzinfo=UTC)) is None
True
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from warning.playbook.holidaycal import CompiledCalendar
from warning.playbook.schema_roster import Rotation, Rule
from warning.playbook.timerules import DAY_NAMES, format_wall, local_date, wall_instant

__all__ = ["CompiledRotation", "CompiledRules", "Match", "Turn", "days_label", "local_text"]

_ONE_DAY = timedelta(days=1)


def days_label(days: Sequence[int]) -> str:
    """``(0, 1, 2, 3, 4, 6)`` to ``'mon-fri,sun'``."""
    parts: list[str] = []
    run: list[int] = []
    for day in [*sorted(days), 99]:
        if run and day == run[-1] + 1:
            run.append(day)
            continue
        if run:
            first, last = DAY_NAMES[run[0]], DAY_NAMES[run[-1]]
            parts.append(first if len(run) == 1 else f"{first}-{last}")
        run = [day]
    return ",".join(parts)


def local_text(instant: datetime, zone: ZoneInfo) -> str:
    """``'Sat 2026-03-28 20:30'`` in ``zone``."""
    return instant.astimezone(zone).strftime("%a %Y-%m-%d %H:%M")


@dataclass(frozen=True, slots=True)
class Match:
    """The rule window holding an instant: its label, its start day, and any holiday."""

    rule: str
    day: date
    holiday: str | None
    start: datetime
    end: datetime


class CompiledRules:
    """A list of :class:`Rule` (ORed) in one zone, with an optional holiday calendar."""

    def __init__(
        self,
        rules: Sequence[Rule],
        zone: ZoneInfo,
        calendar: CompiledCalendar | None = None,
        holiday_as: int = 6,
    ) -> None:
        self.rules = list(rules)
        self.zone = zone
        self.calendar = calendar
        self.holiday_as = holiday_as
        self.labels = [
            f"{days_label(r.days)} {format_wall(r.from_)}-{format_wall(r.to)}" for r in self.rules
        ]

    def weekday(self, day: date) -> tuple[int, str | None]:
        """Weekday used for matching (a holiday counts as ``holiday_as``) and the holiday."""
        name = self.calendar.name_of(day) if self.calendar is not None else None
        return (self.holiday_as if name is not None else day.weekday()), name

    def span(self, rule: Rule, day: date) -> tuple[datetime, datetime]:
        """UTC start and end of ``rule``'s window that starts on local ``day``."""
        start = wall_instant(day, rule.from_, self.zone, end=False)
        end_day = day if rule.to > rule.from_ else day + _ONE_DAY
        return start, wall_instant(end_day, rule.to, self.zone, end=True)

    def match(self, instant: datetime) -> Match | None:
        """The first rule whose window holds ``instant`` (windows start today or yesterday)."""
        today = local_date(instant, self.zone)
        for day in (today - _ONE_DAY, today):
            weekday, holiday = self.weekday(day)
            for rule, label in zip(self.rules, self.labels, strict=True):
                if weekday in rule.days:
                    start, end = self.span(rule, day)
                    if start <= instant < end:
                        return Match(label, day, holiday, start, end)
        return None

    def boundaries(self, start: datetime, end: datetime) -> Iterator[datetime]:
        """Every window start and end that may fall in ``[start, end)``."""
        day = local_date(start, self.zone) - 2 * _ONE_DAY
        last = local_date(end, self.zone) + _ONE_DAY
        while day <= last:
            weekday, _ = self.weekday(day)
            for rule in self.rules:
                if weekday in rule.days:
                    yield from self.span(rule, day)
            day += _ONE_DAY


@dataclass(frozen=True, slots=True)
class Turn:
    """One turn of a rotation: its number, the member, and when it started."""

    index: int
    member: str
    start: datetime


class CompiledRotation:
    """Turns of whole days that hand off at the same wall-clock time, DST or not."""

    def __init__(self, name: str, spec: Rotation, zone: ZoneInfo) -> None:
        self.name = name
        self.spec = spec
        self.zone = zone
        self.length = spec.length.days

    def handoff(self, day: date) -> datetime:
        return wall_instant(day, self.spec.handoff, self.zone, end=False)

    def turn_at(self, instant: datetime) -> Turn:
        day = local_date(instant, self.zone)
        if instant < self.handoff(day):
            day -= _ONE_DAY
        while instant < self.handoff(day):
            day -= _ONE_DAY
        while instant >= self.handoff(day + _ONE_DAY):
            day += _ONE_DAY
        index = (day - self.spec.start).days // self.length
        first_day = self.spec.start + timedelta(days=index * self.length)
        members = self.spec.members
        return Turn(index, members[index % len(members)], self.handoff(first_day))

    def boundaries(self, start: datetime, end: datetime) -> Iterator[datetime]:
        day = local_date(start, self.zone) - _ONE_DAY
        last = local_date(end, self.zone) + _ONE_DAY
        while day <= last:
            if (day - self.spec.start).days % self.length == 0:
                yield self.handoff(day)
            day += _ONE_DAY
