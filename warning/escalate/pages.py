"""Queueing the pages and posts of one level, and the in-place status updates.

Each notification is queued under its idempotency key in the caller's transaction,
with an audit event; a key queued before is not queued again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warning.escalate.evidence import attachments_for
from warning.escalate.messages import (
    alert_from_dict,
    channel_key,
    channel_post,
    checklist_posts,
    page_key,
    page_notification,
    status_update,
)
from warning.escalate.snapshot import Level
from warning.records import Alert
from warning.store.tx import Tx
from warning.store.views import CrisisView, StateView

__all__ = ["StepContext", "latest_alert", "page_level", "post_status"]


@dataclass(frozen=True, slots=True)
class StepContext:
    """What every step needs: the instant, who runs it, language and zone of messages.

    ``charts`` is the folder of evidence charts (see :mod:`warning.escalate.evidence`).
    """

    now: datetime
    worker: str
    lang: str
    tz: str
    charts: Path | None = None


def latest_alert(tx: Tx, crisis_id: int) -> Alert:
    alerts = tx.alerts(crisis_id)
    return alert_from_dict(alerts[-1].payload)


def _contact(crisis: CrisisView, person: str) -> dict[str, object]:
    found = (crisis.snapshot.get("contacts") or {}).get(person)
    return dict(found) if found else {"name": person, "slack": None, "email": None}


def page_level(
    tx: Tx,
    ctx: StepContext,
    crisis: CrisisView,
    state: StateView,
    level: Level,
    *,
    skip: frozenset[str] = frozenset(),
) -> list[str]:
    """Queue the pages and channel posts of ``level``; returns the people paged."""
    alert = latest_alert(tx, crisis.id)
    evidence = attachments_for(ctx.charts, alert)
    paged: list[tuple[str, int]] = []
    people: list[str] = []
    for person in level.people:
        if person in skip:
            tx.audit("page_not_repeated", crisis.id, at=ctx.now, person=person, level=level.number)
            continue
        contact = _contact(crisis, person)
        key = page_key(crisis.ref, state.episode, level.number, level.round, person)
        n = page_notification(
            alert,
            crisis=crisis.ref,
            key=key,
            level=level,
            contact=contact,
            lang=ctx.lang,
            tz=ctx.tz,
            attachments=evidence,
        )
        if n is None:
            tx.audit("page_impossible", crisis.id, at=ctx.now, person=person, why="no contact")
            continue
        fallback = contact.get("email") if n.kind == "page_dm" else None
        if tx.enqueue(
            n,
            at=ctx.now,
            crisis_id=crisis.id,
            person=person,
            level=level.number,
            round=level.round,
            episode=state.episode,
            fallback_address=None if fallback is None else str(fallback),
        ):
            tx.audit(
                "page_queued",
                crisis.id,
                at=ctx.now,
                key=key,
                person=person,
                kind=n.kind,
                channel=n.channel,
                level=level.number,
            )
        people.append(person)
        if contact.get("slack"):
            paged.append((str(contact["slack"]), level.number))
    for name in level.channels:
        _post_to_channel(tx, ctx, crisis, state, level, name, alert, paged, evidence)
    return people


def _post_to_channel(
    tx: Tx,
    ctx: StepContext,
    crisis: CrisisView,
    state: StateView,
    level: Level,
    name: str,
    alert: Alert,
    paged: list[tuple[str, int]],
    evidence: dict[str, str],
) -> None:
    channel = (crisis.snapshot.get("channels") or {}).get(name) or {"name": name, "id": None}
    key = channel_key(crisis.ref, state.episode, level.number, name)
    n = channel_post(
        alert,
        crisis=crisis.ref,
        key=key,
        channel=channel,
        paged=paged,
        lang=ctx.lang,
        tz=ctx.tz,
        attachments=evidence,
    )
    if not tx.enqueue(
        n,
        at=ctx.now,
        crisis_id=crisis.id,
        level=level.number,
        round=level.round,
        episode=state.episode,
    ):
        return
    tx.audit("page_queued", crisis.id, at=ctx.now, key=key, channel=n.channel, kind=n.kind)
    items = tx.checklist(crisis.id)
    if items and tx.outbox_item(f"{crisis.ref}:checklist:0") is None:
        names = {
            p: str(c.get("name", p)) for p, c in (crisis.snapshot.get("contacts") or {}).items()
        }
        for reply in checklist_posts(
            crisis.ref,
            key,
            n.channel,
            items,
            playbook=str(crisis.snapshot.get("title", crisis.crisis_type)),
            names=names,
            lang=ctx.lang,
            tz=ctx.tz,
        ):
            tx.enqueue(reply, at=ctx.now, crisis_id=crisis.id)


def post_status(
    tx: Tx,
    ctx: StepContext,
    crisis: CrisisView,
    kind: str,
    tag: str,
    *,
    who: str = "",
    until: datetime | None = None,
    level: int | None = None,
) -> int:
    """Update every sent page and post of the crisis in place with a status line."""
    queued = 0
    for sent in tx.outbox(crisis.id, status="sent"):
        if sent.notification.kind not in ("page_dm", "channel_post"):
            continue
        n = status_update(
            sent,
            kind=kind,
            tag=tag,
            lang=ctx.lang,
            tz=ctx.tz,
            at=ctx.now,
            who=who,
            until=until,
            level=level,
        )
        if n is not None and tx.enqueue(n, at=ctx.now, crisis_id=crisis.id):
            queued += 1
    return queued
