"""The registry of runner processes: who is alive, so stranded sends can be reconciled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from warning.store.models_delivery import OutboxRow, WorkerRow
from warning.store.outbox import outbox_view
from warning.store.txbase import TxBase
from warning.store.views import OutboxView, WorkerView

__all__ = ["WorkerOps"]


def _worker_view(row: WorkerRow) -> WorkerView:
    return WorkerView(
        id=row.id,
        host=row.host,
        pid=row.pid,
        started_at=row.started_at,
        heartbeat_at=row.heartbeat_at,
        stopped_at=row.stopped_at,
    )


class WorkerOps(TxBase):
    """Register, heartbeat and retire workers; find sends they left in flight."""

    def register_worker(self, worker: str, *, host: str, pid: int, at: datetime) -> None:
        row = self.session.get(WorkerRow, worker)
        if row is None:
            self.session.add(
                WorkerRow(id=worker, host=host, pid=pid, started_at=at, heartbeat_at=at)
            )
        else:
            row.heartbeat_at, row.stopped_at = at, None
        self.session.flush()

    def heartbeat(self, worker: str, *, at: datetime) -> None:
        row = self.session.get(WorkerRow, worker)
        if row is not None:
            row.heartbeat_at = at

    def stop_worker(self, worker: str, *, at: datetime) -> None:
        row = self.session.get(WorkerRow, worker)
        if row is not None:
            row.stopped_at = at

    def workers(self) -> list[WorkerView]:
        stmt = select(WorkerRow).order_by(WorkerRow.started_at)
        return [_worker_view(r) for r in self.session.scalars(stmt)]

    def in_flight(self) -> list[tuple[OutboxView, WorkerView | None]]:
        """Rows in flight, each with the worker that claimed it (``None`` if unknown)."""
        stmt = select(OutboxRow).where(OutboxRow.status == "in_flight").order_by(OutboxRow.id)
        out: list[tuple[OutboxView, WorkerView | None]] = []
        for row in self.session.scalars(self.locked(stmt, skip_locked=True)):
            worker = self.session.get(WorkerRow, row.claimed_by) if row.claimed_by else None
            out.append((outbox_view(row), None if worker is None else _worker_view(worker)))
        return out
