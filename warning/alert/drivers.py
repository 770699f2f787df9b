"""Why it is happening: the evidence attached to an alert where mentions are available.

From the mentions of the storm (its change point up to the alert) against those
of the baseline period before it: the terms with the highest lift, the most
negative posts weighted by reach, the authors with the largest reach, the
platforms, and the share of authors new to the brand.

>>> import pandas as pd
>>> from datetime import datetime, timezone
>>> t = lambda h, m: pd.Timestamp(2026, 3, 28, h, m, tz="UTC")
>>> mentions = pd.DataFrame({
...     "id": ["1", "2", "3", "4", "5"],
...     "timestamp": [t(18, 0), t(18, 30), t(19, 31), t(19, 32), t(19, 33)],
...     "text": ["Lecker", "Schönes Wochenende", "Rückruf! Glassplitter", "Glassplitter, Rückruf?",
...              "Nie wieder Glassplitter"],
...     "author": ["@a", "@b", "@c", "@d", "@c"], "platform": ["x", "x", "x", "instagram", "x"],
...     "reach": [10, 20, 50_000, 300, 50_000], "negativity": [0.1, 0.1, 0.9, 0.8, 0.95]})
>>> d = explain(mentions, storm_start=datetime(2026, 3, 28, 19, 30, tzinfo=timezone.utc),
...             until=datetime(2026, 3, 28, 19, 35, tzinfo=timezone.utc), brand="acme")
>>> d.top_terms[:2], d.platforms, d.new_author_share
(('glassplitter', 'rückruf'), {'x': 2, 'instagram': 1}, 1.0)
>>> [(p["id"], p["author"]) for p in d.top_negative_posts][:2], d.top_authors[0]["author"]
([('5', '@c'), ('3', '@c')], '@c')
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from warning.alert.terms import top_terms
from warning.records import NEGATIVE_THRESHOLD, Drivers

__all__ = ["explain", "negativity_of"]

_TEXT_LIMIT = 280


def negativity_of(mentions: pd.DataFrame) -> np.ndarray:
    """Per-mention negativity in [0, 1] (``negativity`` column, else upstream ``sentiment``)."""
    for column in ("negativity", "sentiment"):
        if column in mentions.columns:
            values: np.ndarray = mentions[column].to_numpy(dtype="float64", na_value=np.nan)
            return values
    return np.full(len(mentions), np.nan)


def explain(
    mentions: pd.DataFrame,
    *,
    storm_start: datetime,
    until: datetime,
    baseline: timedelta = timedelta(hours=24),
    brand: str | None = None,
    new_author_share: float | None = None,
    k_terms: int = 10,
    k_posts: int = 5,
    k_authors: int = 5,
) -> Drivers:
    """Drivers of the storm ``[storm_start, until)`` against ``[storm_start - baseline, storm_start)``."""
    ts = pd.to_datetime(mentions["timestamp"], utc=True)
    if brand is not None and "brand" in mentions.columns:
        own = (mentions["brand"] == brand).fillna(False).to_numpy(dtype=bool)
        mentions, ts = mentions[own], ts[own]
    start, end = pd.Timestamp(storm_start), pd.Timestamp(until)
    in_storm = ((ts >= start) & (ts < end)).to_numpy()
    in_base = ((ts >= start - pd.Timedelta(baseline)) & (ts < start)).to_numpy()
    storm, base = mentions[in_storm], mentions[in_base]
    texts = _strings(storm, "text")
    terms = top_terms(texts, _strings(base, "text"), k=k_terms, extra_stop=[brand] if brand else [])
    neg = negativity_of(storm)
    reach = _numbers(storm, "reach")
    posts = _negative_posts(storm, neg, reach, k_posts)
    authors = _authors(storm, neg, reach, k_authors)
    platforms = _platforms(storm)
    if new_author_share is None:
        new_author_share = _new_share(_strings(storm, "author"), set(_strings(base, "author")))
    return Drivers(
        top_terms=terms,
        top_negative_posts=tuple(posts),
        top_authors=tuple(authors),
        platforms=platforms,
        new_author_share=new_author_share,
    )


def _strings(frame: pd.DataFrame, column: str) -> list[str]:
    if column not in frame.columns:
        return []
    return [str(v) for v in frame[column].tolist() if v is not None and v is not pd.NA and v == v]


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    values: np.ndarray = pd.to_numeric(frame[column], errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan
    )
    return values


def _value(frame: pd.DataFrame, column: str, i: int) -> Any:
    if column not in frame.columns:
        return None
    v = frame[column].iloc[i]
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return v.item() if hasattr(v, "item") else v


def _negative_posts(
    storm: pd.DataFrame, neg: np.ndarray, reach: np.ndarray, k: int
) -> list[dict[str, Any]]:
    weight = np.where(np.isnan(reach), 1.0, np.maximum(reach, 1.0))
    score = np.where(neg >= NEGATIVE_THRESHOLD, neg * weight, -1.0)
    order = [i for i in np.argsort(-score, kind="stable") if score[i] >= 0.0][:k]
    posts = []
    for i in order:
        text = _value(storm, "text", i) or ""
        posts.append(
            {
                "id": _value(storm, "id", i),
                "timestamp": _value(storm, "timestamp", i),
                "author": _value(storm, "author", i),
                "platform": _value(storm, "platform", i),
                "text": text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…",
                "negativity": round(float(neg[i]), 3),
                "reach": None if np.isnan(reach[i]) else int(reach[i]),
                "url": _value(storm, "url", i),
            }
        )
    return posts


def _authors(
    storm: pd.DataFrame, neg: np.ndarray, reach: np.ndarray, k: int
) -> list[dict[str, Any]]:
    if "author" not in storm.columns or storm.empty:
        return []
    frame = pd.DataFrame(
        {
            "author": storm["author"].astype("string").to_numpy(),
            "reach": reach,
            "negative": neg >= NEGATIVE_THRESHOLD,
        }
    ).dropna(subset=["author"])
    if frame.empty:
        return []
    grouped = frame.groupby("author", sort=True).agg(
        reach=("reach", "max"), mentions=("reach", "size"), negative=("negative", "sum")
    )
    grouped = grouped.sort_values(["reach", "mentions"], ascending=False, na_position="last")
    return [
        {
            "author": str(author),
            "reach": None if pd.isna(row.reach) else int(row.reach),
            "mentions": int(row.mentions),
            "negative_mentions": int(row.negative),
        }
        for author, row in grouped.head(k).iterrows()
    ]


def _platforms(storm: pd.DataFrame) -> dict[str, int]:
    if "platform" not in storm.columns:
        return {}
    counts = storm["platform"].astype("string").fillna("unknown").value_counts(sort=True)
    return {str(name): int(n) for name, n in counts.items()}


def _new_share(authors: list[str], known: set[str]) -> float | None:
    unique = set(authors)
    if not unique:
        return None
    return len(unique - known) / len(unique)
