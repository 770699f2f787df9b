"""Storms and campaign spikes: their shapes over time and the truth records that describe them.

An event adds mentions on top of the seasonal baseline. From its onset the extra
volume grows exponentially (``doubling_minutes``) until the volume is
``peak_ratio`` times the baseline at the onset, holds for a plateau, then decays
with a half-life. Its *progress* (0 at onset, 1 at the peak, back towards 0 as it
fades) drives the other signals:

* a **storm** raises the negative share towards ``peak_negative_share`` (faster
  than the volume: it follows the square root of the progress), the share of new
  authors, reposts and quotes, and brings high-reach critics;
* a **campaign** (launch, TV spot) raises volume, new authors and reposts while
  the negative share stays normal; it is declared beforehand as an
  :class:`ExpectedWindow`.

>>> SPEEDS["fast"].doubling_minutes, SPEEDS["medium"].doubling_minutes
(20.0, 90.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = ["CAMPAIGN", "SPEEDS", "EventShape", "ExpectedWindow", "TruthEvent", "event_curves"]

EventKind = Literal["storm", "campaign"]


@dataclass(frozen=True, slots=True)
class EventShape:
    """How an event unfolds (durations in minutes)."""

    doubling_minutes: float
    peak_ratio: float
    plateau_minutes: float
    half_life_minutes: float


#: Storm speeds: doubles within 20 min (fast), 90 min (medium), builds over a day (slow).
SPEEDS: dict[str, EventShape] = {
    "fast": EventShape(doubling_minutes=20.0, peak_ratio=8.0, plateau_minutes=90.0,
                       half_life_minutes=90.0),
    "medium": EventShape(doubling_minutes=90.0, peak_ratio=8.0, plateau_minutes=180.0,
                         half_life_minutes=180.0),
    "slow": EventShape(doubling_minutes=420.0, peak_ratio=5.0, plateau_minutes=240.0,
                       half_life_minutes=360.0),
}  # fmt: skip
#: A campaign spike: quick rise, a few hours, normal negativity.
CAMPAIGN = EventShape(doubling_minutes=10.0, peak_ratio=6.0, plateau_minutes=60.0,
                      half_life_minutes=60.0)  # fmt: skip


@dataclass(frozen=True, slots=True)
class TruthEvent:
    """What really happened: an event's onset, peak and end, and how strong it was.

    ``peak_volume`` is the expected mentions per bucket at the peak (baseline plus
    event, before Poisson noise); ``peak_ratio`` its ratio to the baseline there.
    """

    kind: EventKind
    onset: pd.Timestamp
    peak_at: pd.Timestamp
    end: pd.Timestamp
    peak_volume: float
    peak_ratio: float
    base_negative_share: float
    peak_negative_share: float
    doubling_minutes: float
    speed: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "onset": self.onset.isoformat(),
            "peak_at": self.peak_at.isoformat(),
            "end": self.end.isoformat(),
            "peak_volume": self.peak_volume,
            "peak_ratio": self.peak_ratio,
            "base_negative_share": self.base_negative_share,
            "peak_negative_share": self.peak_negative_share,
            "doubling_minutes": self.doubling_minutes,
            "speed": self.speed,
        }


@dataclass(frozen=True, slots=True)
class ExpectedWindow:
    """A declared expected spike (campaign launch, TV spot): raise the baseline, don't mute."""

    start: pd.Timestamp
    end: pd.Timestamp
    label: str
    expected_ratio: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "label": self.label,
            "expected_ratio": self.expected_ratio,
        }


@dataclass(frozen=True, slots=True)
class EventCurves:
    """Per bucket: extra mentions expected, and progress in [0, 1]."""

    extra: np.ndarray
    progress: np.ndarray
    peak_at: pd.Timestamp
    end: pd.Timestamp
    ratio: float


def event_curves(
    index: pd.DatetimeIndex,
    baseline: np.ndarray,
    onset: pd.Timestamp,
    shape: EventShape,
    *,
    min_extra: float,
) -> EventCurves:
    """Extra volume and progress of an event starting at ``onset`` over a bucket index.

    The peak ratio is raised where needed so the event adds at least ``min_extra``
    mentions per bucket at its peak (a storm at 0.2 mentions a bucket is still a storm).
    """
    position = int(index.searchsorted(onset))
    base = float(baseline[min(position, len(baseline) - 1)])
    ratio = max(shape.peak_ratio, 1.0 + min_extra / max(base, 1e-9))
    peak_extra = base * (ratio - 1.0)
    ramp = shape.doubling_minutes * math.log2(ratio)
    minutes = np.asarray((index - onset) / pd.Timedelta(minutes=1), dtype="float64")
    decay_from = ramp + shape.plateau_minutes
    rising = base * (np.exp2(np.clip(minutes, 0, ramp) / shape.doubling_minutes) - 1.0)
    falling = peak_extra * np.exp2(
        -np.clip(minutes - decay_from, 0, None) / shape.half_life_minutes
    )
    extra = np.where(minutes < 0, 0.0, np.where(minutes <= decay_from, rising, falling))
    extra = np.minimum(extra, peak_extra)
    progress = np.log1p(extra / max(base, 1e-9)) / math.log(ratio)
    end_minutes = decay_from + shape.half_life_minutes * math.log2(20.0)
    return EventCurves(
        extra=extra,
        progress=np.clip(progress, 0.0, 1.0),
        peak_at=onset + pd.Timedelta(minutes=ramp),
        end=onset + pd.Timedelta(minutes=end_minutes),
        ratio=ratio,
    )
