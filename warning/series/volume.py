"""Volume series read directly from CSV: ``timestamp,value`` (NAB) or ``timestamp,volume[,negative]``.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "Twitter_volume_ACME.csv"
>>> _ = path.write_text("timestamp,value\\n2015-02-26 21:42:53,104\\n"
...                     "2015-02-26 21:47:53,100\\n2015-02-26 21:57:53,7\\n")
>>> frame = read_series(path)
>>> frame["volume"].tolist(), frame.index.freqstr, frame.attrs["filled_buckets"]
([104.0, 100.0, 0.0, 7.0], '5min', 1)
>>> frame.attrs["brand"], bool(frame["negative"].isna().all())
('Twitter_volume_ACME', True)
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from warning.errors import InputError, TimestampError
from warning.series.common import bucket_ns, empty_series_frame, series_index

__all__ = ["read_series", "series_columns_of"]

_OFFSET = re.compile(
    r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$", re.IGNORECASE
)
_EPOCH = re.compile(r"^\d+(\.\d+)?$")


def series_columns_of(header: list[str]) -> tuple[str, str | None] | None:
    """The (volume, negative) column names of a volume-series header, or None."""
    names = [h.strip().lower() for h in header]
    if "timestamp" not in names:
        return None
    if "volume" in names:
        return "volume", "negative" if "negative" in names else None
    if "value" in names:
        return "value", "negative" if "negative" in names else None
    return None


def read_series(
    path: str | Path,
    *,
    brand: str | None = None,
    assume_utc: bool = True,
    freq: str | timedelta | None = None,
) -> pd.DataFrame:
    """Read a volume series CSV into a series frame (SERIES_COLUMNS, ``bucket_start`` index).

    Accepted headers: ``timestamp,value`` as in the NAB streams, or
    ``timestamp,volume`` with an optional ``negative`` count. Timestamps are ISO 8601
    (with an offset, or naive) or epoch seconds. **Naive timestamps are taken as UTC
    by default** (``assume_utc=True``), because that is how NAB files are written;
    pass ``assume_utc=False`` to reject them instead.

    The bucket length is inferred as the most common step between rows (or given
    as ``freq``); every step must be a whole multiple of it. Missing buckets are
    filled with 0 and counted in ``frame.attrs["filled_buckets"]``; an irregular,
    duplicate or backwards step is an :class:`~warning.errors.InputError` naming
    the line. Columns the file cannot know (authors, reach, ...) are NaN.
    ``frame.attrs["brand"]`` is ``brand`` or the file stem.
    """
    source = Path(path)
    try:
        raw = pd.read_csv(source, dtype=str, keep_default_na=False, skipinitialspace=True)
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise InputError(f"{source}: not a readable CSV file ({_first_line(err)})") from None
    raw.columns = [str(c).strip().lower().lstrip("\ufeff") for c in raw.columns]
    columns = series_columns_of(list(raw.columns))
    if columns is None:
        raise InputError(
            f"{source}:1: a volume series needs the columns 'timestamp' and 'value' "
            f"(or 'volume'); got {', '.join(raw.columns)}"
        )
    if raw.empty:
        raise InputError(f"{source}: the series has no rows")
    volume_col, negative_col = columns
    stamps = _parse_times(source, raw["timestamp"].str.strip(), assume_utc=assume_utc)
    volume = _parse_counts(source, raw[volume_col], volume_col)
    negative = (
        None if negative_col is None else _parse_counts(source, raw[negative_col], "negative")
    )
    if negative is not None:
        over = np.flatnonzero(negative > volume)
        if len(over):
            i = int(over[0])
            raise InputError(
                f"{source}:{i + 2}: 'negative' ({negative[i]:g}) is larger than "
                f"'{volume_col}' ({volume[i]:g})"
            )
    step = _infer_step(source, stamps, freq)
    first = int(stamps[0])
    periods = int((stamps[-1] - first) // step) + 1
    frame = empty_series_frame(series_index(first, periods, step))
    positions = (stamps - first) // step
    filled = np.zeros(periods, dtype="float64")
    filled[positions] = volume
    frame["volume"] = filled
    if negative is not None:
        neg = np.zeros(periods, dtype="float64")
        neg[positions] = negative
        frame["negative"] = neg
        safe = np.where(filled == 0, 1.0, filled)
        frame["negative_share"] = np.where(filled == 0, np.nan, neg / safe)
    frame.attrs["brand"] = brand if brand is not None else _stem(source)
    frame.attrs["filled_buckets"] = periods - len(stamps)
    frame.attrs["source"] = str(source)
    return frame


def _stem(source: Path) -> str:
    """``Twitter_volume_AAPL.csv`` and ``acme.csv.gz`` -> ``Twitter_volume_AAPL``, ``acme``."""
    name = source.name
    for suffix in (".gz", ".csv"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def _parse_times(source: Path, text: pd.Series, *, assume_utc: bool) -> np.ndarray:
    if text.str.fullmatch(_EPOCH.pattern).all():
        seconds = pd.to_numeric(text).to_numpy(dtype="float64")
        return np.asarray(np.round(seconds * 1e9), dtype="int64")
    if not assume_utc:
        naive = ~text.str.contains(_OFFSET, regex=True)
        if naive.any():
            i = int(np.flatnonzero(naive.to_numpy())[0])
            raise TimestampError(
                f"{source}:{i + 2}: timestamp {text.iloc[i]!r} has no time zone; "
                "give an offset, or read it assuming UTC"
            )
    parsed = pd.to_datetime(text, utc=True, format="ISO8601", errors="coerce")
    bad = parsed.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise TimestampError(
            f"{source}:{i + 2}: timestamp {text.iloc[i]!r} is neither ISO 8601 nor epoch seconds"
        )
    return np.asarray(parsed.dt.as_unit("ns").astype("int64").to_numpy(), dtype="int64")


def _parse_counts(source: Path, text: pd.Series, name: str) -> np.ndarray:
    values = np.asarray(pd.to_numeric(text.str.strip(), errors="coerce"), dtype="float64")
    bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
    if len(bad):
        i = int(bad[0])
        raise InputError(f"{source}:{i + 2}: '{name}' must be a number >= 0; got {text.iloc[i]!r}")
    return values


def _infer_step(source: Path, stamps: np.ndarray, freq: str | timedelta | None) -> int:
    diffs = np.diff(stamps)
    backwards = np.flatnonzero(diffs <= 0)
    if len(backwards):
        i = int(backwards[0]) + 1
        raise InputError(
            f"{source}:{i + 2}: timestamp {_iso(stamps[i])} does not come after the previous "
            f"row ({_iso(stamps[i - 1])}); a series must be sorted without duplicates"
        )
    if freq is not None:
        step = bucket_ns(freq)
    elif len(diffs) == 0:
        step = bucket_ns("5min")
    else:
        values, counts = np.unique(diffs, return_counts=True)
        step = int(values[np.argmax(counts)])
    off = np.flatnonzero(diffs % step != 0)
    if len(off):
        i = int(off[0]) + 1
        raise InputError(
            f"{source}:{i + 2}: timestamp {_iso(stamps[i])} is {_span(int(diffs[i - 1]))} "
            f"after the previous row, not a whole number of {_span(step)} buckets; "
            "the series is irregular"
        )
    return step


def _span(ns: int) -> str:
    """A duration the way people write it: 5min, 1h, 90s."""
    seconds = ns / 1e9
    for unit, size in (("h", 3600), ("min", 60), ("s", 1)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def _iso(value: np.int64 | int) -> str:
    return str(pd.Timestamp(int(value), unit="ns", tz="UTC").isoformat())
