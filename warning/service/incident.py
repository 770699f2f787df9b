"""What people see of a crisis: the status lines of ``/shitstorm status`` and the incident page.

Everything is read from the store in one read transaction and turned into plain
records (no SQL, no templates here): :func:`open_crises` for the status list,
:func:`incident` for one crisis with its alerts (metrics against the baseline),
checklist, timeline and holding statements, :func:`chart_frame` for its chart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from warning.errors import ConfigError
from warning.escalate.snapshot import plan_levels
from warning.notify.labels import clock_time, label, severity_name
from warning.playbook.compiled import Config
from warning.playbook.statements import render_statement
from warning.store.db import Store
from warning.store.timeline import describe
from warning.store.views import AckView, CrisisView, StateView, parse_crisis_ref

__all__ = [
    "CrisisStatus",
    "Incident",
    "StatementView",
    "chart_frame",
    "help_text",
    "incident",
    "open_crises",
    "status_text",
]

_WORDS: dict[str, dict[str, str]] = {
    "de": {
        "none_open": "Keine offene Krise. 🌤",
        "open": "Offene Krisen ({count}):",
        "line": "*{ref}* {title} — {severity}, seit {since}, Stufe {level}",
        "paged": "alarmiert: {who}",
        "nobody": "noch niemand alarmiert",
        "acked": "übernommen von {who}",
        "unacked": "nicht übernommen",
        "promise": "Update bis {until}",
        "unknown": "Krise {ref} gibt es nicht.",
        "help": (
            "*/shitstorm* — Befehle:\n"
            "• `status [krise]` offene Krisen\n"
            "• `übernehmen <krise> [30m | 21:15]` übernehmen, Update versprechen\n"
            "• `eskalieren <krise>` nächste Stufe alarmieren\n"
            "• `erledigt <krise>` Krise schließen\n"
            "• `fehlalarm <krise>` als Fehlalarm schließen (Rückmeldung an den Detektor)\n"
            "• `hilfe` diese Hilfe"
        ),
    },
    "en": {
        "none_open": "No open crisis. 🌤",
        "open": "Open crises ({count}):",
        "line": "*{ref}* {title} — {severity}, since {since}, level {level}",
        "paged": "paged: {who}",
        "nobody": "nobody paged yet",
        "acked": "acknowledged by {who}",
        "unacked": "not acknowledged",
        "promise": "update by {until}",
        "unknown": "There is no crisis {ref}.",
        "help": (
            "*/shitstorm* — commands:\n"
            "• `status [crisis]` open crises\n"
            "• `ack <crisis> [30m | 21:15]` acknowledge, promise an update\n"
            "• `escalate <crisis>` page the next level now\n"
            "• `resolve <crisis>` close the crisis\n"
            "• `false-alarm <crisis>` close as a false alarm (feedback for the detector)\n"
            "• `help` this help"
        ),
    },
}


def words(lang: str | None) -> Mapping[str, str]:
    return _WORDS.get(lang or "de", _WORDS["de"])


@dataclass(frozen=True)
class CrisisStatus:
    """One open (or closed) crisis as the status command shows it."""

    ref: str
    brand: str
    title: str
    status: str
    severity: str
    opened_at: datetime
    level: int | None
    paged: tuple[str, ...]  # names
    acked_by: str | None  # name
    promise_until: datetime | None
    closed_at: datetime | None = None


def _name(crisis: CrisisView, person: str | None) -> str | None:
    if person is None:
        return None
    contact = (crisis.snapshot.get("contacts") or {}).get(person) or {}
    return str(contact.get("name") or person)


def _level_number(crisis: CrisisView, state: StateView) -> int | None:
    levels = plan_levels(crisis.snapshot, state.severity)
    if 0 <= state.level_index < len(levels):
        return levels[state.level_index].number
    return None


def _status(crisis: CrisisView, state: StateView, paged: Mapping[str, datetime]) -> CrisisStatus:
    return CrisisStatus(
        ref=crisis.ref,
        brand=crisis.brand,
        title=crisis.title,
        status=crisis.status,
        severity=state.severity,
        opened_at=crisis.opened_at,
        level=_level_number(crisis, state),
        paged=tuple(_name(crisis, p) or p for p in paged),
        acked_by=_name(crisis, state.acked_by),
        promise_until=state.promise_until,
        closed_at=crisis.closed_at,
    )


def open_crises(store: Store, *, crisis: str | None = None) -> list[CrisisStatus]:
    """Every open crisis (or just ``crisis``, open or not), oldest first."""
    out: list[CrisisStatus] = []
    with store.read() as tx:
        if crisis is not None:
            views = [tx.get_crisis(parse_crisis_ref(crisis))]
        else:
            views = tx.crises(open_only=True)
        for view in views:
            state = tx.get_state(view.id, lock=False)
            out.append(_status(view, state, tx.paged_people(view.id)))
    return out


def status_text(crises: list[CrisisStatus], *, lang: str, tz: str) -> str:
    """The answer of ``/shitstorm status`` in the person's language (Slack mrkdwn)."""
    w = words(lang)
    if not crises:
        return w["none_open"]
    lines = [w["open"].format(count=len(crises))]
    for c in crises:
        head = w["line"].format(
            ref=c.ref,
            brand=c.brand,
            title=c.title,
            severity=severity_name(lang, c.severity),
            since=clock_time(c.opened_at, tz),
            level=c.level if c.level is not None else "–",
        )
        parts = [w["paged"].format(who=", ".join(c.paged)) if c.paged else w["nobody"]]
        parts.append(w["acked"].format(who=c.acked_by) if c.acked_by else w["unacked"])
        if c.promise_until is not None:
            parts.append(w["promise"].format(until=clock_time(c.promise_until, tz)))
        lines.append(f"{head}\n    {' · '.join(parts)}")
    return "\n".join(lines)


