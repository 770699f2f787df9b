"""Per (brand, bucket) sums of a scored mention frame, shared by batch and live bucketing.

Both :func:`warning.series.bucket_mentions` and :class:`warning.series.SeriesBuilder`
reduce mentions with the functions here, so the two produce the same numbers. All
sums are of whole numbers held in float64, which is exact (below 2**53) in any
order; that is what makes the live builder equal to the batch frame bit for bit.

A column an input does not carry (no ``author``, no ``kind``) is unknown, not zero:
a non-empty bucket in which every mention lacks the field gets NaN for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from warning.errors import InputError
from warning.records import NEGATIVE_THRESHOLD
from warning.series.common import DEFAULT_BRAND, timestamps_ns

__all__ = ["Codes", "GroupSums", "MentionArrays", "finish_columns", "group_sums"]


@dataclass(frozen=True, slots=True)
class Codes:
    """A text column as integer codes (-1 = missing) into sorted distinct ``names``."""

    codes: np.ndarray
    names: np.ndarray  # object array of str

    @classmethod
    def of(cls, frame: pd.DataFrame, column: str, *, sort: bool = True) -> Codes:
        if column not in frame.columns:
            return cls(np.full(len(frame), -1, dtype="int64"), np.empty(0, dtype=object))
        codes, names = pd.factorize(frame[column], sort=sort, use_na_sentinel=True)
        return cls(
            np.asarray(codes, dtype="int64"),
            pd.Index(names).astype(str).to_numpy(dtype=object),
        )

    def take(self, keep: np.ndarray) -> Codes:
        return Codes(self.codes[keep], self.names)


@dataclass(frozen=True, slots=True)
class MentionArrays:
    """The columns of a scored mention frame that the series needs, as numpy arrays."""

    brand: Codes  # never missing (DEFAULT_BRAND instead)
    ts: np.ndarray  # int64 epoch nanoseconds, UTC
    negative: np.ndarray  # float64 1.0 / 0.0, NaN when negativity is unknown
    author: Codes
    reach: np.ndarray  # float64, NaN when unknown
    repost: np.ndarray  # float64 1.0 / 0.0, NaN when kind is unknown
    quote: np.ndarray  # float64 1.0 / 0.0, NaN when kind is unknown
    platform: Codes

    def __len__(self) -> int:
        return len(self.ts)

    def subset(self, keep: np.ndarray) -> MentionArrays:
        """Only the rows where ``keep`` is true."""
        return MentionArrays(
            brand=self.brand.take(keep),
            ts=self.ts[keep],
            negative=self.negative[keep],
            author=self.author.take(keep),
            reach=self.reach[keep],
            repost=self.repost[keep],
            quote=self.quote[keep],
            platform=self.platform.take(keep),
        )

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> MentionArrays:
        """Read a mention frame (MENTION_COLUMNS plus ``negativity``)."""
        for required in ("timestamp", "negativity"):
            if required not in frame.columns:
                raise InputError(
                    f"A scored mention frame needs a '{required}' column; "
                    f"got columns {list(frame.columns)}."
                )
        n = len(frame)
        ts = timestamps_ns(frame["timestamp"])
        negativity = np.asarray(
            pd.to_numeric(frame["negativity"], errors="coerce"), dtype="float64"
        )
        negative = np.where(
            np.isnan(negativity), np.nan, (negativity >= NEGATIVE_THRESHOLD).astype("float64")
        )
        if "reach" in frame.columns:
            reach = np.asarray(
                pd.to_numeric(frame["reach"], errors="coerce").astype("float64"), dtype="float64"
            )
        else:
            reach = np.full(n, np.nan)
        kind = Codes.of(frame, "kind", sort=False)
        known = kind.codes >= 0
        names = np.append(kind.names, "").astype(str)
        kinds = names[kind.codes]  # -1 picks the trailing "" (unknown)
        return cls(
            brand=_brands(Codes.of(frame, "brand")),
            ts=ts,
            negative=negative,
            author=Codes.of(frame, "author", sort=False),
            reach=reach,
            repost=np.where(known, (kinds == "repost").astype("float64"), np.nan),
            quote=np.where(known, (kinds == "quote").astype("float64"), np.nan),
            platform=Codes.of(frame, "platform"),
        )


def _brands(brand: Codes) -> Codes:
    """Missing or empty brands become DEFAULT_BRAND; names stay sorted and distinct."""
    if len(brand.names) == 0:  # no brand anywhere
        return Codes(np.zeros(len(brand.codes), dtype="int64"), np.array([DEFAULT_BRAND], object))
    empty = np.append(brand.names == "", True)  # code -1 (missing) picks the trailing True
    missing = empty[brand.codes]
    if not missing.any():
        return brand
    names = [n for n in brand.names.tolist() if n != ""]
    merged = sorted({*names, DEFAULT_BRAND})
    lookup = np.array([merged.index(n) if n != "" else -1 for n in brand.names], dtype="int64")
    codes = np.where(missing, merged.index(DEFAULT_BRAND), lookup[np.maximum(brand.codes, 0)])
    return Codes(codes.astype("int64"), np.asarray(merged, dtype=object))


@dataclass(frozen=True, slots=True)
class GroupSums:
    """Sums per (brand, bucket) group; groups sorted by brand, then bucket."""

    brand: np.ndarray  # object, brand of each group
    brand_code: np.ndarray  # int64, the brand's position among the sorted brand names
    bucket: np.ndarray  # int64, bucket start (ns) of each group
    volume: np.ndarray
    negative: np.ndarray  # sum over mentions with known negativity
    negative_known: np.ndarray  # mentions with known negativity
    reach: np.ndarray
    reach_known: np.ndarray
    reposts: np.ndarray
    quotes: np.ndarray
    kind_known: np.ndarray
    authors: np.ndarray  # unique known authors
    author_known: np.ndarray  # mentions with a known author
    platforms: tuple[str, ...]
    platform_counts: np.ndarray  # (groups, platforms)
    pair_group: np.ndarray  # distinct (group, author) pairs: the group ...
    pair_author: np.ndarray  # ... and the author code
    author_names: np.ndarray  # object, names of the author codes


def _sorted_groups(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct keys in ascending order and, per row, the position of its key."""
    codes, uniques = pd.factorize(keys, sort=True)
    return np.asarray(uniques, dtype="int64"), np.asarray(codes, dtype="int64")


