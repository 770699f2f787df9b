"""Wall-clock rules and the DST conventions of DESIGN.md §5.

Instants are aware UTC datetimes. Rules are written as wall-clock times plus an
IANA zone. Turning a local time into an instant follows one convention:

* a local time that does not exist (spring forward) means the next valid instant;
* an ambiguous local time (fall back) means the first occurrence when it starts
  something and the last occurrence when it ends something.

A window ``[from, to)`` therefore lasts longer on a fall-back night when its end
is ambiguous, shorter on a spring-forward night, and never vanishes unless both
ends fall in the same skipped hour.

>>> from zoneinfo import ZoneInfo
>>> berlin = ZoneInfo("Europe/Berlin")
>>> to_instant(datetime(2026, 3, 29, 2, 30), berlin, end=False).isoformat()  # gap
'2026-03-29T01:00:00+00:00'
>>> to_instant(datetime(2026, 10, 25, 2, 30), berlin, end=False).isoformat()  # first
'2026-10-25T00:30:00+00:00'
>>> to_instant(datetime(2026, 10, 25, 2, 30), berlin, end=True).isoformat()  # last
'2026-10-25T01:30:00+00:00'
>>> parse_duration("1h30m")
datetime.timedelta(seconds=5400)
>>> format_wall(parse_wall_time("9:05"))
'09:05'
>>> parse_days(["mon-wed", "sat"])
(0, 1, 2, 5)
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "DAY_NAMES",
    "DURATION_PATTERN",
    "WALL_TIME_PATTERN",
    "did_you_mean",
    "format_duration",
    "format_wall",
    "get_zone",
    "local_date",
    "parse_days",
    "parse_duration",
    "parse_instant",
    "parse_local_datetime",
    "parse_wall_time",
    "to_instant",
    "wall_instant",
]

DAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DURATION_PATTERN = r"^(\d+w)?(\d+d)?(\d+h)?(\d+m)?$"
WALL_TIME_PATTERN = r"^([01]?[0-9]|2[0-4]):[0-5][0-9]$"
_DURATION = re.compile(r"(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?")
_WALL = re.compile(r"(\d{1,2}):(\d{2})")
_LOCAL = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}:\d{2}))?")
_MAX_DURATION = timedelta(days=366)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or nothing.

    >>> did_you_mean("Europe/Berln", ["Europe/Berlin", "Europe/Bern"])
    " (did you mean 'Europe/Berlin'?)"
    """
    best = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{best[0]}'?)" if best else ""


@functools.cache
def _zone_names() -> frozenset[str]:
    from zoneinfo import available_timezones

    return frozenset(available_timezones())


def get_zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; ``ValueError`` with a suggestion if it does not exist."""
    if not isinstance(name, str) or not name or name not in _zone_names():
        raise ValueError(f"unknown time zone '{name}'{did_you_mean(str(name), _zone_names())}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # pragma: no cover - listed but unreadable
        raise ValueError(f"unknown time zone '{name}'") from None


def parse_duration(text: object) -> timedelta:
    """``'10m'``, ``'1h30m'``, ``'7d'``, ``'2w'`` (at most one year) to a timedelta."""
    if isinstance(text, str):
        match = _DURATION.fullmatch(text.strip())
        if match and any(match.groups()):
            w, d, h, m = (int(g) if g else 0 for g in match.groups())
            value = timedelta(weeks=w, days=d, hours=h, minutes=m)
            if value > _MAX_DURATION:
                raise ValueError(f"duration '{text}' is longer than a year")
            return value
    raise ValueError(f"a duration must look like '10m', '1h30m', '7d' or '2w'; got {text!r}")


def format_duration(value: timedelta) -> str:
    """The shortest text that :func:`parse_duration` reads back.

    >>> format_duration(timedelta(hours=1, minutes=30)), format_duration(timedelta(0))
    ('1h30m', '0m')
    """
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{mins}m" if mins else ""]
    return "".join(parts) or "0m"


def parse_wall_time(text: object, *, allow_24: bool = False) -> int:
    """``'HH:MM'`` to minutes after midnight (``'24:00'`` only where allowed)."""
    if isinstance(text, str):
        match = _WALL.fullmatch(text.strip())
        if match:
            hours, minutes = int(match.group(1)), int(match.group(2))
            value = hours * 60 + minutes
            if minutes < 60 and (value < 1440 or (allow_24 and value == 1440)):
                return value
    limit = "'24:00'" if allow_24 else "'23:59'"
    raise ValueError(f"a time of day must look like '09:00' (00:00 to {limit}); got {text!r}")


def format_wall(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_days(value: object) -> tuple[int, ...]:
    """Weekday names (``mon`` .. ``sun``) and ranges (``mon-fri``) to sorted indices."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not value:
        raise ValueError(f"days must be a list like [mon-fri, sun]; got {value!r}")
    days: set[int] = set()
    for item in value:
        if not isinstance(item, str):
            raise ValueError(f"a day must be one of {', '.join(DAY_NAMES)}; got {item!r}")
        first, _, last = item.strip().lower().partition("-")
        for name in (first, last) if last else (first,):
            if name not in DAY_NAMES:
                raise ValueError(f"unknown day '{name}'{did_you_mean(name, DAY_NAMES)}")
        a, b = DAY_NAMES.index(first), DAY_NAMES.index(last or first)
        days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return tuple(sorted(days))


