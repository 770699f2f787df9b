"""The weekly rhythm of brand mentions, on the wall clock of Europe/Berlin.

Weekdays start early and peak in the late morning (Monday morning busiest, the
week's complaints and news land then); Saturdays wake up late and peak in the
evening; Sundays peak with the evening TV. The profile is 1.0 on average over a
week, so ``level * profile`` has the weekly mean ``level``. Hours are interpolated
linearly, and the local clock follows daylight saving time.

>>> import pandas as pd
>>> at = pd.DatetimeIndex(["2026-03-02 10:00", "2026-03-07 20:30", "2026-03-04 03:00"],
...                       tz="Europe/Berlin")
>>> monday_morning, saturday_evening, night = weekly_profile(at)
>>> bool(monday_morning > 1.5 and saturday_evening > 1.3 and night < 0.15)
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["PROFILE_ZONE", "weekly_profile"]

#: The wall clock the audience lives on.
PROFILE_ZONE = "Europe/Berlin"

# Relative activity per local hour 0..23.
_WEEKDAY = (
    0.15, 0.10, 0.08, 0.07, 0.08, 0.15, 0.35, 0.70, 1.10, 1.45, 1.60, 1.55,
    1.45, 1.40, 1.40, 1.35, 1.30, 1.25, 1.20, 1.20, 1.15, 1.00, 0.70, 0.40,
)  # fmt: skip
_SATURDAY = (
    0.35, 0.25, 0.18, 0.12, 0.10, 0.10, 0.14, 0.22, 0.38, 0.58, 0.78, 0.92,
    1.00, 1.00, 1.00, 1.05, 1.10, 1.20, 1.35, 1.50, 1.62, 1.52, 1.22, 0.75,
)  # fmt: skip
_SUNDAY = (
    0.50, 0.32, 0.20, 0.12, 0.10, 0.10, 0.12, 0.20, 0.34, 0.54, 0.74, 0.88,
    0.95, 0.95, 0.90, 0.90, 0.95, 1.00, 1.10, 1.30, 1.45, 1.30, 0.90, 0.55,
)  # fmt: skip
_MONDAY_MORNING = {7: 1.10, 8: 1.20, 9: 1.25, 10: 1.20, 11: 1.12}
_FRIDAY_EVENING = {18: 1.05, 19: 1.10, 20: 1.10, 21: 1.08, 22: 1.05}


def _week() -> np.ndarray:
    """168 hourly values, Monday 00:00 first, mean 1."""
    days = []
    for day in range(7):
        base = _SATURDAY if day == 5 else _SUNDAY if day == 6 else _WEEKDAY
        hours = np.array(base, dtype="float64")
        boost = _MONDAY_MORNING if day == 0 else _FRIDAY_EVENING if day == 4 else {}
        for hour, factor in boost.items():
            hours[hour] *= factor
        days.append(hours)
    week = np.concatenate(days)
    return np.asarray(week / week.mean(), dtype="float64")


def weekly_profile(index: pd.DatetimeIndex, zone: str = PROFILE_ZONE) -> np.ndarray:
    """The relative activity at each instant of an aware index (weekly mean 1)."""
    local = index.tz_convert(zone)
    hour = local.hour.to_numpy() + local.minute.to_numpy() / 60 + local.second.to_numpy() / 3600
    slot = local.day_of_week.to_numpy() * 24 + np.floor(hour).astype("int64")
    frac = hour - np.floor(hour)
    week = _week()
    now, after = week[slot % 168], week[(slot + 1) % 168]
    return np.asarray(now + frac * (after - now), dtype="float64")
