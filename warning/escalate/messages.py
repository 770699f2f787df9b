"""The notifications the escalation decides on: pages, channel posts, in-place updates,
the checklist thread, and the e-mail copies of pages.

Idempotency keys say what a notification is, so deciding it twice queues it once:
``c-7:e1:l2:r1:anna`` is the page of crisis c-7, episode 1, level 2, round 1 to anna.

>>> page_key("c-7", 1, 2, 1, "anna"), channel_key("c-7", 1, 2, "krisenstab")
('c-7:e1:l2:r1:anna', 'c-7:e1:l2:#krisenstab')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from warning.escalate.snapshot import Level
from warning.notify.blocks import (
    KEEP_AFTER,
    channel_message,
    page_message,
    status_line,
    with_status,
)
from warning.notify.crisisblocks import ChecklistEntry, checklist_messages
from warning.notify.outbox import PRIORITY_CHANNEL, PRIORITY_FYI, PRIORITY_PAGE
from warning.records import (
    Alert,
    AlertMetrics,
    DetectorInfo,
    Drivers,
    Notification,
    Severity,
)
from warning.store.views import ChecklistView, OutboxView

__all__ = [
    "alert_from_dict",
    "channel_key",
    "channel_post",
    "checklist_posts",
    "email_copy",
    "page_key",
    "page_notification",
    "status_update",
]


def page_key(crisis: str, episode: int, number: int, round: int, person: str) -> str:
    return f"{crisis}:e{episode}:l{number}:r{round}:{person}"


def channel_key(crisis: str, episode: int, number: int, channel: str) -> str:
    return f"{crisis}:e{episode}:l{number}:#{channel}"


def _instant(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def alert_from_dict(data: Mapping[str, Any]) -> Alert:
    """Rebuild an :class:`~warning.records.Alert` from its JSON line (``Alert.to_dict``)."""
    metrics = dict(data.get("metrics") or {})
    base = {
        k: metrics.pop(k, None)
        for k in (
            "volume",
            "expected_volume",
            "volume_ratio",
            "negative_share",
            "expected_negative_share",
        )
    }
    drivers = data.get("drivers")
    detector = data.get("detector") or {}
    fired_at = _instant(data["fired_at"])
    assert fired_at is not None
    return Alert(
        brand=str(data["brand"]),
        fired_at=fired_at,
        bucket_start=_instant(data.get("bucket_start")) or fired_at,
        severity=Severity.parse(str(data["severity"])),
        change_point_at=_instant(data.get("change_point_at")),
        metrics=AlertMetrics(
            volume=float(base["volume"] or 0.0),
            expected_volume=float(base["expected_volume"] or 0.0),
            volume_ratio=float(base["volume_ratio"] or 0.0),
            negative_share=base["negative_share"],
            expected_negative_share=base["expected_negative_share"],
            extra=metrics,
        ),
        detector=DetectorInfo(str(detector.get("name", "")), dict(detector.get("params") or {})),
        dedup_key=str(data.get("dedup_key", "")),
        drivers=None
        if not drivers
        else Drivers(
            top_terms=tuple(drivers.get("top_terms") or ()),
            top_negative_posts=tuple(drivers.get("top_negative_posts") or ()),
            top_authors=tuple(drivers.get("top_authors") or ()),
            platforms=dict(drivers.get("platforms") or {}),
            new_author_share=drivers.get("new_author_share"),
        ),
    )


def page_notification(
    alert: Alert,
    *,
    crisis: str,
    key: str,
    level: Level,
    contact: Mapping[str, Any],
    lang: str,
    tz: str,
    attachments: Mapping[str, str] | None = None,
) -> Notification | None:
    """The page of one person: a Slack DM, or an e-mail for people without Slack.

    ``attachments`` (the evidence chart) go with it: uploaded into the DM's thread, or
    attached to the e-mail.
    """
    reason = f"{level.label} ({'fallback' if level.fallback else f'round {level.round}'})"
    message = page_message(
        alert, crisis_id=crisis, lang=lang, tz=tz, level=level.number, reason=reason
    )
    if contact.get("slack"):
        kind, channel = "page_dm", str(contact["slack"])
    elif contact.get("email"):
        kind, channel = "email", str(contact["email"])
    else:
        return None
    return Notification(
        key,
        kind,  # type: ignore[arg-type]
        channel,
        message.text,
        priority=PRIORITY_PAGE,
        crisis_id=crisis,
        blocks=message.blocks,
        attachments=dict(attachments or {}),
    )


def channel_post(
    alert: Alert,
    *,
    crisis: str,
    key: str,
    channel: Mapping[str, Any],
    paged: Sequence[tuple[str, int]],
    lang: str,
    tz: str,
    attachments: Mapping[str, str] | None = None,
) -> Notification:
    """The post in a crisis channel: the evidence, who was paged, the buttons."""
    message = channel_message(alert, crisis_id=crisis, lang=lang, tz=tz, paged=paged)
    target = str(channel.get("id") or channel.get("name"))
    return Notification(
        key,
        "channel_post",
        target,
        message.text,
        priority=PRIORITY_CHANNEL,
        crisis_id=crisis,
        blocks=message.blocks,
        attachments=dict(attachments or {}),
    )


def status_update(
    sent: OutboxView,
    *,
    kind: str,
    tag: str,
    lang: str,
    tz: str,
    at: datetime,
    who: str = "",
    until: datetime | None = None,
    level: int | None = None,
) -> Notification | None:
    """``chat.update`` of a sent page or post with a status line (acknowledged, resolved …)."""
    if sent.slack_channel is None or sent.slack_ts is None:
        return None
    line = status_line(kind, lang=lang, tz=tz, who=who, at=at, until=until, level=level)  # type: ignore[arg-type]
    blocks = with_status(sent.notification.blocks, line, keep_actions=KEEP_AFTER[kind])
    return Notification(
        f"{sent.key}:upd:{tag}",
        "update",
        sent.slack_channel,
        f"{sent.notification.text} — {line}",
        priority=PRIORITY_FYI,
        crisis_id=sent.notification.crisis_id,
        blocks=blocks,
        thread_of=sent.key,
    )


def checklist_posts(
    crisis: str,
    parent_key: str,
    channel: str,
    items: Sequence[ChecklistView],
    *,
    playbook: str,
    names: Mapping[str, str],
    lang: str,
    tz: str,
) -> list[Notification]:
    """The playbook checklist as replies in the thread of the first crisis-channel post."""
    entries = [
        ChecklistEntry(
            item.item_key,
            item.task,
            ", ".join(names.get(o, o) for o in item.owners) or item.role,
            item.due_at,
            done=item.done_at is not None,
            done_by=None if item.done_by is None else names.get(item.done_by, item.done_by),
        )
        for item in items
    ]
    messages = checklist_messages(crisis, entries, playbook=playbook, lang=lang, tz=tz)
    return [
        Notification(
            f"{crisis}:checklist:{i}",
            "thread_reply",
            channel,
            m.text,
            priority=PRIORITY_FYI,
            crisis_id=crisis,
            blocks=m.blocks,
            thread_of=parent_key,
        )
        for i, m in enumerate(messages)
    ]


def email_copy(item: OutboxView, address: str) -> Notification:
    """The e-mail copy of a page that Slack could not deliver in time."""
    n = item.notification
    return Notification(
        f"{n.idempotency_key}:email",
        "email",
        address,
        n.text,
        priority=PRIORITY_PAGE,
        crisis_id=n.crisis_id,
        blocks=n.blocks,
        attachments=n.attachments,
    )
