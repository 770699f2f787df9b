"""Time is an argument: every time-dependent piece takes a :class:`Clock`.

Live operation uses :class:`SystemClock`; replay, tests and the demo use
:class:`SimulatedClock`, which only moves when told to. Instants are always
timezone-aware UTC ``datetime`` objects.

>>> from datetime import datetime, timedelta, timezone
>>> clock = SimulatedClock(datetime(2026, 3, 28, 19, 30, tzinfo=timezone.utc))
>>> clock.now().isoformat()
'2026-03-28T19:30:00+00:00'
>>> clock.advance(timedelta(minutes=5)).isoformat()
'2026-03-28T19:35:00+00:00'
>>> clock.sleep(60.0)
>>> clock.now().isoformat()
'2026-03-28T19:36:00+00:00'
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

from warning.errors import TimestampError

__all__ = ["Clock", "SimulatedClock", "SystemClock", "ensure_utc"]


def ensure_utc(instant: datetime, *, what: str = "instant") -> datetime:
    """Return ``instant`` converted to UTC; a naive datetime is an error.

    >>> from datetime import timezone, timedelta
    >>> ensure_utc(datetime(2026, 1, 1, 12, tzinfo=timezone(timedelta(hours=1)))).isoformat()
    '2026-01-01T11:00:00+00:00'
    >>> ensure_utc(datetime(2026, 1, 1, 12))
    Traceback (most recent call last):
    ...
    warning.errors.TimestampError: The instant 2026-01-01T12:00:00 has no time zone; give an offset or a zone.
    """
    if instant.tzinfo is None or instant.tzinfo.utcoffset(instant) is None:
        raise TimestampError(
            f"The {what} {instant.isoformat()} has no time zone; give an offset or a zone."
        )
    return instant.astimezone(UTC)


@runtime_checkable
class Clock(Protocol):
    """Where the current instant comes from."""

    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` (a simulated clock just moves forward)."""
        ...


class SystemClock:
    """The wall clock of this machine.

    >>> SystemClock().now().tzinfo is not None
    True
    """

    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class SimulatedClock:
    """A clock that moves only when told to, for replay, tests and the demo."""

    def __init__(self, start: datetime) -> None:
        self._now = ensure_utc(start, what="start of the simulated clock")

    def now(self) -> datetime:
        return self._now

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._now += timedelta(seconds=seconds)

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` and return the new instant."""
        if delta < timedelta(0):
            raise ValueError(f"A simulated clock cannot go back in time. Got {delta} instead.")
        self._now += delta
        return self._now

    def set(self, instant: datetime) -> datetime:
        """Jump to ``instant`` (never backwards) and return it."""
        target = ensure_utc(instant)
        if target < self._now:
            raise ValueError(
                f"A simulated clock cannot go back in time from {self._now.isoformat()} "
                f"to {target.isoformat()}."
            )
        self._now = target
        return self._now
