"""Timestamps to UTC, a whole column at a time.

Accepted: ISO 8601 with an offset (``2026-03-28T20:30:00+01:00``, ``...Z``), epoch
seconds, milliseconds, microseconds or nanoseconds (told apart by magnitude),
Twitter's ``Sat Mar 28 19:30:00 +0000 2026`` and RFC 2822 dates, and typed
timestamps from Parquet. A time without an offset is *naive*: an error unless an
IANA zone is assumed, in which case that zone's DST rules apply: a local time
that does not exist (spring forward) moves to the next valid instant, an
ambiguous one (fall back) is the first occurrence.

>>> import pandas as pd
>>> raw = pd.Series(["2026-03-28T20:30:00+01:00", "1774726200", "2026-03-29 02:30", "soon"])
>>> parsed = parse_timestamps(raw, zone=None)
>>> [str(t) for t in parsed.utc], list(parsed.problem)
(['2026-03-28 19:30:00+00:00', '2026-03-28 19:30:00+00:00', 'NaT', 'NaT'], [None, None, 'naive_timestamp', 'invalid_timestamp'])
>>> berlin = resolve_zone("Europe/Berlin")
>>> str(parse_timestamps(raw, zone=berlin).utc[2])  # 02:30 does not exist that night
'2026-03-29 01:00:00+00:00'
"""

from __future__ import annotations

import difflib
import zoneinfo
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from warning.errors import UsageError
from warning.ingest.fields import as_mask, as_strings

__all__ = ["TIME_MESSAGES", "ParsedTimes", "parse_timestamps", "resolve_zone"]

#: Reason templates per problem code; ``{value}`` is the offending value.
TIME_MESSAGES: dict[str, str] = {
    "missing_timestamp": "column 'timestamp' is empty.",
    "invalid_timestamp": (
        "column 'timestamp' must be ISO 8601 with an offset or epoch seconds/milliseconds. "
        "Got {value} instead."
    ),
    "naive_timestamp": (
        "column 'timestamp' has no UTC offset and no zone was assumed (--assume-tz). "
        "Got {value} instead."
    ),
    "timestamp_out_of_range": (
        "column 'timestamp' must lie between the years 1678 and 2261. Got {value} instead."
    ),
}

_NAT = np.iinfo(np.int64).min
_LOW = pd.Timestamp("1678-01-01", tz="UTC")
_HIGH = pd.Timestamp("2261-12-31", tz="UTC")
_LIMIT_NS = 9.2e18
_INTEGER = r"[+-]?\d{1,20}"
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_OFFSET_SIGN = r"[+\-Zz]"  # searched after the date part (the first 10 characters)
_NAMED_UTC_END = r"\s*(?:UTC|GMT|utc|gmt)$"
_OTHER_FORMATS = ("%a %b %d %H:%M:%S %z %Y", "%a, %d %b %Y %H:%M:%S %z", "%d %b %Y %H:%M:%S %z")


@cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def resolve_zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    """The IANA zone for ``--assume-tz``; an unknown name is a :class:`UsageError`.

    >>> resolve_zone("Europe/Berln")
    Traceback (most recent call last):
    ...
    warning.errors.UsageError: The 'assume_tz' option must be an IANA time zone such as Europe/Berlin. Got 'Europe/Berln' instead (did you mean 'Europe/Berlin'?).
    """
    if name is None:
        return None
    try:
        if "/" in name or name.upper() == "UTC":
            return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        pass
    close = difflib.get_close_matches(name, _zone_names(), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise UsageError(
        "The 'assume_tz' option must be an IANA time zone such as Europe/Berlin. "
        f"Got {name!r} instead{hint}."
    )


@dataclass(frozen=True)
class ParsedTimes:
    """UTC instants (``datetime64[ns, UTC]``, NaT where a problem) and a problem code per row."""

    utc: pd.Series
    problem: np.ndarray  # object array: None or a key of TIME_MESSAGES


def _epoch_ns(whole: np.ndarray, fraction: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nanoseconds from an epoch value split into whole and fractional parts; unit by magnitude."""
    magnitude = np.abs(whole.astype("float64"))
    factor = np.select(
        [magnitude < 1e11, magnitude < 1e14, magnitude < 1e17], [10**9, 10**6, 10**3], 1
    )
    approx = whole.astype("float64") * factor
    out_of_range = ~(np.abs(approx) < _LIMIT_NS)
    safe_whole = np.where(out_of_range, 0, whole).astype(np.int64)
    ns = safe_whole * factor.astype(np.int64) + np.round(fraction * factor).astype(np.int64)
    return np.where(out_of_range, _NAT, ns), out_of_range


def _numbers_to_ns(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Epoch numbers (int or float array) to nanoseconds, and an out-of-range mask."""
    if values.dtype.kind in "iu":
        return _epoch_ns(values.astype(np.int64), np.zeros(len(values)))
    fraction, whole = np.modf(values.astype("float64"))
    finite = np.isfinite(values)
    ns, out_of_range = _epoch_ns(np.where(finite & (np.abs(whole) < _LIMIT_NS), whole, 0), fraction)
    out_of_range |= ~finite | ~(np.abs(whole) < _LIMIT_NS)
    return np.where(out_of_range, _NAT, ns), out_of_range


def _aware_to_ns(times: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Aware datetimes (any unit, NaT allowed) to UTC nanoseconds, and an out-of-range mask."""
    utc = times.dt.tz_convert("UTC")
    out_of_range = as_mask((utc < _LOW) | (utc > _HIGH))
    naive = utc.mask(out_of_range).dt.tz_convert(None).astype("datetime64[ns]")
    return naive.to_numpy().view(np.int64), out_of_range


def _localize(naive: pd.Series, zone: zoneinfo.ZoneInfo) -> pd.Series:
    local = naive.dt.tz_localize(
        zone.key, ambiguous=np.ones(len(naive), dtype=bool), nonexistent="shift_forward"
    )
    return local


def _cast_numbers(text: pd.Series, target: pa.DataType) -> np.ndarray | None:
    try:
        values: np.ndarray = pa.array(text.array).cast(target).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return values


def _epoch_strings_to_ns(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Epoch numbers written as text to nanoseconds, and an out-of-range mask."""
    whole = _cast_numbers(text, pa.int64())
    if whole is not None:  # the common case: all whole numbers
        return _numbers_to_ns(whole)
    integer = as_mask(text.str.fullmatch(_INTEGER))
    ns = np.full(len(text), _NAT, dtype=np.int64)
    out_of_range = np.zeros(len(text), dtype=bool)
    if integer.any():
        numbers = _cast_numbers(text[integer], pa.int64())
        if numbers is None:  # beyond int64: Python ints, clipped, then range-checked
            numbers = np.array(
                [min(max(int(v), -(2**63) + 1), 2**63 - 1) for v in text[integer]], dtype=np.int64
            )
        ns[integer], out_of_range[integer] = _numbers_to_ns(numbers)
    if not integer.all():
        decimal = pd.to_numeric(text[~integer], errors="coerce").to_numpy(dtype="float64")
        ns[~integer], out_of_range[~integer] = _numbers_to_ns(decimal)
    return ns, out_of_range


def _arrow_iso(text: pd.Series, *, aware: bool) -> np.ndarray | None:
    """Arrow's fast ISO 8601 parser: UTC nanoseconds for every row, or ``None`` if any row fails.

    Casting to a zoned type accepts only strings with an offset; to a naive type only
    strings without one.
    """
    target = pa.timestamp("ns", tz="UTC") if aware else pa.timestamp("ns")
    try:
        parsed = pa.array(text.array).cast(target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    values: np.ndarray = pc.fill_null(parsed.cast(pa.int64()), _NAT).to_numpy()
    return values


def _parse_iso(text: pd.Series, *, aware: bool) -> pd.Series:
    """ISO 8601 strings to datetimes (aware UTC or naive; NaT where unparsable)."""
    fast = _arrow_iso(text, aware=aware)
    if fast is not None:
        naive = pd.Series(fast.view("datetime64[ns]"), index=text.index)
        return naive.dt.tz_localize("UTC") if aware else naive
    return pd.to_datetime(text, format="ISO8601", utc=aware, errors="coerce")


def _parse_strings(
    text: pd.Series, zone: zoneinfo.ZoneInfo | None, ns: np.ndarray, problem: np.ndarray
) -> None:
    text = text.str.strip()
    present = as_mask(text.str.len() > 0)
    if present.all():  # fast paths: the whole chunk in one of the common shapes
        first = str(text.iloc[0]) if len(text) else ""
        if first.lstrip("+-").isdigit():
            whole = _cast_numbers(text, pa.int64())
            if whole is not None:
                ns[:], oob = _numbers_to_ns(whole)
                problem[oob] = "timestamp_out_of_range"
                return
        else:
            fast = _arrow_iso(text, aware=True)
            if fast is not None:
                ns[:] = fast
                return
    problem[~present] = "missing_timestamp"
    aware = present & as_mask(text.str.slice(10).str.contains(_OFFSET_SIGN, regex=True))
    others = np.flatnonzero(present & ~aware)
    numeric = np.zeros(len(text), dtype=bool)
    numeric[others] = as_mask(text.iloc[others].str.fullmatch(_NUMBER))
    if numeric.any():
        where = np.flatnonzero(numeric)
        got, oob = _epoch_strings_to_ns(text[numeric])
        ns[where] = got
        problem[where[oob]] = "timestamp_out_of_range"
    naive = present & ~aware & ~numeric
    failed = np.zeros(len(text), dtype=bool)
    if aware.any():
        where = np.flatnonzero(aware)
        parsed = _parse_iso(text[aware], aware=True)
        got, oob = _aware_to_ns(parsed)
        ns[where] = got
        problem[where[oob]] = "timestamp_out_of_range"
        failed[where[as_mask(parsed.isna()) & ~oob]] = True
    if naive.any():
        where = np.flatnonzero(naive)
        parsed = _parse_iso(text[naive], aware=False)
        ok = as_mask(parsed.notna())
        failed[where[~ok]] = True
        if zone is None:
            problem[where[ok]] = "naive_timestamp"
        elif ok.any():
            got, oob = _aware_to_ns(_localize(parsed[ok], zone))
            ns[where[ok]] = got
            problem[where[ok][oob]] = "timestamp_out_of_range"
    if failed.any():
        _parse_other(text[failed], np.flatnonzero(failed), ns, problem)


def _parse_other(text: pd.Series, where: np.ndarray, ns: np.ndarray, problem: np.ndarray) -> None:
    """Slow path for the rows that are not plain ISO 8601: named UTC, Twitter, RFC 2822."""
    best = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns, UTC]")
    named = as_mask(text.str.contains(_NAMED_UTC_END, regex=True))
    if named.any():
        fixed = text[named].str.replace(_NAMED_UTC_END, "+00:00", regex=True)
        best[named] = pd.to_datetime(fixed, format="ISO8601", utc=True, errors="coerce")
    for fmt in _OTHER_FORMATS:
        todo = as_mask(best.isna())
        if not todo.any():
            break
        best[todo] = pd.to_datetime(text[todo], format=fmt, utc=True, errors="coerce")
    got, oob = _aware_to_ns(best)
    ns[where] = got
    problem[where[as_mask(best.isna()) & ~oob]] = "invalid_timestamp"
    problem[where[oob]] = "timestamp_out_of_range"


def parse_timestamps(raw: pd.Series, zone: zoneinfo.ZoneInfo | None) -> ParsedTimes:
    """Parse one column of raw timestamps; see the module docstring for the rules."""
    raw = raw.reset_index(drop=True)
    n = len(raw)
    ns = np.full(n, _NAT, dtype=np.int64)
    problem = np.full(n, None, dtype=object)
    dtype = raw.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        ns[:], oob = _aware_to_ns(raw)
        problem[oob] = "timestamp_out_of_range"
        problem[as_mask(raw.isna()) & ~oob] = "missing_timestamp"
    elif pd.api.types.is_datetime64_dtype(dtype):
        if zone is None:
            problem[:] = np.where(as_mask(raw.isna()), "missing_timestamp", "naive_timestamp")
        else:
            ns[:], oob = _aware_to_ns(_localize(raw, zone))
            problem[oob] = "timestamp_out_of_range"
            problem[as_mask(raw.isna())] = "missing_timestamp"
    elif pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        values = raw.to_numpy(dtype="float64", na_value=np.nan)
        known = ~np.isnan(values)
        whole = dtype.kind in "iu"
        numbers = raw.to_numpy(dtype="int64", na_value=0)[known] if whole else values[known]
        ns[known], oob = _numbers_to_ns(np.asarray(numbers))
        problem[~known] = "missing_timestamp"
        problem[np.flatnonzero(known)[oob]] = "timestamp_out_of_range"
    else:
        text, wrong = as_strings(raw)
        _parse_strings(text.fillna(""), zone, ns, problem)
        problem[wrong] = "invalid_timestamp"
    ns[problem != None] = _NAT  # noqa: E711 - elementwise comparison on an object array
    utc = pd.Series(ns.view("datetime64[ns]")).dt.tz_localize("UTC")
    return ParsedTimes(utc=utc, problem=problem)
