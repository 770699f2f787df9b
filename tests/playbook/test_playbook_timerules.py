"""Tables of instants that must or must not match, across DST weekends and holidays.

Europe/Berlin (2026-03-29 spring forward, 2026-10-25 fall back), America/New_York
(2026-03-08, 2026-11-01), Australia/Sydney (2026-04-05 fall back, 2026-10-04 spring
forward); a nonexistent start or end means the next valid instant, an ambiguous
start the first occurrence and an ambiguous end the last one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from warning.playbook.config import load_texts
from warning.playbook.holidaycal import CompiledCalendar
from warning.playbook.rules import CompiledRules
from warning.playbook.schema_roster import HolidayCalendar, Rule
from warning.playbook.timerules import (
    get_zone,
    parse_days,
    parse_duration,
    parse_instant,
    parse_wall_time,
    to_instant,
)


def z(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# zone, rule (day, from, to), instant (UTC), must match
WINDOWS = [
    # Berlin spring forward: 02:30 does not exist, so the window starts at 03:00 CEST.
    ("Europe/Berlin", ("sun", "02:30", "03:30"), "2026-03-29T00:59Z", False),
    ("Europe/Berlin", ("sun", "02:30", "03:30"), "2026-03-29T01:00Z", True),
    ("Europe/Berlin", ("sun", "02:30", "03:30"), "2026-03-29T01:29Z", True),
    ("Europe/Berlin", ("sun", "02:30", "03:30"), "2026-03-29T01:30Z", False),
    # A night window across the change ends at 09:00 CEST, not 09:00 CET.
    ("Europe/Berlin", ("sat", "18:00", "09:00"), "2026-03-28T16:59Z", False),
    ("Europe/Berlin", ("sat", "18:00", "09:00"), "2026-03-28T17:00Z", True),
    ("Europe/Berlin", ("sat", "18:00", "09:00"), "2026-03-29T06:59Z", True),
    ("Europe/Berlin", ("sat", "18:00", "09:00"), "2026-03-29T07:00Z", False),
    # Berlin fall back: start at the first 02:30 (CEST), end at the last 04:00 (CET).
    ("Europe/Berlin", ("sun", "02:30", "04:00"), "2026-10-25T00:29Z", False),
    ("Europe/Berlin", ("sun", "02:30", "04:00"), "2026-10-25T00:30Z", True),
    ("Europe/Berlin", ("sun", "02:30", "04:00"), "2026-10-25T01:15Z", True),  # 02:15 CET
    ("Europe/Berlin", ("sun", "02:30", "04:00"), "2026-10-25T02:59Z", True),
    ("Europe/Berlin", ("sun", "02:30", "04:00"), "2026-10-25T03:00Z", False),
    # An ambiguous end is the last occurrence: 00:00 to 02:30 lasts until 02:30 CET.
    ("Europe/Berlin", ("sun", "00:00", "02:30"), "2026-10-24T21:59Z", False),
    ("Europe/Berlin", ("sun", "00:00", "02:30"), "2026-10-24T22:00Z", True),
    ("Europe/Berlin", ("sun", "00:00", "02:30"), "2026-10-25T01:29Z", True),
    ("Europe/Berlin", ("sun", "00:00", "02:30"), "2026-10-25T01:30Z", False),
    # Saturday 20:30 Berlin, before and after each change.
    ("Europe/Berlin", ("sat", "18:00", "23:00"), "2026-03-28T19:30Z", True),
    ("Europe/Berlin", ("sat", "18:00", "23:00"), "2026-04-04T18:30Z", True),
    ("Europe/Berlin", ("sat", "18:00", "23:00"), "2026-10-24T18:30Z", True),
    ("Europe/Berlin", ("sat", "18:00", "23:00"), "2026-10-31T19:30Z", True),
    ("Europe/Berlin", ("sat", "18:00", "23:00"), "2026-10-31T22:00Z", False),
    # New York spring forward (02:00 EST -> 03:00 EDT at 07:00Z): 02:30 end is 03:00 EDT.
    ("America/New_York", ("sun", "01:30", "02:30"), "2026-03-08T06:29Z", False),
    ("America/New_York", ("sun", "01:30", "02:30"), "2026-03-08T06:30Z", True),
    ("America/New_York", ("sun", "01:30", "02:30"), "2026-03-08T06:59Z", True),
    ("America/New_York", ("sun", "01:30", "02:30"), "2026-03-08T07:00Z", False),
    # New York fall back (01:00-01:59 twice): first 01:30 EDT to last 01:45 EST.
    ("America/New_York", ("sun", "01:30", "01:45"), "2026-11-01T05:29Z", False),
    ("America/New_York", ("sun", "01:30", "01:45"), "2026-11-01T05:30Z", True),
    ("America/New_York", ("sun", "01:30", "01:45"), "2026-11-01T06:00Z", True),  # 01:00 EST
    ("America/New_York", ("sun", "01:30", "01:45"), "2026-11-01T06:44Z", True),
    ("America/New_York", ("sun", "01:30", "01:45"), "2026-11-01T06:45Z", False),
    # Sydney fall back (03:00 AEDT -> 02:00 AEST at 16:00Z): 02:00-03:00 lasts two hours.
    ("Australia/Sydney", ("sun", "02:00", "03:00"), "2026-04-04T14:59Z", False),
    ("Australia/Sydney", ("sun", "02:00", "03:00"), "2026-04-04T15:00Z", True),
    ("Australia/Sydney", ("sun", "02:00", "03:00"), "2026-04-04T16:30Z", True),
    ("Australia/Sydney", ("sun", "02:00", "03:00"), "2026-04-04T17:00Z", False),
    # Sydney spring forward (02:00 AEST -> 03:00 AEDT at 16:00Z): a window inside the gap
    # never opens, one that starts inside it opens at 03:00.
    ("Australia/Sydney", ("sun", "02:15", "02:45"), "2026-10-03T15:59Z", False),
    ("Australia/Sydney", ("sun", "02:15", "02:45"), "2026-10-03T16:00Z", False),
    ("Australia/Sydney", ("sun", "02:15", "03:15"), "2026-10-03T15:59Z", False),
    ("Australia/Sydney", ("sun", "02:15", "03:15"), "2026-10-03T16:00Z", True),
    ("Australia/Sydney", ("sun", "02:15", "03:15"), "2026-10-03T16:14Z", True),
    ("Australia/Sydney", ("sun", "02:15", "03:15"), "2026-10-03T16:15Z", False),
    # 24 hours (from equals to) across Sydney's spring forward lasts 23 hours.
    ("Australia/Sydney", ("sat", "09:00", "09:00"), "2026-10-02T22:59Z", False),
    ("Australia/Sydney", ("sat", "09:00", "09:00"), "2026-10-02T23:00Z", True),
    ("Australia/Sydney", ("sat", "09:00", "09:00"), "2026-10-03T21:59Z", True),
    ("Australia/Sydney", ("sat", "09:00", "09:00"), "2026-10-03T22:00Z", False),
]


@pytest.mark.parametrize(("zone", "rule", "instant", "expected"), WINDOWS)
def test_window_table(zone: str, rule: tuple[str, str, str], instant: str, expected: bool) -> None:
    day, start, end = rule
    rules = CompiledRules(
        [Rule.model_validate({"days": [day], "from": start, "to": end})], get_zone(zone)
    )
    assert (rules.match(z(instant)) is not None) is expected
    assert (rules.match(z(instant).astimezone(get_zone(zone))) is not None) is expected


NW = CompiledCalendar("de-nw", HolidayCalendar(country="DE", subdivision="NW", language="de"))
HOLIDAYS = [
    # date, holiday name in NW, matched by a mon-fri 09:00-18:00 rule at 10:00 local
    (date(2026, 4, 3), "Karfreitag", False),
    (date(2026, 4, 6), "Ostermontag", False),
    (date(2026, 4, 7), None, True),
    (date(2026, 5, 25), "Pfingstmontag", False),
    (date(2026, 5, 26), None, True),
    (date(2026, 6, 4), "Fronleichnam", False),
]


@pytest.mark.parametrize(("day", "name", "office_open"), HOLIDAYS)
def test_holidays_close_office_hours(day: date, name: str | None, office_open: bool) -> None:
    zone = get_zone("Europe/Berlin")
    assert NW.name_of(day) == name
    office = CompiledRules(
        [Rule.model_validate({"days": ["mon-fri"], "from": "09:00", "to": "18:00"})], zone, NW
    )
    weekend = CompiledRules(
        [Rule.model_validate({"days": ["sat", "sun"], "from": "09:00", "to": "09:00"})], zone, NW
    )
    ten = to_instant(datetime(day.year, day.month, day.day, 10), zone, end=False)
    assert (office.match(ten) is not None) is office_open
    assert (weekend.match(ten) is not None) is (not office_open)
    if name is not None:
        match = weekend.match(ten)
        assert match is not None and match.holiday == name


def test_holiday_on_another_weekday() -> None:
    zone = get_zone("Europe/Berlin")
    saturday_like = CompiledRules(
        [Rule.model_validate({"days": ["sat"], "from": "00:00", "to": "24:00"})], zone, NW, 5
    )
    assert saturday_like.match(z("2026-05-25T10:00Z")) is not None  # Whit Monday counts as sat
    assert saturday_like.match(z("2026-05-26T10:00Z")) is None


def test_handoffs_stay_at_wall_clock_across_dst() -> None:
    config = load_texts(
        {
            "r.yaml": """
