"""Store operations on what people do: acknowledgements, checklist ticks, statement
approvals, and the false-alarm feedback that the analyst reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from warning.records import Ack
from warning.store.models import (
    AckRow,
    AlertRow,
    ChecklistRow,
    CrisisRow,
    FeedbackRow,
    StatementApprovalRow,
)
from warning.store.txbase import TxBase
from warning.store.views import AckView, ChecklistView, FeedbackView

__all__ = ["HumanOps"]


def _ack_view(row: AckRow) -> AckView:
    return AckView(
        id=row.id,
        crisis_id=row.crisis_id,
        action=row.action,
        person=row.person,
        slack_user=row.slack_user,
        at=row.at,
        promise_until=row.promise_until,
        item=row.item,
        request_id=row.request_id,
        outcome=row.outcome,
        note=row.note,
    )


def _checklist_view(row: ChecklistRow) -> ChecklistView:
    return ChecklistView(
        crisis_id=row.crisis_id,
        item_key=row.item_key,
        task=row.task,
        role=row.role,
        owners=tuple(row.owners),
        due_at=row.due_at,
        done_at=row.done_at,
        done_by=row.done_by,
    )


class HumanOps(TxBase):
    """Acknowledgements, checklist items, statement approvals, detector feedback."""

    # ------------------------------------------------------------------ acknowledgements
    def find_request(self, request_id: str) -> AckView | None:
        row = self.session.scalars(select(AckRow).where(AckRow.request_id == request_id)).first()
        return None if row is None else _ack_view(row)

    def record_ack(self, crisis_id: int, ack: Ack, *, outcome: str, note: str = "") -> int | None:
        """Store a human answer; ``None`` if its ``request_id`` was seen before (a retry)."""
        if ack.request_id is not None and self.find_request(ack.request_id) is not None:
            return None
        row = AckRow(
            crisis_id=crisis_id,
            action=ack.action,
            person=ack.person,
            slack_user=ack.slack_user,
            at=ack.at,
            promise_until=ack.promise_until,
            item=ack.item,
            request_id=ack.request_id,
            outcome=outcome,
            note=note,
        )
        if not self.insert_unique(row):
            return None
        return row.id

    def acks(self, crisis_id: int) -> list[AckView]:
        stmt = select(AckRow).where(AckRow.crisis_id == crisis_id).order_by(AckRow.id)
        return [_ack_view(r) for r in self.session.scalars(stmt)]

    # ------------------------------------------------------------------ checklist
    def add_checklist_item(
        self,
        crisis_id: int,
        *,
        item_key: str,
        task: str,
        role: str,
        owners: Sequence[str],
        due_at: datetime,
    ) -> None:
        row = ChecklistRow(
            crisis_id=crisis_id,
            item_key=item_key,
            task=task,
            role=role,
            owners=list(owners),
            due_at=due_at,
        )
        self.session.add(row)
        self.session.flush()

    def complete_checklist_item(
        self, crisis_id: int, item_key: str, *, by: str, at: datetime
    ) -> str:
        """Tick an item: ``done``, ``already`` (ticked before, nothing changes) or ``unknown``."""
        stmt = select(ChecklistRow).where(
            ChecklistRow.crisis_id == crisis_id, ChecklistRow.item_key == item_key
        )
        row = self.session.scalars(self.locked(stmt)).first()
        if row is None:
            return "unknown"
        if row.done_at is not None:
            return "already"
        row.done_at, row.done_by = at, by
        return "done"

    def checklist(self, crisis_id: int) -> list[ChecklistView]:
        stmt = select(ChecklistRow).where(ChecklistRow.crisis_id == crisis_id)
        return [_checklist_view(r) for r in self.session.scalars(stmt.order_by(ChecklistRow.id))]

    # ------------------------------------------------------------------ statements
    def approve_statement(
        self, crisis_id: int, statement_id: str, *, person: str, slack_user: str, at: datetime
    ) -> tuple[bool, list[str]]:
        """Record one approval; returns (new approval?, everyone who approved so far)."""
        row = StatementApprovalRow(
            crisis_id=crisis_id,
            statement_id=statement_id,
            person=person,
            slack_user=slack_user,
            at=at,
        )
        new = self.insert_unique(row)
        stmt = (
            select(StatementApprovalRow.person)
            .where(
                StatementApprovalRow.crisis_id == crisis_id,
                StatementApprovalRow.statement_id == statement_id,
            )
            .order_by(StatementApprovalRow.id)
        )
        return new, list(self.session.scalars(stmt))

    # ------------------------------------------------------------------ detector feedback
    def add_feedback(self, crisis_id: int, *, verdict: str, marked_by: str, at: datetime) -> int:
        """One feedback row per alert of the crisis; returns how many were added."""
        crisis = self.session.get(CrisisRow, crisis_id)
        if crisis is None:
            return 0
        added = 0
        stmt = select(AlertRow).where(AlertRow.crisis_id == crisis_id).order_by(AlertRow.id)
        for alert in self.session.scalars(stmt):
            exists = self.session.scalars(
                select(FeedbackRow.id).where(
                    FeedbackRow.alert_id == alert.id, FeedbackRow.verdict == verdict
                )
            ).first()
            if exists is not None:
                continue
            detector = alert.payload.get("detector") or {}
            self.session.add(
                FeedbackRow(
                    crisis_id=crisis_id,
                    alert_id=alert.id,
                    brand=alert.brand,
                    crisis_type=crisis.crisis_type,
                    detector=str(detector.get("name", "")),
                    detector_params=dict(detector.get("params") or {}),
                    severity=alert.severity,
                    fired_at=alert.fired_at,
                    dedup_key=alert.dedup_key,
                    verdict=verdict,
                    marked_by=marked_by,
                    marked_at=at,
                )
            )
            added += 1
        self.session.flush()
        return added

    def feedback(self, *, verdict: str | None = None) -> list[FeedbackView]:
        stmt = select(FeedbackRow).order_by(FeedbackRow.id)
        if verdict is not None:
            stmt = stmt.where(FeedbackRow.verdict == verdict)
        return [
            FeedbackView(
                crisis_id=r.crisis_id,
                alert_id=r.alert_id,
                brand=r.brand,
                crisis_type=r.crisis_type,
                detector=r.detector,
                detector_params=dict(r.detector_params),
                severity=r.severity,
                fired_at=r.fired_at,
                dedup_key=r.dedup_key,
                verdict=r.verdict,
                marked_by=r.marked_by,
                marked_at=r.marked_at,
            )
            for r in self.session.scalars(stmt)
        ]
