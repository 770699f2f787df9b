"""Tables of the delivery side: durable timers, the outbox, delivery attempts, the
outbox scheduler's persisted state and the registry of running workers.

An outbox row is the recorded *intent* to send one notification under its
idempotency key. Its ``status`` moves ``pending → in_flight → sent`` (or back to
``pending`` with ``not_before`` after a retryable failure, ``failed`` after a
permanent one, ``cancelled`` when an acknowledgement made a page pointless).
A row left ``in_flight`` by a process that died is reconciled with Slack before it
is sent again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from warning.store.base import Base
from warning.store.types import UTCDateTime

__all__ = ["AttemptRow", "OutboxRow", "SchedulerStateRow", "TimerRow", "WorkerRow"]


class TimerRow(Base):
    """A durable timer: a step of an escalation due at an instant (``key`` makes it unique)."""

    __tablename__ = "timers"
    __table_args__ = (Index("ix_timers_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(30))  # level, promise
    crisis_id: Mapped[int | None] = mapped_column(
        ForeignKey("crises.id"), nullable=True, index=True
    )
    episode: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20))  # pending, done, cancelled
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    fired_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(200), nullable=True)


class OutboxRow(Base):
    """One notification to deliver exactly once, with its delivery state."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_priority", "status", "priority"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(300), unique=True)
    crisis_id: Mapped[int | None] = mapped_column(
        ForeignKey("crises.id"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    blocks: Mapped[list[Any]] = mapped_column(JSON)
    priority: Mapped[int] = mapped_column(Integer)
    thread_of: Mapped[str | None] = mapped_column(String(300), nullable=True)
    attachments: Mapped[dict[str, str]] = mapped_column(JSON)
    person: Mapped[str | None] = mapped_column(String(100), nullable=True)
    level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    round: Mapped[int | None] = mapped_column(Integer, nullable=True)
    episode: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fallback_address: Mapped[str | None] = mapped_column(String(300), nullable=True)
    enqueued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    first_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    fallback_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    claimed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    slack_channel: Mapped[str | None] = mapped_column(String(100), nullable=True)
    slack_ts: Mapped[str | None] = mapped_column(String(100), nullable=True)
    closed_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)


class AttemptRow(Base):
    """One delivery attempt of an outbox row: when, by whom, and the far side's answer."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    worker: Mapped[str] = mapped_column(String(200))
    reconcile: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    http_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    retry_after: Mapped[float | None] = mapped_column(nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class SchedulerStateRow(Base):
    """The outbox scheduler's per-channel state (token buckets, Retry-After blocks).

    Its row lock is also the drain lock: one worker at a time picks what to send.
    """

    __tablename__ = "scheduler_state"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class WorkerRow(Base):
    """A running (or dead) runner process; in-flight sends of dead ones are reconciled."""

    __tablename__ = "workers"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime())
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
