"""Tables of the crisis side: crises, alerts, escalation state, acknowledgements,
checklist items, statement approvals and the detector feedback of false alarms.

At most one crisis per brand and crisis type is open at a time: a partial unique
index over ``(brand, crisis_type)`` where ``closed_at IS NULL`` enforces it on both
databases.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from warning.store.base import Base
from warning.store.types import UTCDateTime

__all__ = [
    "AckRow",
    "AlertRow",
    "ChecklistRow",
    "CrisisRow",
    "EscalationRow",
    "FeedbackRow",
    "StatementApprovalRow",
]


class CrisisRow(Base):
    """One crisis of a brand and crisis type, with its frozen playbook snapshot."""

    __tablename__ = "crises"
    __table_args__ = (
        Index(
            "uq_crises_open_brand_type",
            "brand",
            "crisis_type",
            unique=True,
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    brand: Mapped[str] = mapped_column(String(200))
    crisis_type: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20))  # open, resolved, false_alarm
    severity: Mapped[str] = mapped_column(String(10))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    playbook_version: Mapped[str] = mapped_column(String(64))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)


class AlertRow(Base):
    """An alert as received; the same alert received twice is stored once."""

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("dedup_key", "severity", "fired_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    crisis_id: Mapped[int | None] = mapped_column(
        ForeignKey("crises.id"), nullable=True, index=True
    )
    dedup_key: Mapped[str] = mapped_column(String(300))
    brand: Mapped[str] = mapped_column(String(200))
    severity: Mapped[str] = mapped_column(String(10))
    fired_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class EscalationRow(Base):
    """Where the escalation of a crisis stands: plan in force, episode, level, acknowledgement.

    An *episode* is one run through the plan; escalating by hand, a missed promise
    and a rise in severity start a new one, and timers of older episodes do nothing.
    """

    __tablename__ = "escalation_state"

    crisis_id: Mapped[int] = mapped_column(ForeignKey("crises.id"), primary_key=True)
    severity: Mapped[str] = mapped_column(String(10))
    episode: Mapped[int] = mapped_column(Integer)
    level_index: Mapped[int] = mapped_column(Integer)  # -1 before the first level
    shift_seconds: Mapped[float]
    acked_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    promise_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    ack_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AckRow(Base):
    """A human answer (button, slash command); ``request_id`` de-duplicates Slack retries."""

    __tablename__ = "acknowledgements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    crisis_id: Mapped[int] = mapped_column(ForeignKey("crises.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    person: Mapped[str | None] = mapped_column(String(100), nullable=True)
    slack_user: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    promise_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    item: Mapped[str | None] = mapped_column(String(200), nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(300), nullable=True, unique=True)
    outcome: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")


class ChecklistRow(Base):
    """A task of the crisis playbook with owner role, deadline and who ticked it."""

    __tablename__ = "checklist_items"
    __table_args__ = (UniqueConstraint("crisis_id", "item_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    crisis_id: Mapped[int] = mapped_column(ForeignKey("crises.id"), index=True)
    item_key: Mapped[str] = mapped_column(String(100))
    task: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(100))
    owners: Mapped[list[str]] = mapped_column(JSON)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    done_by: Mapped[str | None] = mapped_column(String(100), nullable=True)


class StatementApprovalRow(Base):
    """One person's approval of a holding statement (four eyes: two distinct people)."""

    __tablename__ = "statement_approvals"
    __table_args__ = (UniqueConstraint("crisis_id", "statement_id", "person"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    crisis_id: Mapped[int] = mapped_column(ForeignKey("crises.id"), index=True)
    statement_id: Mapped[str] = mapped_column(String(200))
    person: Mapped[str] = mapped_column(String(100))
    slack_user: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class FeedbackRow(Base):
    """Detector feedback: an alert of a crisis that a human marked as a false alarm."""

    __tablename__ = "detector_feedback"
    __table_args__ = (UniqueConstraint("alert_id", "verdict"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    crisis_id: Mapped[int] = mapped_column(ForeignKey("crises.id"), index=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"))
    brand: Mapped[str] = mapped_column(String(200))
    crisis_type: Mapped[str] = mapped_column(String(100))
    detector: Mapped[str] = mapped_column(String(200))
    detector_params: Mapped[dict[str, Any]] = mapped_column(JSON)
    severity: Mapped[str] = mapped_column(String(10))
    fired_at: Mapped[datetime] = mapped_column(UTCDateTime())
    dedup_key: Mapped[str] = mapped_column(String(300))
    verdict: Mapped[str] = mapped_column(String(30))
    marked_by: Mapped[str] = mapped_column(String(100))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime())
