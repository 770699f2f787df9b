"""What the detector must do on synthetic streams with known truth."""

from __future__ import annotations

import pickle
import statistics
from collections.abc import Callable
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from warning.detect import Bucket, ExpectedSpike, SeasonalStormDetector, buckets_from_frame
from warning.records import Severity

from .conftest import START

Stream = Callable[..., pd.DataFrame]

SATURDAY_EVENING = START + timedelta(days=12, hours=19)  # Sat 14 March, 19:00 UTC


def run(frame: pd.DataFrame, **params: object) -> list:
    det = SeasonalStormDetector(**params)  # type: ignore[arg-type]
    return [det.update(b) for b in buckets_from_frame(frame)]


def alerts(decisions: list, since: pd.Timestamp | None = None) -> list:
    return [d for d in decisions if d.alert and (since is None or d.bucket_start >= since)]


@pytest.mark.parametrize("level", [0.2, 1.0, 5.0, 20.0, 100.0])
def test_quiet_weeks_raise_no_storm_and_rarely_a_watch(stream: Stream, level: float) -> None:
    decisions = run(stream(level, days=21, seed=11))
    lines = alerts(decisions)
    assert all(d.severity is Severity.WATCH for d in lines)
    storms = {d.storm_start for d in lines}
    assert len(storms) / 3.0 <= 0.7  # watch-level volume surprises per quiet week


def test_low_counts_never_alarm_from_noise() -> None:
    rng = np.random.default_rng(5)
    index = pd.date_range(START, periods=288 * 14, freq="5min", name="bucket_start")
    volume = rng.poisson(0.2, len(index)).astype(float)
    volume[rng.choice(len(index), 60, replace=False)] = 3.0  # bursts of 3 where 0.2 is usual
    assert alerts(run(pd.DataFrame({"volume": volume}, index=index))) == []


def test_normal_saturday_evening_is_not_flagged(stream: Stream) -> None:
    frame = stream(20.0, days=21, seed=3)
    decisions = run(frame)
    saturday_evenings = [
        d for d in decisions if d.bucket_start.weekday() == 5 and 18 <= d.bucket_start.hour < 23
    ]
    assert len(saturday_evenings) == 3 * 60
    assert not [d for d in saturday_evenings if d.alert]
    assert max(d.score for d in saturday_evenings) < 0.5


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_saturday_evening_storm_is_caught_as_a_storm(
    stream: Stream, event: Callable[..., pd.DataFrame], seed: int
) -> None:
    frame = event(stream(20.0, days=14, seed=seed), SATURDAY_EVENING, level=20.0, seed=seed)
    lines = alerts(run(frame), pd.Timestamp(SATURDAY_EVENING))
    assert lines, "the storm was missed"
    first = lines[0]
    assert first.bucket_end - SATURDAY_EVENING <= timedelta(minutes=30)
    assert max(d.severity for d in lines) >= Severity.WARNING


def test_storms_doubling_within_an_hour_are_caught_within_two_buckets(
    stream: Stream, event: Callable[..., pd.DataFrame]
) -> None:
    delays = []
    for seed in range(6):
        at = START + timedelta(days=10, hours=9 + seed)  # working-day hours
        frame = event(stream(100.0, days=11, seed=seed), at, level=100.0, seed=seed)
        lines = alerts(run(frame), pd.Timestamp(at))
        assert lines
        delays.append((lines[0].bucket_end - at) / timedelta(minutes=5))
        assert max(d.severity for d in lines) >= Severity.WARNING
    assert statistics.median(delays) <= 2


@pytest.mark.parametrize("level", [5.0, 100.0, 1000.0])
def test_campaign_spike_with_normal_negativity_is_at_most_watch(
    stream: Stream, event: Callable[..., pd.DataFrame], level: float
) -> None:
    at = START + timedelta(days=10, hours=12)
    frame = event(
        stream(level, days=12, seed=2),
        at,
        level=level,
        doubling=None,
        peak=5.0,
        duration=timedelta(hours=2),
        share_rise=0.0,
        seed=9,
    )
    lines = alerts(run(frame), pd.Timestamp(at))
    assert lines, "a fivefold spike is still worth a watch"
    assert {d.severity for d in lines} == {Severity.WATCH}


