"""The story of a crisis from its audit events: JSON Lines for tools, Markdown for people.

>>> from datetime import datetime, timezone
>>> e = AuditEntry(3, datetime(2026, 3, 28, 19, 41, tzinfo=timezone.utc), 7, "ack_received",
...                "anna", {"action": "acknowledge", "slack_user": "U1",
...                         "promise_until": "2026-03-28T20:15:00Z"})
>>> print(describe(e, "Europe/Berlin"))
acknowledged by anna (Slack U1), next update by 21:15
>>> timeline_markdown([e], tz="Europe/Berlin", title="c-7").splitlines()[4]
'| 2026-03-28 20:41:00 | ack_received | anna | acknowledged by anna (Slack U1), next update by 21:15 |'
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from warning.store.views import AuditEntry

__all__ = ["describe", "timeline_jsonl", "timeline_markdown"]


def _local(value: Any, zone: ZoneInfo, fmt: str = "%H:%M") -> str:
    if not isinstance(value, str):
        return str(value)
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(zone).strftime(fmt)
    except ValueError:
        return value


def _people(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "nobody"
    return str(value)


def _attempt(d: Mapping[str, Any]) -> str:
    result = d.get("result") or {}
    answer = str(result.get("status"))
    if result.get("error"):
        answer += f" ({result['error']}"
        answer += f", retry after {result['retry_after']} s)" if result.get("retry_after") else ")"
    elif result.get("ts"):
        answer += f" (ts {result['ts']})"
    lookup = ", after looking the key up in Slack" if d.get("reconcile") else ""
    return f"{d.get('kind')} to {d.get('channel')}, attempt {d.get('attempt')}{lookup}: {answer}"


_SENTENCES: dict[str, Callable[[Mapping[str, Any], ZoneInfo], str]] = {
    "alert_received": lambda d, z: (
        f"{d.get('severity')} alert for {d.get('brand')} "
        f"(volume ×{d.get('volume_ratio')}, negative share {d.get('negative_share')})"
    ),
    "crisis_opened": lambda d, z: (
        f"crisis opened: playbook '{d.get('playbook')}', severity {d.get('severity')}"
        + (f" ({'; '.join(d['routed'])})" if d.get("routed") else "")
    ),
    "plan_snapshot": lambda d, z: (
        f"escalation plan frozen (playbook version {str(d.get('playbook_version'))[:12]}, "
        f"paths {d.get('paths')})"
    ),
    "alert_joined": lambda d, z: f"{d.get('severity')} alert joined the crisis",
    "severity_raised": lambda d, z: (
        f"severity raised {d.get('from')} → {d.get('to')}: re-entering at level {d.get('level')}"
    ),
    "level_started": lambda d, z: (
        f"level {d.get('level')} ({d.get('label')}): paging {_people(d.get('people'))}"
    ),
    "level_skipped": lambda d, z: (
        f"level {d.get('level')} ({d.get('label')}) skipped: {d.get('why')}"
    ),
    "page_queued": lambda d, z: (
        f"page to {d.get('person') or d.get('channel')} queued ({d.get('key')})"
    ),
    "page_not_repeated": lambda d, z: f"{d.get('person')} already paged: not paged again",
    "send_attempt": lambda d, z: _attempt(d),
    "fallback_queued": lambda d, z: f"e-mail fallback to {d.get('address')} queued",
    "ack_received": lambda d, z: (
        {
            "acknowledge": "acknowledged",
            "escalate": "escalation requested",
            "resolve": "resolve requested",
            "false_alarm": "marked as false alarm",
            "checklist_done": f"checklist item {d.get('item')} ticked",
            "approve_statement": f"statement {d.get('item')} approved",
        }.get(str(d.get("action")), str(d.get("action")))
        + f" by {d.get('person') or d.get('actor')} (Slack {d.get('slack_user')})"
        + (f", next update by {_local(d['promise_until'], z)}" if d.get("promise_until") else "")
    ),
    "ack_refused": lambda d, z: (
        f"refused {d.get('action')} from Slack user {d.get('slack_user')}: {d.get('why')}"
    ),
    "pages_cancelled": lambda d, z: (
        f"escalation stopped ({d.get('why')}): {d.get('count')} queued page(s) and "
        f"{d.get('timers')} timer(s) cancelled"
    ),
    "promise_missed": lambda d, z: (
        f"promised update by {_local(d.get('promise_until'), z)} missed: escalating"
    ),
    "escalated": lambda d, z: f"escalated to level {d.get('level')} ({d.get('why')})",
    "crisis_closed": lambda d, z: f"crisis {d.get('status')} by {d.get('by')}",
}


def describe(entry: AuditEntry, tz: str | ZoneInfo = "UTC") -> str:
    """One readable sentence for an event (its raw data for kinds without a sentence)."""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    sentence = _SENTENCES.get(entry.kind)
    if sentence is not None:
        try:
            return sentence({"actor": entry.actor, **entry.data}, zone)
        except (KeyError, TypeError, ValueError):
            pass
    return ", ".join(f"{k}={v}" for k, v in sorted(entry.data.items()))


def timeline_jsonl(entries: Iterable[AuditEntry]) -> str:
    """One JSON object per line, with each event's hash."""
    return "".join(json.dumps(e.to_dict(), ensure_ascii=False) + "\n" for e in entries)


def timeline_markdown(
    entries: Iterable[AuditEntry], *, tz: str = "UTC", title: str = "Timeline"
) -> str:
    """A Markdown table of the story, times in ``tz``."""
    zone = ZoneInfo(tz)
    lines = [f"# {title}", "", f"| time ({tz}) | event | who | what |", "|---|---|---|---|"]
    for e in entries:
        when = e.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
        what = describe(e, zone).replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {when} | {e.kind} | {e.actor or ''} | {what} |")
    return "\n".join(lines) + "\n"
