"""Tables of the audit log: append-only events chained by SHA-256, and the chain's head.

Each event stores ``hash = sha256(prev_hash, seq, at, crisis, kind, actor, data)``;
``prev_hash`` is unique, so the chain cannot fork, and the head row holds the last
sequence number and hash, so removing events at the end is noticed too. Database
triggers refuse ``UPDATE`` and ``DELETE`` on the log (and ``TRUNCATE`` on PostgreSQL).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from warning.store.base import Base
from warning.store.types import UTCDateTime

__all__ = ["AuditHeadRow", "AuditRow"]


class AuditRow(Base):
    """One event of the story of a crisis (or of the system, without a crisis)."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    crisis_id: Mapped[int | None] = mapped_column(
        ForeignKey("crises.id"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(50))
    actor: Mapped[str | None] = mapped_column(String(200), nullable=True)
    data: Mapped[str] = mapped_column(Text)  # canonical JSON, hashed as stored
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHeadRow(Base):
    """The last event of the chain (one row, ``id = 1``); its row lock orders appends."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
