"""What the escalation did, read back from the store: pages, the story, checklist, Slack.

Everything the demo prints and reports about the escalation comes from here, so
it shows what the durable runtime recorded (the outbox with its send times, the
hash-chained audit log, the checklist), not what the demo meant to do.

>>> from datetime import datetime, timezone
>>> stamp(datetime(2026, 3, 28, 19, 0, tzinfo=timezone.utc))
'Sa 28.03. 20:00 (19:00 UTC)'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from warning.notify.render import blocks_to_html, blocks_to_text
from warning.store.db import Store
from warning.store.timeline import describe
from warning.store.views import AuditEntry, CrisisView, OutboxView

__all__ = [
    "AuditSummary",
    "ChecklistLine",
    "CrisisStory",
    "EventLine",
    "PageRecord",
    "SlackMessage",
    "local",
    "read_story",
    "stamp",
]

BERLIN = "Europe/Berlin"
_DAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")

#: Audit events that tell the escalation's story (the rest are the sends behind it).
STORY_KINDS = frozenset(
    {
        "crisis_opened",
        "severity_raised",
        "level_started",
        "level_skipped",
        "escalated",
        "pages_cancelled",
        "promise_missed",
        "ack_received",
        "crisis_closed",
        "statement_drafted",
    }
)


def local(instant: datetime, tz: str = BERLIN) -> str:
    """An instant as wall-clock time in ``tz``, e.g. ``Sa 28.03. 20:10``."""
    moment = instant.astimezone(ZoneInfo(tz))
    return f"{_DAYS[moment.weekday()]} {moment:%d.%m. %H:%M}"


def stamp(instant: datetime, tz: str = BERLIN) -> str:
    """Berlin wall-clock time with UTC in brackets."""
    return f"{local(instant, tz)} ({instant.astimezone(ZoneInfo('UTC')):%H:%M} UTC)"


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One page of the crisis as the outbox holds it."""

    key: str
    level: int
    round: int
    label: str
    person: str
    name: str
    kind: str  # page_dm or email
    channel: str
    queued_at: datetime
    sent_at: datetime | None
    status: str
    ts: str | None
    ack: timedelta | None  # the level's time to acknowledge
    fallback: bool


@dataclass(frozen=True, slots=True)
class EventLine:
    """One event of the audit log, in words."""

    seq: int
    at: datetime
    kind: str
    actor: str | None
    text: str
    data: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ChecklistLine:
    due: datetime
    role: str
    owners: tuple[str, ...]
    task: str
    done: bool


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """A message as it stands in Slack after every update, with its thread replies."""

    key: str
    kind: str
    where: str
    sent_at: datetime | None
    status: str
    text: str
    html: str
    updates: int
    replies: tuple[SlackMessage, ...] = ()


@dataclass(frozen=True, slots=True)
class AuditSummary:
    chain_ok: bool
    events: int
    head_hash: str
    problems: tuple[str, ...]
    crisis_events: int
    kinds: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class CrisisStory:
    crisis: CrisisView
    path: str | None
    route: tuple[str, ...]
    pages: tuple[PageRecord, ...]
    events: tuple[EventLine, ...]
    checklist: tuple[ChecklistLine, ...]
    slack: tuple[SlackMessage, ...]
    audit: AuditSummary
    timeline: tuple[AuditEntry, ...]


def _levels(crisis: CrisisView) -> dict[int, Mapping[str, Any]]:
    plans = crisis.snapshot.get("plans") or {}
    found: dict[int, Mapping[str, Any]] = {}
    for severity in (crisis.severity, *plans):
        for level in (plans.get(severity) or {}).get("levels") or []:
            found.setdefault(int(level["number"]), level)
    return found


def _names(crisis: CrisisView) -> dict[str, str]:
    contacts = crisis.snapshot.get("contacts") or {}
    return {p: str(c.get("name", p)) for p, c in contacts.items()}


