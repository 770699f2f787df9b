"""Mention-level synthetic streams, with the series frame that describes them exactly.

Every mention gets a time inside its bucket, a negativity (clearly above or below
0.5), a kind, a platform, a language, a sample text that fits (complaints for
negative mentions, campaign posts during a campaign) and an author with a
follower count. Regular fans come back again and again; new authors (more of them
in storms and campaigns) are fresh accounts, and storms bring a few high-reach
critics. The frame is counted from these mentions with the series rules
(``new_authors``: not seen for the brand in the buckets starting within the 30
days before), so ``warning.series.bucket_mentions(mentions)`` reproduces it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from warning.datasets.signals import PLATFORM_MIX, Signals
from warning.datasets.texts import SAMPLE_POSTS
from warning.errors import UsageError
from warning.records import MENTION_COLUMNS, SERIES_COLUMNS

__all__ = ["MAX_MENTIONS", "draw_mentions"]

#: Mention-level streams are for small cases; beyond this, use series frames.
MAX_MENTIONS = 400_000

_LOOKBACK_NS = int(pd.Timedelta(days=30).value)


def draw_mentions(
    signals: Signals, rng: np.random.Generator, *, brand: str, display: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(mentions, series frame) drawn from the signals."""
    index = signals.index
    volume = rng.poisson(signals.rate)
    total = int(volume.sum())
    if total > MAX_MENTIONS:
        raise UsageError(
            f"A mention-level stream would hold {total} mentions (more than {MAX_MENTIONS}); "
            "lower 'level' or 'weeks', or use the series frame only (mentions=False)."
        )
    owner = np.repeat(np.arange(len(volume)), volume)
    starts = np.asarray(index.as_unit("ns").asi8, dtype="int64")
    step_s = int((starts[1] - starts[0]) // 10**9) if len(starts) > 1 else 300
    stamps = starts[owner] + rng.integers(0, step_s, size=total) * 10**9
    order = np.lexsort((stamps, owner))
    stamps = stamps[order]

    negative = rng.random(total) < signals.negative_share[owner]
    negativity = np.where(
        negative, rng.uniform(0.55, 0.97, total), rng.uniform(0.03, 0.45, total)
    ).round(3)
    u = rng.random(total)
    reposts = signals.repost_share[owner]
    quotes = reposts + signals.quote_share[owner]
    kind = np.where(u < reposts, "repost", np.where(u < quotes, "quote", "post"))
    kind = np.where((kind == "post") & (rng.random(total) < 0.12), "reply", kind)
    names = list(PLATFORM_MIX)
    cumulative = np.cumsum(list(PLATFORM_MIX.values()))
    platform = np.asarray(names, dtype=object)[
        np.minimum(np.searchsorted(cumulative, rng.random(total)), len(names) - 1)
    ]
    lang = np.where(rng.random(total) < 0.6, "de", "en")

    campaign = signals.campaign[owner] > 0.05
    category = np.where(
        negative,
        "negative",
        np.where(
            campaign & (rng.random(total) < 0.7),
            "campaign",
            np.where(rng.random(total) < 0.3, "positive", "neutral"),
        ),
    )
    pick = rng.integers(0, 1000, total)
    text = [
        SAMPLE_POSTS[(lg, cat)][k % len(SAMPLE_POSTS[(lg, cat)])].format(brand=display)
        for lg, cat, k in zip(lang.tolist(), category.tolist(), pick.tolist(), strict=True)
    ]

    regulars = max(30, int(60 * float(signals.baseline.mean())))
    regular_reach = np.floor(rng.lognormal(5.5, 1.6, regulars)).astype("int64")
    is_new = rng.random(total) < signals.new_share[owner]
    author_id = np.where(is_new, regulars + np.arange(total), rng.integers(0, regulars, total))
    reach = np.where(
        is_new,
        np.floor(rng.lognormal(signals.reach_mu[owner], 1.6)).astype("int64"),
        regular_reach[np.minimum(author_id, regulars - 1)],
    )
    critic = negative & is_new & (rng.random(total) < 0.03 * signals.storm[owner])
    reach = np.where(critic, rng.integers(50_000, 500_000, total), reach)
    author = np.where(
        author_id < regulars,
        np.char.add(f"@{brand}_fan", author_id.astype(str)),
        np.char.add("@user", (author_id - regulars).astype(str)),
    )

    mentions = pd.DataFrame(
        {
            "id": [f"{brand}-{i:07d}" for i in range(total)],
            "timestamp": pd.to_datetime(stamps, unit="ns", utc=True),
            "text": text,
            "brand": brand,
            "author": author,
            "platform": platform,
            "lang": lang,
            "reach": reach,
            "kind": kind,
            "url": None,
            "sentiment": None,
        }
    ).astype(MENTION_COLUMNS)
    mentions["negativity"] = negativity.astype("float64")
    frame = _count(signals.index, owner, negative, reach, kind, platform, author_id)
    return mentions, frame


def _count(
    index: pd.DatetimeIndex,
    owner: np.ndarray,
    negative: np.ndarray,
    reach: np.ndarray,
    kind: np.ndarray,
    platform: np.ndarray,
    author_id: np.ndarray,
) -> pd.DataFrame:
    """The series frame of the drawn mentions, counted directly."""
    n = len(index)

    def count(weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(owner, weights=weights, minlength=n).astype("float64")

    volume = count()
    safe = np.where(volume == 0, 1.0, volume)
    starts = np.asarray(index.as_unit("ns").asi8, dtype="int64")
    pairs = np.unique(np.stack([owner, author_id], axis=1), axis=0)
    authors = np.bincount(pairs[:, 0], minlength=n).astype("float64") if len(pairs) else count()
    new_authors = np.zeros(n, dtype="float64")
    last_seen: dict[int, int] = {}
    for bucket, author in pairs.tolist():
        seen = last_seen.get(author)
        if seen is None or seen < starts[bucket] - _LOOKBACK_NS:
            new_authors[bucket] += 1
        last_seen[author] = int(starts[bucket])
    negatives = count(negative.astype("float64"))
    reposts = count((kind == "repost").astype("float64"))
    quotes = count((kind == "quote").astype("float64"))
    columns: dict[str, np.ndarray] = {
        "volume": volume,
        "negative": negatives,
        "negative_share": np.where(volume == 0, np.nan, negatives / safe),
        "authors": authors,
        "new_authors": new_authors,
        "reach": count(reach.astype("float64")),
        "reposts": reposts,
        "quotes": quotes,
        "repost_share": np.where(volume == 0, np.nan, reposts / safe),
        "quote_share": np.where(volume == 0, np.nan, quotes / safe),
    }
    for name in sorted(PLATFORM_MIX):
        if (platform == name).any():
            columns[f"platform:{name}"] = count((platform == name).astype("float64"))
    order = [*SERIES_COLUMNS, *sorted(c for c in columns if c.startswith("platform:"))]
    return pd.DataFrame({c: columns[c] for c in order}, index=index)
