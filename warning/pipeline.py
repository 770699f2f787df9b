"""The detection step shared by live operation and replay: closed buckets in, alerts out.

:class:`DetectionPipeline` holds one online detector per brand (cloned from the
configuration on first sight of the brand) and a bounded buffer of recent mentions
for the alert drivers. Its only notion of time is the ``now`` it is given: a
bucket is decided only once it has closed (``bucket end <= now``), which is what
makes live operation and a replay on a simulated clock produce the same alerts.

>>> from datetime import datetime, timedelta, timezone
>>> from warning.detect import Bucket
>>> pipe = DetectionPipeline(freq="1h", config=parse_config({"detector": {"warmup": "2D"}}))
>>> t0 = datetime(2026, 3, 2, tzinfo=timezone.utc)
>>> for h in range(24 * 7):
...     start = t0 + timedelta(hours=h)
...     _ = pipe.step(start + timedelta(hours=1), [("acme", Bucket(start, 30.0 + (h % 24 > 8) * 30))])
>>> storm = t0 + timedelta(days=7, hours=20)
>>> result = pipe.step(storm + timedelta(hours=1), [("acme", Bucket(storm, 400.0))])
>>> [(a.brand, a.severity.value, a.fired_at.isoformat()) for a in result.alerts]
[('acme', 'watch', '2026-03-09T21:00:00+00:00')]
>>> pipe.step(storm, [("acme", Bucket(storm + timedelta(hours=1), 10.0))])
Traceback (most recent call last):
...
warning.errors.DetectorError: The bucket of acme starting 2026-03-09T21:00:00Z ends at 2026-03-09T22:00:00Z, after now (2026-03-09T20:00:00Z): a decision needs a closed bucket.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from warning.alert import build_alert, explain
from warning.clock import Clock
from warning.detect import Bucket, Decision, SeasonalStormDetector, clone
from warning.detect.config import DetectionConfig, parse_config
from warning.detect.estimator import duration_text
from warning.errors import ConfigError, DetectorError, InputError
from warning.records import Alert, ChangePoint, isoformat_utc

__all__ = ["DetectionPipeline", "StepResult", "load_config", "parse_config"]


@dataclass(slots=True)
class StepResult:
    """What one step decided: every decision, the alerts due and the storms that began."""

    decisions: list[tuple[str, Decision]] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    change_points: list[ChangePoint] = field(default_factory=list)


class DetectionPipeline:
    """Per-brand online detection plus alert building (see the module docstring).

    ``detector`` is an optional template (cloned per brand, its ``freq`` and
    expected spikes taken from here and from ``config``); otherwise each brand
    gets ``config.detector_for(brand)``. ``drivers`` turns the evidence pack on
    alerts on; mentions for it are kept for ``mention_horizon`` (at most
    ``max_mentions`` rows), so memory stays bounded.
    """

    def __init__(
        self,
        config: DetectionConfig | None = None,
        *,
        freq: str = "5min",
        detector: SeasonalStormDetector | None = None,
        drivers: bool = True,
        driver_baseline: timedelta = timedelta(hours=24),
        mention_horizon: timedelta = timedelta(hours=48),
        max_mentions: int = 500_000,
    ) -> None:
        self.config = config or DetectionConfig()
        self.freq = duration_text(freq)
        self.template = detector
        self.drivers = drivers
        self.driver_baseline = driver_baseline
        self.mention_horizon = mention_horizon
        self.max_mentions = max_mentions
        self.step_ = pd.Timedelta(freq).to_pytimedelta()
        self.detectors: dict[str, SeasonalStormDetector] = {}
        self._mentions: deque[tuple[int, int, pd.DataFrame]] = deque()
        self._mention_rows = 0

    def detector_for(self, brand: str) -> SeasonalStormDetector:
        """The brand's detector, created on first use."""
        det = self.detectors.get(brand)
        if det is None:
            if self.template is not None:
                own = tuple(s for s in self.template.expected_spikes if s.applies_to(brand))
                det = clone(self.template).set_params(
                    freq=self.freq,
                    expected_spikes=own + self.config.params_for(brand)["expected_spikes"],
                )
            else:
                det = self.config.detector_for(brand, freq=self.freq)
            det.fit()
            self.detectors[brand] = det
        return det

    def add_mentions(self, mentions: pd.DataFrame) -> None:
        """Keep scored mentions for the drivers of alerts (any order within the frame)."""
        if not self.drivers or mentions.empty:
            return
        ns = pd.to_datetime(mentions["timestamp"], utc=True).to_numpy(dtype="datetime64[ns]")
        ns_int = ns.astype("int64")
        self._mentions.append((int(ns_int.min()), int(ns_int.max()), mentions))
        self._mention_rows += len(mentions)
        while len(self._mentions) > 1 and self._mention_rows > self.max_mentions:
            _, _, old = self._mentions.popleft()
            self._mention_rows -= len(old)

    def _trim(self, now: datetime) -> None:
        horizon = int(pd.Timestamp(now - self.mention_horizon).value)
        while self._mentions and self._mentions[0][1] < horizon:
            _, _, old = self._mentions.popleft()
            self._mention_rows -= len(old)

    def _window(self, start: datetime, end: datetime) -> pd.DataFrame | None:
        lo, hi = int(pd.Timestamp(start).value), int(pd.Timestamp(end).value)
        parts = [f for first, last, f in self._mentions if last >= lo and first < hi]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)

    def step(
        self,
        now: datetime,
        buckets: Iterable[tuple[str, Bucket | Any]],
        into: StepResult | None = None,
    ) -> StepResult:
        """Decide every closed bucket given, in order; ``now`` is the current instant.

        Items are ``(brand, Bucket)`` or ``(brand, row)`` with a row as emitted live by
        :class:`warning.series.SeriesBuilder` (``bucket_start`` and ``values``).
        ``into`` collects the results of many steps in one object (replay does).
        """
        result = StepResult() if into is None else into
        step = self.step_
        for brand, item in buckets:
            bucket = (
                item
                if isinstance(item, Bucket)
                else Bucket.from_values(item.bucket_start, item.values)
            )
            end = bucket.start + step
            if end > now:
                raise DetectorError(
                    f"The bucket of {brand} starting {isoformat_utc(bucket.start)} ends at "
                    f"{isoformat_utc(end)}, after now ({isoformat_utc(now)}): "
                    f"a decision needs a closed bucket."
                )
            det = self.detectors.get(brand) or self.detector_for(brand)
            decision = det.update(bucket)
            result.decisions.append((brand, decision))
            if decision.new_storm and decision.storm_start is not None:
                result.change_points.append(
                    ChangePoint(
                        brand=brand,
                        at=decision.storm_start,
                        detected_at=decision.bucket_end,
                        magnitude=float(decision.metrics.get("volume_ratio") or 0.0),
                        detector=det.name,
                    )
                )
            if decision.alert:
                result.alerts.append(self._alert(brand, det, decision))
        if self._mentions:
            self._trim(now)
        return result

    def tick(
        self,
        clock: Clock,
        buckets: Iterable[tuple[str, Bucket]],
        into: StepResult | None = None,
    ) -> StepResult:
        """:meth:`step` at the clock's current instant (how the live runner calls it)."""
        return self.step(clock.now(), buckets, into)

    def _alert(self, brand: str, det: SeasonalStormDetector, decision: Decision) -> Alert:
        drivers = None
        if self.drivers and self._mentions and decision.storm_start is not None:
            since = decision.storm_start - self.driver_baseline
            window = self._window(since, decision.bucket_end)
            if window is not None:
                share = decision.metrics.get("new_author_share")
                drivers = explain(
                    window,
                    storm_start=decision.storm_start,
                    until=decision.bucket_end,
                    baseline=self.driver_baseline,
                    brand=brand,
                    new_author_share=share,
                )
        return build_alert(brand, decision, det.info(), drivers)

    def state_sizes(self) -> Mapping[str, int]:
        """Bytes of pickled detector state per brand (to show it stays bounded)."""
        import pickle

        return {brand: len(pickle.dumps(det)) for brand, det in self.detectors.items()}


def load_config(path: str | Path | None) -> DetectionConfig:
    """Read a strict YAML detection configuration (see :mod:`warning.detect.config`)."""
    if path is None:
        return DetectionConfig()
    from warning.playbook.yamlload import load_yaml

    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except UnicodeDecodeError:
        raise InputError(f"{source}:1: not a UTF-8 text file") from None
    doc, findings = load_yaml(text, str(source))
    if findings or doc is None:
        raise ConfigError([str(f) for f in findings] or [f"{source}:1:1: empty configuration"])

    def where(loc: tuple[str | int, ...], message: str) -> str:
        return str(doc.finding(loc, message, at_key=True))

    return parse_config(doc.data, where)


def buckets_of(frames: Mapping[str, pd.DataFrame]) -> dict[str, list[Bucket]]:
    """Buckets per brand from series frames."""
    from warning.detect import buckets_from_frame

    return {brand: buckets_from_frame(frame) for brand, frame in frames.items()}