def _where(view: OutboxView, crisis: CrisisView, names: Mapping[str, str]) -> str:
    n = view.notification
    if n.kind == "page_dm":
        return f"DM {names.get(view.person or '', view.person or n.channel)}"
    if n.kind == "email":
        return f"e-mail {n.channel}"
    channels = crisis.snapshot.get("channels") or {}
    for info in channels.values():
        if n.channel in (info.get("id"), info.get("name")):
            return str(info.get("name"))
    return n.channel


def _message(view: OutboxView, where: str, rows: Sequence[OutboxView]) -> SlackMessage:
    updates = [
        r
        for r in rows
        if r.notification.kind == "update"
        and r.notification.thread_of == view.key
        and r.status == "sent"
    ]
    blocks = updates[-1].notification.blocks if updates else view.notification.blocks
    text = updates[-1].notification.text if updates else view.notification.text
    replies = tuple(
        _message(r, f"{where} (thread)", rows)
        for r in rows
        if r.notification.kind == "thread_reply" and r.notification.thread_of == view.key
    )
    return SlackMessage(
        view.key,
        view.notification.kind,
        where,
        view.sent_at,
        view.status,
        blocks_to_text(blocks) if blocks else text,
        blocks_to_html(blocks) if blocks else text,
        len(updates),
        replies,
    )


def _sentence(entry: AuditEntry, zone: ZoneInfo) -> str:
    if entry.kind == "statement_drafted":
        d = entry.data
        limit = f" of {d['limit']}" if d.get("limit") else ""
        return (
            f"holding statement '{d.get('statement')}' ({d.get('lang')}, {d.get('chars')}{limit} "
            "characters) drafted in the crisis channel's thread, for two approvals"
        )
    return describe(entry, zone)


def read_story(store: Store, crisis_id: int, *, tz: str = BERLIN) -> CrisisStory:
    """Everything about one crisis that the demo shows, from ``store``."""
    zone = ZoneInfo(tz)
    with store.read() as tx:
        crisis = tx.get_crisis(crisis_id)
        rows = tx.outbox(crisis_id)
        items = tx.checklist(crisis_id)
    report = store.verify_chain()
    timeline = tuple(store.timeline(crisis_id))
    levels = _levels(crisis)
    names = _names(crisis)
    plan = (crisis.snapshot.get("plans") or {}).get(crisis.severity) or {}
    pages = []
    for r in rows:
        if r.notification.kind not in ("page_dm", "email") or r.person is None:
            continue
        level = levels.get(r.level or 0, {})
        pages.append(
            PageRecord(
                key=r.key,
                level=int(r.level or 0),
                round=int(r.round or 1),
                label=str(level.get("label", "")),
                person=r.person,
                name=names.get(r.person, r.person),
                kind=r.notification.kind,
                channel=r.notification.channel,
                queued_at=r.enqueued_at,
                sent_at=r.sent_at,
                status=r.status,
                ts=r.slack_ts,
                ack=timedelta(seconds=float(level["ack"])) if "ack" in level else None,
                fallback=bool(level.get("fallback", False)),
            )
        )
    slack = tuple(
        _message(r, _where(r, crisis, names), rows)
        for r in rows
        if r.notification.kind in ("page_dm", "channel_post", "email")
    )
    kinds: dict[str, int] = {}
    for e in timeline:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    return CrisisStory(
        crisis=crisis,
        path=plan.get("path"),
        route=tuple(plan.get("route") or ()),
        pages=tuple(pages),
        events=tuple(
            EventLine(e.seq, e.at, e.kind, e.actor, _sentence(e, zone), e.data)
            for e in timeline
            if e.kind in STORY_KINDS
        ),
        checklist=tuple(
            ChecklistLine(
                i.due_at,
                i.role,
                tuple(names.get(o, o) for o in i.owners),
                i.task,
                i.done_at is not None,
            )
            for i in items
        ),
        slack=slack,
        audit=AuditSummary(
            report.ok, report.events, report.head_hash, report.problems, len(timeline), kinds
        ),
        timeline=timeline,
    )
