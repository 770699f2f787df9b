"""Resolution checked against a brute-force definition, minute by minute.

The reference below never asks the time-zone library to turn a wall-clock time
into an instant. It lists every UTC minute of a period with its wall clock in the
zone, and reads DESIGN.md §5 literally on that list:

* a wall time that starts something is the first minute showing it; one that
  ends something is the last minute showing it; a wall time that no minute shows
  (spring forward) is the first minute after it;
* a window starting on local day D runs from D+from to D+to (the next day's
  ``to`` when ``to`` is not after ``from``); a handoff, an override and a
  temporary roster likewise;
* the last active layer wins, a temporary roster replaces the layers, overrides
  apply on top, in order.

Random schedules (zones, rules with DST-edge times, rotations, holidays,
overrides) are compared with the fast resolver on random instants around the
DST changes of Europe/Berlin, America/New_York and Australia/Sydney.
"""

from __future__ import annotations

import functools
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from warning.playbook.config import load_texts

DST_DAYS = [
    ("Europe/Berlin", date(2026, 3, 29), ("DE", "NW")),
    ("Europe/Berlin", date(2026, 10, 25), ("DE", "NW")),
    ("America/New_York", date(2026, 3, 8), ("US", None)),
    ("America/New_York", date(2026, 11, 1), ("US", None)),
    ("Australia/Sydney", date(2026, 4, 5), ("AU", "NSW")),
    ("Australia/Sydney", date(2026, 10, 4), ("AU", "NSW")),
]
EDGE_TIMES = ["00:00", "01:30", "02:00", "02:30", "03:00", "09:00", "18:00", "23:30"]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class WallClock:
    """Every UTC minute of a period with its wall clock, as minutes since a naive epoch."""

    def __init__(self, zone: ZoneInfo, first: date, last: date) -> None:
        self.zone = zone
        self.start = datetime(first.year, first.month, first.day, tzinfo=UTC)
        count = (last - first).days * 1440
        epoch = datetime(2000, 1, 1)
        walls = []
        for i in range(count):
            local = (self.start + timedelta(minutes=i)).astimezone(zone).replace(tzinfo=None)
            walls.append(int((local - epoch).total_seconds() // 60))
        self.walls = np.array(walls, dtype=np.int64)
        self.epoch = epoch
        self._rising = np.maximum.accumulate(self.walls)
        self._cache: dict[tuple[int, bool], int] = {}

    def naive(self, day: date, minutes: int) -> int:
        midnight = datetime(day.year, day.month, day.day)
        return int((midnight - self.epoch).total_seconds() // 60) + minutes

    def at(self, wall: int, *, end: bool) -> int:
        """Minute index of wall time ``wall``: its first (start) or last (end) occurrence,
        or, when the wall clock skips it, the first minute after it."""
        key = (wall, end)
        if key not in self._cache:
            equal = np.nonzero(self.walls == wall)[0]
            if equal.size:
                found = int(equal[-1] if end else equal[0])
            else:
                found = int(np.searchsorted(self._rising, wall, side="right"))
            self._cache[key] = found
        return self._cache[key]

    def transitions(self) -> list[int]:
        """Minute indices where the wall clock jumps (DST changes)."""
        return [int(i) + 1 for i in np.nonzero(np.diff(self.walls) != 1)[0]]

    def index(self, instant: datetime) -> int:
        return int((instant - self.start).total_seconds() // 60)


@functools.cache
def _clock(zone: str, first: date, last: date) -> WallClock:
    return WallClock(ZoneInfo(zone), first, last)


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def random_config(rng: random.Random, zone: str, region: tuple[str, str | None], anchor: date):
    """YAML text of a random schedule plus the plain data the reference needs."""
    people = [f"p{i}" for i in range(5)]
    layers = []
    for n in range(rng.randint(1, 3)):
        rules = []
        for _ in range(rng.randint(0, 3)):
            days = sorted(rng.sample(range(7), rng.randint(1, 4)))
            start = rng.choice(EDGE_TIMES)
            end = rng.choice([*EDGE_TIMES, "24:00"])
            rules.append({"days": days, "from": start, "to": end})
        if rng.random() < 0.6:
            rotation = {
                "members": rng.sample(people, rng.randint(1, 4)),
                "start": anchor - timedelta(days=rng.randint(0, 30)),
                "handoff": rng.choice(EDGE_TIMES),
                "length": rng.choice([1, 2, 7]),
            }
            layers.append({"name": f"l{n}", "rotation": rotation, "rules": rules})
        else:
            layers.append({"name": f"l{n}", "people": rng.sample(people, 2), "rules": rules})
    overrides = []
    for _ in range(rng.randint(0, 2)):
        day = anchor + timedelta(days=rng.randint(-3, 3))
        start = f"{day.isoformat()} {rng.choice(EDGE_TIMES)}"
        end_day = day + timedelta(days=rng.randint(0, 2))
        end = f"{end_day.isoformat()} {rng.choice(EDGE_TIMES)}"
        if start < end:
            overrides.append(
                {
                    "from": start,
                    "to": end,
                    "person": rng.choice(people),
                    "replaces": rng.choice([None, *people]),
                }
            )
    temporary = None
    if rng.random() < 0.4:
        day = anchor + timedelta(days=rng.randint(-2, 1))
        temporary = {
            "from": f"{day.isoformat()} {rng.choice(EDGE_TIMES)}",
            "to": f"{(day + timedelta(days=rng.randint(1, 2))).isoformat()} {rng.choice(EDGE_TIMES)}",
            "people": rng.sample(people, 2),
            "rules": [
                {
                    "days": sorted(rng.sample(range(7), 3)),
                    "from": rng.choice(EDGE_TIMES),
                    "to": rng.choice(EDGE_TIMES),
                }
            ],
        }
    use_holidays = rng.random() < 0.5
    holiday_as = rng.randrange(7)
    lines = ["people:"]
    lines += [f"  {p}: {{name: Person {p}, email: {p}@example.org}}" for p in people]
    lines += [
        "holidays:",
        f"  cal: {{country: {region[0]}"
        + (f", subdivision: {region[1]}" if region[1] else "")
        + "}",
    ]
    lines.append("rotations:")
    for layer in layers:
        if "rotation" in layer:
            r = layer["rotation"]
            lines.append(
                f"  r{layer['name']}: {{members: [{', '.join(r['members'])}], "
                f"start: {r['start'].isoformat()}, handoff: '{r['handoff']}', "
                f"length: {r['length']}d, timezone: {zone}}}"
            )
    lines += ["schedules:", "  s:", f"    timezone: {zone}", f"    holiday_as: {DAYS[holiday_as]}"]
    if use_holidays:
        lines.append("    holidays: cal")
    lines.append("    layers:")
    for layer in layers:
        who = (
            f"rotation: r{layer['name']}"
            if "rotation" in layer
            else (f"people: [{', '.join(layer['people'])}]")
        )
        rules = ", ".join(
            f"{{days: [{', '.join(DAYS[d] for d in r['days'])}], from: '{r['from']}', to: '{r['to']}'}}"
            for r in layer["rules"]
        )
        lines.append(f"      - {{name: {layer['name']}, {who}, rules: [{rules}]}}")
    if temporary is not None:
        t = temporary
        rule = t["rules"][0]
        lines += [
            "    temporary:",
            "      - name: temp",
            f"        from: '{t['from']}'",
            f"        to: '{t['to']}'",
            f"        layers: [{{name: t, people: [{', '.join(t['people'])}], rules: "
            f"[{{days: [{', '.join(DAYS[d] for d in rule['days'])}], from: '{rule['from']}', "
            f"to: '{rule['to']}'}}]}}]",
        ]
    if overrides:
        lines.append("    overrides:")
        for o in overrides:
            extra = f", replaces: {o['replaces']}" if o["replaces"] else ""
            lines.append(
                f"      - {{from: '{o['from']}', to: '{o['to']}', person: {o['person']}{extra}}}"
            )
    data = {
        "layers": layers,
        "overrides": overrides,
        "holidays": use_holidays,
        "holiday_as": holiday_as,
        "temporary": temporary,
    }
    return "\n".join(lines) + "\n", data


def reference(clock: WallClock, data, holidays, minute: int, days: list[date]) -> tuple[str, ...]:
    """Who is on call at minute index ``minute``, by the brute-force definition."""

    def weekday(day: date) -> int:
        if data["holidays"] and day in holidays:
            return data["holiday_as"]
        return day.weekday()

    def local(text: str) -> int:
        day, time = text.split(" ")
        return clock.naive(date.fromisoformat(day), _minutes(time))

    def period(start: str, end: str) -> tuple[int, int]:
        return clock.at(local(start), end=False), clock.at(local(end), end=True)

    layers = data["layers"]
    temp = data["temporary"]
    if temp is not None:
        lo, hi = period(temp["from"], temp["to"])
        if lo <= minute < hi:
            layers = [{"name": "t", "people": temp["people"], "rules": temp["rules"]}]
    people: tuple[str, ...] = ()
    for layer in reversed(layers):
        active = not layer["rules"]
        for rule in layer["rules"]:
            for day in days:
                if weekday(day) not in rule["days"]:
                    continue
                begin, end = _minutes(rule["from"]), _minutes(rule["to"])
                end_day = day if end > begin else day + timedelta(days=1)
                lo = clock.at(clock.naive(day, begin), end=False)
                hi = clock.at(clock.naive(end_day, end), end=True)
                if lo <= minute < hi:
                    active = True
        if not active:
            continue
        if "people" in layer:
            people = tuple(layer["people"])
        else:
            r = layer["rotation"]
            best = None
            for day in days:
                offset = (day - r["start"]).days
                if offset % r["length"]:
                    continue
                handoff = clock.at(clock.naive(day, _minutes(r["handoff"])), end=False)
                if handoff <= minute:
                    best = offset // r["length"]
            assert best is not None, "period too short for the rotation"
            people = (r["members"][best % len(r["members"])],)
        break
    for o in data["overrides"]:
        lo, hi = period(o["from"], o["to"])
        if not lo <= minute < hi:
            continue
        if o["replaces"] is None:
            people = (o["person"],)
        elif o["replaces"] in people:
            people = tuple(dict.fromkeys(o["person"] if p == o["replaces"] else p for p in people))
    return people


@pytest.mark.parametrize("seed", range(18))
def test_resolution_matches_brute_force(seed: int) -> None:
    import holidays as holidays_lib

    rng = random.Random(seed)
    zone_name, dst_day, region = DST_DAYS[seed % len(DST_DAYS)]
    first, last = dst_day - timedelta(days=15), dst_day + timedelta(days=15)
    clock = _clock(zone_name, first, last)
    days = [first + timedelta(days=i) for i in range(1, (last - first).days - 1)]
    calendar = holidays_lib.country_holidays(region[0], subdiv=region[1], years=dst_day.year)
    for config_round in range(4):
        text, data = random_config(rng, zone_name, region, dst_day)
        config = load_texts({f"random-{seed}-{config_round}.yaml": text})
        schedule = config.schedules["s"]
        change = clock.start + timedelta(minutes=clock.transitions()[0])
        for n in range(60):
            if n % 2:  # half of the instants within three hours of the DST change
                instant = change + timedelta(minutes=rng.randint(-180, 180))
            else:
                instant = datetime(
                    dst_day.year, dst_day.month, dst_day.day, tzinfo=UTC
                ) + timedelta(minutes=rng.randint(-5 * 1440, 5 * 1440))
            minute = clock.index(instant)
            expected = reference(clock, data, calendar, minute, days)
            fast = schedule.timeline.value_at(instant)[0]
            direct = schedule.direct(instant)[0]
            assert fast == expected == direct, (text, instant.isoformat())