def test_expected_spike_window_raises_the_baseline_instead_of_muting(
    stream: Stream, event: Callable[..., pd.DataFrame]
) -> None:
    at = START + timedelta(days=10, hours=12)
    window = ExpectedSpike(at, at + timedelta(hours=2), factor=6.0, name="TV spot")
    campaign = event(
        stream(100.0, days=12, seed=2),
        at,
        level=100.0,
        doubling=None,
        peak=5.0,
        duration=timedelta(hours=2),
        share_rise=0.0,
        seed=9,
    )
    assert alerts(run(campaign, expected_spikes=(window,)), pd.Timestamp(at)) == []
    storm = event(
        stream(100.0, days=12, seed=2),
        at,
        level=100.0,
        doubling=None,
        peak=20.0,
        duration=timedelta(hours=2),
        share_rise=0.25,
        seed=9,
    )
    lines = alerts(run(storm, expected_spikes=(window,)), pd.Timestamp(at))
    assert lines and max(d.severity for d in lines) >= Severity.WARNING


def test_one_storm_is_one_dedup_key_whose_severity_only_rises(
    stream: Stream, event: Callable[..., pd.DataFrame]
) -> None:
    at = START + timedelta(days=10, hours=11)
    frame = event(
        stream(20.0, days=12, seed=4),
        at,
        level=20.0,
        doubling=timedelta(minutes=40),
        peak=30.0,
        duration=timedelta(hours=6),
        share_rise=0.3,
        new_author_share=0.7,
        seed=4,
    )
    decisions = run(frame)
    lines = alerts(decisions, pd.Timestamp(at))
    assert len({d.storm_start for d in lines}) == 1
    ranks = [d.severity.rank for d in lines]
    assert ranks == sorted(set(ranks)), "each new line must be a rise in severity"
    assert lines[-1].severity is Severity.CRITICAL
    storm = [d for d in decisions if d.storm_start == lines[0].storm_start]
    assert [d.severity.rank for d in storm] == sorted(d.severity.rank for d in storm)


def test_volume_only_severity_is_watch_or_warning_never_critical() -> None:
    rng = np.random.default_rng(8)
    index = pd.date_range(START, periods=288 * 10, freq="5min", name="bucket_start")
    volume = rng.poisson(40.0, len(index)).astype(float)
    volume[2000:2004] = [150, 170, 160, 150]  # moderate: watch
    volume[2600:2604] = [900, 2400, 1800, 900]  # extreme and accelerating: warning
    lines = alerts(run(pd.DataFrame({"volume": volume}, index=index)))
    assert [
        (d.bucket_start == index[i], d.severity) for d, i in zip(lines, (2000, 2600), strict=True)
    ] == [
        (True, Severity.WATCH),
        (True, Severity.WARNING),
    ]


def test_state_per_brand_is_bounded(stream: Stream) -> None:
    det = SeasonalStormDetector()
    buckets = buckets_from_frame(stream(50.0, days=42, seed=1))
    sizes = []
    for i, b in enumerate(buckets):
        det.update(b)
        if (i + 1) % (288 * 14) == 0:
            sizes.append(len(pickle.dumps(det)))
    # Two, four and six weeks of history: the same size, up to a few optional fields
    # (the open storm's start and markers) that are None before the first storm.
    assert len(sizes) == 3
    assert max(sizes) - min(sizes) < 512


def test_buckets_must_arrive_in_order() -> None:
    det = SeasonalStormDetector()
    det.update(Bucket(START, 3.0))
    with pytest.raises(Exception, match="Buckets must arrive in time order"):
        det.update(Bucket(START, 3.0))


def test_fit_warm_start_equals_feeding_the_same_history(stream: Stream) -> None:
    frame = stream(20.0, days=8, seed=6)
    history, rest = frame.iloc[: 288 * 7], frame.iloc[288 * 7 :]
    warm = SeasonalStormDetector().fit(history)
    fed = SeasonalStormDetector()
    for b in buckets_from_frame(history):
        fed.update(b)
    assert [warm.update(b) for b in buckets_from_frame(rest)] == [
        fed.update(b) for b in buckets_from_frame(rest)
    ]
