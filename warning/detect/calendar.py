"""Which seasonal slot a bucket belongs to: day type × hour of day.

Three day types: working days, the first weekend day (Saturday: the evening out),
and the other weekend days and public holidays (Sunday-like). Slots are computed
in the brand's own time zone, so "Saturday evening" means Saturday evening where
the brand's audience lives, DST included. Public holidays of a country (the
``holidays`` package) count as Sundays when asked for.

>>> from datetime import datetime, timezone
>>> cal = SlotCalendar(tz="Europe/Berlin")
>>> saturday_evening = datetime(2026, 3, 28, 19, 30, tzinfo=timezone.utc)  # 20:30 in Berlin
>>> divmod(cal.slot(saturday_evening.timestamp()), 24)
(1, 20)
>>> after_dst = datetime(2026, 3, 30, 6, 30, tzinfo=timezone.utc)  # Monday 08:30 CEST
>>> divmod(cal.slot(after_dst.timestamp()), 24)
(0, 8)
>>> easter_monday = datetime(2026, 4, 6, 9, 0, tzinfo=timezone.utc)
>>> divmod(SlotCalendar(tz="Europe/Berlin", holidays="DE").slot(easter_monday.timestamp()), 24)
(2, 11)
>>> sunday = datetime(2026, 3, 29, 19, 30, tzinfo=timezone.utc)
>>> divmod(cal.slot(sunday.timestamp()), 24)
(2, 21)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from warning.errors import DetectorError

__all__ = ["DAY_TYPES", "SLOTS", "SlotCalendar"]

#: Day types: working day, first weekend day (Saturday), other days off (Sunday, holidays).
DAY_TYPES = 3
#: Number of seasonal slots: three day types × 24 hours.
SLOTS = DAY_TYPES * 24


class SlotCalendar:
    """Maps an instant (epoch seconds) to a slot ``daytype * 24 + hour``.

    Day type 0 is a working day, 1 the first day of ``weekend``, 2 any later weekend
    day or a public holiday.
    """

    def __init__(
        self,
        tz: str = "UTC",
        weekend: tuple[int, ...] = (5, 6),
        holidays: str | None = None,
    ) -> None:
        try:
            self._zone: tzinfo = UTC if tz == "UTC" else ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise DetectorError(
                f"The 'tz' parameter must be an IANA time zone such as 'Europe/Berlin'. "
                f"Got {tz!r} instead."
            ) from None
        if not all(isinstance(d, int) and 0 <= d <= 6 for d in weekend):
            raise DetectorError(
                f"The 'weekend' parameter must list weekday numbers 0 (Monday) to 6 (Sunday). "
                f"Got {weekend!r} instead."
            )
        self._weekend = {day: 1 if i == 0 else 2 for i, day in enumerate(weekend)}
        self._holidays: Any = None
        if holidays:
            import holidays as holiday_lib

            try:
                self._holidays = holiday_lib.country_holidays(holidays)
            except NotImplementedError:
                raise DetectorError(
                    f"The 'holidays' parameter must be a country code known to the holidays "
                    f"package, such as 'DE'. Got {holidays!r} instead."
                ) from None
        self._hour_key = -1
        self._hour_slot = 0
        self._day_cache: dict[date, int] = {}

    def slot(self, epoch: float) -> int:
        """The slot of the instant ``epoch`` (seconds since 1970, UTC)."""
        key = int(epoch // 900)  # quarter hours: zones with :30 and :45 offsets exist
        if key != self._hour_key:
            local = datetime.fromtimestamp(key * 900, self._zone)
            self._hour_slot = self._daytype(local.date(), local.weekday()) * 24 + local.hour
            self._hour_key = key
        return self._hour_slot

    def _daytype(self, day: date, weekday: int) -> int:
        cached = self._day_cache.get(day)
        if cached is None:
            if self._holidays is not None and day in self._holidays:
                cached = 2
            else:
                cached = self._weekend.get(weekday, 0)
            if len(self._day_cache) >= 8:
                self._day_cache.clear()
            self._day_cache[day] = cached
        return cached

    def days_per_week(self, daytype: int) -> float:
        """How many days of a week have this day type (for per-slot learning rates)."""
        if daytype == 0:
            return 7.0 - len(self._weekend)
        count = sum(1 for t in self._weekend.values() if t == daytype)
        return float(max(count, 1))
