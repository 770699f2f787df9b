"""Synthetic brand streams with known truth, deterministic from a seed.

>>> stream = make_stream(kind="storm", level=2.0, weeks=2, seed=7, speed="fast",
...                      onset="saturday-evening")
>>> (storm,) = stream.storms
>>> local = storm.onset.tz_convert("Europe/Berlin")
>>> local.strftime("%A"), 19 <= local.hour <= 22, storm.doubling_minutes
('Saturday', True, 20.0)
>>> after_peak = stream.frame.loc[storm.peak_at : storm.peak_at + pd.Timedelta(hours=1)]
>>> bool(after_peak["negative"].sum() / after_peak["volume"].sum() > 0.35)
True
>>> stream.frame.equals(make_stream(kind="storm", level=2.0, weeks=2, seed=7, speed="fast",
...                                 onset="saturday-evening").frame)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, TypeAlias

import numpy as np
import pandas as pd

from warning.datasets.events import (
    CAMPAIGN,
    SPEEDS,
    EventShape,
    ExpectedWindow,
    TruthEvent,
    event_curves,
)
from warning.datasets.mentions import draw_mentions
from warning.datasets.profile import PROFILE_ZONE, weekly_profile
from warning.datasets.signals import Signals, draw_series_frame
from warning.errors import UsageError

__all__ = [
    "DEFAULT_START",
    "LEVELS",
    "StreamKind",
    "SyntheticStream",
    "make_benchmark_suite",
    "make_stream",
]

StreamKind = Literal["quiet", "growth", "campaign", "storm", "mixed"]
Onset: TypeAlias = Literal["saturday-evening", "weekday"] | datetime | pd.Timestamp | None

#: Mean mentions per 5-minute bucket of the benchmark streams.
LEVELS: tuple[float, ...] = (0.2, 2.0, 20.0, 200.0)
#: Streams start on a Monday, midnight in Berlin (the fourth week holds the spring DST switch).
DEFAULT_START = pd.Timestamp("2026-03-02 00:00", tz=PROFILE_ZONE).tz_convert("UTC")
_KINDS = ("quiet", "growth", "campaign", "storm", "mixed")


@dataclass(frozen=True, slots=True)
class SyntheticStream:
    """A synthetic stream: its series frame, the truth, and (small cases) its mentions."""

    name: str
    brand: str
    kind: str
    level: float
    seed: int
    frame: pd.DataFrame  # SERIES_COLUMNS + platform:<name>, bucket_start index
    truth: tuple[TruthEvent, ...]
    expected_windows: tuple[ExpectedWindow, ...]
    expected_volume: pd.Series  # the noise-free rate, events included
    mentions: pd.DataFrame | None = None  # MENTION_COLUMNS + negativity

    @property
    def storms(self) -> tuple[TruthEvent, ...]:
        return tuple(e for e in self.truth if e.kind == "storm")

    @property
    def campaigns(self) -> tuple[TruthEvent, ...]:
        return tuple(e for e in self.truth if e.kind == "campaign")

    def storm_windows(
        self, before: timedelta = timedelta(hours=1)
    ) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
        """Scoring windows ``[onset - before, end]`` of the storms (campaigns are not windows)."""
        return [(e.onset - pd.Timedelta(before), e.end) for e in self.storms]


def _bucket(instant: pd.Timestamp, index: pd.DatetimeIndex) -> pd.Timestamp:
    position = min(max(int(index.searchsorted(instant, side="right")) - 1, 0), len(index) - 1)
    return pd.Timestamp(index[position])


def _onset(
    choice: Onset, rng: np.random.Generator, start: pd.Timestamp, weeks: int, kind: str
) -> pd.Timestamp:
    """An onset in the last week: Saturday evening, a weekday, or an explicit instant."""
    if isinstance(choice, datetime | pd.Timestamp):
        stamp = pd.Timestamp(choice)
        if stamp.tzinfo is None:
            raise UsageError(f"The 'onset' parameter must be an aware instant. Got {choice!r}.")
        return stamp.tz_convert("UTC")
    last_week = start.tz_convert(PROFILE_ZONE).normalize() + pd.Timedelta(weeks=weeks - 1)
    if choice is None:
        choice = "saturday-evening" if rng.random() < 0.5 else "weekday"
    if choice == "saturday-evening":
        day, minute = 5, 19 * 60 + 5 * int(rng.integers(0, 37))
    elif choice == "weekday":
        day, minute = int(rng.integers(0, 5)), 8 * 60 + 5 * int(rng.integers(0, 13 * 12))
    else:
        raise UsageError(
            "The 'onset' parameter must be 'saturday-evening', 'weekday', an aware instant or "
            f"None. Got {choice!r} instead."
        )
    if kind == "campaign":
        minute = 10 * 60 if rng.random() < 0.5 else 20 * 60 + 15
    local = (last_week + pd.Timedelta(days=day)).tz_localize(None) + pd.Timedelta(minutes=minute)
    return (
        pd.Timestamp(local).tz_localize(PROFILE_ZONE, nonexistent="shift_forward").tz_convert("UTC")
    )


def make_stream(
    kind: StreamKind = "storm",
    level: float = 2.0,
    weeks: int = 4,
    seed: int = 0,
    *,
    speed: str = "fast",
    onset: Onset = None,
    growth: float | None = None,
    start: datetime | pd.Timestamp | None = None,
    freq: str | timedelta = "5min",
    brand: str = "acme",
    mentions: bool = False,
) -> SyntheticStream:
    """One synthetic stream (see the package docstring for what each part means).

    ``kind``: ``quiet`` (seasonal noise), ``growth`` (plus slow growth, +50 % over the
    stream unless ``growth`` says otherwise), ``campaign`` (one campaign spike in the
    last week), ``storm`` (one storm in the last week at ``speed`` ``fast``, ``medium``
    or ``slow``) or ``mixed`` (a campaign a week before a storm). ``level`` is the
    mean mentions per 5 minutes; ``onset`` is ``"saturday-evening"``, ``"weekday"``,
    an aware instant, or None (drawn from the seed). ``mentions=True`` also draws
    the individual mentions (small cases only).
    """
    if kind not in _KINDS:
        raise UsageError(f"The 'kind' parameter must be one of {', '.join(_KINDS)}. Got {kind!r}.")
    if speed not in SPEEDS:
        raise UsageError(
            f"The 'speed' parameter must be one of {', '.join(SPEEDS)}. Got {speed!r}."
        )
    if not level > 0 or weeks < 1:
        raise UsageError(
            f"'level' must be > 0 and 'weeks' >= 1. Got level={level!r}, weeks={weeks!r}."
        )
    rng = np.random.default_rng([seed, int(level * 1000), _KINDS.index(kind), weeks])
    first = DEFAULT_START if start is None else pd.Timestamp(start).tz_convert("UTC")
    step = pd.Timedelta(freq)
    index = pd.date_range(
        first.floor(step),
        periods=int(pd.Timedelta(weeks=weeks) / step),
        freq=step,
        name="bucket_start",
    ).as_unit("ns")
    scale = step / pd.Timedelta(minutes=5)
    rise = growth if growth is not None else (0.5 if kind == "growth" else 0.0)
    elapsed = np.linspace(0.0, 1.0, len(index))
    baseline = level * scale * weekly_profile(index) * (1.0 + rise) ** elapsed
    base_negative = float(rng.uniform(0.08, 0.16))
    peak_negative = min(base_negative + float(rng.uniform(0.3, 0.45)), 0.85)

    truth: list[TruthEvent] = []
    windows: list[ExpectedWindow] = []
    zeros = np.zeros(len(index))
    parts = {"storm": (zeros, zeros), "campaign": (zeros, zeros)}
    plans: list[tuple[str, pd.Timestamp, EventShape]] = []
    if kind in ("campaign", "mixed"):
        if kind == "mixed":  # the campaign a week before the storm
            when = _onset("weekday", rng, first, weeks - 1, "campaign")
        else:
            when = _onset(onset, rng, first, weeks, "campaign")
        plans.append(("campaign", _bucket(when, index), CAMPAIGN))
    if kind in ("storm", "mixed"):
        plans.append(
            ("storm", _bucket(_onset(onset, rng, first, weeks, "storm"), index), SPEEDS[speed])
        )
    for event, when, shape in plans:
        curves = event_curves(index, baseline, when, shape, min_extra=6.0 * scale)
        parts[event] = (curves.extra, curves.progress)
        peak = _bucket(curves.peak_at, index)
        at = int(index.get_loc(peak))
        storm = event == "storm"
        truth.append(
            TruthEvent(
                kind="storm" if storm else "campaign",
                onset=when,
                peak_at=peak,
                end=curves.end,
                peak_volume=float(baseline[at] + curves.extra[at]),
                peak_ratio=float((baseline[at] + curves.extra[at]) / baseline[at]),
                base_negative_share=base_negative,
                peak_negative_share=peak_negative if storm else base_negative,
                doubling_minutes=shape.doubling_minutes,
                speed=speed if storm else None,
            )
        )
        if not storm:
            windows.append(
                ExpectedWindow(
                    start=when - pd.Timedelta(minutes=30),
                    end=curves.end + pd.Timedelta(hours=1),
                    label="campaign launch",
                    expected_ratio=curves.ratio,
                )
            )
    signals = Signals.build(
        index,
        baseline,
        storm_extra=parts["storm"][0],
        storm=parts["storm"][1],
        campaign_extra=parts["campaign"][0],
        campaign=parts["campaign"][1],
        base_negative=base_negative,
        peak_negative=peak_negative,
    )
    drawn = None
    if mentions:
        drawn, frame = draw_mentions(signals, rng, brand=brand, display=brand.title())
    else:
        frame = draw_series_frame(signals, rng)
    label = f"{kind}-{speed}" if kind in ("storm", "mixed") else kind
    return SyntheticStream(
        name=f"{label}-L{level:g}-s{seed}", brand=brand, kind=kind, level=level, seed=seed,
        frame=frame, truth=tuple(sorted(truth, key=lambda e: e.onset)),
        expected_windows=tuple(windows),
        expected_volume=pd.Series(signals.rate, index=index, name="expected_volume"),
        mentions=drawn)  # fmt: skip


def make_benchmark_suite(
    seed: int = 0, *, weeks: int = 4, levels: tuple[float, ...] = LEVELS
) -> list[SyntheticStream]:
    """Many streams: per volume level a quiet week, slow growth, a campaign, and storms of
    every speed, some starting on a Saturday evening in Berlin.

    >>> suite = make_benchmark_suite(1, weeks=2, levels=(2.0,))
    >>> [s.name for s in suite][:4]
    ['quiet-L2-s1', 'growth-L2-s1', 'campaign-L2-s1', 'storm-fast-sat-L2-s1']
    >>> sum(len(s.storms) for s in suite), len({s.name for s in suite}) == len(suite)
    (5, True)
    """
    plan: list[tuple[StreamKind, str, Onset]] = [
        ("quiet", "fast", None),
        ("growth", "fast", None),
        ("campaign", "fast", "weekday"),
        ("storm", "fast", "saturday-evening"),
        ("storm", "fast", "weekday"),
        ("storm", "medium", "saturday-evening"),
        ("storm", "slow", "weekday"),
        ("mixed", "medium", "weekday"),
    ]
    streams = []
    for level in levels:
        for k, (kind, speed, onset) in enumerate(plan):
            stream = make_stream(kind=kind, level=level, weeks=weeks, seed=seed * 100 + k,
                                 speed=speed, onset=onset)  # fmt: skip
            label = f"{kind}-{speed}" if kind in ("storm", "mixed") else kind
            if kind == "storm":
                label += "-sat" if onset == "saturday-evening" else "-wkd"
            streams.append(_renamed(stream, f"{label}-L{level:g}-s{seed}"))
    return streams


def _renamed(stream: SyntheticStream, name: str) -> SyntheticStream:
    from dataclasses import replace

    return replace(stream, name=name)
