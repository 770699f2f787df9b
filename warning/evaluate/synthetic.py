"""Evaluating alerts on synthetic streams, where the truth is known exactly.

Storm onsets are the true onsets; each storm's window is ``[onset - 1 h, end]``;
campaign spikes are not windows, so alerts on them count as false alarms (use a
severity floor of ``warning`` to check that campaigns stay at ``watch``).

>>> from warning.datasets import make_stream
>>> from warning.evaluate import evaluate_streams
>>> stream = make_stream("storm", level=20.0, weeks=2, seed=1, speed="fast")
>>> onset = stream.storms[0].onset
>>> report = evaluate_streams([synthetic_input(stream, [onset + pd.Timedelta(minutes=10)])])
>>> report.onsets_caught, report.median_minutes, report.false_alarms_per_week
(1, 10.0, 0.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import pandas as pd

from warning.datasets import SyntheticStream
from warning.evaluate.streams import StreamInput

__all__ = ["campaign_flags", "synthetic_input"]


def synthetic_input(
    stream: SyntheticStream,
    flagged: Sequence[pd.Timestamp],
    *,
    before: timedelta = timedelta(hours=1),
) -> StreamInput:
    """A :class:`StreamInput` with the stream's true storm onsets and storm windows."""
    return StreamInput(
        name=stream.name,
        volume=stream.frame["volume"],
        flagged=tuple(pd.Timestamp(f) for f in flagged),
        windows=tuple(stream.storm_windows(before)),
        labels=tuple(e.peak_at for e in stream.storms),
        onsets=tuple(e.onset for e in stream.storms),
    )


def campaign_flags(stream: SyntheticStream, flagged: Sequence[pd.Timestamp]) -> list[pd.Timestamp]:
    """The flags that fall inside the stream's declared expected-spike windows."""
    return [
        pd.Timestamp(f)
        for f in flagged
        if any(w.start <= pd.Timestamp(f) <= w.end for w in stream.expected_windows)
    ]
