"""Synthetic brand streams with known truth for the detector tests.

Daily and weekly seasonality (a busier Saturday evening is normal), Poisson noise
with mild over-dispersion, negative share, authors, reach; storms with a rising
negative share and campaign spikes with normal negativity can be added.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest

START = datetime.fromisoformat("2026-03-02T00:00:00+00:00")  # a Monday


def profile(index: pd.DatetimeIndex) -> np.ndarray:
    """Expected volume relative to the daily mean: working days peak mid-afternoon,
    weekends are quieter except a lively Saturday evening."""
    hour = index.hour.to_numpy() + index.minute.to_numpy() / 60.0
    daily = 0.35 + 1.3 * np.exp(-(((hour - 15.0) / 4.5) ** 2))
    weekday = index.day_of_week.to_numpy()
    weekend = weekday >= 5
    saturday_evening = (weekday == 5) & (hour >= 18) & (hour < 23)
    return np.where(weekend, 0.6 * daily, daily) * np.where(saturday_evening, 1.6, 1.0)


def make_stream(
    level: float,
    *,
    days: int = 21,
    seed: int = 0,
    negative_share: float = 0.10,
    start: datetime = START,
    freq: str = "5min",
) -> pd.DataFrame:
    """A quiet series frame with the SERIES_COLUMNS the detector reads."""
    rng = np.random.default_rng(seed)
    steps = int(pd.Timedelta(days=days) / pd.Timedelta(freq))
    index = pd.date_range(start, periods=steps, freq=freq, name="bucket_start")
    mean = level * profile(index)
    volume = rng.poisson(rng.gamma(20.0, mean / 20.0)).astype(float)
    frame = pd.DataFrame({"volume": volume}, index=index)
    return _fill(frame, rng, np.full(steps, negative_share), np.full(steps, 0.15))


def _fill(
    frame: pd.DataFrame, rng: np.random.Generator, share: np.ndarray, new: np.ndarray
) -> pd.DataFrame:
    v = frame["volume"].to_numpy().astype(int)
    frame["negative"] = rng.binomial(v, np.clip(share, 0, 1)).astype(float)
    frame["negative_share"] = np.where(v > 0, frame["negative"] / np.maximum(v, 1), np.nan)
    authors = np.maximum(np.round(v * 0.9), np.minimum(v, 1)).astype(int)
    frame["authors"] = authors.astype(float)
    frame["new_authors"] = rng.binomial(authors, np.clip(new, 0, 1)).astype(float)
    frame["reach"] = v * 800.0
    frame["reposts"] = rng.binomial(v, 0.2).astype(float)
    frame["quotes"] = rng.binomial(v, 0.05).astype(float)
    return frame


def add_event(
    frame: pd.DataFrame,
    at: datetime,
    *,
    level: float,
    doubling: timedelta | None = timedelta(hours=1),
    peak: float = 8.0,
    duration: timedelta = timedelta(hours=4),
    share_rise: float = 0.20,
    new_author_share: float = 0.15,
    seed: int = 1,
) -> pd.DataFrame:
    """Add a storm (share_rise > 0) or a campaign spike (share_rise 0) starting at ``at``.

    The extra volume grows from the expected volume at ``at`` with the given
    doubling time (``None``: a step) up to ``peak`` times it.
    """
    rng = np.random.default_rng(seed)
    out = frame.copy()
    index = out.index
    inside = (index >= at) & (index < at + duration)
    t = (index[inside] - pd.Timestamp(at)) / pd.Timedelta(minutes=1)
    mean = level * profile(index[inside])
    if doubling is None:
        factor = np.full(len(t), peak)
    else:
        factor = np.minimum(peak, 2.0 ** ((t.to_numpy() + 5.0) / (doubling / timedelta(minutes=1))))
    extra = rng.poisson(mean * (factor - 1.0)).astype(float)
    base = out.loc[inside, "volume"].to_numpy()
    total = base + extra
    share = np.full(len(out), 0.10)
    share[inside] = 0.10 + share_rise
    new = np.full(len(out), 0.15)
    new[inside] = new_author_share
    volume = out["volume"].to_numpy().copy()
    volume[inside] = total
    fresh = _fill(pd.DataFrame({"volume": volume}, index=index), rng, share, new)
    out.loc[inside, fresh.columns] = fresh.loc[inside, fresh.columns]
    return out


@pytest.fixture
def stream() -> Callable[..., pd.DataFrame]:
    return make_stream


@pytest.fixture
def event() -> Callable[..., pd.DataFrame]:
    return add_event
