"""The seasonal, storm-aware online detector: one bucket in, one decision out.

Per bucket: the :class:`~warning.detect.baseline.SeasonalBaseline` gives the
expected volume (times the factor of any expected-spike window); a volume
:class:`~warning.detect.channel.Channel` and, when mentions were scored, a
negative-mention channel (expected = expected volume × normal negative share)
test for spikes (one bucket) and sustained rises (CUSUM over several buckets: the
persistence test), and a :class:`~warning.detect.sharescan.ShareScan` tests the
negative share itself over the last 20 minutes.

A trigger opens a storm when it is *novel* for this brand (volume-only evidence
must beat the brand's decaying record of surprises, ``novelty`` × record with a
half-life of ``novelty_memory``) or comes with a significantly rising negative
share (storm evidence, no novelty needed). ruptures then locates where the new
regime started (``change_point_at``) in the trailing ``window`` and confirms the
shift is at least ``allowance`` noise units. The :mod:`storm rule
<warning.detect.storm>` sets the severity, which can only rise.

Why novelty: volume spikes are common for big brands (one viral post, a bot); a
page for each would be noise. "As unusual as anything this brand has seen in the
last weeks" is the volume-only bar; on the NAB tweet streams the human-labelled
anomalies are exactly such record-breakers. Storm evidence bypasses it, so a second
storm right after a bigger one is still caught.

One storm is one alert that can rise in severity: a storm ends after ``quiet_for``
of normal buckets (hysteresis: entering needs ``threshold``, leaving needs the
smoothed residual below ``exit_z``) or after ``max_storm``; a new trigger within
``cooldown`` of its end reopens the same storm (same dedup key). A decision at
bucket *t* uses only buckets up to *t*.

>>> from warning.detect.types import Bucket
>>> from datetime import datetime, timedelta, timezone
>>> det = SeasonalStormDetector(freq="1h", warmup="7D")
>>> t0 = datetime(2026, 3, 2, tzinfo=timezone.utc)
>>> normal = [Bucket(t0 + timedelta(hours=h), 20.0 + (h % 24 > 8) * 30.0, 2.0 + (h % 24 > 8) * 3.0)
...           for h in range(24 * 14)]
>>> _ = det.fit(normal)
>>> d = det.update(Bucket(t0 + timedelta(days=14, hours=20), 200.0, 90.0))
>>> d.state, d.severity.value, d.alert, d.storm_start.isoformat()
('storm', 'critical', True, '2026-03-16T20:00:00+00:00')
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import numpy as np

from warning.detect._step import step
from warning.detect.baseline import SeasonalBaseline
from warning.detect.changepoint import locate_shift
from warning.detect.channel import Channel
from warning.detect.context import RecentWindow, ShareBaselines
from warning.detect.estimator import Estimator, check_number, parse_duration
from warning.detect.frames import as_buckets, jsonable
from warning.detect.sharescan import ShareScan
from warning.detect.storm import StormEvidence, StormMarkers
from warning.detect.types import (
    Bucket,
    Decision,
    DetectorState,
    ExpectedSpike,
    utc_from_epoch,
)
from warning.errors import DetectorError
from warning.records import DetectorInfo, Severity

__all__ = ["SeasonalStormDetector"]


class SeasonalStormDetector(Estimator):
    """Online storm detector for one brand (see the module docstring)."""

    name = "seasonal-storm"

    def __init__(
        self,
        freq: str = "5min",
        tz: str = "UTC",
        weekend: tuple[int, ...] = (5, 6),
        holidays: str | None = None,
        threshold: float = 4.0,
        allowance: float = 2.0,
        cusum_threshold: float = 10.0,
        novelty: float = 1.0,
        novelty_memory: str = "42D",
        min_ratio: float = 2.0,
        guard_p: float = 1e-4,
        baseline_memory: str = "14D",
        level_memory: str = "1D",
        scale_memory: str = "7D",
        share_memory: str = "3D",
        share_rise: float = 0.10,
        doubling_time: str = "2h",
        extreme_ratio: float = 10.0,
        exit_z: float = 1.0,
        quiet_for: str = "1h",
        cooldown: str = "12h",
        max_storm: str = "12h",
        window: str = "6h",
        min_size: int = 1,
        warmup: str = "1D",
        expected_spikes: tuple[ExpectedSpike, ...] = (),
    ) -> None:
        self.freq = freq
        self.tz = tz
        self.weekend = weekend
        self.holidays = holidays
        self.threshold = threshold
        self.allowance = allowance
        self.cusum_threshold = cusum_threshold
        self.novelty = novelty
        self.novelty_memory = novelty_memory
        self.min_ratio = min_ratio
        self.guard_p = guard_p
        self.baseline_memory = baseline_memory
        self.level_memory = level_memory
        self.scale_memory = scale_memory
        self.share_memory = share_memory
        self.share_rise = share_rise
        self.doubling_time = doubling_time
        self.extreme_ratio = extreme_ratio
        self.exit_z = exit_z
        self.quiet_for = quiet_for
        self.cooldown = cooldown
        self.max_storm = max_storm
        self.window = window
        self.min_size = min_size
        self.warmup = warmup
        self.expected_spikes = expected_spikes

    # -- estimator API ---------------------------------------------------------------------

    def fit(self, history: Any = ()) -> SeasonalStormDetector:
        """Start afresh and warm up on ``history`` (a series frame or buckets); optional."""
        self._validate()
        for bucket in as_buckets(history):
            self.update(bucket)
        return self

    def update(self, bucket: Bucket) -> Decision:
        """Learn from one closed bucket and decide; buckets must come in time order."""
        if not hasattr(self, "state_"):
            self._validate()
        return step(self, bucket)

    def score_samples(self, history: Any) -> np.ndarray:
        """Feed ``history`` and return each bucket's score in [0, 1] (0.5 = trigger level)."""
        return np.array([self.update(b).score for b in as_buckets(history)], dtype="float64")

    def info(self) -> DetectorInfo:
        """Name and parameters, as written into every alert."""
        return DetectorInfo(name=self.name, params=jsonable(self.get_params()))

    # -- validation ---------------------------------------------------------------------------

    def _validate(self) -> None:
        owner = type(self).__name__
        step = parse_duration(self.freq, name="freq", owner=owner).total_seconds()

        def steps(name: str) -> int:
            seconds = parse_duration(getattr(self, name), name=name, owner=owner).total_seconds()
            return max(1, round(seconds / step))

        for name in ("threshold", "cusum_threshold", "extreme_ratio", "exit_z"):
            check_number(getattr(self, name), name=name, owner=owner, low=0.0, low_open=True)
        check_number(self.allowance, name="allowance", owner=owner, low=0.0)
        check_number(self.novelty, name="novelty", owner=owner, low=0.0)
        check_number(self.min_ratio, name="min_ratio", owner=owner, low=1.0)
        check_number(self.guard_p, name="guard_p", owner=owner, low=0.0, high=1.0, low_open=True)
        check_number(self.share_rise, name="share_rise", owner=owner, low=0.0, high=1.0)
        if (
            not isinstance(self.min_size, int)
            or isinstance(self.min_size, bool)
            or self.min_size < 1
        ):
            raise DetectorError(
                f"The 'min_size' parameter of {owner} must be an integer >= 1. "
                f"Got {self.min_size!r} instead."
            )
        spikes = []
        for spike in self.expected_spikes:
            if (
                not isinstance(spike, ExpectedSpike)
                or spike.factor <= 0
                or spike.end <= spike.start
            ):
                raise DetectorError(
                    f"The 'expected_spikes' parameter of {owner} must hold ExpectedSpike windows "
                    f"with end after start and a positive factor. Got {spike!r} instead."
                )
            spikes.append((spike.start.timestamp(), spike.end.timestamp(), float(spike.factor)))
        self.spike_windows_ = sorted(spikes)
        self.step_seconds_ = step
        self.step_delta_ = timedelta(seconds=step)
        self.hour_steps_ = max(1, round(3600.0 / step))
        self.warmup_steps_ = steps("warmup")
        self.track_steps_ = self.warmup_steps_ // 2  # novelty records learn from mid-warm-up
        self.quiet_steps_ = steps("quiet_for")
        self.cooldown_seconds_ = steps("cooldown") * step
        self.max_storm_steps_ = steps("max_storm")
        self.doubling_minutes_ = steps("doubling_time") * step / 60.0
        window = max(steps("window"), 2 * self.min_size)
        self.baseline_ = SeasonalBaseline(
            freq=self.freq,
            memory=self.baseline_memory,
            level_memory=self.level_memory,
            tz=self.tz,
            weekend=self.weekend,
            holidays=self.holidays,
        )
        self.baseline_._validate()
        from warning.detect.stats import half_life_alpha

        decay = 0.5 ** (1.0 / steps("novelty_memory"))
        scale_alpha = half_life_alpha(steps("scale_memory"))
        self.volume_ = self._channel(decay, scale_alpha)
        self.negative_ = self._channel(decay, scale_alpha)
        self.shares_ = ShareBaselines(half_life_alpha(steps("share_memory")))
        self.share_scan_ = ShareScan(
            width=max(1, round(1200.0 / step)),  # pools up to the last 20 minutes
            threshold=float(self.threshold),
            share_rise=float(self.share_rise),
            min_excess=5.0,
            scale_alpha=scale_alpha,
        )
        self.recent_ = RecentWindow(steps=window, hour_steps=self.hour_steps_, step_seconds=step)
        self.evidence_ = StormEvidence()
        self.state_: DetectorState = "warmup"
        self.steps_ = 0
        self.last_epoch_ = -np.inf
        self.severity_: Severity | None = None
        self.storm_start_: float | None = None
        self._storm_start_dt: tuple[float, datetime] | None = None
        self.storm_steps_ = 0
        self.quiet_run_ = 0
        self.cooldown_until_ = -np.inf
        self.markers_: StormMarkers | None = None

    def _channel(self, decay: float, scale_alpha: float) -> Channel:
        return Channel(
            threshold=float(self.threshold),
            allowance=float(self.allowance),
            cap=float(self.threshold),
            cusum_threshold=float(self.cusum_threshold),
            novelty=float(self.novelty),
            decay=decay,
            min_ratio=float(self.min_ratio),
            guard_p=float(self.guard_p),
            scale_alpha=scale_alpha,
        )

    def storm_start_at(self) -> datetime | None:
        """Start of the open storm (its change point) as an aware datetime."""
        if self.storm_start_ is None:
            return None
        if self._storm_start_dt is None or self._storm_start_dt[0] != self.storm_start_:
            self._storm_start_dt = (self.storm_start_, utc_from_epoch(self.storm_start_))
        return self._storm_start_dt[1]

    def locate(self, use_negative: bool) -> tuple[float, float]:
        """``(epoch of the change point, shift size)`` in the trailing window (ruptures)."""
        recent = self.recent_
        signal = recent.negative_z if use_negative else recent.volume_z
        n = len(signal)
        if n < 2 * self.min_size:
            return recent.epochs[-1], float("inf")
        shift = locate_shift(np.fromiter(signal, dtype="float64", count=n), min_size=self.min_size)
        return recent.epochs[shift.index], shift.size
