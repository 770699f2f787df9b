"""The ruptures wrapper on synthetic signals with known breakpoints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import ruptures

from warning.detect.changepoint import (
    ChangePointSearch,
    _kernel_cpd,
    breakpoint_times,
    locate_shift,
    stabilise,
)
from warning.errors import DetectorError


def test_wrapper_uses_kernelcpd_linear_with_jump_1() -> None:
    algo = _kernel_cpd(3)
    assert isinstance(algo, ruptures.KernelCPD)
    assert algo.kernel_name == "linear"
    assert algo.min_size == 3
    assert algo.jump == 1


@pytest.mark.parametrize("level", [0.5, 20.0, 1000.0, 13000.0])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_one_penalty_finds_known_breakpoints_at_every_level(level: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    # Odd positions on purpose: jump=1 must not move breakpoints to a grid.
    truth = [157, 233]
    counts = np.r_[rng.poisson(level, 157), rng.poisson(level * 4 + 3, 76), rng.poisson(level, 120)]
    found = ChangePointSearch(min_size=3).fit(counts).breakpoints_
    assert len(found) == 2
    assert all(abs(f - t) <= 2 for f, t in zip(found, truth, strict=True))


@pytest.mark.parametrize("level", [0.3, 20.0, 5000.0])
def test_no_breakpoints_without_change(level: float) -> None:
    rng = np.random.default_rng(7)
    assert ChangePointSearch(min_size=3).fit(rng.poisson(level, 600)).breakpoints_ == []


def test_locate_shift_exact_for_a_step_and_a_single_spike() -> None:
    step = locate_shift(np.r_[np.zeros(31), np.full(17, 5.0)])
    assert (step.index, step.before, step.after, step.size) == (31, 0.0, 5.0, 5.0)
    assert step.gain > 0
    spike = locate_shift(np.r_[np.random.default_rng(0).normal(size=71), [12.0]])
    assert spike.index == 71
    assert spike.size > 10


def test_min_size_is_honoured() -> None:
    shift = locate_shift(np.r_[np.zeros(40), [9.0]], min_size=3)
    assert shift.index <= 38  # the new regime must be at least 3 long


def test_too_short_signal_is_an_error() -> None:
    with pytest.raises(DetectorError, match=r"at least 4 values with min_size=2\. Got 3 instead"):
        locate_shift([1.0, 2.0, 3.0], min_size=2)


def test_invalid_min_size_names_parameter() -> None:
    with pytest.raises(DetectorError, match="The 'min_size' parameter of ChangePointSearch"):
        ChangePointSearch(min_size=0).fit(np.ones(10))


def test_breakpoints_become_timestamps_with_honest_detection_time() -> None:
    step = timedelta(minutes=5)
    t0 = datetime(2026, 3, 28, 18, 0, tzinfo=UTC)
    starts = [t0 + i * step for i in range(10)]
    assert breakpoint_times([4, 10], starts, step) == [(starts[4], starts[9] + step)]


def test_stabilise_gives_unit_variance_for_poisson_at_all_levels() -> None:
    rng = np.random.default_rng(3)
    for level in (2.0, 50.0, 5000.0):
        assert stabilise(rng.poisson(level, 20000)).std() == pytest.approx(1.0, abs=0.05)
