"""Strict detection settings: every finding at its place, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from warning.detect.config import DetectionConfig, parse_config
from warning.errors import ConfigError
from warning.pipeline import load_config

GOOD = """\
detector:
  threshold: 4.5
  tz: Europe/Berlin
  weekend: [5, 6]
brands:
  acme:
    holidays: DE
expected_spikes:
  - name: Spring campaign launch
    brand: acme
    start: "2026-04-01T18:00:00+02:00"
    end: "2026-04-01T22:00:00+02:00"
    factor: 4
  - start: "2026-04-02T20:15:00+02:00"
    end: "2026-04-02T20:45:00+02:00"
"""


def test_good_file_builds_per_brand_detectors(tmp_path: Path) -> None:
    path = tmp_path / "detect.yaml"
    path.write_text(GOOD)
    cfg = load_config(path)
    acme = cfg.detector_for("acme", freq="5min")
    other = cfg.detector_for("other")
    assert (acme.threshold, acme.tz, acme.holidays, acme.weekend) == (
        4.5,
        "Europe/Berlin",
        "DE",
        (5, 6),
    )
    assert other.holidays is None and other.threshold == 4.5
    assert [s.factor for s in acme.expected_spikes] == [4.0, 3.0]
    assert [s.start.isoformat() for s in other.expected_spikes] == ["2026-04-02T18:15:00+00:00"]
    acme.fit()  # the settings pass the detector's own validation


def test_every_finding_is_reported_with_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "detector:\n"
        "  treshold: 5\n"
        "  cooldown: 2\n"
        "expected_spikes:\n"
        "  - start: 2026-04-01T18:00:00\n"
        "    end: '2026-04-01T17:00:00+02:00'\n"
        "    factor: -1\n"
        "colour: red\n"
    )
    with pytest.raises(ConfigError) as err:
        load_config(path)
    findings = err.value.findings
    assert f"{path}:2:3: unknown key 'treshold' (did you mean 'threshold'?)" in findings
    assert f"{path}:3:3: cooldown must be text; got 2" in findings
    assert any(f.startswith(f"{path}:5:") and "has no time zone" in f for f in findings)
    assert any(
        f.startswith(f"{path}:7:") and "factor must be a positive number" in f for f in findings
    )
    assert any(f.startswith(f"{path}:8:1: unknown key 'colour'") for f in findings)


def test_semantic_errors_come_from_the_detector_itself() -> None:
    with pytest.raises(
        ConfigError,
        match=r"detector.quiet_for: The 'quiet_for' parameter of SeasonalStormDetector must be a positive duration",
    ):
        parse_config({"detector": {"quiet_for": "soonish"}})
    with pytest.raises(
        ConfigError, match=r"brands.acme.tz: The 'tz' parameter must be an IANA time zone"
    ):
        parse_config({"brands": {"acme": {"tz": "Berlin"}}})


def test_yaml_11_surprises_are_errors(tmp_path: Path) -> None:
    path = tmp_path / "on.yaml"
    path.write_text("detector:\n  holidays: NO\n")
    with pytest.raises(ConfigError, match=r"YAML 1\.1 boolean"):
        load_config(path)


def test_end_before_start_and_missing_start() -> None:
    with pytest.raises(ConfigError) as err:
        parse_config(
            {
                "expected_spikes": [
                    {"end": "2026-04-01T17:00:00+00:00"},
                    {"start": "2026-04-01T18:00:00+00:00", "end": "2026-04-01T17:00:00+00:00"},
                ]
            }
        )
    assert err.value.findings == [
        "expected_spikes.0.start: start is required (an ISO 8601 instant with an offset)",
        "expected_spikes.1.end: end 2026-04-01T17:00:00+00:00 must be after start 2026-04-01T18:00:00+00:00",
    ]


def test_empty_configuration_means_defaults(tmp_path: Path) -> None:
    assert parse_config(None) == DetectionConfig()
    assert load_config(None) == DetectionConfig()
    path = tmp_path / "missing.yaml"
    with pytest.raises(Exception, match="no such file"):
        load_config(path)
