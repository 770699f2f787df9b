"""Small, fast statistics for the online detectors (plain floats, no arrays).

Counts are compared on the Anscombe scale ``2·sqrt(x + 3/8)``, where Poisson noise
has unit variance at every level, so one threshold works from 0.2 to 13,000
mentions per bucket. Low counts are additionally guarded by the exact Poisson tail.

>>> round(anscombe(0.0), 3), round(anscombe(100.0), 3)
(1.225, 20.037)
>>> round(inv_anscombe(anscombe(42.0)), 9)
42.0
>>> poisson_sf(0, 3.0)
1.0
>>> round(poisson_sf(4, 0.2), 7)   # P(X >= 4) for a brand expecting 0.2 mentions
5.68e-05
>>> round(half_life_alpha(12), 4)  # weight of a new value for a 12-step half-life
0.0561
>>> round(share_z(30, 100, 0.10), 2)  # 30 % negative where 10 % is normal
6.67
>>> round(share_residual(7, 12, 0.10), 2)
3.84
"""

from __future__ import annotations

import math

__all__ = [
    "anscombe",
    "half_life_alpha",
    "inv_anscombe",
    "poisson_sf",
    "share_residual",
    "share_z",
]

_NORMAL_SWITCH = 2000.0


def anscombe(x: float) -> float:
    """Variance-stabilising transform of a count: ``2·sqrt(x + 3/8)``."""
    return 2.0 * math.sqrt(x + 0.375) if x > 0.0 else 1.224744871391589


def inv_anscombe(y: float) -> float:
    """The count whose Anscombe value is ``y`` (0 below the transform of 0)."""
    value = 0.25 * y * y - 0.375
    return value if value > 0.0 else 0.0


def poisson_sf(k: float, mu: float) -> float:
    """``P(X >= k)`` for ``X ~ Poisson(mu)``; exact for small counts, normal beyond."""
    if k <= 0.0:
        return 1.0
    if mu <= 0.0:
        return 0.0
    if k > _NORMAL_SWITCH or mu > _NORMAL_SWITCH:
        # Anscombe normal approximation with continuity correction.
        z = anscombe(k - 0.5) - 2.0 * math.sqrt(mu + 0.125)
        return 0.5 * math.erfc(z / math.sqrt(2.0))
    n = math.ceil(k)
    if k > mu:
        # Upper tail summed directly (no cancellation): P(X >= n) = sum_{i>=n} pmf(i).
        log_term = -mu + n * math.log(mu) - math.lgamma(n + 1.0)
        term = math.exp(log_term)
        total = 0.0
        i = n
        while term > total * 1e-17 and i < n + 2000:
            total += term
            i += 1
            term *= mu / i
        return min(1.0, total)
    term = math.exp(-mu)
    cdf = term
    for i in range(1, n):
        term *= mu / i
        cdf += term
    return max(0.0, 1.0 - cdf)


def half_life_alpha(steps: float) -> float:
    """Weight of a new observation in an exponential average with this half-life."""
    if steps <= 0.0:
        return 1.0
    return float(1.0 - 0.5 ** (1.0 / steps))


def share_residual(hits: float, total: float, expected_share: float) -> float:
    """Variance-stabilised residual of a share (arcsine scale, unit variance if binomial).

    ``2·sqrt(n + 1/2)·(asin sqrt((k + 3/8) / (n + 3/4)) − asin sqrt(p))``: unlike the
    plain score test its tail stays honest for small ``n`` (7 negatives of 12 where
    10 % is normal is 3.84; the exact binomial tail is 3.9 sigma).
    """
    if total <= 0.0:
        return 0.0
    p = min(max(expected_share, 0.001), 0.999)
    observed = math.asin(math.sqrt((hits + 0.375) / (total + 0.75)))
    return 2.0 * math.sqrt(total + 0.5) * (observed - math.asin(math.sqrt(p)))


def share_z(hits: float, total: float, expected_share: float) -> float:
    """Score test of a share against its expected value (0 when undefined)."""
    if total <= 0.0:
        return 0.0
    p = min(max(expected_share, 0.01), 0.99)
    return (hits - total * p) / math.sqrt(total * p * (1.0 - p))
