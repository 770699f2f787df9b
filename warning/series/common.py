"""Shared pieces of the series room: bucket length, column names, instant conversion.

Bucket edges are aligned to the Unix epoch (a 5-minute bucket starts at :00, :05, ...
UTC), so the same mention always lands in the same bucket, live or in replay.

>>> bucket_ns("5min")
300000000000
>>> floor_ns(1_700_000_123 * 10**9, bucket_ns("5min")) // 10**9
1700000100
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from warning.errors import TimestampError, UsageError
from warning.records import SERIES_COLUMNS

__all__ = [
    "DEFAULT_BRAND",
    "NEW_AUTHOR_LOOKBACK",
    "PLATFORM_PREFIX",
    "BucketRow",
    "bucket_ns",
    "empty_series_frame",
    "floor_ns",
    "frame_from_rows",
    "instant_ns",
    "series_index",
    "timestamps_ns",
]

#: Brand used for mentions that name none.
DEFAULT_BRAND = "default"
#: An author is new to a brand when not seen for it within this span before the bucket.
NEW_AUTHOR_LOOKBACK = timedelta(days=30)
#: Per-platform count columns are named ``platform:<name>``.
PLATFORM_PREFIX = "platform:"

_BASE_COLUMNS: tuple[str, ...] = tuple(SERIES_COLUMNS)


def bucket_ns(freq: str | timedelta | pd.Timedelta) -> int:
    """The bucket length in nanoseconds; ``freq`` is a positive fixed duration."""
    try:
        delta = pd.Timedelta(freq)
    except (ValueError, TypeError):
        raise UsageError(
            f"The 'freq' parameter must be a positive duration such as '5min'. Got {freq!r} instead."
        ) from None
    if pd.isna(delta) or delta <= pd.Timedelta(0):
        raise UsageError(
            f"The 'freq' parameter must be a positive duration such as '5min'. Got {freq!r} instead."
        )
    return int(delta.value)


def floor_ns(value: int, step: int) -> int:
    """Floor an epoch-nanosecond instant to the bucket edge at or before it."""
    return (value // step) * step


def instant_ns(instant: datetime | pd.Timestamp, *, what: str = "instant") -> int:
    """Epoch nanoseconds of an aware instant; a naive one is a :class:`TimestampError`."""
    stamp = pd.Timestamp(instant)
    if stamp.tzinfo is None:
        raise TimestampError(
            f"The {what} {stamp.isoformat()} has no time zone; give an offset or a zone."
        )
    return int(stamp.tz_convert("UTC").as_unit("ns").value)


def timestamps_ns(column: pd.Series, *, what: str = "timestamp") -> np.ndarray:
    """Epoch nanoseconds (int64) of an aware datetime column."""
    if not isinstance(column.dtype, pd.DatetimeTZDtype):
        raise TimestampError(
            f"The '{what}' column must hold time-zone-aware instants (UTC). "
            f"Got dtype {column.dtype} instead."
        )
    values = column.dt.tz_convert("UTC").dt.as_unit("ns")
    if values.isna().any():
        row = int(np.flatnonzero(values.isna().to_numpy())[0])
        raise TimestampError(f"The '{what}' column is empty in row {row}.")
    return np.asarray(values.astype("int64").to_numpy(), dtype="int64")


def series_index(first_ns: int, periods: int, step: int) -> pd.DatetimeIndex:
    """The fixed-frequency UTC ``bucket_start`` index of a series frame."""
    return pd.date_range(
        pd.Timestamp(first_ns, unit="ns", tz="UTC"),
        periods=periods,
        freq=pd.Timedelta(step, unit="ns"),
        name="bucket_start",
    )


def empty_series_frame(index: pd.DatetimeIndex) -> pd.DataFrame:
    """A frame with every series column and NaN values (nothing known yet)."""
    return pd.DataFrame(np.nan, index=index, columns=list(_BASE_COLUMNS), dtype="float64")


def order_columns(columns: Sequence[str]) -> list[str]:
    """Schema columns first, then ``platform:<name>`` columns sorted by name."""
    platforms = sorted(c for c in columns if c.startswith(PLATFORM_PREFIX))
    return [*_BASE_COLUMNS, *platforms]


@dataclass(frozen=True, slots=True)
class BucketRow:
    """One closed bucket of one brand: its start (aware UTC) and its column values.

    ``values`` holds every SERIES_COLUMNS entry plus ``platform:<name>`` for each
    platform seen in the bucket; ``row["volume"]`` reads a value.

    >>> row = BucketRow(datetime.fromisoformat("2026-03-28T19:30:00+00:00"), {"volume": 3.0})
    >>> row["volume"], row.bucket_start.isoformat()
    (3.0, '2026-03-28T19:30:00+00:00')
    """

    bucket_start: datetime
    values: Mapping[str, float]

    def __getitem__(self, column: str) -> float:
        return self.values[column]

    def to_series(self) -> pd.Series:
        """The row as a float Series named by its bucket start."""
        return pd.Series(dict(self.values), name=pd.Timestamp(self.bucket_start), dtype="float64")


def frame_from_rows(rows: Sequence[BucketRow], *, freq: str | timedelta = "5min") -> pd.DataFrame:
    """Assemble bucket rows of one brand (as emitted by ``SeriesBuilder``) into a frame.

    Rows must be consecutive buckets. Platform columns missing from a row are 0
    (the platform had no mention in that bucket).
    """
    step = bucket_ns(freq)
    if not rows:
        return empty_series_frame(series_index(0, 0, step))
    frame = pd.DataFrame.from_records([dict(r.values) for r in rows])
    columns = order_columns(list(frame.columns))
    frame = frame.reindex(columns=columns)
    platform_cols = [c for c in columns if c.startswith(PLATFORM_PREFIX)]
    if platform_cols:
        frame[platform_cols] = frame[platform_cols].fillna(0.0)
    first = instant_ns(rows[0].bucket_start, what="bucket start")
    index = series_index(first, len(rows), step)
    starts = [instant_ns(r.bucket_start, what="bucket start") for r in rows]
    if not np.array_equal(index.asi8, np.asarray(starts, dtype="int64")):
        raise ValueError("frame_from_rows needs consecutive buckets of one brand.")
    frame.index = index
    return frame.astype("float64")
