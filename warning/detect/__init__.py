"""Detect: the seasonal, storm-aware online change-point detector (ruptures lives here only).

- :class:`SeasonalStormDetector` — the online estimator: one :class:`Bucket` in,
  one :class:`Decision` out, bounded state per brand;
- :class:`SeasonalBaseline`, :class:`Channel` — its parts (expected volume; spike,
  CUSUM and novelty tests on the Anscombe scale);
- :mod:`warning.detect.storm` — the "storm, not just spike" severity rule;
- :class:`ChangePointSearch`, :func:`locate_shift` — ruptures' ``KernelCPD`` behind
  our contract (linear kernel, ``jump=1``, explicit ``min_size``);
- :mod:`warning.detect.config` — strict settings (detector parameters, per-brand
  overrides, expected-spike windows); YAML files are read by
  :func:`warning.pipeline.load_config`.
"""

from __future__ import annotations

from warning.detect.baseline import SeasonalBaseline
from warning.detect.changepoint import ChangePointSearch, Shift, locate_shift, stabilise
from warning.detect.channel import Channel
from warning.detect.estimator import Estimator, clone
from warning.detect.frames import buckets_from_frame, decisions_frame
from warning.detect.seasonal import SeasonalStormDetector
from warning.detect.storm import StormEvidence, StormMarkers, grade
from warning.detect.types import Bucket, Decision, ExpectedSpike

__all__ = [
    "Bucket",
    "ChangePointSearch",
    "Channel",
    "Decision",
    "Estimator",
    "ExpectedSpike",
    "SeasonalBaseline",
    "SeasonalStormDetector",
    "Shift",
    "StormEvidence",
    "StormMarkers",
    "buckets_from_frame",
    "clone",
    "decisions_frame",
    "grade",
    "locate_shift",
    "stabilise",
]
