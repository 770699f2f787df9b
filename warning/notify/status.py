"""The in-place update of a sent page or channel post: one status line, fewer buttons.

>>> from datetime import datetime, timezone
>>> at = datetime(2026, 3, 28, 19, 41, tzinfo=timezone.utc)
>>> status_line("acknowledged", lang="de", tz="Europe/Berlin", who="Anna", at=at,
...             until=datetime(2026, 3, 28, 20, 15, tzinfo=timezone.utc))
'✅ Übernommen von Anna um 20:41, nächstes Update bis 21:15'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from warning.notify import blockkit as bk
from warning.notify.actions import (
    ACTION_ACK,
    ACTION_ESCALATE,
    ACTION_FALSE_ALARM,
    ACTION_RESOLVE,
    STATUS_BLOCK_ID,
)
from warning.notify.labels import clock_time, label

__all__ = ["KEEP_AFTER", "StatusKind", "status_line", "with_status"]

StatusKind = Literal["acknowledged", "escalated", "resolved", "false_alarm", "missed"]


def status_line(
    kind: StatusKind,
    *,
    lang: str,
    tz: str | ZoneInfo,
    who: str = "",
    at: datetime,
    until: datetime | None = None,
    level: int | None = None,
) -> str:
    """One line for the in-place update ("Acknowledged by X at 20:41, next update by 21:15")."""
    time = clock_time(at, tz)
    if kind == "acknowledged":
        if until is None:
            return label(lang, "acked_plain", who=who, time=time)
        return label(lang, "acked", who=who, time=time, until=clock_time(until, tz))
    if kind == "escalated":
        return label(lang, "escalated", who=who, time=time, level=level)
    if kind == "resolved":
        return label(lang, "resolved", who=who, time=time)
    if kind == "false_alarm":
        return label(lang, "false_alarmed", who=who, time=time)
    return label(lang, "missed", until=clock_time(until or at, tz), level=level)


#: Which buttons stay after each kind of status (the rest are removed).
KEEP_AFTER: dict[str, tuple[str, ...]] = {
    "acknowledged": (ACTION_ESCALATE, ACTION_RESOLVE, ACTION_FALSE_ALARM),
    "escalated": (ACTION_ACK, ACTION_ESCALATE, ACTION_RESOLVE, ACTION_FALSE_ALARM),
    "missed": (ACTION_ACK, ACTION_ESCALATE, ACTION_RESOLVE, ACTION_FALSE_ALARM),
    "resolved": (),
    "false_alarm": (),
}


def with_status(
    blocks: Sequence[Mapping[str, Any]],
    line: str,
    *,
    keep_actions: Sequence[str] = KEEP_AFTER["acknowledged"],
) -> tuple[dict[str, Any], ...]:
    """The blocks of a sent page/post with ``line`` as its status and only ``keep_actions``.

    An earlier status line is replaced; the status goes right above the buttons.
    """
    out: list[dict[str, Any]] = []
    for block in blocks:
        if block.get("block_id") == STATUS_BLOCK_ID:
            continue
        if block.get("type") == "actions":
            kept = [e for e in block.get("elements", []) if e.get("action_id") in keep_actions]
            out.append(bk.section(line, block_id=STATUS_BLOCK_ID))
            if kept:
                out.append({**block, "elements": kept})
            continue
        out.append(dict(block))
    if not any(b.get("block_id") == STATUS_BLOCK_ID for b in out):
        out.insert(max(0, len(out) - 1), bk.section(line, block_id=STATUS_BLOCK_ID))
    return tuple(out)
