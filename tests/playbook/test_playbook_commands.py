"""The commands: playbooks check / schema / route-test, oncall who / export-ical."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from warning.cli import cli

EXAMPLE = Path(__file__).resolve().parents[2] / "playbooks"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def run_bytes(*args: str) -> tuple[int, bytes]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout_bytes


def test_check_passes_on_the_example() -> None:
    code, out, _ = run("playbooks", "check", str(EXAMPLE), "--from", "2026-03-23T00:00Z")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].startswith(f"valid: {EXAMPLE} (15 files: 12 people,")
    assert lines[1] == (
        "coverage: 16128 steps of 5m from Mon 2026-03-23 01:00 Europe/Berlin "
        "(2026-03-23T00:00:00Z) to Mon 2026-05-18 02:00 Europe/Berlin (2026-05-18T00:00:00Z)"
    )
    assert lines[-1] == "ok: every playbook reaches a person at every step"


def test_check_lists_every_error_with_positions_and_exits_1(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "pb")
    people = tmp_path / "pb" / "people.yaml"
    people.write_text(
        people.read_text(encoding="utf-8")
        .replace(
            "timezone: Europe/Berlin\n    languages: [de, en]\n  jonas:",
            "timezone: Europe/Berln\n    languages: [de, en]\n  jonas:",
        )
        .replace("    schedule: legal-duty", "    schedule: legal-dutty"),
        encoding="utf-8",
    )
    code, out, _ = run("playbooks", "check", str(tmp_path / "pb"))
    assert code == 1
    name = tmp_path / "pb" / "people.yaml"
    assert out.splitlines() == [
        f"{name}:9:15: people.anna.timezone: unknown time zone 'Europe/Berln' "
        "(did you mean 'Europe/Berlin'?)",
        f"{name}:90:15: roles.legal.schedule: undefined schedule 'legal-dutty' "
        "(did you mean 'legal-duty'?)",
        f"2 problems in {tmp_path / 'pb'}",
    ]


def test_check_names_coverage_gaps(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "pb")
    schedules = tmp_path / "pb" / "schedules.yaml"
    text = schedules.read_text(encoding="utf-8")
    weekend = '{days: [sat, sun], from: "09:00", to: "09:00"}'
    lead = "        rotation: comms-lead\n"
    assert weekend in text and lead in text
    text = text.replace(weekend, '{days: [sat, sun], from: "09:00", to: "22:00"}')
    text = text.replace(
        lead, lead + '        rules: [{days: [mon-fri], from: "08:00", to: "20:00"}]\n'
    )
    schedules.write_text(text, encoding="utf-8")
    code, out, _ = run(
        "playbooks", "check", str(tmp_path / "pb"), "--from", "2026-03-23T00:00Z", "--weeks", "1"
    )
    assert code == 1, out
    assert (
        "coverage: playbook 'boycott-call' (watch, path 'watch') reaches nobody from "
        "Sat 2026-03-28 22:00 to Sun 2026-03-29 09:00 Europe/Berlin; "
        "only the fallback Dr. Katrin Meier would be paged"
    ) in out.splitlines()
    assert out.splitlines()[-1].endswith("coverage findings")


def test_check_usage_errors_exit_2() -> None:
    code, _, err = run("playbooks", "check", str(EXAMPLE), "--from", "yesterday")
    assert code == 2
    assert "cannot read the time 'yesterday'" in err
    code, _, err = run("playbooks", "check", str(EXAMPLE), "--step", "5")
    assert code == 2


@pytest.mark.parametrize(
    ("local", "person", "since"),
    [
        ("2026-03-28 20:30", "Mira Schulz", "Fri 2026-03-27 18:00"),  # CET, before the change
        ("2026-04-04 20:30", "Lukas Hoffmann", "Fri 2026-04-03 18:00"),  # CEST, Easter weekend
        ("2026-10-24 20:30", "Anna Becker", "Fri 2026-10-23 18:00"),  # CEST, before fall back
        ("2026-10-31 20:30", "Jonas Weber", "Fri 2026-10-30 18:00"),  # CET again
    ],
)
def test_who_is_paged_saturday_2030_berlin(local: str, person: str, since: str) -> None:
    code, out, _ = run(
        "oncall", "who", "--at", local, "--tz", "Europe/Berlin", "--dir", str(EXAMPLE)
    )
    assert code == 0, out
    lines = out.splitlines()
    level1 = next(line for line in lines if line.startswith("  level 1 "))
    assert f"[Social-Media-Dienst und Krisenstab]: pages {person} <@" in level1
    assert f"rotation 'weekend', turn of {person} since {since}" in out


@pytest.mark.parametrize(
    ("local", "holiday"),
    [("2026-04-06 12:00", "Ostermontag"), ("2026-05-25 12:00", "Pfingstmontag")],
)
def test_who_on_holidays_uses_the_weekend_roster(local: str, holiday: str) -> None:
    code, out, _ = run(
        "oncall", "who", "--at", local, "--tz", "Europe/Berlin", "--dir", str(EXAMPLE)
    )
    assert code == 0
    assert (
        f"is a holiday ({holiday}, calendar 'de-nw') and counts as sun): rotation 'weekend'"
    ) in out
    assert "legal-duty: nobody" in out
    assert "[Rechtsabteilung]: skipped" in out


def test_who_needs_an_offset_or_a_zone() -> None:
    code, _, err = run("oncall", "who", "--at", "2026-03-28 20:30", "--dir", str(EXAMPLE))
    assert code == 2
    assert err.strip() == (
        "error: the time '2026-03-28 20:30' has no offset: add one (like +01:00) or give --tz ZONE"
    )
    code, _, err = run(
        "oncall", "who", "--at", "2026-03-29 02:30", "--tz", "Europe/Berlin", "--dir", str(EXAMPLE)
    )
    assert code == 0
    assert "note: 2026-03-29 02:30 does not exist in Europe/Berlin" in err


def test_route_test_explains_the_route() -> None:
    code, out, _ = run(
        "playbooks",
        "route-test",
        "severity=critical",
        "terms=kundendaten,leak",
        "--at",
        "2026-03-28T20:30+01:00",
        "--dir",
        str(EXAMPLE),
    )
    assert code == 0, out
    lines = out.splitlines()
    assert lines[:3] == [
        "route:",
        "  playbook 'data-leak' (priority 50), trigger 2: term 'kundendaten' contains 'kundendaten'",
        "  severity critical → path 'legal-first'",
    ]
    code, _, err = run("playbooks", "route-test", "negativ_share=0.5", "--dir", str(EXAMPLE))
    assert code == 2
    assert "unknown alert field 'negativ_share' (did you mean 'negative_share'?)" in err
    code, _, err = run("playbooks", "route-test", "volume_ratio=high", "--dir", str(EXAMPLE))
    assert code == 2
    assert "must be a number. Got 'high' instead." in err


def test_schema_is_json_for_editors(tmp_path: Path) -> None:
    code, out, _ = run("playbooks", "schema")
    assert code == 0
    schema = json.loads(out)
    assert set(schema["properties"]) >= {"people", "schedules", "paths", "playbooks", "settings"}
    assert schema["additionalProperties"] is False
    target = tmp_path / "schema.json"
    assert run("playbooks", "schema", "--out", str(target))[0] == 0
    assert json.loads(target.read_text(encoding="utf-8")) == schema


def test_export_ical_for_person_and_schedule(tmp_path: Path) -> None:
    code, raw = run_bytes(
        "oncall",
        "export-ical",
        "--person",
        "mira",
        "--weeks",
        "2",
        "--from",
        "2026-03-23T00:00Z",
        "--dir",
        str(EXAMPLE),
    )
    assert code == 0
    out = raw.decode("utf-8")
    assert out.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert out.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20260327T170000Z\r\nDTEND:20260330T070000Z\r\n" in out  # weekend turn
    code, _, err = run("oncall", "export-ical", "--person", "mria", "--dir", str(EXAMPLE))
    assert code == 2 and "undefined person 'mria' (did you mean 'mira'?)" in err
    code, _, err = run(
        "oncall",
        "export-ical",
        "--person",
        "mira",
        "--schedule",
        "comms-lead",
        "--dir",
        str(EXAMPLE),
    )
    assert code == 2
    out_file = tmp_path / "duty.ics"
    code, _, _ = run(
        "oncall",
        "export-ical",
        "--schedule",
        "social-duty",
        "--from",
        "2026-03-23T00:00Z",
        "--weeks",
        "1",
        "--out",
        str(out_file),
        "--dir",
        str(EXAMPLE),
    )
    assert code == 0
    assert out_file.read_bytes().count(b"BEGIN:VEVENT") >= 10
