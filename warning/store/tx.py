"""One transaction of the store: every operation the rooms above may call.

:class:`Tx` is handed out by :meth:`warning.store.db.Store.transaction`; it wraps an
SQLAlchemy session that never leaves the store. Audit rows are append-only in code
too: a flush that would change or delete one is refused.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from warning.errors import StoreError
from warning.store.audit import AuditOps
from warning.store.crises import CrisisOps
from warning.store.humans import HumanOps
from warning.store.models_audit import AuditRow
from warning.store.outbox import OutboxOps
from warning.store.timers import TimerOps
from warning.store.workers import WorkerOps

__all__ = ["Tx"]


def _refuse_audit_changes(session: Session, _context: Any, _instances: Any) -> None:
    for obj in [*session.dirty, *session.deleted]:
        if isinstance(obj, AuditRow) and (obj in session.deleted or session.is_modified(obj)):
            raise StoreError(
                f"audit log: event {obj.seq} cannot be changed or deleted (append-only)."
            )


class Tx(CrisisOps, HumanOps, TimerOps, OutboxOps, WorkerOps, AuditOps):
    """Crises, people's answers, timers, outbox, workers and audit in one transaction."""

    def __init__(self, session: Session, dialect: str) -> None:
        super().__init__(session, dialect)
        event.listen(session, "before_flush", _refuse_audit_changes)
