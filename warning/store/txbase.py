"""What every group of store operations shares: the session and the dialect's locks."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

__all__ = ["TxBase"]

_S = TypeVar("_S", bound=Select[Any])


class TxBase:
    """A session plus helpers; the operation mixins of :class:`~warning.store.tx.Tx` build on it."""

    def __init__(self, session: Session, dialect: str) -> None:
        self.session = session
        self.dialect = dialect
        self._pending_audit: list[tuple[Any, ...]] = []

    @property
    def postgres(self) -> bool:
        return self.dialect == "postgresql"

    def locked(self, stmt: _S, *, skip_locked: bool = False) -> _S:
        """``stmt`` with ``FOR UPDATE`` (and ``SKIP LOCKED``) on PostgreSQL, re-reading rows.

        SQLite needs no row locks: every write transaction holds the database's
        write lock from ``BEGIN IMMEDIATE`` on.
        """
        stmt = stmt.execution_options(populate_existing=True)  # re-read, never stale
        if not self.postgres:
            return stmt
        return stmt.with_for_update(skip_locked=skip_locked)

    def insert_unique(self, row: Any) -> bool:
        """Insert ``row`` unless a unique key says it is there already (then nothing changes).

        A savepoint keeps the surrounding transaction usable after the conflict, so the
        same intent (a page, a timer, an approval) may be recorded twice and counts once.
        """
        try:
            with self.session.begin_nested():
                self.session.add(row)
                self.session.flush()
        except IntegrityError:
            return False
        return True
