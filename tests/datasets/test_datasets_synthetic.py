"""Synthetic streams: deterministic, seasonal, at the right levels, with truthful events."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from warning.datasets import (
    LEVELS,
    SAMPLE_POSTS,
    make_benchmark_suite,
    make_stream,
    weekly_profile,
    write_streams,
)
from warning.errors import UsageError
from warning.evaluate import read_label_file, read_window_file
from warning.records import MENTION_COLUMNS, SERIES_COLUMNS
from warning.series import bucket_mentions, read_series


def test_same_seed_same_stream_other_seed_other_noise() -> None:
    a = make_stream("storm", level=20.0, weeks=2, seed=5)
    b = make_stream("storm", level=20.0, weeks=2, seed=5)
    c = make_stream("storm", level=20.0, weeks=2, seed=6)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert a.truth == b.truth
    assert not a.frame["volume"].equals(c.frame["volume"])


@pytest.mark.parametrize("level", LEVELS)
def test_volume_levels_and_schema(level: float) -> None:
    stream = make_stream("quiet", level=level, weeks=4, seed=1)
    frame = stream.frame
    assert list(frame.columns[: len(SERIES_COLUMNS)]) == list(SERIES_COLUMNS)
    assert [c for c in frame.columns if c.startswith("platform:")] == [
        "platform:facebook", "platform:instagram", "platform:tiktok", "platform:x",
    ]  # fmt: skip
    assert frame.index.freqstr == "5min" and len(frame) == 4 * 7 * 288
    assert frame["volume"].mean() == pytest.approx(level, rel=0.05)
    platforms = frame.filter(like="platform:").sum(axis=1)
    assert (platforms == frame["volume"]).all()
    assert (frame["negative"] <= frame["volume"]).all()
    assert (frame["new_authors"] <= frame["authors"]).all()
    assert (frame["authors"] <= frame["volume"]).all()
    assert not stream.truth and not stream.expected_windows


def test_saturday_evening_differs_from_monday_morning() -> None:
    stream = make_stream("quiet", level=200.0, weeks=4, seed=2)
    local = stream.frame.index.tz_convert("Europe/Berlin")
    volume = stream.frame["volume"].to_numpy()
    monday_morning = volume[(local.day_of_week == 0) & (local.hour >= 9) & (local.hour < 12)]
    saturday_morning = volume[(local.day_of_week == 5) & (local.hour >= 9) & (local.hour < 12)]
    saturday_evening = volume[(local.day_of_week == 5) & (local.hour >= 19) & (local.hour < 22)]
    monday_evening = volume[(local.day_of_week == 0) & (local.hour >= 19) & (local.hour < 22)]
    night = volume[(local.hour >= 2) & (local.hour < 5)]
    assert monday_morning.mean() > 1.5 * saturday_morning.mean()
    assert saturday_evening.mean() > 1.15 * monday_evening.mean()
    assert night.mean() < 0.2 * monday_morning.mean()


def test_profile_follows_berlin_daylight_saving() -> None:
    winter = pd.DatetimeIndex(["2026-03-28 09:00"], tz="UTC")  # 10:00 CET
    summer = pd.DatetimeIndex(["2026-03-30 08:00"], tz="UTC")  # 10:00 CEST (a Monday)
    tuesday = pd.DatetimeIndex(["2026-03-31 08:00"], tz="UTC")
    assert weekly_profile(summer)[0] > weekly_profile(tuesday)[0] > weekly_profile(winter)[0]


def test_growth_raises_the_level_slowly() -> None:
    frame = make_stream("growth", level=20.0, weeks=4, seed=3).frame
    first, last = frame["volume"].iloc[:2016].mean(), frame["volume"].iloc[-2016:].mean()
    assert 1.3 < last / first < 1.6


@pytest.mark.parametrize(("speed", "minutes_to_double"), [("fast", 60), ("medium", 180)])
def test_storms_double_in_time_with_rising_negative_share(
    speed: str, minutes_to_double: int
) -> None:
    stream = make_stream("storm", level=20.0, weeks=3, seed=4, speed=speed)
    (storm,) = stream.storms
    expected = stream.expected_volume
    before = expected.loc[storm.onset - pd.Timedelta(minutes=5)]
    later = expected.loc[storm.onset + pd.Timedelta(minutes=minutes_to_double)]
    assert later >= 2 * before
    week_before = stream.frame.loc[: storm.onset - pd.Timedelta(hours=1)]
    base_share = week_before["negative"].sum() / week_before["volume"].sum()
    at_peak = stream.frame.loc[storm.peak_at : storm.peak_at + pd.Timedelta(hours=1)]
    assert at_peak["negative"].sum() / at_peak["volume"].sum() > base_share + 0.2
    assert at_peak["new_authors"].sum() / at_peak["authors"].sum() > 0.5
    assert storm.peak_negative_share >= storm.base_negative_share + 0.3
    assert storm.onset < storm.peak_at < storm.end


def test_slow_burn_builds_over_most_of_a_day() -> None:
    (storm,) = make_stream("storm", level=2.0, weeks=2, seed=8, speed="slow").storms
    assert pd.Timedelta(hours=12) < storm.peak_at - storm.onset < pd.Timedelta(hours=36)


def test_campaign_spikes_keep_a_normal_negative_share() -> None:
    stream = make_stream("campaign", level=20.0, weeks=2, seed=9)
    (campaign,) = stream.campaigns
    (window,) = stream.expected_windows
    assert window.start < campaign.onset and campaign.end < window.end
    assert window.expected_ratio >= 5
    spike = stream.frame.loc[campaign.onset : campaign.onset + pd.Timedelta(hours=2)]
    normal = stream.frame.loc[: campaign.onset - pd.Timedelta(hours=1)]
    assert spike["volume"].mean() > 3 * normal["volume"].mean()
    share = spike["negative"].sum() / spike["volume"].sum()
    assert share < normal["negative"].sum() / normal["volume"].sum() + 0.03


def test_saturday_evening_onsets_in_berlin() -> None:
    suite = make_benchmark_suite(0, weeks=2, levels=(2.0,))
    saturday = [
        s.storms[0].onset.tz_convert("Europe/Berlin")
        for s in suite
        if s.name.startswith("storm") and "-sat-" in s.name
    ]
    assert len(saturday) == 2
    assert all(t.day_of_week == 5 and 19 <= t.hour <= 22 for t in saturday)
    kinds = {s.kind for s in suite}
    assert kinds == {"quiet", "growth", "campaign", "storm", "mixed"}
    assert {s.storms[0].speed for s in suite if s.storms} == {"fast", "medium", "slow"}


def test_mention_level_stream_is_what_the_series_room_counts() -> None:
    stream = make_stream("storm", level=2.0, weeks=5, seed=11, mentions=True)
    mentions = stream.mentions
    assert mentions is not None
    assert list(mentions.columns) == [*MENTION_COLUMNS, "negativity"]
    assert str(mentions["timestamp"].dtype) == "datetime64[ns, UTC]"
    assert set(mentions["lang"]) == {"de", "en"}
    assert mentions["id"].is_unique and mentions["reach"].notna().all()
    storm = stream.storms[0]
    during = mentions[mentions["timestamp"].between(storm.onset, storm.end)]
    assert during["text"].str.contains("Acme").all()
    negative_texts = {
        p.format(brand="Acme")
        for (_, cat), posts in SAMPLE_POSTS.items()
        if cat == "negative"
        for p in posts
    }
    assert during.loc[during["negativity"] >= 0.5, "text"].isin(negative_texts).all()
    index = stream.frame.index
    counted = bucket_mentions(mentions, start=index[0], end=index[-1] + index.freq)["acme"]
    pd.testing.assert_frame_equal(counted, stream.frame)  # 5 weeks: the 30-day rule applies


def test_written_streams_replay_as_series_with_truth_files(tmp_path: Path) -> None:
    streams = [make_stream("storm", level=2.0, weeks=1, seed=2), make_stream("quiet", weeks=1)]
    write_streams(streams, tmp_path)
    frame = read_series(tmp_path / f"{streams[0].name}.csv")
    assert np.array_equal(frame["volume"].to_numpy(), streams[0].frame["volume"].to_numpy())
    assert np.array_equal(frame["negative"].to_numpy(), streams[0].frame["negative"].to_numpy())
    labels = read_label_file(tmp_path / "labels.json")
    windows = read_window_file(tmp_path / "windows.json")
    onsets = read_label_file(tmp_path / "onsets.json")
    storm = streams[0].storms[0]
    assert labels[streams[0].name] == [storm.peak_at] and labels[streams[1].name] == []
    assert onsets[streams[0].name] == [storm.onset]
    ((start, end),) = windows[streams[0].name]
    assert start == storm.onset - pd.Timedelta(hours=1) and end <= storm.end


def test_bad_parameters_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="'kind' parameter"):
        make_stream("tornado")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="'speed' parameter"):
        make_stream("storm", speed="warp")
    with pytest.raises(UsageError, match="'level' must be > 0"):
        make_stream("quiet", level=0)
    with pytest.raises(UsageError, match="mention-level stream would hold"):
        make_stream("quiet", level=200.0, weeks=4, mentions=True)
