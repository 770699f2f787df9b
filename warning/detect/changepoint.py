"""Change-point search with ruptures, at C speed, behind our own small contract.

We always use ``KernelCPD(kernel="linear", min_size=..., jump=1)``: the same
breakpoints as ``Pelt(model="l2")`` but computed in C (35 ms instead of 96 s on a
16,000-bucket stream), and ``jump=1`` so breakpoints are never moved to a grid.
Counts are variance-stabilised first (``2·sqrt(x + 3/8)``) so one penalty fits
every volume level.

ruptures reports *end indices*: a breakpoint ``b`` means the old regime covers
indices ``< b`` and the new one starts at ``b``. :func:`breakpoint_times` turns
them into the timestamps of the first bucket of each new regime.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> counts = np.r_[rng.poisson(20, 150), rng.poisson(60, 50), rng.poisson(20, 100)]
>>> search = ChangePointSearch(min_size=3).fit(counts)
>>> search.breakpoints_
[150, 200]
>>> shift = locate_shift(np.r_[np.zeros(40), np.full(5, 6.0)])
>>> shift.index, shift.before, shift.after
(40, 0.0, 6.0)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from warning.detect.estimator import Estimator, check_number
from warning.errors import DetectorError

__all__ = ["ChangePointSearch", "Shift", "breakpoint_times", "locate_shift", "stabilise"]


def stabilise(counts: Any) -> np.ndarray:
    """Anscombe transform of counts: unit variance for Poisson noise at every level."""
    values = np.asarray(counts, dtype="float64")
    out: np.ndarray = 2.0 * np.sqrt(np.clip(values, 0.0, None) + 0.375)
    return out


@dataclass(frozen=True, slots=True)
class Shift:
    """The single best split of a window: new regime starts at ``index``."""

    index: int
    before: float
    after: float
    gain: float

    @property
    def size(self) -> float:
        return self.after - self.before


def _kernel_cpd(min_size: int) -> Any:
    import ruptures

    return ruptures.KernelCPD(kernel="linear", min_size=min_size, jump=1)


def locate_shift(signal: Any, *, min_size: int = 1) -> Shift:
    """Where the mean of ``signal`` shifts, by one-breakpoint ``KernelCPD`` (exact search).

    ``gain`` is the reduction of the squared-error cost achieved by the split.
    """
    values = np.asarray(signal, dtype="float64").reshape(-1, 1)
    n = len(values)
    if n < 2 * min_size:
        raise DetectorError(
            f"A change-point search needs at least {2 * min_size} values with "
            f"min_size={min_size}. Got {n} instead."
        )
    if float(values.max() - values.min()) == 0.0:
        return Shift(
            index=n - min_size, before=float(values[0, 0]), after=float(values[0, 0]), gain=0.0
        )
    algo = _kernel_cpd(min_size).fit(values)
    b = int(algo.predict(n_bkps=1)[0])
    flat = values[:, 0]
    before, after = float(flat[:b].mean()), float(flat[b:].mean())
    total = float(((flat - flat.mean()) ** 2).sum())
    split = float(((flat[:b] - before) ** 2).sum() + ((flat[b:] - after) ** 2).sum())
    return Shift(index=b, before=before, after=after, gain=total - split)


class ChangePointSearch(Estimator):
    """Offline change points of a count series (for analysts and notebooks).

    ``penalty`` is per breakpoint on the stabilised scale; None means a BIC-style
    ``2 · sigma² · log(n)`` with ``sigma`` estimated robustly from the data.
    ``breakpoints_`` lists the index of the first bucket of every new regime.
    """

    def __init__(self, min_size: int = 3, penalty: float | None = None) -> None:
        self.min_size = min_size
        self.penalty = penalty

    def fit(self, counts: Any) -> ChangePointSearch:
        owner = type(self).__name__
        if (
            not isinstance(self.min_size, int)
            or isinstance(self.min_size, bool)
            or self.min_size < 1
        ):
            raise DetectorError(
                f"The 'min_size' parameter of {owner} must be an integer >= 1. "
                f"Got {self.min_size!r} instead."
            )
        signal = stabilise(counts)
        n = len(signal)
        if n < 2 * self.min_size:
            self.breakpoints_: list[int] = []
            self.penalty_ = math.inf
            return self
        if self.penalty is None:
            diffs = np.diff(signal)
            mad = float(np.median(np.abs(diffs - np.median(diffs)))) * 1.4826 / math.sqrt(2.0)
            sigma = max(mad, 1.0)
            self.penalty_ = 2.0 * sigma * sigma * math.log(n)
        else:
            self.penalty_ = check_number(self.penalty, name="penalty", owner=owner, low=0.0)
        algo = _kernel_cpd(self.min_size).fit(signal.reshape(-1, 1))
        # ruptures ends the list with n (the end of the last segment); we keep only
        # the starts of new regimes.
        self.breakpoints_ = [int(b) for b in algo.predict(pen=self.penalty_) if int(b) < n]
        return self


def breakpoint_times(
    breakpoints: Sequence[int], starts: Sequence[datetime], step: timedelta
) -> list[tuple[datetime, datetime]]:
    """``(at, detected_at)`` per breakpoint: first bucket of the new regime, and the end of
    the last bucket of the data that revealed it (the honest detection time offline)."""
    n = len(starts)
    out: list[tuple[datetime, datetime]] = []
    for b in breakpoints:
        if 0 < b < n:
            out.append((starts[b], starts[n - 1] + step))
    return out