def parse_local_datetime(text: object) -> datetime:
    """``'2026-04-10 18:00'`` (naive, local to a zone given elsewhere) or ISO with offset."""
    if isinstance(text, str):
        raw = text.strip()
        match = _LOCAL.fullmatch(raw)
        try:
            if match:
                day = date.fromisoformat(match.group(1))
                minutes = parse_wall_time(match.group(2) or "00:00")
                return datetime.combine(day, time()) + timedelta(minutes=minutes)
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            if parsed.tzinfo is not None:
                return parsed.astimezone(UTC)
        except ValueError:
            pass
    raise ValueError(
        "a date and time must look like '2026-04-10 18:00' (local) "
        f"or '2026-04-10T18:00+02:00'; got {text!r}"
    )


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    """The wall-clock date of ``instant`` in ``zone``."""
    return instant.astimezone(zone).date()


@functools.lru_cache(maxsize=1 << 16)
def to_instant(naive: datetime, zone: ZoneInfo, *, end: bool) -> datetime:
    """The UTC instant of wall clock ``naive`` in ``zone`` under the DST conventions."""
    first = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == naive:
        if second.astimezone(zone).replace(tzinfo=None) != naive:
            return first
        return max(first, second) if end else min(first, second)
    # The wall time is skipped: find the first instant whose wall clock passes it.
    low, high = sorted((first, second))
    lo, hi = 0, int((high - low).total_seconds())
    while lo < hi:
        mid = (lo + hi) // 2
        wall = (low + timedelta(seconds=mid)).astimezone(zone).replace(tzinfo=None)
        if wall >= naive:
            hi = mid
        else:
            lo = mid + 1
    return low + timedelta(seconds=lo)


def wall_instant(day: date, minutes: int, zone: ZoneInfo, *, end: bool) -> datetime:
    """Instant of ``minutes`` after midnight on local ``day`` (``1440`` is next midnight)."""
    naive = datetime.combine(day, time()) + timedelta(minutes=minutes)
    return to_instant(naive, zone, end=end)


def parse_instant(text: str, zone_name: str | None, now: datetime) -> tuple[datetime, str | None]:
    """A command-line time: ``now``, ISO 8601 with offset, or a local time in ``zone_name``.

    A local time follows the start convention; the note says when it was skipped or repeated.

    >>> parse_instant("2026-03-29 02:30", "Europe/Berlin", datetime.now(UTC))[1]
    '2026-03-29 02:30 does not exist in Europe/Berlin (clocks spring forward); using 03:00'
    """
    raw = text.strip()
    if raw.lower() == "now":
        return now.astimezone(UTC), None
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"cannot read the time {text!r}: use ISO 8601 like 2026-03-28T20:30+01:00, "
            "or a local time like '2026-03-28 20:30' with --tz"
        ) from None
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC), None
    if zone_name is None:
        raise ValueError(
            f"the time {text!r} has no offset: add one (like +01:00) or give --tz ZONE"
        )
    zone = get_zone(zone_name)
    first = to_instant(parsed, zone, end=False)
    last = to_instant(parsed, zone, end=True)
    wall = first.astimezone(zone)
    note = None
    if wall.replace(tzinfo=None) != parsed:
        note = (
            f"{parsed:%Y-%m-%d %H:%M} does not exist in {zone.key} (clocks spring forward); "
            f"using {wall:%H:%M}"
        )
    elif first != last:
        note = (
            f"{parsed:%Y-%m-%d %H:%M} happens twice in {zone.key} (clocks fall back); "
            f"using the first, {wall:%H:%M %Z}"
        )
    return first, note
