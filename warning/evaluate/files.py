"""Reading evaluation inputs: NAB label and window files, alert JSON Lines files.

Label files map a stream's CSV file name to timestamps (``{"Twitter_volume_AAPL.csv":
["2015-03-03 21:07:53", ...]}``); window files map it to ``[start, end]`` pairs. Naive
timestamps there are UTC, as in NAB. Without a window file, windows are derived
from the labels by NAB's labeller rule (:func:`windows_from_labels`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from warning.errors import InputError
from warning.evaluate.nab import probation_rows
from warning.evaluate.onsets import Window
from warning.records import Severity

__all__ = [
    "AlertFlags",
    "read_alert_flags",
    "read_label_file",
    "read_window_file",
    "stream_name",
    "windows_from_labels",
]


def stream_name(key: str) -> str:
    """``Twitter_volume_AAPL.csv`` -> ``Twitter_volume_AAPL`` (labels key by file name)."""
    name = Path(key).name
    return name[: -len(".csv")] if name.lower().endswith(".csv") else name


def _load_json(path: Path, what: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such {what} file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read the {what} file ({err})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{path}:{err.lineno}:{err.colno}: not valid JSON ({err.msg})") from None


def _instant(value: object, where: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(str(value))
    except (ValueError, TypeError):
        raise InputError(f"{where}: {value!r} is not a timestamp") from None
    if pd.isna(stamp):
        raise InputError(f"{where}: {value!r} is not a timestamp")
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.as_unit("ns")


def read_label_file(path: str | Path, what: str = "labels") -> dict[str, list[pd.Timestamp]]:
    """Stream name -> label instants (also used for onset files)."""
    source = Path(path)
    data = _load_json(source, what)
    if not isinstance(data, dict):
        raise InputError(f"{source}: {what} must map stream file names to lists of timestamps")
    out: dict[str, list[pd.Timestamp]] = {}
    for key, values in data.items():
        if not isinstance(values, list):
            raise InputError(f"{source}: {what} of {key!r} must be a list of timestamps")
        out[stream_name(key)] = sorted(_instant(v, f"{source}: {key}") for v in values)
    return out


def read_window_file(path: str | Path) -> dict[str, list[Window]]:
    """Stream name -> ``(start, end)`` windows."""
    source = Path(path)
    data = _load_json(source, "windows")
    if not isinstance(data, dict):
        raise InputError(f"{source}: windows must map stream file names to [start, end] pairs")
    out: dict[str, list[Window]] = {}
    for key, values in data.items():
        pairs: list[Window] = []
        for pair in values if isinstance(values, list) else [None]:
            if not isinstance(pair, list) or len(pair) != 2:
                raise InputError(f"{source}: every window of {key!r} must be [start, end]")
            start, end = (_instant(v, f"{source}: {key}") for v in pair)
            if end < start:
                raise InputError(f"{source}: window {pair} of {key!r} ends before it starts")
            pairs.append((start, end))
        out[stream_name(key)] = sorted(pairs)
    return out


def windows_from_labels(
    index: pd.DatetimeIndex,
    labels: Sequence[pd.Timestamp],
    *,
    window_size: float = 0.10,
    probation_percent: float = 0.15,
) -> list[Window]:
    """NAB's labeller: windows of ``int(10 % of rows / labels)`` rows centred on each label.

    Windows starting inside the probation are dropped; overlapping ones merge.
    """
    n = len(index)
    if n == 0 or not labels:
        return []
    length = int(window_size * n / len(labels))
    half = length // 2
    spans: list[list[int]] = []
    for label in sorted(labels):
        a = max(int(index.searchsorted(label, side="right")) - 1, 0)
        spans.append([max(a - half, 0), min(a + half, n - 1)])
    probation = int(probation_rows(n, probation_percent))
    spans = [s for s in spans if s[0] >= probation]
    merged: list[list[int]] = []
    for span in spans:
        if merged and span[0] <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], span[1])
        else:
            merged.append(span)
    return [(pd.Timestamp(index[a]), pd.Timestamp(index[b])) for a, b in merged]


@dataclass(frozen=True, slots=True)
class AlertFlags:
    """The alerts of one stream file reduced to the buckets they flag."""

    path: Path
    flagged: tuple[pd.Timestamp, ...]
    alerts: int  # lines at or above the severity floor
    brands: tuple[str, ...]


def read_alert_flags(
    path: str | Path,
    *,
    step: pd.Timedelta,
    min_severity: Severity = Severity.WATCH,
) -> AlertFlags:
    """Read ``<stream>.alerts.jsonl`` (DESIGN.md §4.3): the bucket each alert fired on.

    An alert flags its ``bucket_start``; without one, the bucket that ends at
    ``fired_at`` (``fired_at - step``). Alerts below ``min_severity`` are ignored.
    """
    source = Path(path)
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"{source}: no such alerts file") from None
    flagged: list[pd.Timestamp] = []
    brands: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            alert = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{where}: not valid JSON ({err.msg})") from None
        if not isinstance(alert, dict) or "fired_at" not in alert:
            raise InputError(f"{where}: an alert needs 'fired_at' (DESIGN.md §4.3)")
        try:
            severity = Severity.parse(alert.get("severity", "watch"))
        except ValueError as err:
            raise InputError(f"{where}: {err}") from None
        if severity < min_severity:
            continue
        brands.add(str(alert.get("brand", "")))
        if alert.get("bucket_start"):
            flagged.append(_aware(alert["bucket_start"], where))
        else:
            flagged.append(_aware(alert["fired_at"], where) - step)
    return AlertFlags(
        path=source,
        flagged=tuple(sorted(flagged)),
        alerts=len(flagged),
        brands=tuple(sorted(brands)),
    )


def _aware(value: object, where: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(str(value))
    except (ValueError, TypeError):
        raise InputError(f"{where}: {value!r} is not an ISO 8601 instant") from None
    if pd.isna(stamp) or stamp.tzinfo is None:
        raise InputError(f"{where}: {value!r} is not an ISO 8601 instant with a zone (UTC 'Z')")
    return stamp.tz_convert("UTC").as_unit("ns")
