"""The Numenta Anomaly Benchmark (NAB) score, computed exactly as NAB 1.x computes it.

This follows NAB's ``nab/sweeper.py`` (row scores and the threshold sweep),
``nab/scorer.py`` (per-file scoring at one threshold, files summed) and
``Runner.normalize`` (the 0-100 scale), rule for rule:

* The first ``min(floor(0.15 * rows), 0.15 * 5000)`` rows of a file are probation:
  neither detections nor windows there are scored.
* A row inside a window ``[l, r]`` (width ``w = r - l + 1``) is worth
  ``S(-(r - i + 1) / w) * TP / S(-1)`` with ``S(x) = 2 / (1 + exp(5x)) - 1``, so the
  window's first row is worth exactly ``TP`` and its last about ``0.2 * TP`` for
  NAB-sized windows. Only the best (earliest) detection of a window counts; a window
  without one costs ``-FN``.
* A row outside windows is worth ``S(|r_prev - i| / (w_prev - 1)) * FP`` after a
  window (about 0 right after it, ``-FP`` from three window lengths on), and
  ``-FP`` before the first window (``S(x) = -1`` for ``x >= 3``). Every detected row
  outside windows is summed.
* A file's raw score at a threshold sums its windows and false positives; files
  are summed; ``score = 100 * (raw - null) / (perfect - null)`` with ``null`` the
  raw score of a detector that flags nothing (``-FN`` per scored window) and
  ``perfect = TP * windows``.

**Binary flags.** NAB scores continuous anomaly scores and picks, per profile, the
threshold that maximises the corpus score. Our detector emits alerts, i.e. flags:
a flagged row gets anomaly score 1.0 and every other row 0.0, and we score at
threshold 1.0 (the rows at or above it are exactly the flagged ones). NAB's
optimiser, given such scores, could only choose between flagging nothing (threshold
above 1: score 0), these flags (1.0), and every row (0.0); :func:`optimise_threshold`
reproduces that choice for any scores, but the numbers we report are those of the
flags, the alerts a person would actually have received.

Deviations, only where NAB has no defined behaviour: window limits that are not
row timestamps are moved inward to the nearest rows (NAB rejects them), overlapping
windows are merged (as NAB's labeller does), a window of a single row is followed
by full-weight false positives (NAB divides by zero), and a threshold below every
observed score selects the last sweep row instead of NAB's ``None``.

>>> import numpy as np
>>> rows = np.arange(2000, dtype="int64")
>>> windows = [(1000, 1099)]
>>> flags = np.zeros(2000); flags[1000] = 1.0
>>> perfect = score_corpus([NabStream("s", rows, flags, windows)], PROFILES["standard"])
>>> round(perfect.score, 6), perfect.streams[0].tp
(100.0, 1)
>>> nothing = score_corpus([NabStream("s", rows, np.zeros(2000), windows)], PROFILES["standard"])
>>> nothing.score
0.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "PROFILES",
    "CostProfile",
    "NabCorpusScore",
    "NabStream",
    "ThresholdScore",
    "normalised_score",
    "optimise_threshold",
    "probation_rows",
    "scaled_sigmoid",
    "score_by_threshold",
    "score_corpus",
    "sweep",
]

_OUTSIDE = -1
_PROBATION = -2


@dataclass(frozen=True, slots=True)
class CostProfile:
    """NAB application profile: weights of a true positive, false negative, false positive."""

    name: str
    tp: float
    fn: float
    fp: float


#: The three NAB profiles (names as in NAB's ``config/profiles.json``).
PROFILES: dict[str, CostProfile] = {
    "standard": CostProfile("standard", tp=1.0, fn=1.0, fp=0.11),
    "reward_low_FP_rate": CostProfile("reward_low_FP_rate", tp=1.0, fn=1.0, fp=0.22),
    "reward_low_FN_rate": CostProfile("reward_low_FN_rate", tp=1.0, fn=2.0, fp=0.11),
}


def scaled_sigmoid(position: float) -> float:
    """NAB's ``scaledSigmoid``: ``2 * sigmoid(-5 x) - 1``, and -1 from ``x >= 3`` on.

    >>> round(scaled_sigmoid(-1.0), 5), scaled_sigmoid(0.0), scaled_sigmoid(3.0)
    (0.98661, 0.0, -1.0)
    """
    if position >= 3.0:
        return -1.0
    return 2 * (1 / (1 + math.exp(5 * position))) - 1.0


def probation_rows(rows: int, percent: float = 0.15) -> float:
    """Rows at the start of a file that are not scored: ``min(floor(p * n), p * 5000)``."""
    return min(math.floor(percent * rows), percent * 5000)


@dataclass(frozen=True, slots=True)
class NabStream:
    """One data file: row timestamps (any sortable ints, e.g. epoch ns), scores, windows.

    ``windows`` are ``(start, end)`` in the same units as ``timestamps``, inclusive.
    """

    name: str
    timestamps: np.ndarray
    anomaly_scores: np.ndarray
    windows: Sequence[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class _Sweep:
    """Per scorable row: anomaly score, unweighted NAB score, window id (or outside)."""

    scores: np.ndarray
    unweighted: np.ndarray
    window: np.ndarray
    windows: int  # windows after snapping and merging
    scored_windows: int  # windows with at least one row after probation


def snap_windows(
    timestamps: np.ndarray, windows: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Windows as inclusive row-index ranges: limits moved inward to rows, overlaps merged."""
    spans: list[tuple[int, int]] = []
    for start, end in sorted((int(a), int(b)) for a, b in windows):
        left = int(np.searchsorted(timestamps, start, side="left"))
        right = int(np.searchsorted(timestamps, end, side="right")) - 1
        if left > right:
            continue
        if spans and left <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], right))
        else:
            spans.append((left, right))
    return spans


