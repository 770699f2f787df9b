"""Durable timers: scheduled once under a unique key, claimed when due, fired once.

A worker claims a due timer inside its transaction (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, the write lock on SQLite), does the step, marks the timer done and
commits, all at once: a crash before the commit leaves the timer pending, a crash
after it leaves the step done. Two workers never fire the same timer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from warning.store.models_delivery import TimerRow
from warning.store.txbase import TxBase
from warning.store.views import TimerView

__all__ = ["TimerOps"]


def _timer_view(row: TimerRow) -> TimerView:
    return TimerView(
        id=row.id,
        key=row.key,
        kind=row.kind,
        crisis_id=row.crisis_id,
        episode=row.episode,
        due_at=row.due_at,
        payload=dict(row.payload),
        status=row.status,
        created_at=row.created_at,
        fired_at=row.fired_at,
        fired_by=row.fired_by,
        outcome=row.outcome,
    )


class TimerOps(TxBase):
    """Scheduling, claiming, finishing and cancelling timers."""

    def schedule_timer(
        self,
        *,
        key: str,
        kind: str,
        due_at: datetime,
        crisis_id: int | None,
        episode: int,
        payload: Mapping[str, Any],
        at: datetime,
    ) -> bool:
        """Schedule a timer; ``False`` if a timer with this key exists already."""
        if self.session.scalars(select(TimerRow.id).where(TimerRow.key == key)).first():
            return False
        row = TimerRow(
            key=key,
            kind=kind,
            due_at=due_at,
            crisis_id=crisis_id,
            episode=episode,
            payload=dict(payload),
            status="pending",
            created_at=at,
        )
        return self.insert_unique(row)

    def claim_due_timer(self, now: datetime) -> TimerView | None:
        """The earliest due pending timer, locked for this transaction (others skip it)."""
        stmt = (
            select(TimerRow)
            .where(TimerRow.status == "pending", TimerRow.due_at <= now)
            .order_by(TimerRow.due_at, TimerRow.id)
            .limit(1)
        )
        row = self.session.scalars(self.locked(stmt, skip_locked=True)).first()
        return None if row is None else _timer_view(row)

    def finish_timer(
        self, timer_id: int, *, at: datetime, by: str, outcome: str, status: str = "done"
    ) -> None:
        row = self.session.get(TimerRow, timer_id)
        if row is None:
            return
        row.status, row.fired_at, row.fired_by, row.outcome = status, at, by, outcome[:200]

    def cancel_timers(
        self, crisis_id: int, *, at: datetime, reason: str, kinds: Sequence[str] | None = None
    ) -> int:
        """Cancel the pending timers of a crisis that no worker holds right now.

        A timer held by another worker is left alone: its step re-reads the crisis
        state under the crisis lock and does nothing when it is stale.
        """
        stmt = select(TimerRow).where(TimerRow.crisis_id == crisis_id, TimerRow.status == "pending")
        if kinds is not None:
            stmt = stmt.where(TimerRow.kind.in_(list(kinds)))
        rows = list(self.session.scalars(self.locked(stmt, skip_locked=True)))
        for row in rows:
            row.status, row.fired_at, row.outcome = "cancelled", at, reason[:200]
        return len(rows)

    def next_timer_due(self) -> datetime | None:
        stmt = select(func.min(TimerRow.due_at)).where(TimerRow.status == "pending")
        value: datetime | None = self.session.scalars(stmt).first()
        return value

    def timers(self, crisis_id: int | None = None, *, status: str | None = None) -> list[TimerView]:
        stmt = select(TimerRow).order_by(TimerRow.due_at, TimerRow.id)
        if crisis_id is not None:
            stmt = stmt.where(TimerRow.crisis_id == crisis_id)
        if status is not None:
            stmt = stmt.where(TimerRow.status == status)
        return [_timer_view(r) for r in self.session.scalars(stmt)]
