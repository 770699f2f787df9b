"""The detector on the shared synthetic streams with known truth (warning.datasets)."""

from __future__ import annotations

import statistics

import pandas as pd
import pytest

from warning.datasets import SyntheticStream, make_stream
from warning.detect import Decision, ExpectedSpike, SeasonalStormDetector, buckets_from_frame
from warning.records import Severity


def run(stream: SyntheticStream, *, windows: bool = False) -> list[Decision]:
    spikes = (
        tuple(
            ExpectedSpike(
                w.start.floor("us").to_pydatetime(),
                w.end.floor("us").to_pydatetime(),
                float(w.expected_ratio),
                name=w.label,
            )
            for w in stream.expected_windows
        )
        if windows
        else ()
    )
    det = SeasonalStormDetector(tz="Europe/Berlin", expected_spikes=spikes)
    return [det.update(b) for b in buckets_from_frame(stream.frame)]


def delay_buckets(stream: SyntheticStream, decisions: list[Decision]) -> float | None:
    (storm,) = stream.storms
    lines = [d for d in decisions if d.alert and storm.onset <= d.bucket_start <= storm.end]
    if not lines:
        return None
    return (pd.Timestamp(lines[0].bucket_end) - storm.onset) / pd.Timedelta(minutes=5)


def test_fast_storms_are_caught_within_two_buckets_on_a_busy_brand() -> None:
    """Doubling every 20 minutes, negative share rising with it, 200 mentions per 5 minutes."""
    delays = []
    for seed in range(3):
        for onset in ("saturday-evening", "weekday"):
            stream = make_stream(
                kind="storm", level=200.0, weeks=2, seed=seed, speed="fast", onset=onset
            )
            decisions = run(stream)
            delays.append(delay_buckets(stream, decisions))
            storm = [
                d
                for d in decisions
                if d.state == "storm" and d.bucket_start >= stream.storms[0].onset
            ]
            assert max(d.severity for d in storm if d.severity) is Severity.CRITICAL
    assert None not in delays
    assert statistics.median(delays) <= 2  # type: ignore[type-var]


@pytest.mark.parametrize(("level", "bound"), [(20.0, 4), (2.0, 10)])
def test_saturday_evening_storms_are_caught_at_lower_volumes(level: float, bound: int) -> None:
    delays = []
    for seed in range(3):
        stream = make_stream(
            kind="storm", level=level, weeks=2, seed=seed, speed="fast", onset="saturday-evening"
        )
        decisions = run(stream)
        delays.append(delay_buckets(stream, decisions))
        assert max(d.severity for d in decisions if d.alert) >= Severity.WARNING
    assert None not in delays
    assert statistics.median(delays) <= bound  # type: ignore[type-var]


@pytest.mark.parametrize("level", [2.0, 20.0, 200.0])
def test_campaign_spikes_are_at_most_watch_and_quiet_inside_their_window(level: float) -> None:
    stream = make_stream(kind="campaign", level=level, weeks=2, seed=1)
    (campaign,) = stream.campaigns
    plain = [d for d in run(stream) if d.alert]
    assert all(d.severity is Severity.WATCH for d in plain)
    declared = run(stream, windows=True)
    inside = [d for d in declared if d.alert and campaign.onset <= d.bucket_start <= campaign.end]
    assert inside == []


@pytest.mark.parametrize("kind", ["quiet", "growth"])
@pytest.mark.parametrize("level", [0.2, 2.0, 20.0, 200.0])
def test_quiet_and_growing_brands_raise_no_storm(kind: str, level: float) -> None:
    stream = make_stream(kind=kind, level=level, weeks=4, seed=2)
    lines = [d for d in run(stream) if d.alert]
    assert all(d.severity is Severity.WATCH for d in lines)
    assert len({d.storm_start for d in lines}) / 4.0 <= 0.25  # watch-level surprises per week
