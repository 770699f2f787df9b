"""On-call shifts as an iCalendar feed (RFC 5545), per person or per schedule.

Written by hand: CRLF line ends, lines folded at 75 octets, text escaped, times
in UTC. ``DTSTAMP`` is the start of the export so that the same input always
gives the same text.

>>> print(fold("DESCRIPTION:" + "x" * 70).replace("\\r\\n", "|"))
DESCRIPTION:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx| xxxxxxx
>>> escape_text("a, b; c\\\\d\\ne")
'a\\\\, b\\\\; c\\\\\\\\d\\\\ne'
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime, timedelta

from warning.clock import ensure_utc
from warning.errors import UsageError
from warning.playbook.compiled import Config
from warning.playbook.timerules import did_you_mean

__all__ = ["escape_text", "export_ical", "fold", "shifts"]

_PRODID = "-//shitstorm//on-call export//EN"


def escape_text(text: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11)."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold one content line at 75 octets, never inside a UTF-8 character."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _stamp(instant: datetime) -> str:
    return ensure_utc(instant).strftime("%Y%m%dT%H%M%SZ")


def shifts(
    config: Config, start: datetime, end: datetime, *, person: str | None, schedule: str | None
) -> Iterator[tuple[str, datetime, datetime, tuple[str, ...], tuple[str, ...]]]:
    """``(schedule, start, end, people, reasons)`` of every shift in ``[start, end)``."""
    names = [schedule] if schedule is not None else sorted(config.schedules)
    for name in names:
        timeline = config.schedules[name].timeline
        pending: tuple[datetime, datetime, tuple[str, ...], tuple[str, ...]] | None = None
        for lo, hi, (people, reasons) in timeline.segments(start, end):
            keep = bool(people) and (person is None or person in people)
            if (
                pending is not None
                and keep
                and pending[1] == lo
                and (person is not None or pending[2] == people)
            ):
                pending = (pending[0], hi, pending[2], pending[3])
                continue
            if pending is not None:
                yield (name, *pending)
                pending = None
            if keep:
                pending = (lo, hi, people, reasons)
        if pending is not None:
            yield (name, *pending)


def export_ical(
    config: Config,
    start: datetime,
    *,
    weeks: int = 8,
    person: str | None = None,
    schedule: str | None = None,
) -> str:
    """The iCalendar text of the shifts of ``person`` or ``schedule`` (or all schedules)."""
    if person is not None and person not in config.people:
        raise UsageError(f"undefined person '{person}'{did_you_mean(person, config.people)}")
    if schedule is not None and schedule not in config.schedules:
        hint = did_you_mean(schedule, config.schedules)
        raise UsageError(f"undefined schedule '{schedule}'{hint}")
    start = ensure_utc(start)
    end = start + timedelta(weeks=weeks)
    title = (
        f"On call: {config.person_name(person)}"
        if person is not None
        else f"On call: {schedule or 'all schedules'}"
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{_PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(title)}",
    ]
    for name, lo, hi, people, reasons in shifts(
        config, start, end, person=person, schedule=schedule
    ):
        who = ", ".join(config.person_name(p) for p in people)
        summary = f"On call: {name}" if person is not None else f"{name}: {who}"
        uid = hashlib.sha256(f"{name}|{lo.isoformat()}|{','.join(people)}|{person}".encode())
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid.hexdigest()[:32]}@shitstorm",
            f"DTSTAMP:{_stamp(start)}",
            f"DTSTART:{_stamp(lo)}",
            f"DTEND:{_stamp(hi)}",
            f"SUMMARY:{escape_text(summary)}",
            f"DESCRIPTION:{escape_text(chr(10).join(reasons))}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
