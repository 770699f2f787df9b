"""One monitored count series (volume, or negative mentions): residual, spike, CUSUM, novelty.

Each bucket the count ``x`` is compared with its expectation ``mu`` on the
Anscombe scale, ``z = (2·sqrt(x + 3/8) − 2·sqrt(mu + 3/8)) / sigma``, where
``sigma`` is a robust estimate of the brand's own over-dispersion (at least 1, the
Poisson value). Two triggers look at ``z``:

* **spike**: one bucket with ``z >= threshold``;
* **sustained**: a one-sided CUSUM ``C = max(0, C + min(z, cap) − allowance)``
  reaching ``cusum_threshold`` (several moderately raised buckets in a row).

Both need the count to be at least ``min_ratio`` times the expectation and its
Poisson tail probability to be at most ``guard_p`` (the minimum-volume guard: 0 to 3
mentions where 0.2 are usual never alarm).

**Novelty.** Volume alone is a weak signal for brands whose mentions spike often.
Each trigger also keeps a decaying record of its statistic (half-life
``novelty_memory``); a trigger is *novel* when its statistic reaches ``novelty``
times that record. Volume-only alerts need novelty; storm evidence (a rising
negative share) does not.

>>> ch = Channel(threshold=4.0, allowance=2.0, cap=5.0, cusum_threshold=10.0, novelty=1.0,
...              decay=0.5 ** (1 / 2016), min_ratio=2.0, guard_p=1e-4, scale_alpha=0.01)
>>> for _ in range(50):
...     _ = ch.observe(10.0, 10.0, live=True)
>>> z = ch.observe(60.0, 10.0, live=True)
>>> round(z, 1), ch.spike, ch.novel
(9.1, True, True)
>>> _ = ch.observe(55.0, 10.0, live=True)   # a second, smaller spike right after
>>> ch.spike, ch.novel
(True, False)
"""

from __future__ import annotations

from warning.detect.stats import anscombe, poisson_sf

__all__ = ["Channel"]


class Channel:
    """Residual monitor of one count series (see the module docstring)."""

    __slots__ = (
        "absdev",
        "allowance",
        "cap",
        "cusum",
        "cusum_threshold",
        "decay",
        "evidence",
        "guard_p",
        "min_ratio",
        "novel",
        "novelty",
        "record_cusum",
        "record_z",
        "run_expected",
        "run_volume",
        "scale_alpha",
        "scale_steps",
        "sigma",
        "smooth",
        "spike",
        "sustained",
        "threshold",
        "z",
    )

    def __init__(
        self,
        *,
        threshold: float,
        allowance: float,
        cap: float,
        cusum_threshold: float,
        novelty: float,
        decay: float,
        min_ratio: float,
        guard_p: float,
        scale_alpha: float,
    ) -> None:
        self.threshold = threshold
        self.allowance = allowance
        self.cap = cap
        self.cusum_threshold = cusum_threshold
        self.novelty = novelty
        self.decay = decay
        self.min_ratio = min_ratio
        self.guard_p = guard_p
        self.scale_alpha = scale_alpha
        self.absdev = 0.7978845608  # E|N(0,1)|: sigma starts at the Poisson value 1
        self.sigma = 1.0  # robust residual scale on the Anscombe scale, at least 1 (Poisson)
        self.smooth = 0.0
        self.scale_steps = 0
        self.cusum = 0.0
        self.run_volume = 0.0
        self.run_expected = 0.0
        self.record_z = 0.0
        self.record_cusum = 0.0
        self.z = 0.0
        self.spike = False
        self.sustained = False
        self.novel = False
        self.evidence = 0.0

    def observe(
        self, x: float, mu: float, *, live: bool, track: bool = True, widen: float = 1.0
    ) -> float:
        """Score one bucket and update the triggers; returns ``z``.

        Before ``live`` nothing triggers; with ``track`` the CUSUM and the novelty
        records already learn (the second half of the warm-up). ``widen`` scales the
        noise band when the expectation itself is uncertain (a young seasonal slot).
        """
        r = anscombe(x) - anscombe(mu)
        z = r / (self.sigma * widen)
        self.z = z
        self.smooth += 0.3 * (z - self.smooth)
        if not track:
            self.spike = self.sustained = self.novel = False
            self.evidence = 0.0
            return z
        c = self.cusum + (z if z < self.cap else self.cap) - self.allowance
        if c > 0.0:
            self.cusum = c
            self.run_volume += x
            self.run_expected += mu
        else:
            self.cusum = 0.0
            self.run_volume = self.run_expected = 0.0
        rz = self.record_z * self.decay
        rc = self.record_cusum * self.decay
        bar_z = self.novelty * rz
        if bar_z < self.threshold:
            bar_z = self.threshold
        bar_c = self.novelty * rc
        if bar_c < self.cusum_threshold:
            bar_c = self.cusum_threshold
        if not live:
            self.spike = self.sustained = self.novel = False
            self.evidence = 0.0
            self.record_z = z if z > rz else rz
            self.record_cusum = self.cusum if self.cusum > rc else rc
            return z
        e_spike = z / self.threshold
        e_sust = self.cusum / self.cusum_threshold
        self.spike = e_spike >= 1.0 and self._guard(x, mu, r)
        self.sustained = e_sust >= 1.0 and self._guard(
            self.run_volume,
            self.run_expected,
            anscombe(self.run_volume) - anscombe(self.run_expected),
        )
        novel_spike = self.spike and z >= bar_z
        novel_sust = self.sustained and self.cusum >= bar_c
        self.novel = novel_spike or novel_sust
        # Score: >= 1 exactly when a novel trigger holds.
        e = max(z / bar_z, self.cusum / bar_c)
        if not self.novel and e >= 1.0:
            e = 0.999
        self.evidence = e if e > 0.0 else 0.0
        self.record_z = z if z > rz else rz
        self.record_cusum = self.cusum if self.cusum > rc else rc
        return z

    def _guard(self, x: float, mu: float, r: float) -> bool:
        if x < self.min_ratio * mu:
            return False
        # Six Poisson standard deviations on the Anscombe scale mean a tail below 1e-8
        # at every level (checked in the tests), so the exact sum can be skipped.
        if r >= 6.0 and self.guard_p >= 1e-8:
            return True
        return poisson_sf(x, mu) <= self.guard_p

    def learn(self, z: float) -> None:
        """Update the residual scale from a bucket outside any storm."""
        sigma = self.sigma
        r = (z if z > 0.0 else -z) * sigma
        if r > 4.0 * sigma:
            r = 4.0 * sigma
        n = self.scale_steps + 1
        self.scale_steps = n
        a = self.scale_alpha
        if 1.0 / (n + 1.0) > a:
            a = 1.0 / (n + 1.0)
        self.absdev += a * (r - self.absdev)
        s = 1.2533141373 * self.absdev
        self.sigma = s if s > 1.0 else 1.0

    def quiet(self, exit_z: float) -> bool:
        """Back to normal: no CUSUM run and the smoothed residual below ``exit_z``."""
        return self.cusum == 0.0 and self.smooth < exit_z
