"""Expected signals per bucket, and series frames drawn from them with Poisson noise."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from warning.records import SERIES_COLUMNS

__all__ = ["PLATFORM_MIX", "Signals", "draw_series_frame"]

#: Share of mentions per platform.
PLATFORM_MIX: dict[str, float] = {"x": 0.5, "instagram": 0.2, "facebook": 0.15, "tiktok": 0.15}


@dataclass(frozen=True, slots=True)
class Signals:
    """What a bucket is expected to look like (before noise)."""

    index: pd.DatetimeIndex
    rate: np.ndarray  # expected mentions
    baseline: np.ndarray  # expected mentions without events
    negative_share: np.ndarray
    new_share: np.ndarray  # chance that a mention's author is new to the brand
    repost_share: np.ndarray
    quote_share: np.ndarray
    reach_mu: np.ndarray  # log-mean of followers per mention
    storm: np.ndarray  # storm progress in [0, 1]
    campaign: np.ndarray  # campaign progress in [0, 1]

    @classmethod
    def build(
        cls,
        index: pd.DatetimeIndex,
        baseline: np.ndarray,
        *,
        storm_extra: np.ndarray,
        storm: np.ndarray,
        campaign_extra: np.ndarray,
        campaign: np.ndarray,
        base_negative: float,
        peak_negative: float,
    ) -> Signals:
        rate = baseline + storm_extra + campaign_extra
        campaign_part = np.divide(campaign_extra, rate, out=np.zeros_like(rate), where=rate > 0)
        negative = (
            base_negative
            + (peak_negative - base_negative) * np.sqrt(storm)
            - 0.2 * base_negative * campaign_part
        )
        return cls(
            index=index,
            rate=rate,
            baseline=baseline,
            negative_share=np.clip(negative, 0.0, 0.95),
            new_share=np.clip(0.2 + 0.45 * storm + 0.3 * campaign, 0.0, 0.9),
            repost_share=0.25 + 0.25 * storm + 0.2 * campaign,
            quote_share=0.04 + 0.08 * storm + 0.02 * campaign,
            reach_mu=5.5 + 0.6 * storm,
            storm=storm,
            campaign=campaign,
        )


def draw_series_frame(signals: Signals, rng: np.random.Generator) -> pd.DataFrame:
    """A series frame (SERIES_COLUMNS + ``platform:<name>``) drawn from the signals."""
    volume = rng.poisson(signals.rate)
    negative = rng.binomial(volume, signals.negative_share)
    authors = np.where(volume > 0, 1 + rng.binomial(np.maximum(volume - 1, 0), 0.9), 0)
    new_authors = rng.binomial(authors, signals.new_share)
    reposts = rng.binomial(volume, signals.repost_share)
    quote_given_other = signals.quote_share / (1.0 - signals.repost_share)
    quotes = rng.binomial(volume - reposts, np.clip(quote_given_other, 0.0, 1.0))
    owner = np.repeat(np.arange(len(volume)), volume)
    followers = np.floor(rng.lognormal(signals.reach_mu[owner], 1.6))
    reach = np.bincount(owner, weights=followers, minlength=len(volume))
    safe = np.where(volume == 0, 1, volume)
    columns: dict[str, np.ndarray] = {
        "volume": volume,
        "negative": negative,
        "negative_share": np.where(volume == 0, np.nan, negative / safe),
        "authors": authors,
        "new_authors": new_authors,
        "reach": reach,
        "reposts": reposts,
        "quotes": quotes,
        "repost_share": np.where(volume == 0, np.nan, reposts / safe),
        "quote_share": np.where(volume == 0, np.nan, quotes / safe),
    }
    left, share_left = volume.copy(), 1.0
    for name, share in PLATFORM_MIX.items():
        count = rng.binomial(left, min(share / share_left, 1.0)) if share_left > 0 else left
        columns[f"platform:{name}"] = count
        left, share_left = left - count, share_left - share
    order = [*SERIES_COLUMNS, *sorted(c for c in columns if c.startswith("platform:"))]
    return pd.DataFrame({c: columns[c] for c in order}, index=signals.index).astype("float64")
