"""iCalendar export: RFC 5545 framing, folding, escaping, shifts across DST."""

from __future__ import annotations

from datetime import datetime

from warning.playbook.compiled import Config
from warning.playbook.ical import export_ical, fold, shifts


def z(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_lines_are_crlf_folded_at_75_octets(example: Config) -> None:
    text = export_ical(example, z("2026-03-23T00:00Z"), weeks=2, schedule="social-duty")
    assert text.endswith("\r\n")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    lines = _unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") > 10
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(uids) == len(set(uids))
    assert export_ical(example, z("2026-03-23T00:00Z"), weeks=2, schedule="social-duty") == text


def test_multibyte_characters_are_never_split() -> None:
    folded = fold("SUMMARY:" + "ü" * 80)
    for part in folded.split("\r\n"):
        part.encode("utf-8").decode("utf-8")
        assert len(part.encode("utf-8")) <= 75


def test_person_shifts_follow_the_wall_clock_across_dst(example: Config) -> None:
    found = list(
        shifts(
            example, z("2026-03-23T00:00Z"), z("2026-04-27T00:00Z"), person="mira", schedule=None
        )
    )
    weekend = [(s, e) for name, s, e, _, _ in found if name == "social-duty" and s.weekday() == 4]
    # Weekend turns start Friday 18:00 Berlin: 17:00Z in CET, 16:00Z in CEST.
    assert (z("2026-03-27T17:00Z"), z("2026-03-30T07:00Z")) in weekend
    assert (z("2026-04-24T16:00Z"), z("2026-04-27T00:00Z")) in weekend
