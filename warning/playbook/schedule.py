"""Compiled schedules (layers, temporary rosters, overrides, holidays) and windows.

``direct(instant)`` is the definition: the last active layer with somebody wins
(or the layers of a temporary roster, while one is in force), then overrides
apply in the order written. :attr:`CompiledSchedule.timeline` caches the answer
per week so that a lookup is a bisect over sorted shift boundaries.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from warning.playbook.holidaycal import CompiledCalendar
from warning.playbook.rules import CompiledRotation, CompiledRules, local_text
from warning.playbook.schema_roster import Layer, Override, Schedule, Window
from warning.playbook.timeline import Timeline
from warning.playbook.timerules import DAY_NAMES, get_zone, to_instant

__all__ = [
    "CompiledLayer",
    "CompiledSchedule",
    "CompiledWindow",
    "OnCall",
    "Period",
    "local_bound",
    "period",
]


@dataclass(frozen=True, slots=True)
class OnCall:
    """Who is on call (person ids, in order) and why; ``since``/``until`` when known."""

    people: tuple[str, ...]
    reasons: tuple[str, ...]
    since: datetime | None = None
    until: datetime | None = None


def local_bound(value: datetime, zone: ZoneInfo, *, end: bool) -> datetime:
    """An override or roster bound: naive means wall clock in ``zone`` (DST rules apply)."""
    if value.tzinfo is not None:
        return value
    return to_instant(value, zone, end=end)


def _holiday_note(rules: CompiledRules, day_start: datetime, holiday: str | None) -> str:
    if holiday is None or rules.calendar is None:
        return ""
    day = local_text(day_start, rules.zone)[:14]
    return (
        f"; {day} is a holiday ({holiday}, calendar '{rules.calendar.name}') "
        f"and counts as {DAY_NAMES[rules.holiday_as]}"
    )


class CompiledLayer:
    """One layer: active by its rules (always without rules); a rotation or people."""

    def __init__(
        self,
        spec: Layer,
        rules: CompiledRules | None,
        rotation: CompiledRotation | None,
        names: Mapping[str, str],
    ) -> None:
        self.spec = spec
        self.rules = rules
        self.rotation = rotation
        self.names = names

    def on_call(self, instant: datetime) -> tuple[tuple[str, ...], str] | None:
        where = f"layer '{self.spec.name}'"
        if self.rules is not None:
            match = self.rules.match(instant)
            if match is None:
                return None
            where += f" (rule {match.rule}, {self.rules.zone.key}"
            where += _holiday_note(self.rules, match.start, match.holiday) + ")"
        if self.rotation is not None:
            turn = self.rotation.turn_at(instant)
            since = local_text(turn.start, self.rotation.zone)
            name = self.names.get(turn.member, turn.member)
            return (turn.member,), (
                f"{where}: rotation '{self.rotation.name}', turn of {name} since {since}"
            )
        people = tuple(self.spec.people or ())
        return people, f"{where}: {', '.join(self.names.get(p, p) for p in people)}"

    def boundaries(self, start: datetime, end: datetime) -> Iterator[datetime]:
        if self.rules is not None:
            yield from self.rules.boundaries(start, end)
        if self.rotation is not None:
            yield from self.rotation.boundaries(start, end)


@dataclass(frozen=True, slots=True)
class Period:
    start: datetime
    end: datetime


class CompiledSchedule:
    """A schedule ready for questions; see the module docstring for the semantics."""

    def __init__(
        self,
        name: str,
        spec: Schedule,
        layers: Sequence[CompiledLayer],
        temporary: Sequence[tuple[str, Period, Sequence[CompiledLayer]]],
        names: Mapping[str, str],
    ) -> None:
        self.name = name
        self.spec = spec
        self.zone = get_zone(spec.timezone)
        self.layers = list(layers)
        self.temporary = list(temporary)
        self.names = names
        self.overrides: list[tuple[Period, Override]] = [
            (period(o.from_, o.to, self.zone), o) for o in spec.overrides
        ]
        self.timeline: Timeline[tuple[tuple[str, ...], tuple[str, ...]]] = Timeline(
            self.direct, self.boundaries
        )

    def direct(self, instant: datetime) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """People on call at ``instant`` and the reasons, from the definition."""
        layers, reasons = self.layers, []
        for label, span, temp_layers in self.temporary:
            if span.start <= instant < span.end:
                layers = list(temp_layers)
                reasons.append(
                    f"temporary roster '{label}' ({local_text(span.start, self.zone)} to "
                    f"{local_text(span.end, self.zone)})"
                )
                break
        people: tuple[str, ...] = ()
        for layer in reversed(layers):
            found = layer.on_call(instant)
            if found is not None and found[0]:
                people = found[0]
                reasons.append(found[1])
                break
        else:
            reasons.append("no layer is active")
        for span, override in self.overrides:
            if not span.start <= instant < span.end:
                continue
            who = self.names.get(override.person, override.person)
            note = f" ({override.note})" if override.note else ""
            when = f"{local_text(span.start, self.zone)} to {local_text(span.end, self.zone)}"
            if override.replaces is None:
                people = (override.person,)
                reasons.append(f"override {when}: {who} takes over{note}")
            elif override.replaces in people:
                gone = self.names.get(override.replaces, override.replaces)
                people = tuple(
                    dict.fromkeys(override.person if p == override.replaces else p for p in people)
                )
                reasons.append(f"override {when}: {who} instead of {gone}{note}")
        return people, tuple(reasons)

    def boundaries(self, start: datetime, end: datetime) -> Iterator[datetime]:
        for layer in self.layers:
            yield from layer.boundaries(start, end)
        for _, span, temp_layers in self.temporary:
            yield span.start
            yield span.end
            for layer in temp_layers:
                yield from layer.boundaries(start, end)
        for span, _ in self.overrides:
            yield span.start
            yield span.end

    def on_call(self, instant: datetime) -> OnCall:
        """Who is on call at ``instant``, with the piece of the timeline it belongs to."""
        since, until, (people, reasons) = self.timeline.segment_at(instant)
        return OnCall(people, reasons, since, until)


def period(start: datetime, end: datetime, zone: ZoneInfo) -> Period:
    return Period(local_bound(start, zone, end=False), local_bound(end, zone, end=True))


class CompiledWindow:
    """A named window (working hours ...): open or closed at an instant, and when it opens."""

    def __init__(self, name: str, spec: Window, calendar: CompiledCalendar | None) -> None:
        self.name = name
        self.spec = spec
        self.rules = CompiledRules(spec.rules, get_zone(spec.timezone), calendar, spec.holiday_as)
        self.timeline: Timeline[tuple[bool, str]] = Timeline(self.direct, self.rules.boundaries)

    def direct(self, instant: datetime) -> tuple[bool, str]:
        match = self.rules.match(instant)
        if match is None:
            return False, f"window '{self.name}' is closed"
        note = _holiday_note(self.rules, match.start, match.holiday)
        return True, f"window '{self.name}' is open (rule {match.rule}{note})"

    def is_open(self, instant: datetime) -> bool:
        return self.timeline.value_at(instant)[0]

    def next_open(self, instant: datetime, horizon_weeks: int = 2) -> datetime | None:
        """``instant`` if open, else when the window next opens (``None`` past the horizon)."""
        for start, _, (is_open, _) in self.timeline.segments(
            instant, instant + timedelta(weeks=horizon_weeks)
        ):
            if is_open:
                return max(start, instant)
        return None
