"""Public-holiday calendars per region, through the ``holidays`` package.

A calendar answers "is this local date a holiday, and which?" for any year; years
are computed on first use and kept.

>>> from datetime import date
>>> from warning.playbook.schema_roster import HolidayCalendar
>>> nw = CompiledCalendar("de-nw", HolidayCalendar(country="DE", subdivision="NW", language="de"))
>>> nw.name_of(date(2026, 4, 6)), nw.name_of(date(2026, 4, 7))
('Ostermontag', None)
"""

from __future__ import annotations

from datetime import date

from warning.playbook.schema_roster import HolidayCalendar

__all__ = ["CompiledCalendar"]


class CompiledCalendar:
    """Holiday lookup for one calendar entry of the configuration."""

    def __init__(self, name: str, spec: HolidayCalendar) -> None:
        self.name = name
        self.spec = spec
        self._years: dict[int, dict[date, str]] = {}

    def _year(self, year: int) -> dict[date, str]:
        found = self._years.get(year)
        if found is None:
            import holidays

            days = holidays.country_holidays(
                self.spec.country,
                subdiv=self.spec.subdivision,
                years=year,
                language=self.spec.language,
            )
            found = {day: str(label) for day, label in days.items() if day.year == year}
            for extra in self.spec.extra:
                if extra.date.year == year:
                    found.setdefault(extra.date, extra.name)
            self._years[year] = found
        return found

    def name_of(self, day: date) -> str | None:
        """The holiday's name on ``day``, or ``None`` for an ordinary day."""
        return self._year(day.year).get(day)

    def between(self, first: date, last: date) -> list[tuple[date, str]]:
        """All holidays from ``first`` to ``last`` inclusive, in order."""
        out: list[tuple[date, str]] = []
        for year in range(first.year, last.year + 1):
            out.extend((d, n) for d, n in self._year(year).items() if first <= d <= last)
        return sorted(out)
