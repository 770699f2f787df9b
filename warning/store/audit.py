"""The append-only, hash-chained audit log.

Events are collected during a transaction and chained at its commit, in order,
after the head row is locked (so two workers never fork the chain). Each event's
hash covers the previous hash, its sequence number, instant, crisis, kind, actor
and data (canonical JSON, stored exactly as hashed). :func:`verify_chain` recomputes
everything and names the first event that was altered, removed or reordered.

>>> from datetime import datetime, timezone
>>> at = datetime(2026, 3, 28, 19, 30, tzinfo=timezone.utc)
>>> canonical({"b": 1, "a": at})
'{"a":"2026-03-28T19:30:00Z","b":1}'
>>> len(event_hash(GENESIS, 1, at, 7, "crisis_opened", None, "{}"))
64
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from warning.clock import ensure_utc
from warning.records import isoformat_utc
from warning.store.models_audit import AuditHeadRow, AuditRow
from warning.store.txbase import TxBase
from warning.store.views import AuditEntry

__all__ = [
    "GENESIS",
    "AuditOps",
    "ChainReport",
    "canonical",
    "event_hash",
    "read_events",
    "verify_chain",
]

#: The "previous hash" of the first event.
GENESIS = "0" * 64


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return isoformat_utc(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    return str(value)


def canonical(data: Mapping[str, Any]) -> str:
    """Canonical JSON: sorted keys, no spaces, instants as UTC ISO 8601."""
    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default
    )


def event_hash(
    prev_hash: str,
    seq: int,
    at: datetime,
    crisis_id: int | None,
    kind: str,
    actor: str | None,
    data: str,
) -> str:
    """SHA-256 over the previous hash and every field of the event."""
    instant = ensure_utc(at).isoformat(timespec="microseconds")
    body = json.dumps(
        [prev_hash, seq, instant, crisis_id, kind, actor, data],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class AuditOps(TxBase):
    """``audit(...)`` collects events; the store chains them when the transaction commits."""

    def audit(
        self,
        kind: str,
        crisis_id: int | None,
        /,
        *,
        at: datetime,
        actor: str | None = None,
        **data: Any,
    ) -> None:
        """Append an event to this transaction's part of the story."""
        self._pending_audit.append((kind, crisis_id, ensure_utc(at), actor, canonical(data)))

    def flush_audit(self) -> int:
        """Chain and insert the collected events (called by the store before commit)."""
        if not self._pending_audit:
            return 0
        stmt = select(AuditHeadRow).where(AuditHeadRow.id == 1)
        head = self.session.scalars(self.locked(stmt)).first()
        if head is None:
            head = AuditHeadRow(id=1, seq=0, hash=GENESIS)
            self.session.add(head)
        for kind, crisis_id, at, actor, data in self._pending_audit:
            seq = head.seq + 1
            digest = event_hash(head.hash, seq, at, crisis_id, kind, actor, data)
            self.session.add(
                AuditRow(
                    seq=seq,
                    at=at,
                    crisis_id=crisis_id,
                    kind=kind,
                    actor=actor,
                    data=data,
                    prev_hash=head.hash,
                    hash=digest,
                )
            )
            head.seq, head.hash = seq, digest
        count = len(self._pending_audit)
        self._pending_audit.clear()
        self.session.flush()
        return count

    def events(self, crisis_id: int | None = None, *, kind: str | None = None) -> list[AuditEntry]:
        return read_events(self.session, crisis_id, kind=kind)


def read_events(
    session: Session, crisis_id: int | None = None, *, kind: str | None = None
) -> list[AuditEntry]:
    """Events in order (of one crisis, of one kind, if given)."""
    stmt = select(AuditRow).order_by(AuditRow.seq)
    if crisis_id is not None:
        stmt = stmt.where(AuditRow.crisis_id == crisis_id)
    if kind is not None:
        stmt = stmt.where(AuditRow.kind == kind)
    return [
        AuditEntry(r.seq, r.at, r.crisis_id, r.kind, r.actor, json.loads(r.data), r.hash)
        for r in session.scalars(stmt)
    ]


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The outcome of :func:`verify_chain`: ``ok``, how many events, the head, the problems."""

    ok: bool
    events: int
    head_hash: str
    problems: tuple[str, ...] = field(default=())


def verify_chain(session: Session, *, max_problems: int = 20) -> ChainReport:
    """Recompute the chain from the first event to the head; every mismatch is a problem."""
    problems: list[str] = []
    prev, expected_seq, count = GENESIS, 1, 0
    stmt = select(AuditRow).order_by(AuditRow.seq)
    for row in session.execute(stmt.execution_options(yield_per=500)).scalars():
        count += 1
        if row.seq != expected_seq:
            problems.append(f"event {expected_seq}: missing (next stored event is {row.seq})")
        if row.prev_hash != prev:
            problems.append(f"event {row.seq}: previous hash does not match event {row.seq - 1}")
        digest = event_hash(
            row.prev_hash, row.seq, row.at, row.crisis_id, row.kind, row.actor, row.data
        )
        if digest != row.hash:
            problems.append(f"event {row.seq} ({row.kind}): content altered (hash mismatch)")
        prev, expected_seq = row.hash, row.seq + 1
        if len(problems) >= max_problems:
            break
    head = session.get(AuditHeadRow, 1)
    head_seq, head_hash = (0, GENESIS) if head is None else (head.seq, head.hash)
    if len(problems) < max_problems and (head_seq != expected_seq - 1 or head_hash != prev):
        problems.append(
            f"head: the chain ends at event {expected_seq - 1} but the head names event {head_seq}"
            if head_seq != expected_seq - 1
            else f"head: hash of event {head_seq} does not match the head"
        )
    return ChainReport(not problems, count, head_hash, tuple(problems))
