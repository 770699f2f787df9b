"""The durable outbox: intents to send, claims, attempts and their outcomes.

The exactly-once recipe: a notification is *enqueued* (its idempotency key is
unique) in the same transaction as the step that decided it; a worker *claims*
it (``in_flight``, an attempt row) and commits **before** calling Slack; after
the call it records the answer. A row found ``in_flight`` whose worker is gone is
*reclaimed* with ``reconcile=True``: the sender first looks the key up in Slack.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from warning.records import Notification
from warning.store.models_delivery import AttemptRow, OutboxRow, SchedulerStateRow
from warning.store.txbase import TxBase
from warning.store.views import AttemptView, OutboxView

__all__ = ["OutboxOps", "outbox_view"]

#: Outbox statuses that are final.
FINAL = ("sent", "failed", "cancelled")


def outbox_view(row: OutboxRow) -> OutboxView:
    notification = Notification(
        idempotency_key=row.idempotency_key,
        kind=row.kind,  # type: ignore[arg-type]
        channel=row.channel,
        text=row.text,
        priority=row.priority,
        crisis_id=None if row.crisis_id is None else f"c-{row.crisis_id}",
        blocks=tuple(row.blocks),
        thread_of=row.thread_of,
        attachments=dict(row.attachments),
    )
    return OutboxView(
        id=row.id,
        notification=notification,
        status=row.status,
        enqueued_at=row.enqueued_at,
        attempts=row.attempts,
        not_before=row.not_before,
        first_failure_at=row.first_failure_at,
        last_error=row.last_error,
        fallback_sent=row.fallback_sent,
        crisis_id=row.crisis_id,
        person=row.person,
        level=row.level,
        round=row.round,
        episode=row.episode,
        fallback_address=row.fallback_address,
        claimed_by=row.claimed_by,
        sent_at=row.sent_at,
        slack_channel=row.slack_channel,
        slack_ts=row.slack_ts,
        closed_reason=row.closed_reason,
    )


def _attempt_view(row: AttemptRow) -> AttemptView:
    return AttemptView(
        id=row.id,
        outbox_id=row.outbox_id,
        number=row.number,
        worker=row.worker,
        reconcile=row.reconcile,
        started_at=row.started_at,
        finished_at=row.finished_at,
        status=row.status,
        error=row.error,
        http_status=row.http_status,
        retry_after=row.retry_after,
        result=None if row.result is None else dict(row.result),
    )


class OutboxOps(TxBase):
    """Enqueue, cancel, claim, reclaim and settle outbox rows."""

    def enqueue(
        self,
        notification: Notification,
        *,
        at: datetime,
        crisis_id: int | None = None,
        person: str | None = None,
        level: int | None = None,
        round: int | None = None,
        episode: int | None = None,
        fallback_address: str | None = None,
    ) -> bool:
        """Record the intent to send; ``False`` if the idempotency key is already queued."""
        n = notification
        if self.outbox_item(n.idempotency_key) is not None:
            return False
        row = OutboxRow(
            idempotency_key=n.idempotency_key,
            crisis_id=crisis_id,
            kind=n.kind,
            channel=n.channel,
            text=n.text,
            blocks=[dict(b) for b in n.blocks],
            priority=n.priority,
            thread_of=n.thread_of,
            attachments=dict(n.attachments),
            person=person,
            level=level,
            round=round,
            episode=episode,
            fallback_address=fallback_address,
            enqueued_at=at,
            status="pending",
            attempts=0,
            fallback_sent=False,
        )
        return self.insert_unique(row)

    def outbox_item(self, key: str) -> OutboxView | None:
        row = self.session.scalars(
            select(OutboxRow).where(OutboxRow.idempotency_key == key)
        ).first()
        return None if row is None else outbox_view(row)

    def outbox(
        self, crisis_id: int | None = None, *, status: str | Sequence[str] | None = None
    ) -> list[OutboxView]:
        stmt = select(OutboxRow).order_by(OutboxRow.id)
        if crisis_id is not None:
            stmt = stmt.where(OutboxRow.crisis_id == crisis_id)
        if isinstance(status, str):
            stmt = stmt.where(OutboxRow.status == status)
        elif status is not None:
            stmt = stmt.where(OutboxRow.status.in_(list(status)))
        return [outbox_view(r) for r in self.session.scalars(stmt)]

    def cancel_pages(self, crisis_id: int, *, at: datetime, reason: str) -> list[OutboxView]:
        """Cancel every pending page (and its e-mail copy, and level channel posts) of a crisis."""
        stmt = select(OutboxRow).where(
            OutboxRow.crisis_id == crisis_id,
            OutboxRow.status == "pending",
            OutboxRow.level.is_not(None),
        )
        # rows a drainer is claiming right now are skipped: they are on their way already
        rows = list(self.session.scalars(self.locked(stmt, skip_locked=True)))
        for row in rows:
            row.status, row.closed_reason = "cancelled", f"{reason} at {at.isoformat()}"[:300]
        return [outbox_view(r) for r in rows]

    def paged_people(self, crisis_id: int) -> dict[str, datetime]:
        """People with a page of this crisis that was not cancelled, and when it was queued."""
        stmt = select(OutboxRow).where(
            OutboxRow.crisis_id == crisis_id,
            OutboxRow.person.is_not(None),
            OutboxRow.status != "cancelled",
        )
        found: dict[str, datetime] = {}
        for row in self.session.scalars(stmt.order_by(OutboxRow.id)):
            assert row.person is not None
            found.setdefault(row.person, row.enqueued_at)
        return found

    # ------------------------------------------------------------------ draining
    def lock_scheduler(self, *, at: datetime, wait: bool) -> dict[str, Any] | None:
        """Lock the outbox scheduler's state and return it (``None``: another worker drains)."""
        stmt = select(SchedulerStateRow).where(SchedulerStateRow.name == "outbox")
        row = self.session.scalars(self.locked(stmt, skip_locked=not wait)).first()
        if row is None:
            exists = self.session.scalars(
                select(SchedulerStateRow.name).where(SchedulerStateRow.name == "outbox")
            ).first()
            if exists is not None:
                return None  # locked by another worker
            try:
                with self.session.begin_nested():
                    row = SchedulerStateRow(name="outbox", data={}, updated_at=at)
                    self.session.add(row)
                    self.session.flush()
            except IntegrityError:
                return None
            row = self.session.scalars(self.locked(stmt, skip_locked=not wait)).first()
            if row is None:
                return None
        return dict(row.data)

    def save_scheduler(self, data: Mapping[str, Any], *, at: datetime) -> None:
        row = self.session.get(SchedulerStateRow, "outbox")
        if row is not None:
            row.data, row.updated_at = dict(data), at

    def claim(
        self, outbox_id: int, *, worker: str, at: datetime, reconcile: bool
    ) -> tuple[OutboxView, int] | None:
        """Mark a pending (or stranded in-flight) row in flight; returns it and the attempt id.

        The row is re-read under its lock: one cancelled a moment ago (an acknowledgement
        committed meanwhile) is not claimed.
        """
        stmt = select(OutboxRow).where(OutboxRow.id == outbox_id)
        stmt = self.locked(stmt).execution_options(populate_existing=True)
        row = self.session.scalars(stmt).first()
        if row is None or row.status in FINAL:
            return None
        row.status, row.claimed_by, row.claimed_at = "in_flight", worker, at
        attempt = AttemptRow(
            outbox_id=row.id,
            number=row.attempts + 1,
            worker=worker,
            reconcile=reconcile,
            started_at=at,
        )
        self.session.add(attempt)
        self.session.flush()
        return outbox_view(row), attempt.id

    def settle(
        self,
        outbox_id: int,
        attempt_id: int,
        *,
        at: datetime,
        status: str,
        result: Mapping[str, Any],
        attempts: int,
        not_before: datetime | None,
        first_failure_at: datetime | None,
        last_error: str | None,
        fallback_sent: bool,
        closed_reason: str | None = None,
    ) -> OutboxView:
        """Record the far side's answer for an attempt and the row's next state."""
        attempt = self.session.get(AttemptRow, attempt_id)
        if attempt is not None:
            attempt.finished_at = at
            attempt.status = str(result.get("status"))
            attempt.error = None if result.get("error") is None else str(result["error"])[:300]
            http_status = result.get("http_status")
            attempt.http_status = int(http_status) if isinstance(http_status, int) else None
            retry_after = result.get("retry_after")
            attempt.retry_after = float(retry_after) if retry_after is not None else None
            attempt.result = dict(result)
        row = self.session.get(OutboxRow, outbox_id)
        assert row is not None
        row.status, row.attempts, row.not_before = status, attempts, not_before
        row.first_failure_at, row.last_error = first_failure_at, last_error
        row.fallback_sent, row.claimed_by = fallback_sent, None
        if status == "sent":
            row.sent_at = at
            row.slack_channel = None if result.get("channel") is None else str(result["channel"])
            row.slack_ts = None if result.get("ts") is None else str(result["ts"])
        if closed_reason is not None:
            row.closed_reason = closed_reason[:300]
        return outbox_view(row)

    def release(self, outbox_id: int, attempt_id: int, *, at: datetime, reason: str) -> None:
        """Give a claimed row back unsent (its channel was blocked meanwhile)."""
        attempt = self.session.get(AttemptRow, attempt_id)
        if attempt is not None:
            attempt.finished_at, attempt.status, attempt.error = at, "released", reason[:300]
        row = self.session.get(OutboxRow, outbox_id)
        if row is not None and row.status == "in_flight":
            row.status, row.claimed_by = "pending", None

    def mark_fallback_sent(self, outbox_id: int) -> None:
        row = self.session.get(OutboxRow, outbox_id)
        if row is not None:
            row.fallback_sent = True

    def delivery_counts(self) -> tuple[dict[tuple[str, str], int], dict[str, int]]:
        """Counts for monitoring, done by the database: outbox items by (status, kind), and
        failed attempts by error text (what ``/metrics`` shows, without reading the rows)."""
        items = self.session.execute(
            select(OutboxRow.status, OutboxRow.kind, func.count()).group_by(
                OutboxRow.status, OutboxRow.kind
            )
        )
        errors = self.session.execute(
            select(AttemptRow.error, func.count())
            .where(AttemptRow.error.is_not(None), AttemptRow.status != "sent")
            .group_by(AttemptRow.error)
        )
        return (
            {(str(status), str(kind)): int(n) for status, kind, n in items},
            {str(error): int(n) for error, n in errors},
        )

    def attempts(self, outbox_id: int | None = None) -> list[AttemptView]:
        stmt = select(AttemptRow).order_by(AttemptRow.id)
        if outbox_id is not None:
            stmt = stmt.where(AttemptRow.outbox_id == outbox_id)
        return [_attempt_view(r) for r in self.session.scalars(stmt)]
