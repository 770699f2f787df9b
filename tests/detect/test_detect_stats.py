"""Statistics behind the detector: Poisson tails, stabilised residuals, share test."""

from __future__ import annotations

import math

import numpy as np
import pytest

from warning.detect.stats import anscombe, inv_anscombe, poisson_sf, share_residual


def _exact_sf(k: int, mu: float) -> float:
    return max(0.0, 1.0 - sum(math.exp(-mu) * mu**i / math.factorial(i) for i in range(k)))


@pytest.mark.parametrize("mu", [0.05, 0.2, 1.0, 3.0, 10.0, 40.0])
def test_poisson_tail_matches_the_exact_sum(mu: float) -> None:
    for k in range(0, int(mu * 4 + 12)):
        assert poisson_sf(k, mu) == pytest.approx(_exact_sf(k, mu), rel=1e-7, abs=1e-12)


def test_low_counts_are_not_rare_for_a_quiet_brand() -> None:
    # Three mentions where 0.2 are usual are unusual but far from the 1e-4 guard
    # once the brand's 288 buckets a day are considered; seven are not noise.
    assert poisson_sf(3, 0.2) > 1e-3
    assert poisson_sf(7, 0.2) < 1e-6


@pytest.mark.parametrize("mu", [0.001, 0.1, 0.5, 2.0, 10.0, 100.0, 1000.0, 10000.0])
def test_six_stabilised_units_mean_a_tail_below_1e8(mu: float) -> None:
    """The shortcut in Channel._guard relies on this at every level."""
    x = math.ceil(inv_anscombe(anscombe(mu) + 6.0))
    assert poisson_sf(x, mu) < 1e-8


def test_anscombe_round_trip_and_zero() -> None:
    for x in (0.0, 1.0, 37.0, 13479.0):
        assert inv_anscombe(anscombe(x)) == pytest.approx(x)


def test_share_residual_has_unit_variance_when_binomial() -> None:
    rng = np.random.default_rng(0)
    for n, p in ((20, 0.1), (200, 0.3), (2000, 0.05)):
        k = rng.binomial(n, p, 20000)
        r = np.array([share_residual(float(v), float(n), p) for v in k])
        assert r.std() == pytest.approx(1.0, abs=0.08)
        assert abs(r.mean()) < 0.1