def sweep(stream: NabStream, probation_percent: float = 0.15) -> _Sweep:
    """NAB's ``calcSweepScore`` without the profile weights (applied in scoring)."""
    n = len(stream.timestamps)
    spans = snap_windows(np.asarray(stream.timestamps), stream.windows)
    unweighted = np.empty(n, dtype="float64")
    window = np.full(n, _OUTSIDE, dtype="int64")
    inside = np.zeros(n, dtype="bool")
    previous_right: int | None = None
    previous_width = 0.0
    cursor = 0
    for w, (left, right) in enumerate([*spans, (n, n)]):
        for i in range(cursor, min(left, n)):  # rows before this window
            if previous_right is None:
                position = 3.0
            elif previous_width <= 1:
                position = math.inf
            else:
                position = abs(previous_right - i) / (previous_width - 1)
            unweighted[i] = scaled_sigmoid(position)
        if left >= n:
            break
        width = float(right - left + 1)
        for i in range(left, right + 1):
            unweighted[i] = scaled_sigmoid(-(right - i + 1) / width)
        window[left : right + 1] = w
        inside[left : right + 1] = True
        previous_right, previous_width, cursor = right, width, right + 1
    probation = probation_rows(n, probation_percent)
    rows = np.arange(n)
    window[rows < probation] = _PROBATION
    scorable = window != _PROBATION
    scored_windows = len(set(window[scorable & inside].tolist()))
    return _Sweep(
        scores=np.asarray(stream.anomaly_scores, dtype="float64")[scorable],
        unweighted=unweighted[scorable],
        window=window[scorable],
        windows=len(spans),
        scored_windows=scored_windows,
    )


@dataclass(frozen=True, slots=True)
class ThresholdScore:
    """NAB's ``ThresholdScore``: raw score and row counts with rows >= threshold flagged."""

    threshold: float
    score: float
    tp: int
    tn: int
    fp: int
    fn: int
    total: int


def _weighted(sw: _Sweep, profile: CostProfile) -> np.ndarray:
    max_tp = scaled_sigmoid(-1.0)
    return np.array(
        [
            u * profile.tp / max_tp if w != _OUTSIDE else u * profile.fp
            for u, w in zip(sw.unweighted.tolist(), sw.window.tolist(), strict=True)
        ],
        dtype="float64",
    )