def help_text(lang: str) -> str:
    return words(lang)["help"]


# ---------------------------------------------------------------------- incident page
@dataclass(frozen=True)
class ChecklistItem:
    key: str
    task: str
    role: str
    owners: tuple[str, ...]
    due_at: datetime
    done_at: datetime | None
    done_by: str | None


@dataclass(frozen=True)
class TimelineEntry:
    seq: int
    at: datetime
    kind: str
    actor: str | None
    text: str


@dataclass(frozen=True)
class AlertPoint:
    fired_at: datetime
    bucket_start: datetime
    severity: str
    metrics: Mapping[str, Any]
    change_point_at: datetime | None


@dataclass(frozen=True)
class StatementView:
    id: str
    lang: str
    channel: str
    text: str
    length: int
    limit: int | None
    approvals: tuple[str, ...]
    approved: bool


@dataclass(frozen=True)
class Incident:
    """One crisis with everything its page shows."""

    status: CrisisStatus
    playbook: str
    playbook_version: str
    alerts: list[AlertPoint]
    checklist: list[ChecklistItem]
    timeline: list[TimelineEntry]
    statements: list[StatementView] = field(default_factory=list)
    people: dict[str, str] = field(default_factory=dict)  # person id -> name (who may tick)


def _when(value: Any) -> datetime | None:
    if not value:
        return None
    stamp: datetime = pd.Timestamp(value).to_pydatetime()
    return stamp


