"""Scored mentions bucketed per brand into fixed-frequency UTC series frames (batch).

>>> import pandas as pd
>>> mentions = pd.DataFrame({
...     "timestamp": pd.to_datetime(
...         ["2026-03-28T19:31:00Z", "2026-03-28T19:33:00Z", "2026-03-28T19:46:00Z"], utc=True),
...     "text": ["Nie wieder!", "Skandal", "ok"],
...     "brand": ["acme", "acme", "acme"],
...     "author": ["@a", "@b", "@a"],
...     "platform": ["x", "x", "instagram"],
...     "reach": pd.array([100, 2000, 100], dtype="Int64"),
...     "kind": ["post", "repost", "post"],
...     "negativity": [0.9, 0.8, 0.1],
... })
>>> frame = bucket_mentions(mentions)["acme"]
>>> columns = ["volume", "negative_share", "authors", "new_authors", "reach"]
>>> print(frame[columns].to_string())  # doctest: +NORMALIZE_WHITESPACE
                           volume  negative_share  authors  new_authors   reach
bucket_start
2026-03-28 19:30:00+00:00     2.0             1.0      2.0          2.0  2100.0
2026-03-28 19:35:00+00:00     0.0             NaN      0.0          0.0     0.0
2026-03-28 19:40:00+00:00     0.0             NaN      0.0          0.0     0.0
2026-03-28 19:45:00+00:00     1.0             0.0      1.0          0.0   100.0
>>> frame.index.freqstr, list(frame.columns[-2:])
('5min', ['platform:instagram', 'platform:x'])
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from warning.series.aggregate import GroupSums, MentionArrays, finish_columns, group_sums
from warning.series.common import (
    NEW_AUTHOR_LOOKBACK,
    PLATFORM_PREFIX,
    bucket_ns,
    floor_ns,
    instant_ns,
    series_index,
)

__all__ = ["KnownAuthors", "bucket_mentions", "new_author_counts"]

#: Authors already seen per brand before the data starts: brand -> author -> last seen.
KnownAuthors = Mapping[str, Mapping[str, datetime | pd.Timestamp]]

_NEVER = np.iinfo(np.int64).min


def bucket_mentions(
    scored: pd.DataFrame,
    *,
    freq: str | timedelta = "5min",
    start: datetime | pd.Timestamp | None = None,
    end: datetime | pd.Timestamp | None = None,
    known_authors: KnownAuthors | None = None,
) -> dict[str, pd.DataFrame]:
    """Bucket scored mentions per brand (mentions without a brand go to ``"default"``).

    ``scored`` has the columns of :data:`warning.records.MENTION_COLUMNS` (optional
    ones may be missing or null) plus ``negativity`` in [0, 1]. Each returned frame
    has exactly the :data:`~warning.records.SERIES_COLUMNS` followed by
    ``platform:<name>`` counts, indexed by ``bucket_start`` (UTC, epoch-aligned
    buckets of ``freq``, no gaps: empty buckets are 0 and their shares NaN).

    ``start`` (inclusive, floored to its bucket) and ``end`` (exclusive: buckets
    starting before it) bound every brand's frame; without them a brand's frame
    runs from its first to its last mention. Mentions outside are ignored.
    ``new_authors`` counts authors with no mention for the brand in the buckets
    starting within the 30 days before the bucket; ``known_authors`` seeds that
    memory (brand -> author -> last seen). Rows are counted as given:
    de-duplication by id is the ingest stage's job.
    """
    step = bucket_ns(freq)
    arrays = MentionArrays.from_frame(scored)
    first = None if start is None else floor_ns(instant_ns(start, what="start"), step)
    stop = None if end is None else instant_ns(end, what="end")
    buckets = (arrays.ts // step) * step
    keep = np.ones(len(arrays), dtype=bool)
    if first is not None:
        keep &= buckets >= first
    if stop is not None:
        keep &= buckets < stop
    if not keep.all():
        arrays = arrays.subset(keep)
    if len(arrays) == 0:
        return {}
    sums = group_sums(arrays, step)
    new = new_author_counts(sums, step, known_authors)
    names, starts = np.unique(sums.brand.astype(str), return_index=True)
    bounds = [*starts.tolist(), len(sums.brand)]
    frames: dict[str, pd.DataFrame] = {}
    for i, name in enumerate(names.tolist()):
        lo, hi = bounds[i], bounds[i + 1]
        lo_bucket = int(sums.bucket[lo]) if first is None else first
        hi_bucket = int(sums.bucket[hi - 1]) if stop is None else floor_ns(stop - 1, step)
        frames[str(name)] = _brand_frame(sums, new, slice(lo, hi), lo_bucket, hi_bucket, step)
    return frames


def _brand_frame(
    sums: GroupSums, new: np.ndarray, part: slice, first: int, last: int, step: int
) -> pd.DataFrame:
    periods = (last - first) // step + 1
    pos = (sums.bucket[part] - first) // step

    def dense(values: np.ndarray) -> np.ndarray:
        out = np.zeros(periods, dtype="float64")
        out[pos] = values[part]
        return out

    columns = finish_columns(
        volume=dense(sums.volume),
        negative=dense(sums.negative),
        negative_known=dense(sums.negative_known),
        authors=dense(sums.authors),
        new_authors=dense(new),
        author_known=dense(sums.author_known),
        reach=dense(sums.reach),
        reach_known=dense(sums.reach_known),
        reposts=dense(sums.reposts),
        quotes=dense(sums.quotes),
        kind_known=dense(sums.kind_known),
    )
    counts = sums.platform_counts[part]
    for j, platform in enumerate(sums.platforms):
        if counts[:, j].any():
            out = np.zeros(periods, dtype="float64")
            out[pos] = counts[:, j]
            columns[PLATFORM_PREFIX + platform] = out
    return pd.DataFrame(columns, index=series_index(first, periods, step))


def new_author_counts(sums: GroupSums, step: int, known: KnownAuthors | None = None) -> np.ndarray:
    """Per group, the authors not seen for the brand within the lookback before the bucket."""
    lookback = int(pd.Timedelta(NEW_AUTHOR_LOOKBACK).value)
    group = sums.pair_group
    groups = len(sums.bucket)
    if len(group) == 0:
        return np.zeros(groups, dtype="float64")
    brand_codes = sums.brand_code[group]
    author_codes = sums.pair_author
    bucket = sums.bucket[group]
    rel = (bucket - bucket.min()) // step
    sizes = (int(brand_codes.max()) + 1, int(author_codes.max()) + 1, int(rel.max()) + 1)
    if sizes[0] * sizes[1] * sizes[2] < 2**62:  # one int64 key sorts faster than three
        order = np.argsort((brand_codes * sizes[1] + author_codes) * sizes[2] + rel)
    else:
        order = np.lexsort((bucket, author_codes, brand_codes))
    b_sorted, a_sorted, t_sorted = brand_codes[order], author_codes[order], bucket[order]
    same = np.zeros(len(order), dtype=bool)
    same[1:] = (b_sorted[1:] == b_sorted[:-1]) & (a_sorted[1:] == a_sorted[:-1])
    previous = np.full(len(order), _NEVER, dtype="int64")
    previous[1:] = np.where(same[1:], t_sorted[:-1], _NEVER)
    if known:
        first_rows = np.flatnonzero(~same)
        brands = sums.brand[group][order][first_rows]
        authors = sums.author_names[sums.pair_author[order][first_rows]]
        seen = np.array(
            [
                _known_bucket(known, str(b), str(a), step)
                for b, a in zip(brands, authors, strict=True)
            ],
            dtype="int64",
        )
        previous[first_rows] = np.maximum(previous[first_rows], seen)
    is_new = previous < t_sorted - lookback
    return np.bincount(group[order][is_new], minlength=groups).astype("float64")


def _known_bucket(known: KnownAuthors, brand: str, author: str, step: int) -> int:
    last = known.get(brand, {}).get(author)
    if last is None:
        return int(_NEVER)
    return floor_ns(instant_ns(last, what="last-seen instant of a known author"), step)
