"""Live bucketing: mention batches in, complete bucket rows out, bounded state.

:class:`SeriesBuilder` produces exactly the rows of
:func:`warning.series.bucket_mentions` on the same mentions (a property test
proves it), one closed bucket at a time, so live operation and replay see the same
series.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from types import MappingProxyType

import numpy as np
import pandas as pd

from warning.errors import UsageError
from warning.records import SERIES_COLUMNS
from warning.series.aggregate import MentionArrays, group_sums
from warning.series.bucket import KnownAuthors
from warning.series.common import (
    NEW_AUTHOR_LOOKBACK,
    PLATFORM_PREFIX,
    BucketRow,
    bucket_ns,
    floor_ns,
    instant_ns,
)

__all__ = ["SeriesBuilder"]

_NEVER = int(np.iinfo(np.int64).min)
_DAY = int(pd.Timedelta(days=1).value)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SUMS = (
    "volume",
    "negative",
    "negative_known",
    "reach",
    "reach_known",
    "reposts",
    "quotes",
    "kind_known",
    "author_known",
)


@dataclass(slots=True)
class _OpenBucket:
    sums: dict[str, float] = field(default_factory=lambda: dict.fromkeys(_SUMS, 0.0))
    authors: set[str] = field(default_factory=set)
    platforms: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class _BrandState:
    next_bucket: int
    open: dict[int, _OpenBucket] = field(default_factory=dict)
    last_seen: dict[str, int] = field(default_factory=dict)


class SeriesBuilder:
    """Bucket mention batches as they arrive and emit each bucket once it is complete.

    A bucket ``[s, s + freq)`` is complete at ``now`` when ``now >= s + freq +
    allowed_lateness``. Mentions may arrive late or out of order as long as their
    bucket is still open; a mention for a bucket already emitted is dropped and
    counted in ``late_mentions_`` (never silently). State is bounded: the open
    buckets, plus per brand the authors seen within the last 30 days.

    >>> import pandas as pd
    >>> from datetime import datetime, timezone
    >>> builder = SeriesBuilder("5min", allowed_lateness=timedelta(minutes=1))
    >>> batch = pd.DataFrame({
    ...     "timestamp": pd.to_datetime(["2026-03-28T19:31:00Z", "2026-03-28T19:36:00Z"], utc=True),
    ...     "brand": ["acme", "acme"], "author": ["@a", "@b"], "negativity": [0.9, 0.2]})
    >>> builder.add(batch)
    2
    >>> rows = builder.close_until(datetime(2026, 3, 28, 19, 40, tzinfo=timezone.utc))
    >>> [(brand, row.bucket_start.isoformat(), row["negative"]) for brand, row in rows]
    [('acme', '2026-03-28T19:30:00+00:00', 1.0)]
    >>> rows = builder.close_until(datetime(2026, 3, 28, 19, 46, tzinfo=timezone.utc))
    >>> [(row.bucket_start.strftime("%H:%M"), row["volume"], row["new_authors"]) for _, row in rows]
    [('19:35', 1.0, 1.0), ('19:40', 0.0, 0.0)]
    """

    def __init__(
        self,
        freq: str | timedelta = "5min",
        *,
        allowed_lateness: timedelta = timedelta(minutes=2),
        start: datetime | pd.Timestamp | None = None,
        known_authors: KnownAuthors | None = None,
    ) -> None:
        self.freq = freq
        self.allowed_lateness = allowed_lateness
        self.start = start
        self.known_authors = known_authors
        self._step = bucket_ns(freq)
        lateness = pd.Timedelta(allowed_lateness)
        if pd.isna(lateness) or lateness < pd.Timedelta(0):
            raise UsageError(
                "The 'allowed_lateness' parameter of SeriesBuilder must be a duration >= 0. "
                f"Got {allowed_lateness!r} instead."
            )
        self._lateness = int(lateness.value)
        self._start = (
            None if start is None else floor_ns(instant_ns(start, what="start"), self._step)
        )
        self._lookback = int(pd.Timedelta(NEW_AUTHOR_LOOKBACK).value)
        self._brands: dict[str, _BrandState] = {}
        self._last_prune = _NEVER
        self.closed_until_: int | None = None  # buckets starting before this are emitted
        self.late_mentions_ = 0
        self.before_start_mentions_ = 0

    def add(self, frame: pd.DataFrame) -> int:
        """Take a batch of scored mentions; returns how many were accepted."""
        arrays = MentionArrays.from_frame(frame)
        if len(arrays) == 0:
            return 0
        buckets = (arrays.ts // self._step) * self._step
        keep = np.ones(len(arrays), dtype=bool)
        if self._start is not None:
            early = buckets < self._start
            self.before_start_mentions_ += int(early.sum())
            keep &= ~early
        if self.closed_until_ is not None:
            late = keep & (buckets < self.closed_until_)
            self.late_mentions_ += int(late.sum())
            keep &= ~late
        if not keep.all():
            arrays = arrays.subset(keep)
        if len(arrays) == 0:
            return 0
        sums = group_sums(arrays, self._step)
        opened: list[_OpenBucket] = []
        for g, (brand, bucket) in enumerate(zip(sums.brand, sums.bucket.tolist(), strict=True)):
            state = self._brand(str(brand), bucket)
            acc = state.open.get(bucket)
            if acc is None:
                acc = state.open[bucket] = _OpenBucket()
            totals = acc.sums
            totals["volume"] += float(sums.volume[g])
            totals["negative"] += float(sums.negative[g])
            totals["negative_known"] += float(sums.negative_known[g])
            totals["reach"] += float(sums.reach[g])
            totals["reach_known"] += float(sums.reach_known[g])
            totals["reposts"] += float(sums.reposts[g])
            totals["quotes"] += float(sums.quotes[g])
            totals["kind_known"] += float(sums.kind_known[g])
            totals["author_known"] += float(sums.author_known[g])
            for j in np.flatnonzero(sums.platform_counts[g]).tolist():
                name = sums.platforms[j]
                acc.platforms[name] = acc.platforms.get(name, 0.0) + float(
                    sums.platform_counts[g, j]
                )
            opened.append(acc)
        names = sums.author_names
        for g, author in zip(sums.pair_group.tolist(), sums.pair_author.tolist(), strict=True):
            opened[g].authors.add(names[author])
        return len(arrays)

    def _brand(self, brand: str, bucket: int) -> _BrandState:
        state = self._brands.get(brand)
        if state is None:
            first = self._start if self._start is not None else bucket
            state = self._brands[brand] = _BrandState(next_bucket=first)
            for author, seen in (self.known_authors or {}).get(brand, {}).items():
                state.last_seen[str(author)] = floor_ns(
                    instant_ns(seen, what="last-seen instant of a known author"), self._step
                )
        elif self._start is None and bucket < state.next_bucket:
            state.next_bucket = bucket  # an earlier mention of a brand with nothing emitted yet
        return state

    def close_until(self, now: datetime | pd.Timestamp) -> list[tuple[str, BucketRow]]:
        """Emit every bucket complete at ``now``, ordered by bucket start, then brand.

        Each :class:`~warning.series.BucketRow` holds the SERIES_COLUMNS and a
        ``platform:<name>`` entry per platform seen in the bucket; consecutive rows of
        a brand assemble into a frame with :func:`~warning.series.frame_from_rows`.
        """
        horizon = floor_ns(instant_ns(now, what="now") - self._lateness, self._step)
        if self.closed_until_ is not None and horizon <= self.closed_until_:
            return []
        emitted: list[tuple[int, str, BucketRow]] = []
        step = self._step
        for brand in sorted(self._brands):
            state = self._brands[brand]
            bucket, pending = state.next_bucket, state.open
            while bucket < horizon:
                acc = pending.pop(bucket, None)
                if acc is None:  # nothing arrived: a shared read-only row of zeros
                    row = BucketRow(_EPOCH + timedelta(microseconds=bucket // 1000), _EMPTY_VIEW)
                else:
                    row = self._close_bucket(state, bucket, acc)
                emitted.append((bucket, brand, row))
                bucket += step
            state.next_bucket = max(bucket, state.next_bucket)
        self.closed_until_ = horizon
        if horizon - self._last_prune >= _DAY:
            self._prune(horizon)
        emitted.sort(key=itemgetter(0, 1))
        return [(brand, row) for _, brand, row in emitted]

    def _close_bucket(self, state: _BrandState, bucket: int, acc: _OpenBucket) -> BucketRow:
        limit = bucket - self._lookback
        new = 0
        for author in acc.authors:
            seen = state.last_seen.get(author, _NEVER)
            if seen < limit:
                new += 1
            state.last_seen[author] = max(seen, bucket)
        data = _finish_one(acc.sums, float(len(acc.authors)), float(new))
        for platform in sorted(acc.platforms):
            data[PLATFORM_PREFIX + platform] = acc.platforms[platform]
        return BucketRow(_EPOCH + timedelta(microseconds=bucket // 1000), data)

    def _prune(self, horizon: int) -> None:
        limit = horizon - self._lookback
        for state in self._brands.values():
            stale = [author for author, seen in state.last_seen.items() if seen < limit]
            for author in stale:
                del state.last_seen[author]
        self._last_prune = horizon

    def state_size(self) -> dict[str, int]:
        """How much is held: brands, open buckets, remembered authors (for bounds checks)."""
        return {
            "brands": len(self._brands),
            "open_buckets": sum(len(s.open) for s in self._brands.values()),
            "authors": sum(len(s.last_seen) for s in self._brands.values()),
        }


def _finish_one(sums: dict[str, float], authors: float, new_authors: float) -> dict[str, float]:
    """finish_columns for one bucket, in plain floats (the same IEEE operations)."""
    volume = sums["volume"]
    if volume == 0:  # an empty bucket: every count 0, every share NaN
        return dict(_EMPTY_ROW)
    nan = math.nan
    negative = sums["negative"] if sums["negative_known"] > 0 else nan
    reposts = sums["reposts"] if sums["kind_known"] > 0 else nan
    quotes = sums["quotes"] if sums["kind_known"] > 0 else nan
    has_authors = sums["author_known"] > 0
    return {
        "volume": volume,
        "negative": negative,
        "negative_share": negative / volume,
        "authors": authors if has_authors else nan,
        "new_authors": new_authors if has_authors else nan,
        "reach": sums["reach"] if sums["reach_known"] > 0 else nan,
        "reposts": reposts,
        "quotes": quotes,
        "repost_share": reposts / volume,
        "quote_share": quotes / volume,
    }


_EMPTY_ROW: dict[str, float] = {
    **dict.fromkeys(SERIES_COLUMNS, 0.0),
    "negative_share": math.nan,
    "repost_share": math.nan,
    "quote_share": math.nan,
}
_EMPTY_VIEW: Mapping[str, float] = MappingProxyType(_EMPTY_ROW)
