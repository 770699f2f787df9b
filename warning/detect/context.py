"""Slow baselines of what a normal bucket looks like beyond volume, and recent history.

:class:`ShareBaselines` keeps exponentially forgetting ratios (negative share,
new-author share, reach per mention, repost-and-quote share) learned from buckets
outside storms; :class:`RecentWindow` keeps the last hours of residuals for the
change-point search and the last hour of smoothed volume for the doubling time.
Both have fixed-size state.

>>> sb = ShareBaselines(alpha=0.5)
>>> sb.learn(volume=100.0, negative=10.0, authors=90.0, new_authors=9.0,
...          reach=5e4, reposts=5.0, quotes=5.0)
>>> round(sb.negative_share or 0, 3), round(sb.new_author_share or 0, 3), sb.reach_per_mention
(0.1, 0.1, 500.0)
>>> w = RecentWindow(steps=4, hour_steps=2, step_seconds=1800.0)
>>> for i, v in enumerate([10.0, 10.0, 20.0, 40.0]):
...     w.push(epoch=i * 1800.0, volume_z=0.0, negative_z=0.0, volume=v)
>>> round(w.doubling_minutes() or 0)
41
"""

from __future__ import annotations

import math
from collections import deque

__all__ = ["RecentWindow", "ShareBaselines"]


class ShareBaselines:
    """Exponentially forgetting ratio baselines (``None`` until something is known)."""

    __slots__ = ("_amp", "_neg", "_new", "_reach", "alpha")

    def __init__(self, alpha: float) -> None:
        self.alpha = alpha
        self._neg = [0.0, 0.0]
        self._new = [0.0, 0.0]
        self._reach = [0.0, 0.0]
        self._amp = [0.0, 0.0]

    def learn(
        self,
        *,
        volume: float,
        negative: float,
        authors: float,
        new_authors: float,
        reach: float,
        reposts: float,
        quotes: float,
    ) -> None:
        if negative == negative:
            self._update(self._neg, negative, volume)
        if authors == authors and new_authors == new_authors:
            self._update(self._new, new_authors, authors)
        if reach == reach:
            self._update(self._reach, reach, volume)
        if reposts == reposts or quotes == quotes:
            amp = (reposts if reposts == reposts else 0.0) + (quotes if quotes == quotes else 0.0)
            self._update(self._amp, amp, volume)

    def _update(self, pair: list[float], num: float, den: float) -> None:
        a = self.alpha
        pair[0] += a * (num - pair[0])
        pair[1] += a * (den - pair[1])

    @staticmethod
    def _ratio(pair: list[float], minimum: float = 1e-9) -> float | None:
        return pair[0] / pair[1] if pair[1] > minimum else None

    @property
    def negative_share(self) -> float | None:
        return self._ratio(self._neg)

    @property
    def new_author_share(self) -> float | None:
        return self._ratio(self._new)

    @property
    def reach_per_mention(self) -> float | None:
        return self._ratio(self._reach)

    @property
    def amplification_share(self) -> float | None:
        return self._ratio(self._amp)


class RecentWindow:
    """The last ``steps`` buckets' residuals and the last hour of smoothed volume."""

    __slots__ = ("_smooth", "epochs", "hour", "negative_z", "step_seconds", "volume_z")

    def __init__(self, *, steps: int, hour_steps: int, step_seconds: float) -> None:
        self.epochs: deque[float] = deque(maxlen=steps)
        self.volume_z: deque[float] = deque(maxlen=steps)
        self.negative_z: deque[float] = deque(maxlen=steps)
        self.hour: deque[float] = deque(maxlen=hour_steps + 1)
        self.step_seconds = step_seconds
        self._smooth = -1.0

    def push(self, *, epoch: float, volume_z: float, negative_z: float, volume: float) -> None:
        self.epochs.append(epoch)
        self.volume_z.append(volume_z)
        self.negative_z.append(negative_z)
        self._smooth = volume if self._smooth < 0.0 else 0.5 * (self._smooth + volume)
        self.hour.append(self._smooth)

    def doubling_minutes(self) -> float | None:
        """Doubling time of the smoothed volume over the last hour (None if not growing)."""
        if len(self.hour) < 2:
            return None
        old = self.hour[0] if self.hour[0] > 1.0 else 1.0
        growth = self.hour[-1] / old
        if growth <= 1.0:
            return None
        minutes = (len(self.hour) - 1) * self.step_seconds / 60.0
        return minutes * math.log(2.0) / math.log(growth)
