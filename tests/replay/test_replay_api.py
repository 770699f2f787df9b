"""The notebook API: warning.replay(...) and what it returns."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pandas as pd

import warning.replay
from warning.detect import ExpectedSpike, SeasonalStormDetector
from warning.records import Severity
from warning.replay import ReplayResult, replay

from .conftest import START

STORM = START + timedelta(days=3, hours=14)  # Thursday afternoon
CONFIG = {"detector": {"warmup": "12h"}}


def test_module_is_callable_like_the_function(volume_series: Callable[..., pd.DataFrame]) -> None:
    frame = volume_series(days=3, spikes=(700,))
    called = warning.replay(frame, brand="acme", config=CONFIG)
    assert isinstance(called, ReplayResult)
    assert [a.to_dict() for a in called.alerts] == [
        a.to_dict() for a in replay(frame, brand="acme", config=CONFIG).alerts
    ]


def test_series_replay_returns_frames_scores_change_points_and_alerts(
    volume_series: Callable[..., pd.DataFrame],
) -> None:
    frame = volume_series(days=4, spikes=(900,))
    result = replay(frame, brand="acme", config=CONFIG)
    out = result.frames["acme"]
    assert list(out.index) == list(frame.index)
    for column in ("volume", "expected_volume", "z", "score", "state", "severity", "alert"):
        assert column in out.columns
    assert out["score"].between(0.0, 1.0).all()
    # A twelvefold spike: watch at once, warning (extreme and accelerating) one bucket later.
    assert [(a.bucket_start, a.severity) for a in result.alerts] == [
        (frame.index[900], Severity.WATCH),
        (frame.index[901], Severity.WARNING),
    ]
    assert result.alerts[0].fired_at == frame.index[901]
    assert len({a.dedup_key for a in result.alerts}) == 1
    (cp,) = result.change_points
    assert cp.brand == "acme" and cp.at == frame.index[900] and cp.detected_at == frame.index[901]
    scores = result.scores()
    assert len(scores) == len(frame) and set(scores["brand"]) == {"acme"}


def test_mention_replay_finds_the_storm_with_drivers(mentions: Callable[..., pd.DataFrame]) -> None:
    data = mentions(days=4, storm_at=STORM, brands=("acme", "beta"))
    result = replay(data, config=CONFIG)
    assert set(result.frames) == {"acme", "beta"}
    for brand in ("acme", "beta"):
        lines = [a for a in result.alerts if a.brand == brand and a.bucket_start >= STORM]
        assert lines, brand
        assert lines[0].bucket_start - STORM <= timedelta(minutes=20)
        assert max(a.severity for a in lines) >= Severity.WARNING
        assert len({a.dedup_key for a in lines}) == 1
        drivers = lines[0].drivers
        assert drivers is not None
        assert {"glassplitter", "#boykott"} & set(drivers.top_terms[:3])
        assert drivers.top_negative_posts and drivers.platforms
        assert drivers.new_author_share is not None and drivers.new_author_share > 0.2


def test_brands_are_independent(mentions: Callable[..., pd.DataFrame]) -> None:
    data = mentions(days=4, storm_at=STORM, brands=("acme", "beta"))
    together = replay(data, config=CONFIG)
    alone = replay(data[data["brand"] == "beta"].reset_index(drop=True), config=CONFIG)
    assert [a.to_json() for a in together.alerts if a.brand == "beta"] == [
        a.to_json() for a in alone.alerts
    ]


def test_detector_template_and_yaml_config(
    tmp_path: Path, volume_series: Callable[..., pd.DataFrame]
) -> None:
    frame = volume_series(days=4, spikes=(900,))
    config = tmp_path / "detect.yaml"
    start = frame.index[895].isoformat()
    end = frame.index[910].isoformat()
    config.write_text(f"expected_spikes:\n  - start: '{start}'\n    end: '{end}'\n    factor: 20\n")
    muted = replay(frame, brand="acme", config=config, detector=SeasonalStormDetector(warmup="12h"))
    assert muted.alerts == []
    template = SeasonalStormDetector(warmup="12h", threshold=1000.0, cusum_threshold=1e6)
    assert replay(frame, brand="acme", detector=template).alerts == []
    own = ExpectedSpike(frame.index[895].to_pydatetime(), frame.index[910].to_pydatetime(), 20.0)
    with_window = SeasonalStormDetector(warmup="12h", expected_spikes=(own,))
    assert replay(frame, brand="acme", detector=with_window).alerts == []


def test_writers(tmp_path: Path, volume_series: Callable[..., pd.DataFrame]) -> None:
    result = replay(volume_series(days=4, spikes=(900,)), brand="acme", config=CONFIG)
    assert result.write_alerts(tmp_path / "a.jsonl") == 2
    line = json.loads((tmp_path / "a.jsonl").read_text().splitlines()[0])
    assert line["brand"] == "acme" and line["severity"] in ("watch", "warning", "critical")
    assert result.write_scores(tmp_path / "s.csv") == 4 * 288
    scores = pd.read_csv(tmp_path / "s.csv")
    assert scores.columns[:4].tolist() == ["brand", "bucket_start", "volume", "expected_volume"]
    assert scores["bucket_start"].iloc[0] == "2026-03-02T00:00:00Z"
    assert scores["score"].between(0, 1).all()
    assert not result.alerts_frame().empty
