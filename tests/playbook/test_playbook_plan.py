"""Escalation plans and routing: levels, skips, waits, branches, repeats, fallback."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from warning.playbook.compiled import Config
from warning.playbook.config import load_texts
from warning.playbook.coverage import path_reaches
from warning.playbook.plan import escalation_plan
from warning.playbook.routing import route
from warning.records import Alert, AlertMetrics, DetectorInfo, Drivers, Severity

CONFIG = """
people:
  a: {name: Anna, email: a@example.org}
  b: {name: Ben, email: b@example.org}
  c: {name: Cara, email: c@example.org}
  boss: {name: Boss, slack: U0BOSS001}
rotations:
  day: {members: [a, b], start: 2026-01-05, handoff: "09:00", length: 1w, timezone: Europe/Berlin}
windows:
  office_hours:
    timezone: Europe/Berlin
    rules: [{days: [mon-fri], from: "09:00", to: "18:00"}]
  daytime:
    timezone: Europe/Berlin
    rules: [{from: "07:00", to: "22:00"}]
schedules:
  day:
    timezone: Europe/Berlin
    layers: [{name: day, rotation: day, rules: [{days: [mon-fri], from: "09:00", to: "18:00"}]}]
  rare:
    timezone: Europe/Berlin
    layers: [{name: rare, people: [c], rules: [{days: [wed], from: "12:00", to: "13:00"}]}]
slack_channels:
  room: {name: "#room"}
paths:
  p:
    levels:
      - {name: first, targets: [{schedule: rare}], ack: 10m, delay: 5m}
      - {name: second, targets: [{schedule: day}, {slack_channel: room}], ack: 10m}
      - if: negative_share > 0.4 and volume_ratio > 3
        then: [{name: boss-now, targets: [{person: boss}], ack: 15m}]
        else: [{name: boss-later, targets: [{person: boss}], ack: 30m, wait_until: daytime}]
    repeat: 1
    fallback: boss
  office-only:
    levels:
      - if: office_hours
        then: [{targets: [{schedule: day}]}]
        else: [{targets: [{schedule: rare}]}]
    fallback: boss
playbooks:
  leak:
    title: Leak
    priority: 10
    triggers:
      - crisis_type: data_leak
      - {terms_any: [hack], min_severity: warning}
    escalation: {warning: p, critical: p}
  boycott:
    title: Boycott
    priority: 5
    triggers: [{terms_any: [boykott], when: volume_ratio > 2}]
    escalation: {critical: p}
  general:
    title: General
    escalation: {watch: office-only, critical: p}
settings:
  timezone: Europe/Berlin
  default_playbook: general