def score_by_threshold(
    sweeps: Sequence[_Sweep], profile: CostProfile, *, stream_ids: Sequence[int] | None = None
) -> list[ThresholdScore]:
    """NAB's ``calcScoreByThreshold`` over the rows of one or more files."""
    ids = list(range(len(sweeps))) if stream_ids is None else list(stream_ids)
    scores: list[float] = []
    sweep_scores: list[float] = []
    windows: list[tuple[int, int] | None] = []
    for sid, sw in zip(ids, sweeps, strict=True):
        scores.extend(sw.scores.tolist())
        sweep_scores.extend(_weighted(sw, profile).tolist())
        windows.extend(None if w == _OUTSIDE else (sid, w) for w in sw.window.tolist())
    order = sorted(range(len(scores)), key=lambda k: scores[k], reverse=True)
    parts: dict[object, float] = {"fp": 0}
    for k in order:
        if windows[k] is not None:
            parts[windows[k]] = -profile.fn
    tn = sum(1 for w in windows if w is None)
    fn = len(windows) - tn
    tp = fp = 0
    threshold = 1.1
    out: list[ThresholdScore] = []
    for k in order:
        if scores[k] != threshold:
            out.append(ThresholdScore(threshold, sum(parts.values()), tp, tn, fp, fn, len(order)))
            threshold = scores[k]
        key = windows[k]
        if key is None:
            fp, tn = fp + 1, tn - 1
            parts["fp"] += sweep_scores[k]
        else:
            tp, fn = tp + 1, fn - 1
            parts[key] = max(parts[key], sweep_scores[k])
    out.append(ThresholdScore(threshold, sum(parts.values()), tp, tn, fp, fn, len(order)))
    return out


def _at_threshold(rows: list[ThresholdScore], threshold: float) -> ThresholdScore:
    """NAB's row matching in ``scoreDataSet`` (last row if the threshold is below all)."""
    previous = rows[0]
    for row in rows:
        if row.threshold == threshold:
            return row
        if row.threshold < threshold:
            return previous
        previous = row
    return rows[-1]


def normalised_score(raw: float, null: float, perfect: float) -> float:
    """``100 * (raw - null) / (perfect - null)``; NaN when there is nothing to score."""
    if perfect == null:
        return math.nan
    return 100 * (raw - null) / (perfect - null)


@dataclass(frozen=True, slots=True)
class NabCorpusScore:
    """Raw scores per file and the normalised corpus score for one profile."""

    profile: CostProfile
    threshold: float
    streams: tuple[ThresholdScore, ...]
    nulls: tuple[float, ...]
    perfects: tuple[float, ...]
    raw: float
    null: float
    perfect: float
    score: float

    def stream_score(self, i: int) -> float:
        """The normalised score of file ``i`` alone."""
        return normalised_score(self.streams[i].score, self.nulls[i], self.perfects[i])


def score_corpus(
    streams: Sequence[NabStream],
    profile: CostProfile,
    *,
    threshold: float = 1.0,
    probation_percent: float = 0.15,
) -> NabCorpusScore:
    """Score every file at ``threshold``, sum the files and normalise (NAB's scoring step)."""
    sweeps = [sweep(s, probation_percent) for s in streams]
    rows = [_at_threshold(score_by_threshold([sw], profile), threshold) for sw in sweeps]
    nulls = tuple(-profile.fn * sw.scored_windows for sw in sweeps)
    perfects = tuple(profile.tp * sw.windows for sw in sweeps)
    raw = sum(r.score for r in rows)
    null, perfect = sum(nulls), sum(perfects)
    return NabCorpusScore(
        profile=profile,
        threshold=threshold,
        streams=tuple(rows),
        nulls=nulls,
        perfects=perfects,
        raw=raw,
        null=null,
        perfect=perfect,
        score=normalised_score(raw, null, perfect),
    )


def optimise_threshold(
    streams: Sequence[NabStream], profile: CostProfile, *, probation_percent: float = 0.15
) -> ThresholdScore:
    """NAB's optimiser: the threshold with the highest raw score over all files together."""
    sweeps = [sweep(s, probation_percent) for s in streams]
    rows = score_by_threshold(sweeps, profile)
    return sorted(rows, key=lambda r: r.score, reverse=True)[0]
