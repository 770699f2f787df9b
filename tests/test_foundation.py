"""Shared foundations: clock, records, errors and the CLI's exit-code contract."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

import pytest

from warning.cli import main
from warning.clock import Clock, SimulatedClock, SystemClock, ensure_utc
from warning.errors import ConfigError, ShitstormError, TimestampError
from warning.records import (
    Alert,
    AlertMetrics,
    DetectorInfo,
    Drivers,
    Severity,
    isoformat_utc,
)


def test_simulated_clock_only_moves_forward() -> None:
    clock = SimulatedClock(datetime(2026, 3, 29, 0, 30, tzinfo=UTC))
    assert isinstance(clock, Clock)
    clock.sleep(90)
    assert clock.now() == datetime(2026, 3, 29, 0, 31, 30, tzinfo=UTC)
    with pytest.raises(ValueError, match="cannot go back"):
        clock.set(datetime(2026, 3, 29, 0, 0, tzinfo=UTC))
    with pytest.raises(ValueError, match="cannot go back"):
        clock.advance(timedelta(seconds=-1))


def test_simulated_clock_rejects_naive_start() -> None:
    with pytest.raises(TimestampError, match="no time zone"):
        SimulatedClock(datetime(2026, 3, 29, 0, 30))


def test_system_clock_is_aware_utc() -> None:
    now = SystemClock().now()
    assert now.tzinfo is not None
    assert now.utcoffset() == timedelta(0)


def test_ensure_utc_converts_offsets() -> None:
    berlin_summer = timezone(timedelta(hours=2))
    assert ensure_utc(datetime(2026, 7, 4, 20, 30, tzinfo=berlin_summer)) == datetime(
        2026, 7, 4, 18, 30, tzinfo=UTC
    )


def test_severity_order_and_parse() -> None:
    assert sorted([Severity.CRITICAL, Severity.WATCH, Severity.WARNING]) == [
        Severity.WATCH,
        Severity.WARNING,
        Severity.CRITICAL,
    ]
    assert Severity.parse(" Warning ") is Severity.WARNING
    with pytest.raises(ValueError, match="Severity must be one of watch, warning, critical"):
        Severity.parse("panic")


def test_alert_json_line_has_contract_fields() -> None:
    fired = datetime(2026, 3, 28, 19, 35, tzinfo=UTC)
    alert = Alert(
        brand="acme",
        fired_at=fired,
        bucket_start=fired - timedelta(minutes=5),
        severity=Severity.WARNING,
        change_point_at=fired - timedelta(minutes=15),
        metrics=AlertMetrics(
            volume=120,
            expected_volume=20,
            volume_ratio=6.0,
            negative_share=0.55,
            expected_negative_share=0.12,
        ),
        detector=DetectorInfo(name="seasonal-cpd", params={"bucket": "5min"}),
        dedup_key="acme:2026-03-28T19:20:00Z",
        drivers=Drivers(top_terms=("boykott",), platforms={"x": 80}),
    )
    row = json.loads(alert.to_json())
    assert row["fired_at"] == "2026-03-28T19:35:00Z"
    assert row["severity"] == "warning"
    for key in ("volume", "expected_volume", "volume_ratio", "negative_share"):
        assert key in row["metrics"]
    assert row["metrics"]["expected_negative_share"] == 0.12
    assert row["drivers"]["top_terms"] == ["boykott"]
    assert row["detector"] == {"name": "seasonal-cpd", "params": {"bucket": "5min"}}


def test_isoformat_utc_rejects_naive() -> None:
    with pytest.raises(ValueError, match="aware"):
        isoformat_utc(datetime(2026, 1, 1))


def test_config_error_keeps_every_finding() -> None:
    err = ConfigError(["a.yaml:1:1: one", "a.yaml:2:1: two"])
    assert isinstance(err, ShitstormError)
    assert err.findings == ["a.yaml:1:1: one", "a.yaml:2:1: two"]


def test_cli_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    assert "No such command" in capsys.readouterr().err


def test_cli_help_and_version_exit_0() -> None:
    assert main(["--help"]) == 0
    out = subprocess.run(
        [sys.executable, "-m", "warning", "--version"], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0
    assert out.stdout.startswith("shitstorm, version")
