"""What goes into an online detector (a :class:`Bucket`) and what comes out (a :class:`Decision`).

>>> from datetime import datetime, timezone
>>> import pandas as pd
>>> row = pd.Series({"volume": 12.0, "negative": 3.0, "authors": 11.0},
...                 name=pd.Timestamp("2026-03-28 19:30", tz="UTC"))
>>> b = Bucket.from_row(row)
>>> b.start.isoformat(), b.volume, b.negative, b.reach != b.reach
('2026-03-28T19:30:00+00:00', 12.0, 3.0, True)
>>> spike = ExpectedSpike(start=datetime(2026, 4, 1, 18, tzinfo=timezone.utc),
...                       end=datetime(2026, 4, 1, 22, tzinfo=timezone.utc), factor=4.0)
>>> spike.covers(datetime(2026, 4, 1, 20, tzinfo=timezone.utc).timestamp())
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from warning.clock import ensure_utc
from warning.records import Severity

__all__ = ["Bucket", "Decision", "DetectorState", "ExpectedSpike"]

DetectorState = Literal["warmup", "quiet", "storm"]

_NAN = math.nan
_NO_METRICS: Mapping[str, float | None] = MappingProxyType({})
_FIELDS = ("negative", "authors", "new_authors", "reach", "reposts", "quotes")


class Bucket(NamedTuple):
    """One closed bucket of a brand's series (the columns of SERIES_COLUMNS that matter).

    ``start`` is aware UTC. Unknown columns are NaN (a volume-only series knows
    only ``volume``). A named tuple, because replay creates one per bucket.
    """

    start: datetime
    volume: float
    negative: float = _NAN
    authors: float = _NAN
    new_authors: float = _NAN
    reach: float = _NAN
    reposts: float = _NAN
    quotes: float = _NAN

    @classmethod
    def from_values(cls, start: datetime, values: Mapping[str, float]) -> Bucket:
        """From a bucket start and its column values (a live ``BucketRow``)."""
        get = values.get
        return cls(
            ensure_utc(start, what="bucket start"),
            float(values["volume"]),
            *(float(v) if (v := get(c)) is not None else _NAN for c in _FIELDS),
        )

    @classmethod
    def from_row(cls, row: Any) -> Bucket:
        """From one row of a series frame (a pandas Series named by its ``bucket_start``)."""
        start = row.name.to_pydatetime() if hasattr(row.name, "to_pydatetime") else row.name
        values = [float(row[c]) if c in row.index else _NAN for c in _FIELDS]
        return cls(ensure_utc(start, what="bucket start"), float(row["volume"]), *values)


@dataclass(frozen=True, slots=True)
class ExpectedSpike:
    """A window in which more volume is expected (campaign launch, TV spot).

    Within ``[start, end)`` the expected volume is multiplied by ``factor``
    instead of muting detection: a storm that exceeds even the raised baseline
    still alerts. ``brand`` limits the window to one brand (None: all brands).
    """

    start: datetime
    end: datetime
    factor: float = 3.0
    brand: str | None = None
    name: str = ""

    def covers(self, epoch: float) -> bool:
        """Whether the instant ``epoch`` (seconds, UTC) lies in the window."""
        return self.start.timestamp() <= epoch < self.end.timestamp()

    def applies_to(self, brand: str) -> bool:
        return self.brand is None or self.brand == brand


class Decision(NamedTuple):
    """What an online detector decided after one bucket (a named tuple: one per bucket).

    ``alert`` is True when an alert line is due at this bucket: a storm opened, or
    the severity of the open storm rose. ``storm_start`` (the change point found
    by the change-point search) stays the same for the whole storm and makes its
    dedup key. ``metrics`` is filled on alert buckets only.
    """

    bucket_start: datetime
    bucket_end: datetime
    volume: float
    expected_volume: float
    z: float
    score: float
    state: DetectorState
    severity: Severity | None = None
    alert: bool = False
    new_storm: bool = False
    storm_start: datetime | None = None
    reasons: tuple[str, ...] = ()
    metrics: Mapping[str, float | None] = _NO_METRICS

    @property
    def fired_at(self) -> datetime:
        """An alert fires at the end of the bucket that triggered it."""
        return self.bucket_end


def utc_from_epoch(epoch: float) -> datetime:
    """Aware UTC datetime of an epoch-seconds instant."""
    return datetime.fromtimestamp(epoch, UTC)
