"""Datasets: synthetic brand streams with known truth, for tests, doctests and notebooks.

A stream is a seasonal baseline (weekday and hour on the Berlin wall clock: a
busy Monday morning, a Saturday evening peak) times an optional slow growth, with
Poisson noise at any volume level (the benchmark uses 0.2, 2, 20 and 200 mentions
per 5 minutes), plus events:

* **campaign spikes** — volume up sharply, negative share normal, declared ahead as
  an :class:`ExpectedWindow`;
* **storms** — volume doubling every 20 min (``fast``), 90 min (``medium``) or
  building over a day (``slow``), with the negative share, new authors, reposts and
  high-reach critics rising with it; some start on a Saturday evening in Berlin.

Each event has a :class:`TruthEvent` (onset, peak, end, strength). Frames carry
every series column; small streams can also carry their mentions (German and
English sample posts, authors with reach), so the whole pipeline runs on them.

>>> stream = make_stream(kind="campaign", level=20.0, weeks=2, seed=1)
>>> (campaign,) = stream.campaigns
>>> window = stream.expected_windows[0]
>>> bool(window.start < campaign.onset < campaign.peak_at < window.end)
True
"""

from __future__ import annotations

from warning.datasets.events import SPEEDS, ExpectedWindow, TruthEvent
from warning.datasets.export import write_streams
from warning.datasets.profile import PROFILE_ZONE, weekly_profile
from warning.datasets.synthetic import (
    DEFAULT_START,
    LEVELS,
    StreamKind,
    SyntheticStream,
    make_benchmark_suite,
    make_stream,
)
from warning.datasets.texts import SAMPLE_POSTS, sample_post

__all__ = [
    "DEFAULT_START",
    "LEVELS",
    "PROFILE_ZONE",
    "SAMPLE_POSTS",
    "SPEEDS",
    "ExpectedWindow",
    "StreamKind",
    "SyntheticStream",
    "TruthEvent",
    "make_benchmark_suite",
    "make_stream",
    "sample_post",
    "weekly_profile",
    "write_streams",
]
