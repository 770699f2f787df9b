"""Live = replay, and no look-ahead: the proofs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warning.clock import SimulatedClock
from warning.detect import buckets_from_frame
from warning.detect.config import parse_config
from warning.pipeline import DetectionPipeline, StepResult
from warning.replay import replay
from warning.series import SeriesBuilder

from .conftest import START, make_mentions

CONFIG = parse_config({"detector": {"warmup": "6h", "window": "2h"}})


def _series(seed: int, level: float, days: float, storms: list[tuple[int, float]]) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    index = pd.date_range(START, periods=int(days * 288), freq="5min", name="bucket_start")
    hour = index.hour.to_numpy()
    mean = level * (0.5 + (hour >= 8) * (hour < 20))
    for at, factor in storms:
        mean[at : at + 24] *= factor
    volume = rng.poisson(mean).astype(float)
    negative = rng.binomial(volume.astype(int), np.where(mean > level * 2, 0.35, 0.1)).astype(float)
    return pd.DataFrame({"volume": volume, "negative": negative}, index=index)


def test_live_loop_with_irregular_ticks_equals_replay() -> None:
    frame = _series(3, 25.0, 3.0, [(500, 6.0), (700, 2.5)])
    expected = replay(frame, brand="acme", config=CONFIG)
    clock = SimulatedClock(START)
    pipeline = DetectionPipeline(CONFIG)
    pending = buckets_from_frame(frame)
    got = StepResult()
    rng = np.random.default_rng(0)
    step = timedelta(minutes=5)
    while pending:
        clock.advance(timedelta(minutes=float(rng.choice([1, 3, 7, 11, 30]))))
        closed = [("acme", b) for b in pending if b.start + step <= clock.now()]
        pending = pending[len(closed) :]
        pipeline.tick(clock, closed, got)
    assert expected.alerts, "the scenario must contain alerts"
    assert [a.to_json() for a in got.alerts] == [a.to_json() for a in expected.alerts]
    assert got.change_points == expected.change_points


def test_live_runner_shape_with_series_builder_equals_replay_of_mentions() -> None:
    storm = START + timedelta(days=2, hours=13)
    data = make_mentions(days=3, storm_at=storm, brands=("acme", "beta"), seed=4)
    expected = replay(data, config=CONFIG)
    lateness = timedelta(minutes=2)
    builder = SeriesBuilder("5min", allowed_lateness=lateness, start=START)
    pipeline = DetectionPipeline(CONFIG)
    clock = SimulatedClock(START)
    got = StepResult()
    ts = data["timestamp"]
    end = START + timedelta(days=3, minutes=10)
    while clock.now() < end:
        before = clock.now()
        clock.advance(timedelta(minutes=4))
        batch = data[(ts >= before) & (ts < clock.now())]
        builder.add(batch)
        pipeline.add_mentions(batch)
        pipeline.step(clock.now(), builder.close_until(clock.now()), got)
    assert expected.alerts
    assert [a.to_json() for a in got.alerts] == [a.to_json() for a in expected.alerts]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    level=st.sampled_from([0.5, 4.0, 40.0, 400.0]),
    storms=st.lists(st.tuples(st.integers(100, 800), st.floats(1.5, 30.0)), max_size=3),
    cut=st.floats(0.05, 0.95),
)
def test_alerts_on_any_prefix_equal_the_full_run_up_to_it(
    seed: int, level: float, storms: list[tuple[int, float]], cut: float
) -> None:
    frame = _series(seed, level, 3.0, storms)
    full = replay(frame, brand="acme", config=CONFIG)
    k = max(1, int(len(frame) * cut))
    prefix = replay(frame.iloc[:k], brand="acme", config=CONFIG)
    end = frame.index[k - 1]
    assert [a.to_json() for a in prefix.alerts] == [
        a.to_json() for a in full.alerts if a.bucket_start <= end
    ]
    assert prefix.decisions["acme"] == full.decisions["acme"][:k]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 1000), cut_hours=st.integers(14, 58))
def test_mention_replay_has_no_look_ahead(seed: int, cut_hours: int) -> None:
    storm = START + timedelta(hours=30 + seed % 20)
    data = make_mentions(days=2.5, storm_at=storm, brands=("acme",), seed=seed)
    full = replay(data, config=CONFIG)
    cut = START + timedelta(hours=cut_hours)
    prefix = replay(data[data["timestamp"] < cut].reset_index(drop=True), config=CONFIG)
    assert [a.to_json() for a in prefix.alerts] == [
        a.to_json() for a in full.alerts if a.fired_at <= cut
    ]


def test_a_bucket_is_never_decided_before_it_closes(
    volume_series: Callable[..., pd.DataFrame],
) -> None:
    frame = volume_series(days=1)
    pipeline = DetectionPipeline(CONFIG)
    (first, *_) = buckets_from_frame(frame)
    try:
        pipeline.step(first.start + timedelta(minutes=4), [("acme", first)])
    except Exception as err:
        assert "a decision needs a closed bucket" in str(err)
    else:  # pragma: no cover
        raise AssertionError("an open bucket was decided")
