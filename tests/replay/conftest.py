"""Synthetic scored mentions and volume series for the replay tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

START = datetime.fromisoformat("2026-03-02T00:00:00+00:00")  # a Monday

_CALM = [
    "schönes produkt",
    "lecker wie immer",
    "neue sorte probiert",
    "guter service heute",
    "great taste",
    "love the new pack",
    "frage zur lieferung",
    "angebot im markt",
]
_STORM = [
    "glassplitter im joghurt #boykott",
    "rückruf jetzt! glassplitter",
    "nie wieder #boykott",
    "skandal glassplitter",
    "shame on you glass in yoghurt #boycott",
]


def make_mentions(
    *,
    days: float = 4.0,
    per_bucket: float = 6.0,
    brands: tuple[str, ...] = ("acme",),
    storm_at: datetime | None = None,
    storm_hours: float = 3.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Scored mentions (with ``negativity``) of a few brands, optionally with a storm."""
    rng = np.random.default_rng(seed)
    parts = []
    index = pd.date_range(START, periods=int(days * 288), freq="5min")
    hour = index.hour.to_numpy() + index.minute.to_numpy() / 60
    for b, brand in enumerate(brands):
        rate = per_bucket * (0.4 + 1.2 * np.exp(-(((hour - 15) / 5) ** 2))) * (1 + 0.3 * b)
        storm = np.zeros(len(index), dtype=bool)
        if storm_at is not None:
            minutes = (index - pd.Timestamp(storm_at)) / pd.Timedelta(minutes=1)
            storm = (minutes >= 0) & (minutes < storm_hours * 60)
            rate = np.where(storm, rate * np.minimum(10.0, 2 ** ((minutes + 5) / 30)), rate)
        counts = rng.poisson(rate)
        rows = np.repeat(np.arange(len(index)), counts)
        in_storm = storm[rows]
        n = len(rows)
        negative = rng.random(n) < np.where(in_storm, 0.45, 0.1)
        calm = rng.choice(_CALM, n)
        stormy = rng.choice(_STORM, n)
        new = in_storm & (rng.random(n) < 0.6)
        author_id = np.where(in_storm, rng.integers(0, 400, n), rng.integers(0, 60, n))
        parts.append(
            pd.DataFrame(
                {
                    "timestamp": index[rows]
                    + pd.to_timedelta(rng.integers(0, 299_000, n), unit="ms"),
                    "text": np.where(in_storm & negative, stormy, calm),
                    "brand": brand,
                    "author": [
                        f"@{'new' if k else 'u'}{a}" for k, a in zip(new, author_id, strict=True)
                    ],
                    "platform": rng.choice(["x", "instagram", "tiktok"], n),
                    "reach": rng.lognormal(5, 2, n).astype(int),
                    "kind": rng.choice(["post", "repost", "reply"], n),
                    "negativity": np.where(
                        negative, rng.uniform(0.6, 1.0, n), rng.uniform(0, 0.4, n)
                    ),
                }
            )
        )
    frame = pd.concat(parts).sort_values("timestamp", kind="stable").reset_index(drop=True)
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    frame["id"] = [f"m{i}" for i in range(len(frame))]
    frame["reach"] = frame["reach"].astype("Int64")
    for column in ("text", "brand", "author", "platform", "kind", "id"):
        frame[column] = frame[column].astype("string")
    return frame


def make_series(
    *, days: float = 5.0, level: float = 30.0, seed: int = 0, spikes: tuple[int, ...] = ()
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    index = pd.date_range(START, periods=int(days * 288), freq="5min", name="bucket_start")
    volume = rng.poisson(level, len(index)).astype(float)
    for i in spikes:
        volume[i : i + 3] = [level * 6, level * 12, level * 5]
    return pd.DataFrame({"volume": volume}, index=index)


@pytest.fixture
def mentions() -> Callable[..., pd.DataFrame]:
    return make_mentions


@pytest.fixture
def volume_series() -> Callable[..., pd.DataFrame]:
    return make_series
