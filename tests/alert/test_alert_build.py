"""Alert records built from decisions: the DESIGN.md §4.3 contract."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from warning.alert import build_alert, dedup_key
from warning.detect.types import Decision
from warning.errors import DetectorError
from warning.records import DetectorInfo, Severity

T = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)
INFO = DetectorInfo("seasonal-storm", {"threshold": 4.0, "weekend": [5, 6]})


def decision(severity: Severity, minutes: int, *, alert: bool = True) -> Decision:
    start = T + timedelta(minutes=minutes)
    return Decision(
        bucket_start=start,
        bucket_end=start + timedelta(minutes=5),
        volume=140.0,
        expected_volume=20.0,
        z=11.0,
        score=0.9,
        state="storm",
        severity=severity,
        alert=alert,
        new_storm=minutes == 0,
        storm_start=T - timedelta(minutes=10),
        metrics={
            "volume": 140.0,
            "expected_volume": 20.0,
            "volume_ratio": 7.0,
            "negative_share": 0.41,
            "expected_negative_share": 0.12,
            "z": 11.0,
            "doubling_minutes": 38.123456,
            "new_author_share": None,
        },
    )


def test_alert_line_has_every_contract_field() -> None:
    line = json.loads(build_alert("acme", decision(Severity.WARNING, 0), INFO).to_json())
    assert set(line) == {
        "brand",
        "fired_at",
        "bucket_start",
        "severity",
        "change_point_at",
        "metrics",
        "drivers",
        "detector",
        "dedup_key",
    }
    assert line["fired_at"] == "2026-03-28T19:35:00Z"
    assert line["bucket_start"] == "2026-03-28T19:30:00Z"
    assert line["change_point_at"] == "2026-03-28T19:20:00Z"
    assert line["severity"] == "warning"
    for key in (
        "volume",
        "expected_volume",
        "volume_ratio",
        "negative_share",
        "expected_negative_share",
    ):
        assert key in line["metrics"]
    assert line["metrics"]["doubling_minutes"] == 38.1235
    assert line["metrics"]["new_author_share"] is None
    assert line["detector"] == {
        "name": "seasonal-storm",
        "params": {"threshold": 4.0, "weekend": [5, 6]},
    }


def test_rises_of_one_storm_share_the_dedup_key() -> None:
    first = build_alert("acme", decision(Severity.WATCH, 0), INFO)
    rise = build_alert("acme", decision(Severity.CRITICAL, 25), INFO)
    assert first.dedup_key == rise.dedup_key == dedup_key("acme", T - timedelta(minutes=10))
    assert first.dedup_key == "acme:2026-03-28T19:20:00Z"
    assert rise.fired_at - first.fired_at == timedelta(minutes=25)


def test_a_decision_without_alert_cannot_become_one() -> None:
    with pytest.raises(DetectorError, match="did not"):
        build_alert("acme", decision(Severity.WATCH, 0, alert=False), INFO)
