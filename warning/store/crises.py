"""Store operations on crises, their alerts and their escalation state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import select

from warning.errors import StoreError
from warning.store.models import AlertRow, CrisisRow, EscalationRow
from warning.store.txbase import TxBase
from warning.store.views import AlertView, CrisisView, StateView, crisis_ref

__all__ = ["CrisisOps", "alert_view", "crisis_view", "state_view"]


def crisis_view(row: CrisisRow) -> CrisisView:
    return CrisisView(
        id=row.id,
        brand=row.brand,
        crisis_type=row.crisis_type,
        title=row.title,
        status=row.status,
        severity=row.severity,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
        closed_by=row.closed_by,
        playbook_version=row.playbook_version,
        snapshot=dict(row.snapshot),
    )


def alert_view(row: AlertRow) -> AlertView:
    return AlertView(
        id=row.id,
        crisis_id=row.crisis_id,
        dedup_key=row.dedup_key,
        brand=row.brand,
        severity=row.severity,
        fired_at=row.fired_at,
        received_at=row.received_at,
        payload=dict(row.payload),
    )


def state_view(row: EscalationRow) -> StateView:
    return StateView(**{f.name: getattr(row, f.name) for f in fields(StateView)})


class CrisisOps(TxBase):
    """Crises (one open per brand and crisis type), alerts, escalation state."""

    # ------------------------------------------------------------------ crises
    def _crisis_row(self, crisis_id: int, *, lock: bool = False) -> CrisisRow:
        stmt = select(CrisisRow).where(CrisisRow.id == crisis_id)
        stmt = stmt.execution_options(populate_existing=True)
        row = self.session.scalars(self.locked(stmt) if lock else stmt).first()
        if row is None:
            raise StoreError(f"crisis {crisis_ref(crisis_id)}: no such crisis in the store.")
        return row

    def find_open_crisis(
        self, brand: str, crisis_type: str, *, lock: bool = True
    ) -> CrisisView | None:
        """The open crisis of ``brand`` and ``crisis_type``, locked for update by default."""
        stmt = select(CrisisRow).where(
            CrisisRow.brand == brand,
            CrisisRow.crisis_type == crisis_type,
            CrisisRow.closed_at.is_(None),
        )
        row = self.session.scalars(self.locked(stmt) if lock else stmt).first()
        return None if row is None else crisis_view(row)

    def create_crisis(
        self,
        *,
        brand: str,
        crisis_type: str,
        title: str,
        severity: str,
        opened_at: datetime,
        playbook_version: str,
        snapshot: Mapping[str, Any],
    ) -> CrisisView | None:
        """Open a crisis; ``None`` if one is already open for this brand and type."""
        row = CrisisRow(
            brand=brand,
            crisis_type=crisis_type,
            title=title,
            status="open",
            severity=severity,
            opened_at=opened_at,
            playbook_version=playbook_version,
            snapshot=dict(snapshot),
        )
        if not self.insert_unique(row):
            return None
        return crisis_view(row)

    def get_crisis(self, crisis_id: int, *, lock: bool = False) -> CrisisView:
        return crisis_view(self._crisis_row(crisis_id, lock=lock))

    def crises(self, *, open_only: bool = False) -> list[CrisisView]:
        stmt = select(CrisisRow).order_by(CrisisRow.id)
        if open_only:
            stmt = stmt.where(CrisisRow.closed_at.is_(None))
        return [crisis_view(r) for r in self.session.scalars(stmt)]

    def set_crisis_severity(self, crisis_id: int, severity: str) -> None:
        self._crisis_row(crisis_id).severity = severity

    def close_crisis(self, crisis_id: int, *, status: str, at: datetime, by: str) -> bool:
        """Resolve (or mark as false alarm); ``False`` if it was already closed."""
        row = self._crisis_row(crisis_id, lock=True)
        if row.closed_at is not None:
            return False
        row.status, row.closed_at, row.closed_by = status, at, by
        return True

    # ------------------------------------------------------------------ alerts
    def add_alert(
        self,
        *,
        crisis_id: int | None,
        payload: Mapping[str, Any],
        dedup_key: str,
        brand: str,
        severity: str,
        fired_at: datetime,
        received_at: datetime,
    ) -> int | None:
        """Store an alert; ``None`` if the very same alert was stored before."""
        if self.find_alert(dedup_key, severity, fired_at) is not None:
            return None
        row = AlertRow(
            crisis_id=crisis_id,
            dedup_key=dedup_key,
            brand=brand,
            severity=severity,
            fired_at=fired_at,
            received_at=received_at,
            payload=dict(payload),
        )
        if not self.insert_unique(row):
            return None
        return row.id

    def find_alert(self, dedup_key: str, severity: str, fired_at: datetime) -> AlertView | None:
        stmt = select(AlertRow).where(
            AlertRow.dedup_key == dedup_key,
            AlertRow.severity == severity,
            AlertRow.fired_at == fired_at,
        )
        row = self.session.scalars(stmt).first()
        return None if row is None else alert_view(row)

    def alerts(self, crisis_id: int | None = None) -> list[AlertView]:
        stmt = select(AlertRow).order_by(AlertRow.id)
        if crisis_id is not None:
            stmt = stmt.where(AlertRow.crisis_id == crisis_id)
        return [alert_view(r) for r in self.session.scalars(stmt)]

    # ------------------------------------------------------------------ escalation state
    def create_state(self, crisis_id: int, severity: str, at: datetime) -> StateView:
        row = EscalationRow(
            crisis_id=crisis_id,
            severity=severity,
            episode=1,
            level_index=-1,
            shift_seconds=0.0,
            updated_at=at,
        )
        self.session.add(row)
        self.session.flush()
        return state_view(row)

    def get_state(self, crisis_id: int, *, lock: bool = True) -> StateView:
        """The escalation state, row-locked by default (the crisis' serialisation point)."""
        stmt = select(EscalationRow).where(EscalationRow.crisis_id == crisis_id)
        stmt = stmt.execution_options(populate_existing=True)
        row = self.session.scalars(self.locked(stmt) if lock else stmt).first()
        if row is None:
            raise StoreError(f"crisis {crisis_ref(crisis_id)}: no escalation state in the store.")
        return state_view(row)

    def save_state(self, state: StateView) -> None:
        stmt = select(EscalationRow).where(EscalationRow.crisis_id == state.crisis_id)
        row = self.session.scalars(stmt).one()
        for f in fields(StateView):
            if f.name != "crisis_id":
                setattr(row, f.name, getattr(state, f.name))
