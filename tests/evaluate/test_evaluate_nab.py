"""The NAB scorer against hand-computed cases and NAB's known behaviour."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from warning.evaluate import (
    PROFILES,
    NabStream,
    optimise_threshold,
    read_label_file,
    read_window_file,
    score_corpus,
    windows_from_labels,
)
from warning.evaluate.nab import probation_rows, scaled_sigmoid
from warning.series import read_series

NAB = Path(__file__).resolve().parents[3] / "shared" / "data" / "nab-realtweets"
STANDARD = PROFILES["standard"]


def curve(x: float) -> float:
    """The scaled sigmoid written another way: 2 / (1 + e^(5x)) - 1 == -tanh(2.5 x)."""
    return -math.tanh(2.5 * x)


def small(active: list[int], profile: str = "standard") -> float:
    """8 rows, one window on rows 2..4, no probation: NAB's raw score."""
    scores = np.array([float(i in active) for i in range(8)])
    stream = NabStream("s", np.arange(8), scores, [(2, 4)])
    result = score_corpus([stream], PROFILES[profile], probation_percent=0.0)
    return result.streams[0].score


@pytest.mark.parametrize(
    "active", [[], [0], [2], [3], [4], [5], [7], [2, 3, 4], [0, 2, 7], [1, 5, 6]]
)
def test_hand_computed_small_cases(active: list[int]) -> None:
    expected = -1.0  # a window without detection costs -FN
    for i in active:
        if 2 <= i <= 4:  # earliest detection counts: position -(4 - i + 1) / 3
            expected = max(expected, curve(-(5 - i) / 3) / curve(-1.0))
    for i in active:
        if i < 2:  # before the first window: full FP weight
            expected -= 0.11
        elif i > 4:  # after it: decaying with distance / (width - 1)
            expected += 0.11 * curve((i - 4) / 2)
    assert small(active) == pytest.approx(expected, abs=1e-14)


def test_profiles_weigh_misses_and_false_positives() -> None:
    assert small([], "reward_low_FN_rate") == -2.0
    assert small([0], "reward_low_FP_rate") == pytest.approx(-1.22)
    assert small([0], "reward_low_FN_rate") == pytest.approx(-2.11)


def test_sigmoid_landmarks_and_probation_length() -> None:
    assert scaled_sigmoid(-1.0) == pytest.approx(0.98661, abs=1e-5)
    assert scaled_sigmoid(-0.5) == pytest.approx(0.84828, abs=1e-5)
    assert scaled_sigmoid(0.0) == 0.0
    assert scaled_sigmoid(1.0) == pytest.approx(-0.98661, abs=1e-5)
    assert scaled_sigmoid(3.0) == -1.0
    assert probation_rows(1000) == 150
    assert probation_rows(15902) == 750  # capped at 0.15 * 5000


def test_probation_rows_are_not_scored() -> None:
    rows = np.arange(1000)
    flags = np.zeros(1000)
    flags[:150] = 1.0  # all inside probation
    result = score_corpus([NabStream("s", rows, flags, [(500, 549)])], STANDARD)
    assert result.streams[0].score == -1.0
    assert result.streams[0].fp == 0 and result.streams[0].total == 850


def test_false_positive_costs_less_right_after_a_window() -> None:
    rows = np.arange(1000)
    windows = [(500, 549)]
    before, after = np.zeros(1000), np.zeros(1000)
    before[300] = 1.0
    after[551] = 1.0
    cost_before = score_corpus([NabStream("s", rows, before, windows)], STANDARD).raw + 1
    cost_after = score_corpus([NabStream("s", rows, after, windows)], STANDARD).raw + 1
    assert cost_before == pytest.approx(-0.11)
    assert cost_after == pytest.approx(0.11 * curve(2 / 49))  # two rows after: about -0.011
    assert -0.02 < cost_after < 0


def test_files_are_summed_before_normalising() -> None:
    rows = np.arange(1000)
    one = np.zeros(1000)
    one[500] = 1.0
    caught = NabStream("a", rows, one, [(500, 549)])
    missed = NabStream("b", rows, np.zeros(1000), [(300, 349), (600, 649)])
    result = score_corpus([caught, missed], STANDARD)
    assert result.raw == pytest.approx(1.0 - 2.0)
    assert result.null == -3.0 and result.perfect == 3.0
    assert result.score == pytest.approx(100 * (-1.0 + 3.0) / 6.0)
    assert result.stream_score(0) == pytest.approx(100.0)
    assert result.stream_score(1) == 0.0
    mean_of_files = (result.stream_score(0) + result.stream_score(1)) / 2
    assert result.score != pytest.approx(mean_of_files)


def test_optimiser_picks_the_best_threshold_over_all_files() -> None:
    rows = np.arange(1000)
    scores = np.full(1000, 0.1)
    scores[500] = 0.9  # a good detection at 0.9
    scores[200] = 0.5  # a false positive at 0.5
    best = optimise_threshold([NabStream("s", rows, scores, [(500, 549)])], STANDARD)
    assert best.threshold == 0.9 and best.score == pytest.approx(1.0)


def _nab_streams(flags_for: str) -> list[NabStream]:
    windows = read_window_file(NAB / "windows.json")
    streams = []
    for name, spans in windows.items():
        frame = read_series(NAB / f"{name}.csv")
        stamps = frame.index.as_unit("ns").asi8
        flags = np.zeros(len(frame))
        if flags_for == "window-starts":
            for start, _ in spans:
                flags[frame.index.get_loc(start)] = 1.0
        elif flags_for == "everything":
            flags[:] = 1.0
        window_ns = [(a.as_unit("ns").value, b.as_unit("ns").value) for a, b in spans]
        streams.append(NabStream(name, stamps, flags, window_ns))
    return streams


@pytest.mark.skipif(not NAB.is_dir(), reason="shared NAB streams not available")
def test_known_nab_behaviour_on_the_tweet_streams() -> None:
    for name, profile in PROFILES.items():
        perfect = score_corpus(_nab_streams("window-starts"), profile)
        assert perfect.score == pytest.approx(100.0), name
        assert perfect.perfect == 17 * profile.tp and perfect.null == -17 * profile.fn
        assert score_corpus(_nab_streams("nothing"), profile).score == 0.0
        assert score_corpus(_nab_streams("everything"), profile).score < -1000


@pytest.mark.skipif(not NAB.is_dir(), reason="shared NAB streams not available")
def test_windows_follow_nab_labeller_rule() -> None:
    labels = read_label_file(NAB / "labels.json")
    windows = read_window_file(NAB / "windows.json")
    raw = json.loads((NAB / "labels.json").read_text())
    assert sorted(labels) == sorted(k[:-4] for k in raw)
    for name, stamps in labels.items():
        index = pd.DatetimeIndex(read_series(NAB / f"{name}.csv").index)
        assert windows_from_labels(index, stamps) == windows[name], name
