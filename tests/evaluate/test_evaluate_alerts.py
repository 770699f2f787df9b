"""Alert metrics: spike onsets, catching rule, minutes to alert, false-alarm events."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from warning.evaluate import alert_stats, read_label_file, spike_onsets
from warning.series import read_series

NAB = Path(__file__).resolve().parents[3] / "shared" / "data" / "nab-realtweets"
INDEX = pd.date_range("2026-03-01", periods=3000, freq="5min", tz="UTC")


def minutes(n: int) -> pd.Timedelta:
    return pd.Timedelta(minutes=n)


def test_onset_is_the_start_of_the_run_that_holds_the_label() -> None:
    volume = pd.Series(10.0, index=INDEX)
    volume.iloc[2000:2008] = [16, 40, 90, 200, 120, 60, 14, 10]
    # threshold is max(3 * 10, 10 + 5) = 30: 16 is not above, 40 is
    assert spike_onsets(volume, [INDEX[2003]]) == [INDEX[2001]]
    assert spike_onsets(volume, [INDEX[1500]]) == [INDEX[1500]]  # not above: its own onset


def test_threshold_uses_median_plus_five_for_quiet_streams() -> None:
    volume = pd.Series(1.0, index=INDEX)
    volume.iloc[2000:2003] = [5, 7, 3]  # max(3 * 1, 1 + 5) = 6
    assert spike_onsets(volume, [INDEX[2001]]) == [INDEX[2001]]


@pytest.mark.skipif(not NAB.is_dir(), reason="shared NAB streams not available")
def test_onsets_on_the_tweet_streams_precede_or_equal_the_labels() -> None:
    labels = read_label_file(NAB / "labels.json")
    found = {}
    for name, stamps in labels.items():
        volume = read_series(NAB / f"{name}.csv")["volume"]
        onsets = spike_onsets(volume, stamps)
        assert all(
            o <= label and label - o < pd.Timedelta(hours=3)
            for o, label in zip(onsets, stamps, strict=True)
        )
        found[name] = onsets
    assert found["Twitter_volume_AMZN"][0] == pd.Timestamp("2015-03-05 19:47:53Z")
    assert found["Twitter_volume_AAPL"][0] == pd.Timestamp("2015-03-03 20:57:53Z")


def test_caught_in_window_or_within_late_hours() -> None:
    onset = INDEX[2000]
    window = (INDEX[1900], INDEX[2010])
    cases = {
        (INDEX[1950],): (True, 0.0, -250.0),  # earlier in the window: already up
        (INDEX[2004],): (True, 20.0, 20.0),
        (INDEX[2030],): (True, 150.0, 150.0),  # after the window, within 3 h of onset
        (INDEX[2040],): (False, None, None),  # 200 min after onset, outside the window
        (INDEX[1800], INDEX[2002]): (True, 10.0, 10.0),  # the early flag is outside
    }
    for flags, (caught, delay, lead) in cases.items():
        stats = alert_stats(INDEX, list(flags), [onset], [window])
        (outcome,) = stats.onsets
        assert (outcome.caught, outcome.delay_minutes, outcome.lead_minutes) == (
            caught,
            delay,
            lead,
        )
    no_window = alert_stats(INDEX, [INDEX[2030]], [onset], [], late=timedelta(hours=2))
    assert not no_window.onsets[0].caught


def test_false_alarms_merge_under_an_hour_and_skip_probation_and_windows() -> None:
    window = (INDEX[2000], INDEX[2100])
    flags = [
        INDEX[100],  # probation (first 450 rows of 3000): not counted
        INDEX[1000],
        INDEX[1011],  # 55 min later: same event
        INDEX[1023],  # 60 min after the previous flag: a new event
        INDEX[2050],  # inside the window: not a false alarm
        INDEX[2500],
    ]
    stats = alert_stats(INDEX, flags, [], [window])
    assert stats.false_alarm_flags == 4
    assert stats.false_alarm_events == 3
    scored_weeks = (3000 - 450) * 5 / (7 * 24 * 60)
    assert stats.stream_weeks == pytest.approx(scored_weeks)
    assert stats.false_alarms_per_week == pytest.approx(3 / scored_weeks)


def test_synthetic_streams_end_to_end_through_files(tmp_path: Path) -> None:
    """write_streams -> alert files -> evaluate_dir with the true onsets and storm windows."""
    import json

    from warning.datasets import make_stream, write_streams
    from warning.evaluate import campaign_flags, evaluate_dir, evaluate_streams, synthetic_input

    storm = make_stream("storm", level=2.0, weeks=2, seed=5, speed="fast")
    campaign = make_stream("campaign", level=2.0, weeks=2, seed=6)
    write_streams([storm, campaign], tmp_path)
    onset = storm.storms[0].onset
    launch = campaign.campaigns[0].onset

    def line(bucket: pd.Timestamp, severity: str) -> str:
        iso = bucket.strftime("%Y-%m-%dT%H:%M:%SZ")
        return json.dumps(
            {"brand": "acme", "fired_at": iso, "bucket_start": iso, "severity": severity}
        )

    (tmp_path / f"{storm.name}.alerts.jsonl").write_text(
        line(onset + minutes(10), "warning") + "\n"
    )
    (tmp_path / f"{campaign.name}.alerts.jsonl").write_text(
        line(launch + minutes(5), "watch") + "\n" + line(launch + minutes(15), "warning") + "\n"
    )
    report = evaluate_dir(
        tmp_path,
        tmp_path / "labels.json",
        tmp_path / "windows.json",
        onsets=tmp_path / "onsets.json",
        min_severity="warning",
    )
    by_name = {s.name: s for s in report.streams}
    assert by_name[storm.name].stats.delays == [10.0]
    assert by_name[campaign.name].stats.false_alarm_events == 1  # the campaign's warning
    assert report.onsets_caught == report.onsets_total == 1
    flags = [launch + minutes(5), launch + minutes(15)]
    assert campaign_flags(campaign, flags) == flags
    again = evaluate_streams([synthetic_input(storm, [onset + minutes(10)])])
    assert again.nab["standard"].score == pytest.approx(by_name[storm.name].nab["standard"].score)