def _approvals(acks: list[AckView]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for ack in acks:
        if ack.action == "approve_statement" and ack.outcome == "accepted" and ack.item:
            names = out.setdefault(ack.item, [])
            if ack.person and ack.person not in names:
                names.append(ack.person)
    return out


def next_update(opened_at: datetime, promise_until: datetime | None, tz: str) -> str:
    """The promised update time, else 45 minutes after the start on the next quarter hour.

    >>> from datetime import timezone
    >>> next_update(datetime(2026, 3, 28, 19, 31, tzinfo=timezone.utc), None, "Europe/Berlin")
    '21:30'
    """
    zone = ZoneInfo(tz)
    if promise_until is not None:
        return promise_until.astimezone(zone).strftime("%H:%M")
    due = opened_at.astimezone(zone) + timedelta(minutes=45)
    rounded = due.replace(minute=0, second=0, microsecond=0)
    rounded += timedelta(minutes=15 * math.ceil((due - rounded).total_seconds() / 900))
    return rounded.strftime("%H:%M")


def _statements(
    crisis: CrisisView,
    config: Config | None,
    approvals: Mapping[str, list[str]],
    tz: str,
    promise_until: datetime | None,
) -> list[StatementView]:
    book = None if config is None else config.playbooks.get(str(crisis.snapshot.get("playbook")))
    if book is None or config is None:
        return []
    opened = crisis.opened_at.astimezone(ZoneInfo(tz))
    variables = {
        **{k: str(v) for k, v in config.settings.sample_values.items()},
        "brand": crisis.brand,
        "date": f"{opened:%d.%m.%Y}",
        "time": f"{opened:%H:%M}",
        "next_update": next_update(crisis.opened_at, promise_until, tz),
        "severity": crisis.severity,
        "crisis_type": crisis.crisis_type,
    }
    out: list[StatementView] = []
    for statement in book.statements:
        names = tuple(_name(crisis, p) or p for p in approvals.get(statement.id, []))
        for lang in ("de", "en"):
            if lang not in statement.templates:
                continue
            try:
                rendered = render_statement(statement, lang, variables)
                text, length = rendered.text, rendered.length
            except ConfigError as err:
                text, length = f"({err})", 0
            out.append(
                StatementView(
                    statement.id,
                    lang,
                    statement.channel,
                    text,
                    length,
                    statement.limit,
                    names,
                    len(names) >= 2,
                )
            )
    return out


def incident(store: Store, ref: str, *, config: Config | None, tz: str) -> Incident:
    """Read one crisis (``c-7``) for its page; a :class:`StoreError` if there is none."""
    crisis_id = parse_crisis_ref(ref)
    zone = ZoneInfo(tz)
    with store.read() as tx:
        crisis = tx.get_crisis(crisis_id)
        state = tx.get_state(crisis_id, lock=False)
        status = _status(crisis, state, tx.paged_people(crisis_id))
        alerts = [
            AlertPoint(
                fired_at=a.fired_at,
                bucket_start=_when(a.payload.get("bucket_start")) or a.fired_at,
                severity=a.severity,
                metrics=dict(a.payload.get("metrics") or {}),
                change_point_at=_when(a.payload.get("change_point_at")),
            )
            for a in tx.alerts(crisis_id)
        ]
        checklist = [
            ChecklistItem(
                c.item_key,
                c.task,
                c.role,
                tuple(_name(crisis, o) or o for o in c.owners),
                c.due_at,
                c.done_at,
                _name(crisis, c.done_by),
            )
            for c in tx.checklist(crisis_id)
        ]
        timeline = [
            TimelineEntry(e.seq, e.at, e.kind, _name(crisis, e.actor), describe(e, zone))
            for e in tx.events(crisis_id)
        ]
        approvals = _approvals(tx.acks(crisis_id))
    contacts = crisis.snapshot.get("contacts") or {}
    people = {p: str((c or {}).get("name") or p) for p, c in contacts.items()}
    return Incident(
        status=status,
        playbook=str(crisis.snapshot.get("playbook", "")),
        playbook_version=crisis.playbook_version,
        alerts=alerts,
        checklist=checklist,
        timeline=timeline,
        statements=_statements(crisis, config, approvals, tz, status.promise_until),
        people=people,
    )


def chart_frame(found: Incident) -> pd.DataFrame:
    """The series the chart draws: volume and negative share against the baseline, per alert.

    The store keeps the signal of every alert (not the whole series), so the chart
    shows the buckets that fired; a runtime that still holds the series can pass a
    richer frame to :func:`warning.notify.chart.render_chart` instead.
    """
    rows = {}
    for a in found.alerts:
        m = a.metrics
        rows[pd.Timestamp(a.bucket_start)] = {
            "volume": float(m.get("volume") or 0.0),
            "expected_volume": float(m.get("expected_volume") or float("nan")),
            "negative_share": float(m.get("negative_share") or float("nan")),
            "expected_negative_share": float(m.get("expected_negative_share") or float("nan")),
        }
    frame = pd.DataFrame.from_dict(rows, orient="index").sort_index()
    if len(frame):
        frame.index = pd.DatetimeIndex(frame.index).tz_convert("UTC")
    return frame


def headline(found: Incident, lang: str) -> str:
    return label(
        lang,
        "headline",
        brand=found.status.brand,
        severity=severity_name(lang, found.status.severity),
    )
