"""Plain, frozen views of stored rows: what the store hands to the rooms above it.

Nothing outside :mod:`warning.store` sees SQLAlchemy objects; the escalation runtime
works with these records only. Crisis ids appear outside as ``c-<number>``.

>>> crisis_ref(7), parse_crisis_ref("c-7"), parse_crisis_ref("7")
('c-7', 7, 7)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from warning.errors import StoreError
from warning.records import Notification, isoformat_utc

__all__ = [
    "AckView",
    "AlertView",
    "AttemptView",
    "AuditEntry",
    "ChecklistView",
    "CrisisView",
    "FeedbackView",
    "OutboxView",
    "StateView",
    "TimerView",
    "WorkerView",
    "crisis_ref",
    "parse_crisis_ref",
]


def crisis_ref(crisis_id: int) -> str:
    """The id of a crisis as people see it (``c-7``)."""
    return f"c-{crisis_id}"


def parse_crisis_ref(ref: str | int) -> int:
    """``c-7`` (or ``7``) → 7; anything else is a :class:`~warning.errors.StoreError`."""
    if isinstance(ref, int):
        return ref
    text = str(ref).strip().lower()
    digits = text[2:] if text.startswith("c-") else text
    if not digits.isdigit():
        raise StoreError(f"A crisis id must look like 'c-7'. Got {ref!r} instead.")
    return int(digits)


@dataclass(frozen=True, slots=True)
class CrisisView:
    id: int
    brand: str
    crisis_type: str
    title: str
    status: str
    severity: str
    opened_at: datetime
    closed_at: datetime | None
    closed_by: str | None
    playbook_version: str
    snapshot: Mapping[str, Any]

    @property
    def ref(self) -> str:
        return crisis_ref(self.id)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True, slots=True)
class StateView:
    crisis_id: int
    severity: str
    episode: int
    level_index: int
    shift_seconds: float
    acked_by: str | None
    acked_at: datetime | None
    promise_until: datetime | None
    ack_id: int | None
    updated_at: datetime

    @property
    def acked(self) -> bool:
        return self.acked_by is not None


@dataclass(frozen=True, slots=True)
class AlertView:
    id: int
    crisis_id: int | None
    dedup_key: str
    brand: str
    severity: str
    fired_at: datetime
    received_at: datetime
    payload: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class TimerView:
    id: int
    key: str
    kind: str
    crisis_id: int | None
    episode: int
    due_at: datetime
    payload: Mapping[str, Any]
    status: str
    created_at: datetime
    fired_at: datetime | None
    fired_by: str | None
    outcome: str | None


@dataclass(frozen=True, slots=True)
class OutboxView:
    id: int
    notification: Notification
    status: str
    enqueued_at: datetime
    attempts: int
    not_before: datetime | None
    first_failure_at: datetime | None
    last_error: str | None
    fallback_sent: bool
    crisis_id: int | None = None
    person: str | None = None
    level: int | None = None
    round: int | None = None
    episode: int | None = None
    fallback_address: str | None = None
    claimed_by: str | None = None
    sent_at: datetime | None = None
    slack_channel: str | None = None
    slack_ts: str | None = None
    closed_reason: str | None = None

    @property
    def key(self) -> str:
        return self.notification.idempotency_key


@dataclass(frozen=True, slots=True)
class AttemptView:
    id: int
    outbox_id: int
    number: int
    worker: str
    reconcile: bool
    started_at: datetime
    finished_at: datetime | None
    status: str | None
    error: str | None
    http_status: int | None
    retry_after: float | None
    result: Mapping[str, Any] | None


@dataclass(frozen=True, slots=True)
class AckView:
    id: int
    crisis_id: int
    action: str
    person: str | None
    slack_user: str
    at: datetime
    promise_until: datetime | None
    item: str | None
    request_id: str | None
    outcome: str
    note: str


@dataclass(frozen=True, slots=True)
class ChecklistView:
    crisis_id: int
    item_key: str
    task: str
    role: str
    owners: tuple[str, ...]
    due_at: datetime
    done_at: datetime | None
    done_by: str | None


@dataclass(frozen=True, slots=True)
class FeedbackView:
    crisis_id: int
    alert_id: int
    brand: str
    crisis_type: str
    detector: str
    detector_params: Mapping[str, Any]
    severity: str
    fired_at: datetime
    dedup_key: str
    verdict: str
    marked_by: str
    marked_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "crisis": crisis_ref(self.crisis_id),
            "alert_id": self.alert_id,
            "brand": self.brand,
            "crisis_type": self.crisis_type,
            "detector": self.detector,
            "detector_params": dict(self.detector_params),
            "severity": self.severity,
            "fired_at": isoformat_utc(self.fired_at),
            "dedup_key": self.dedup_key,
            "verdict": self.verdict,
            "marked_by": self.marked_by,
            "marked_at": isoformat_utc(self.marked_at),
        }


@dataclass(frozen=True, slots=True)
class WorkerView:
    id: str
    host: str
    pid: int
    started_at: datetime
    heartbeat_at: datetime
    stopped_at: datetime | None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One event of the audit log as exported in a timeline."""

    seq: int
    at: datetime
    crisis_id: int | None
    kind: str
    actor: str | None
    data: Mapping[str, Any] = field(default_factory=dict)
    hash: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": isoformat_utc(self.at),
            "crisis": None if self.crisis_id is None else crisis_ref(self.crisis_id),
            "kind": self.kind,
            "actor": self.actor,
            "data": dict(self.data),
            "hash": self.hash,
        }