people:
  a: {name: A, email: a@example.org}
  b: {name: B, email: b@example.org}
rotations:
  night: {members: [a, b], start: 2026-03-27, handoff: "02:30", length: 1d, timezone: Europe/Berlin}
schedules:
  s:
    timezone: Europe/Berlin
    layers: [{name: night, rotation: night}]
"""
        }
    )
    timeline = config.schedules["s"].timeline
    # 02:30 on 2026-03-29 does not exist: the handoff happens at 03:00 CEST (01:00Z).
    assert (
        timeline.value_at(z("2026-03-29T00:59Z"))[0] != timeline.value_at(z("2026-03-29T01:00Z"))[0]
    )
    # Other days hand off at 02:30 local, in CET and in CEST.
    assert timeline.value_at(z("2026-03-28T01:29Z"))[0] == ("a",)
    assert timeline.value_at(z("2026-03-28T01:30Z"))[0] == ("b",)
    assert timeline.value_at(z("2026-03-30T00:29Z"))[0] == ("a",)
    assert timeline.value_at(z("2026-03-30T00:30Z"))[0] == ("b",)
    # Fall back: an ambiguous handoff starts the new turn at the first 02:30 (CEST).
    assert (
        timeline.value_at(z("2026-10-25T00:29Z"))[0] != timeline.value_at(z("2026-10-25T00:30Z"))[0]
    )
    assert (
        timeline.value_at(z("2026-10-25T00:30Z"))[0] == timeline.value_at(z("2026-10-25T01:45Z"))[0]
    )


@pytest.mark.parametrize(
    ("naive", "end", "expected"),
    [
        ("2026-03-29T02:30", False, "2026-03-29T01:00Z"),
        ("2026-03-29T02:30", True, "2026-03-29T01:00Z"),
        ("2026-10-25T02:30", False, "2026-10-25T00:30Z"),
        ("2026-10-25T02:30", True, "2026-10-25T01:30Z"),
        ("2026-07-01T12:00", False, "2026-07-01T10:00Z"),
    ],
)
def test_to_instant_conventions(naive: str, end: bool, expected: str) -> None:
    instant = to_instant(datetime.fromisoformat(naive), get_zone("Europe/Berlin"), end=end)
    assert instant == z(expected)
    assert instant.tzinfo is UTC


def test_parsers() -> None:
    assert parse_wall_time("24:00", allow_24=True) == 1440
    with pytest.raises(ValueError, match="a time of day must look like '09:00'"):
        parse_wall_time("24:00")
    assert parse_days(["fri-mon"]) == (0, 4, 5, 6)
    assert parse_duration("2w").days == 14
    with pytest.raises(ValueError, match="a duration must look like"):
        parse_duration("10")
    now = z("2026-01-01T00:00Z")
    assert parse_instant("2026-03-28T20:30+01:00", None, now)[0] == z("2026-03-28T19:30Z")
    instant, note = parse_instant("2026-10-25 02:30", "Europe/Berlin", now)
    assert instant == z("2026-10-25T00:30Z")
    assert note == (
        "2026-10-25 02:30 happens twice in Europe/Berlin (clocks fall back); "
        "using the first, 02:30 CEST"
    )
    with pytest.raises(ValueError, match="has no offset"):
        parse_instant("2026-03-28 20:30", None, now)