def group_sums(arrays: MentionArrays, step: int) -> GroupSums:
    """Reduce mentions to one row of sums per (brand, bucket)."""
    bucket = (arrays.ts // step) * step
    if len(bucket):
        low = int(bucket.min())
        rel = (bucket - low) // step
        span = int(rel.max()) + 1
    else:
        low, rel, span = 0, bucket, 1
    group_keys, inverse = _sorted_groups(arrays.brand.codes * span + rel)
    g = len(group_keys)

    def total(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        known = ~np.isnan(values)
        sums = np.bincount(inverse, weights=np.where(known, values, 0.0), minlength=g)
        return sums, np.bincount(inverse[known], minlength=g).astype("float64")

    negative, negative_known = total(arrays.negative)
    reach, reach_known = total(arrays.reach)
    reposts, kind_known = total(arrays.repost)
    quotes, _ = total(arrays.quote)

    has_author = arrays.author.codes >= 0
    n_authors = max(len(arrays.author.names), 1)
    pairs = pd.unique(inverse[has_author] * n_authors + arrays.author.codes[has_author])
    pairs = np.asarray(pairs, dtype="int64")

    has_platform = arrays.platform.codes >= 0
    n_platforms = len(arrays.platform.names)
    width = max(n_platforms, 1)
    counts = np.bincount(
        inverse[has_platform] * width + arrays.platform.codes[has_platform], minlength=g * width
    ).reshape(g, width)[:, :n_platforms]

    return GroupSums(
        brand=arrays.brand.names[group_keys // span],
        brand_code=group_keys // span,
        bucket=low + (group_keys % span) * step,
        volume=np.bincount(inverse, minlength=g).astype("float64"),
        negative=negative,
        negative_known=negative_known,
        reach=reach,
        reach_known=reach_known,
        reposts=reposts,
        quotes=quotes,
        kind_known=kind_known,
        authors=np.bincount(pairs // n_authors, minlength=g).astype("float64"),
        author_known=np.bincount(inverse[has_author], minlength=g).astype("float64"),
        platforms=tuple(str(p) for p in arrays.platform.names),
        platform_counts=counts.astype("float64"),
        pair_group=pairs // n_authors,
        pair_author=pairs % n_authors,
        author_names=arrays.author.names,
    )


def finish_columns(
    *,
    volume: np.ndarray,
    negative: np.ndarray,
    negative_known: np.ndarray,
    authors: np.ndarray,
    new_authors: np.ndarray,
    author_known: np.ndarray,
    reach: np.ndarray,
    reach_known: np.ndarray,
    reposts: np.ndarray,
    quotes: np.ndarray,
    kind_known: np.ndarray,
) -> dict[str, np.ndarray]:
    """The SERIES_COLUMNS values from sums (arrays of equal length, one per bucket).

    Empty buckets are 0 (shares NaN); a field unknown for every mention of a
    non-empty bucket is NaN.
    """
    empty = volume == 0

    def known(values: np.ndarray, count: np.ndarray) -> np.ndarray:
        return np.where(count > 0, values, np.where(empty, 0.0, np.nan))

    neg = known(negative, negative_known)
    rep = known(reposts, kind_known)
    quo = known(quotes, kind_known)
    safe = np.where(empty, 1.0, volume)
    return {
        "volume": volume.astype("float64"),
        "negative": neg,
        "negative_share": np.where(empty, np.nan, neg / safe),
        "authors": known(authors, author_known),
        "new_authors": known(new_authors, author_known),
        "reach": known(reach, reach_known),
        "reposts": rep,
        "quotes": quo,
        "repost_share": np.where(empty, np.nan, rep / safe),
        "quote_share": np.where(empty, np.nan, quo / safe),
    }