"""


@pytest.fixture(scope="module")
def config() -> Config:
    return load_texts({"plan.yaml": CONFIG})


def z(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_saturday_evening_empty_levels_are_skipped_at_once(config: Config) -> None:
    at = z("2026-03-28T19:30Z")  # Saturday 20:30 Berlin
    plan = escalation_plan(
        config, {"severity": "critical", "negative_share": 0.6, "volume_ratio": 4}, at
    )
    first, second, boss = plan.levels[:3]
    assert first.skipped and first.at == at and first.people == ()
    assert first.reasons[-1] == "nobody to acknowledge: skipped at once"
    assert second.skipped and second.channels == ("room",) and second.at == at
    assert "Slack channel #room notified" in second.reasons
    assert not boss.skipped and boss.people == ("boss",) and boss.at == at
    assert boss.reasons[0] == "if negative_share > 0.4 and volume_ratio > 3 → true"
    assert [lvl.round for lvl in plan.levels] == [1, 1, 1, 2, 2, 2]
    assert plan.levels[3].at == at + timedelta(minutes=15)  # round 2 after boss's 15m
    assert plan.fallback is not None and plan.fallback.people == ("boss",)
    assert plan.fallback.at == at + timedelta(minutes=30)
    assert plan.reaches_anyone


def test_low_values_wait_until_the_window_opens(config: Config) -> None:
    at = z("2026-03-28T22:30Z")  # Saturday 23:30 Berlin, daytime closed
    plan = escalation_plan(
        config, {"severity": "critical", "negative_share": 0.1, "volume_ratio": 4}, at
    )
    later = plan.levels[2]
    assert later.label == "boss-later"
    assert later.at == z("2026-03-29T05:00Z")  # Sunday 07:00 CEST, after the DST change
    assert "waits until window 'daytime' opens at Sun 2026-03-29 07:00" in later.reasons
    assert plan.notes[0] == (
        "round 1, Sat 2026-03-28 23:30: if negative_share > 0.4 and volume_ratio > 3 → false"
    )


def test_weekday_office_pages_rotation_and_spends_delay_only_when_paging(config: Config) -> None:
    at = z("2026-03-25T11:00Z")  # Wednesday 12:00 Berlin: 'rare' has Cara
    plan = escalation_plan(config, {"severity": "critical"}, at)
    first, second = plan.levels[:2]
    assert first.people == ("c",) and first.at == at + timedelta(minutes=5)
    assert "after a delay of 5m" in first.reasons
    assert second.at == at + timedelta(minutes=15)
    assert second.people == ("a",) or second.people == ("b",)
    assert second.channels == ("room",)


def test_routing_priorities_triggers_and_default(config: Config) -> None:
    at = z("2026-03-28T19:30Z")
    assert (
        route(config, {"severity": "critical", "crisis_type": "data_leak"}, at).playbook == "leak"
    )
    hack_watch = route(config, {"severity": "watch", "terms": ["hackerangriff"]}, at)
    assert hack_watch.playbook == "general"
    assert hack_watch.reasons[0] == "no trigger matched: default playbook 'general'"
    both = route(
        config,
        {"severity": "critical", "terms": ["boykott", "hacked"], "volume_ratio": 3.0},
        at,
    )
    assert both.playbook == "leak"
    assert both.reasons[0] == (
        "playbook 'leak' (priority 10), trigger 2: term 'hacked' contains 'hack', "
        "severity at least warning"
    )
    boycott = route(config, {"severity": "critical", "terms": ["boykott"], "volume_ratio": 3}, at)
    assert boycott.playbook == "boycott" and boycott.path == "p"
    quiet = route(config, {"severity": "critical", "terms": ["boykott"], "volume_ratio": 1}, at)
    assert quiet.playbook == "general"
    no_path = route(config, {"severity": "warning", "terms": ["boykott"], "volume_ratio": 3}, at)
    assert no_path.path is None
    assert no_path.reasons[-1] == (
        "playbook 'boycott' has no path for warning alerts: nobody is paged"
    )
    plan = escalation_plan(
        config, {"severity": "warning", "terms": "boykott", "volume_ratio": 3}, at
    )
    assert plan.levels == () and plan.fallback is None


def test_alert_record_is_accepted(config: Config) -> None:
    at = z("2026-03-28T19:30Z")
    alert = Alert(
        brand="lumina",
        fired_at=at,
        bucket_start=at - timedelta(minutes=5),
        severity=Severity.CRITICAL,
        change_point_at=None,
        metrics=AlertMetrics(
            volume=400,
            expected_volume=50,
            volume_ratio=8.0,
            negative_share=0.7,
            expected_negative_share=0.2,
        ),
        detector=DetectorInfo("cusum"),
        dedup_key="lumina:1",
        drivers=Drivers(top_terms=("boykott", "preise")),
    )
    plan = escalation_plan(config, alert, at)
    assert plan.route.playbook == "boycott"
    assert plan.levels[2].label == "boss-now"


def test_window_only_branch_is_decided_by_the_instant(config: Config) -> None:
    office = escalation_plan(config, {"severity": "watch"}, z("2026-03-25T11:00Z"))
    assert office.levels[0].reasons[0] == "if office_hours → true"
    night = escalation_plan(config, {"severity": "watch"}, z("2026-03-25T22:00Z"))
    assert night.levels[0].reasons[0] == "if office_hours → false"
    assert night.levels[0].skipped and not night.reaches_anyone


@pytest.mark.parametrize("seed", range(3))
def test_coverage_walk_agrees_with_plans(config: Config, seed: int) -> None:
    rng = random.Random(seed)
    for name in ("p", "office-only"):
        path = config.paths[name]
        for _ in range(60):
            at = z("2026-03-23T00:00Z") + timedelta(minutes=5 * rng.randrange(2 * 7 * 288))
            severity = "critical" if name == "p" else "watch"
            plans = [
                escalation_plan(
                    config,
                    {"severity": severity, "negative_share": share, "volume_ratio": 4},
                    at,
                    playbook="general",
                )
                for share in (0.1, 0.9)
            ]
            assert path_reaches(config, path, at) == all(p.reaches_anyone for p in plans)


def test_naive_instant_is_refused(config: Config) -> None:
    from warning.errors import TimestampError

    with pytest.raises(TimestampError):
        escalation_plan(config, {"severity": "critical"}, datetime(2026, 3, 28, 20, 30))
