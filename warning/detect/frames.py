"""Fast conversion between series frames and the detector's buckets and decisions.

>>> import pandas as pd
>>> idx = pd.date_range("2026-03-28 19:30", periods=3, freq="5min", tz="UTC", name="bucket_start")
>>> frame = pd.DataFrame({"volume": [3.0, 4.0, 40.0]}, index=idx)
>>> [(b.start.strftime("%H:%M"), b.volume, b.negative != b.negative) for b in buckets_from_frame(frame)]
[('19:30', 3.0, True), ('19:35', 4.0, True), ('19:40', 40.0, True)]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC
from typing import Any

import numpy as np
import pandas as pd

from warning.detect.types import Bucket, Decision, ExpectedSpike
from warning.errors import InputError

__all__ = ["DECISION_COLUMNS", "as_buckets", "buckets_from_frame", "decisions_frame", "jsonable"]

_OPTIONAL = ("negative", "authors", "new_authors", "reach", "reposts", "quotes")

#: Columns :func:`decisions_frame` adds per bucket.
DECISION_COLUMNS = ("expected_volume", "z", "score", "state", "severity", "alert")


def buckets_from_frame(frame: pd.DataFrame) -> list[Bucket]:
    """The rows of a series frame (``bucket_start`` index, UTC) as buckets, in order."""
    if "volume" not in frame.columns:
        raise InputError("a series frame needs a 'volume' column")
    index = frame.index
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise InputError("a series frame needs a time-zone-aware DatetimeIndex of bucket starts")
    starts = index.tz_convert(UTC).to_pydatetime()
    n = len(frame)
    nan = np.full(n, np.nan)
    columns = [frame["volume"].to_numpy(dtype="float64", na_value=0.0)]
    for name in _OPTIONAL:
        columns.append(
            frame[name].to_numpy(dtype="float64", na_value=np.nan) if name in frame.columns else nan
        )
    rows = zip(starts, *(c.tolist() for c in columns), strict=True)
    return [Bucket(*row) for row in rows]


def decisions_frame(frame: pd.DataFrame, decisions: Sequence[Decision]) -> pd.DataFrame:
    """``frame`` with the detector's view of every bucket added (see DECISION_COLUMNS)."""
    if len(decisions) != len(frame):
        raise InputError(f"got {len(decisions)} decisions for {len(frame)} buckets")
    out = frame.copy()
    out["expected_volume"] = np.fromiter((d.expected_volume for d in decisions), "float64")
    out["z"] = np.fromiter((d.z for d in decisions), "float64")
    out["score"] = np.fromiter((d.score for d in decisions), "float64")
    out["state"] = pd.array([d.state for d in decisions], dtype="string")
    out["severity"] = pd.array(
        [d.severity.value if d.severity else None for d in decisions], dtype="string"
    )
    out["alert"] = np.fromiter((d.alert for d in decisions), "bool")
    return out


def as_buckets(history: Any) -> Iterable[Bucket]:
    """Buckets from a series frame, or the given buckets as they are."""
    if isinstance(history, pd.DataFrame):
        return buckets_from_frame(history)
    return list(history)


def jsonable(value: Any) -> Any:
    """Detector parameters as plain JSON values (for the ``detector`` field of alerts)."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, ExpectedSpike):
        return {
            "start": value.start.isoformat(),
            "end": value.end.isoformat(),
            "factor": value.factor,
            "brand": value.brand,
            "name": value.name,
        }
    return value
