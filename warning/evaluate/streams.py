"""Evaluate alerts on labelled streams in memory: NAB scores plus alert metrics.

>>> import pandas as pd
>>> index = pd.date_range("2015-03-01", periods=2000, freq="5min", tz="UTC")
>>> volume = pd.Series(20.0, index=index)
>>> volume.iloc[1500:1510] = 400.0
>>> stream = StreamInput(
...     name="demo", volume=volume, flagged=(index[1500],), labels=(index[1503],),
...     windows=((index[1400], index[1600]),))
>>> report = evaluate_streams([stream])
>>> round(report.nab["standard"].score, 1), report.onsets_caught, report.median_minutes
(93.1, 1, 0.0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd

from warning.evaluate.nab import PROFILES, NabStream, score_corpus
from warning.evaluate.onsets import Window, alert_stats, spike_onsets
from warning.evaluate.report import EvaluationReport, NabFigures, StreamEvaluation

__all__ = ["StreamInput", "evaluate_streams"]


@dataclass(frozen=True, slots=True)
class StreamInput:
    """One stream to evaluate: its volume, the buckets alerts fired on, and the truth.

    ``onsets`` (known truth, e.g. synthetic storms) replace the onsets derived from
    ``labels``; ``labels`` then only choose each onset's window.
    """

    name: str
    volume: pd.Series
    flagged: tuple[pd.Timestamp, ...]
    windows: tuple[Window, ...]
    labels: tuple[pd.Timestamp, ...] = ()
    onsets: tuple[pd.Timestamp, ...] | None = None
    alerts: int | None = None  # alert lines behind the flags, when known


def _index_ns(index: pd.DatetimeIndex) -> np.ndarray:
    return np.asarray(index.tz_convert("UTC").as_unit("ns").asi8, dtype="int64")


def _flag_rows(index: pd.DatetimeIndex, flagged: Sequence[pd.Timestamp]) -> np.ndarray:
    """Row positions holding each flagged instant (instants outside the series dropped)."""
    if not flagged:
        return np.zeros(0, dtype="int64")
    stamps = _index_ns(index)
    step = int(stamps[1] - stamps[0]) if len(stamps) > 1 else 1
    wanted = np.array([pd.Timestamp(f).as_unit("ns").value for f in flagged], dtype="int64")
    rows = np.searchsorted(stamps, wanted, side="right") - 1
    ok = (rows >= 0) & (wanted < stamps[-1] + step)
    return np.unique(rows[ok])


def evaluate_streams(
    streams: Sequence[StreamInput],
    *,
    late: timedelta = timedelta(hours=3),
    merge_gap: timedelta = timedelta(hours=1),
    probation_percent: float = 0.15,
    skipped: Sequence[str] = (),
    settings: Mapping[str, Any] | None = None,
) -> EvaluationReport:
    """NAB scores of all three profiles (streams summed, then normalised) and alert metrics."""
    nab_streams: list[NabStream] = []
    flag_rows: list[np.ndarray] = []
    for s in streams:
        index = pd.DatetimeIndex(s.volume.index)
        rows = _flag_rows(index, s.flagged)
        scores = np.zeros(len(index), dtype="float64")
        scores[rows] = 1.0
        windows = [
            (pd.Timestamp(a).as_unit("ns").value, pd.Timestamp(b).as_unit("ns").value)
            for a, b in s.windows
        ]
        nab_streams.append(NabStream(s.name, _index_ns(index), scores, windows))
        flag_rows.append(rows)
    corpus = {
        name: score_corpus(nab_streams, p, probation_percent=probation_percent)
        for name, p in PROFILES.items()
    }
    evaluations: list[StreamEvaluation] = []
    for i, s in enumerate(streams):
        index = pd.DatetimeIndex(s.volume.index)
        onsets = list(s.onsets) if s.onsets is not None else spike_onsets(s.volume, s.labels)
        labels = list(s.labels) if s.onsets is None and s.labels else None
        stats = alert_stats(
            index,
            [index[r] for r in flag_rows[i]],
            onsets,
            s.windows,
            labels=labels,
            late=late,
            merge_gap=merge_gap,
            probation_percent=probation_percent,
        )
        figures = {}
        for name, result in corpus.items():
            row = result.streams[i]
            figures[name] = NabFigures(
                score=result.stream_score(i),
                raw=row.score,
                null=result.nulls[i],
                perfect=result.perfects[i],
                tp=row.tp,
                fp=row.fp,
                fn=row.fn,
                tn=row.tn,
            )
        evaluations.append(
            StreamEvaluation(
                name=s.name,
                rows=len(index),
                alerts=s.alerts if s.alerts is not None else len(s.flagged),
                flagged_rows=len(flag_rows[i]),
                windows=len(s.windows),
                nab=figures,
                stats=stats,
            )
        )
    totals = {
        name: NabFigures(
            score=result.score,
            raw=result.raw,
            null=result.null,
            perfect=result.perfect,
            tp=sum(r.tp for r in result.streams),
            fp=sum(r.fp for r in result.streams),
            fn=sum(r.fn for r in result.streams),
            tn=sum(r.tn for r in result.streams),
        )
        for name, result in corpus.items()
    }
    base = {
        "late_hours": pd.Timedelta(late).total_seconds() / 3600,
        "merge_gap_minutes": pd.Timedelta(merge_gap).total_seconds() / 60,
        "probation_percent": probation_percent,
    }
    return EvaluationReport(
        streams=tuple(evaluations),
        nab=totals,
        settings={**base, **(settings or {})},
        skipped=tuple(skipped),
    )
