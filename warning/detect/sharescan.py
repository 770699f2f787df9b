"""A fast test for a negative share rising with volume: the storm signal itself.

Volume channels react to *how many* mentions arrive; a storm often shows first in
*what* they say. Given a bucket's volume ``n`` and negatives ``k``, the residual of
the share on the variance-stabilising arcsine scale
(:func:`~warning.detect.stats.share_residual`) asks whether the negative share
exceeds the brand's normal share ``p0``, whatever the volume. The scan pools the last 1 to
``width`` buckets (a storm needs no more than ``width`` buckets to show), divides
by the brand's own over-dispersion of ``z`` (at least 1), and triggers when, for
some span, all of these hold:

* ``z >= threshold`` (4 by default, the same bar as a volume spike);
* the pooled share is at least ``share_rise`` above normal (10 points);
* at least ``min_excess`` more negative mentions than normal (no alarm from 2 of 3);
* the volume is not below the expected volume (the share rises *with* volume).

>>> scan = ShareScan(width=4, threshold=4.0, share_rise=0.10, min_excess=5.0, scale_alpha=0.01)
>>> for _ in range(20):
...     _ = scan.observe(negative=2.0, volume=20.0, expected=20.0, share=0.10, live=True)
>>> scan.trigger
False
>>> [round(scan.observe(negative=6.5, volume=22.0, expected=20.0, share=0.10, live=True), 1)
...  for _ in range(3)], scan.trigger
([2.5, 3.4, 4.2], True)
"""

from __future__ import annotations

from collections import deque

from warning.detect.stats import share_residual

__all__ = ["ShareScan"]


class ShareScan:
    """Pooled score test of the negative share over the last 1..``width`` buckets."""

    __slots__ = (
        "_buckets",
        "absdev",
        "bucket_z",
        "min_excess",
        "scale_alpha",
        "scale_steps",
        "share_rise",
        "sigma",
        "threshold",
        "trigger",
        "z",
    )

    def __init__(
        self,
        *,
        width: int,
        threshold: float,
        share_rise: float,
        min_excess: float,
        scale_alpha: float,
    ) -> None:
        self._buckets: deque[tuple[float, float, float]] = deque(maxlen=width)
        self.threshold = threshold
        self.share_rise = share_rise
        self.min_excess = min_excess
        self.scale_alpha = scale_alpha
        self.absdev = 0.7978845608
        self.sigma = 1.0
        self.scale_steps = 0
        self.bucket_z = 0.0
        self.z = 0.0
        self.trigger = False

    def observe(
        self,
        *,
        negative: float,
        volume: float,
        expected: float,
        share: float,
        live: bool,
    ) -> float:
        """Add one bucket; returns the largest pooled ``z`` (over-dispersion removed)."""
        self._buckets.append((negative, volume, expected))
        sigma = self.sigma
        self.bucket_z = share_residual(negative, volume, share) / sigma
        self.trigger = False
        if not live:
            self.z = self.bucket_z
            return self.z
        best = -1e9
        k = n = mu = 0.0
        for neg, vol, exp in reversed(self._buckets):
            k += neg
            n += vol
            mu += exp
            z = share_residual(k, n, share) / sigma
            if z > best:
                best = z
            if (
                z >= self.threshold
                and n > 0.0
                and k / n - share >= self.share_rise
                and k - n * share >= self.min_excess
                and n >= mu
            ):
                self.trigger = True
        self.z = best
        return best

    def learn(self) -> None:
        """Update the over-dispersion from the last bucket (outside storms only)."""
        r = abs(self.bucket_z) * self.sigma
        if r > 4.0 * self.sigma:
            r = 4.0 * self.sigma
        n = self.scale_steps + 1
        self.scale_steps = n
        a = self.scale_alpha if self.scale_alpha > 1.0 / (n + 1.0) else 1.0 / (n + 1.0)
        self.absdev += a * (r - self.absdev)
        s = 1.2533141373 * self.absdev
        self.sigma = s if s > 1.0 else 1.0
