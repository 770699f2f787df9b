"""Alert metrics next to NAB: spike onsets caught, minutes to alert, false alarms per week.

NAB rewards a flag up to half a window (about a day on the tweet streams) before
a labelled peak, so these metrics say what an on-call person would have lived:

* **Spike onset.** A bucket is *above* when its volume exceeds
  ``max(3 * m, m + 5)``, ``m`` being the median volume of the 24 hours before it
  (the bucket itself excluded). The onset of a labelled spike is the first bucket
  of the run of above buckets that holds the label (labels sit on the peak); a
  label whose bucket is not above is its own onset.
* **Caught.** An onset is caught when an alert's bucket lies inside the onset's
  window (the labelled window holding the label, else the one holding the
  onset), or within ``late`` (default 3 h) after the onset. The alert that
  counts is the earliest such one.
* **Minutes to alert.** From the onset bucket's start to the counting alert's
  bucket start, clipped at 0: an alert raised earlier in the window was already
  up when the spike began (``lead_minutes`` keeps the signed value).
* **False alarms.** Flagged buckets after NAB's probation and outside every
  window, merged into one event when under ``merge_gap`` (1 h) after the previous
  such flag; reported per stream-week of scored buckets.

>>> import pandas as pd
>>> index = pd.date_range("2026-03-01", periods=600, freq="5min", tz="UTC")
>>> volume = pd.Series(10.0, index=index)
>>> volume.iloc[400:406] = [40, 90, 200, 120, 60, 12]
>>> spike_onsets(volume, [index[402]]) == [index[400]]
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import pandas as pd

from warning.evaluate.nab import probation_rows

__all__ = ["AlertStats", "OnsetOutcome", "alert_stats", "spike_onsets", "spike_threshold"]

Window = tuple[pd.Timestamp, pd.Timestamp]


def spike_threshold(volume: pd.Series) -> pd.Series:
    """Per bucket, ``max(3 * m, m + 5)`` with ``m`` the median of the previous 24 hours."""
    median = volume.rolling("24h", closed="left").median()
    return pd.concat([3 * median, median + 5], axis=1).max(axis=1, skipna=False)


def spike_onsets(volume: pd.Series, labels: Sequence[pd.Timestamp]) -> list[pd.Timestamp]:
    """The onset of each labelled spike (see the module docstring), in label order."""
    above = (volume > spike_threshold(volume)).to_numpy()
    index = pd.DatetimeIndex(volume.index)
    onsets: list[pd.Timestamp] = []
    for label in labels:
        i = int(index.searchsorted(pd.Timestamp(label), side="right")) - 1
        i = max(i, 0)
        j = i
        if above[i]:
            while j > 0 and above[j - 1]:
                j -= 1
        onsets.append(pd.Timestamp(index[j]))
    return onsets


@dataclass(frozen=True, slots=True)
class OnsetOutcome:
    """What happened to one onset."""

    onset: pd.Timestamp
    window: Window | None
    alert_at: pd.Timestamp | None  # bucket start of the alert that counts

    @property
    def caught(self) -> bool:
        return self.alert_at is not None

    @property
    def lead_minutes(self) -> float | None:
        """Signed minutes from onset to alert (negative: the alert came first)."""
        if self.alert_at is None:
            return None
        return float((self.alert_at - self.onset).total_seconds()) / 60

    @property
    def delay_minutes(self) -> float | None:
        """Minutes from onset to alert, 0 when the alert was already up."""
        lead = self.lead_minutes
        return None if lead is None else max(lead, 0.0)


@dataclass(frozen=True, slots=True)
class AlertStats:
    """Onset outcomes and false alarms of one stream."""

    onsets: tuple[OnsetOutcome, ...]
    false_alarm_events: int
    false_alarm_flags: int
    stream_weeks: float

    @property
    def caught(self) -> int:
        return sum(o.caught for o in self.onsets)

    @property
    def delays(self) -> list[float]:
        return [o.delay_minutes for o in self.onsets if o.delay_minutes is not None]

    @property
    def false_alarms_per_week(self) -> float:
        return self.false_alarm_events / self.stream_weeks if self.stream_weeks else math.nan


def median_p90(values: Sequence[float]) -> tuple[float, float]:
    """Median and 90th percentile (linear interpolation); NaN for no values."""
    if not values:
        return math.nan, math.nan
    arr = np.asarray(values, dtype="float64")
    return float(np.median(arr)), float(np.percentile(arr, 90))


def _containing(windows: Sequence[Window], instant: pd.Timestamp) -> Window | None:
    for start, end in windows:
        if start <= instant <= end:
            return start, end
    return None


def alert_stats(
    index: pd.DatetimeIndex,
    flagged: Sequence[pd.Timestamp],
    onsets: Sequence[pd.Timestamp],
    windows: Sequence[Window],
    *,
    labels: Sequence[pd.Timestamp] | None = None,
    late: timedelta = timedelta(hours=3),
    merge_gap: timedelta = timedelta(hours=1),
    probation_percent: float = 0.15,
) -> AlertStats:
    """Onsets caught, delays and false-alarm events of one stream.

    ``index`` is the stream's bucket index; ``flagged`` the bucket starts of alerts;
    ``labels`` (same order as ``onsets``) pick each onset's window when given.
    """
    flags = sorted(pd.Timestamp(f) for f in flagged)
    outcomes: list[OnsetOutcome] = []
    for k, onset in enumerate(onsets):
        anchor = labels[k] if labels is not None else onset
        window = _containing(windows, pd.Timestamp(anchor)) or _containing(windows, onset)
        due = onset + pd.Timedelta(late)
        hit = next(
            (
                f
                for f in flags
                if (window is not None and window[0] <= f <= window[1]) or onset <= f <= due
            ),
            None,
        )
        outcomes.append(OnsetOutcome(onset=pd.Timestamp(onset), window=window, alert_at=hit))
    rows = len(index)
    first_scored = math.ceil(probation_rows(rows, probation_percent))
    scored_from = index[first_scored] if first_scored < rows else None
    outside = [
        f
        for f in flags
        if scored_from is not None and f >= scored_from and _containing(windows, f) is None
    ]
    events = 0
    previous: pd.Timestamp | None = None
    for f in outside:
        if previous is None or f - previous >= pd.Timedelta(merge_gap):
            events += 1
        previous = f
    if index.freq is not None:
        step = pd.Timedelta(index.freq)
    else:
        step = index[1] - index[0] if rows > 1 else pd.Timedelta(0)
    weeks = (rows - first_scored) * step / pd.Timedelta(days=7) if rows > first_scored else 0.0
    return AlertStats(
        onsets=tuple(outcomes),
        false_alarm_events=events,
        false_alarm_flags=len(outside),
        stream_weeks=float(weeks),
    )
