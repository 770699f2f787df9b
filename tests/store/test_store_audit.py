"""The audit log is append-only and hash-chained; tampering is found; timelines export."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from warning.errors import StoreError
from warning.store.db import Store
from warning.store.models_audit import AuditRow

T0 = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)


def _story(store: Store) -> int:
    with store.transaction() as tx:
        crisis = tx.create_crisis(
            brand="lumina",
            crisis_type="product-safety",
            title="Produktsicherheit: Lumina",
            severity="critical",
            opened_at=T0,
            playbook_version="abc",
            snapshot={},
        )
        assert crisis is not None
        tx.audit("crisis_opened", crisis.id, at=T0, playbook="product-safety", severity="critical")
        tx.audit(
            "level_started",
            crisis.id,
            at=T0,
            level=1,
            label="Dienst",
            people=["anna"],
        )
    with store.transaction() as tx:
        tx.audit(
            "ack_received",
            crisis.id,
            at=T0 + timedelta(minutes=3),
            actor="anna",
            action="acknowledge",
            person="anna",
            slack_user="U0ANNA",
            promise_until=T0 + timedelta(minutes=45),
        )
        tx.audit("worker_started", None, at=T0, actor="w1")
    return crisis.id


def _disable_guards(store: Store) -> None:
    with store.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))


def test_chain_verifies(store: Store) -> None:
    _story(store)
    report = store.verify_chain()
    assert report.ok and report.events == 4 and len(report.head_hash) == 64


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET kind = 'edited' WHERE seq = 1", "DELETE FROM audit_log WHERE seq = 2"],
)
def test_database_refuses_changes(store: Store, statement: str) -> None:
    _story(store)
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text(statement))
    assert store.verify_chain().ok


def test_postgres_refuses_truncate(store: Store) -> None:
    if store.dialect != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only")
    _story(store)
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_log CASCADE"))


def test_code_refuses_changes(store: Store) -> None:
    _story(store)
    with Session(store.engine) as session:
        row = session.scalars(select(AuditRow).where(AuditRow.seq == 1)).one()
        row.kind = "edited"
        from warning.store.tx import Tx

        Tx(session, store.dialect)  # installs the guard on this session
        with pytest.raises(StoreError, match="append-only"):
            session.flush()
        session.rollback()


def test_altered_event_is_found(store: Store) -> None:
    _story(store)
    _disable_guards(store)
    with store.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_log SET data = :d WHERE seq = 3"),
            {"d": json.dumps({"action": "acknowledge", "person": "jonas"})},
        )
    report = store.verify_chain()
    assert not report.ok
    assert report.problems[0] == "event 3 (ack_received): content altered (hash mismatch)"


def test_removed_events_are_found(store: Store) -> None:
    _story(store)
    _disable_guards(store)
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    assert "event 2: missing (next stored event is 3)" in store.verify_chain().problems
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq >= 3"))
    problems = store.verify_chain().problems
    assert problems == ("head: the chain ends at event 1 but the head names event 4",)


def test_timeline_exports(store: Store) -> None:
    crisis_id = _story(store)
    entries = store.timeline(f"c-{crisis_id}")
    assert [e.kind for e in entries] == ["crisis_opened", "level_started", "ack_received"]
    lines = store.export_timeline(crisis_id, fmt="jsonl").splitlines()
    first = json.loads(lines[0])
    assert first["kind"] == "crisis_opened" and first["crisis"] == f"c-{crisis_id}"
    assert first["at"] == "2026-03-28T19:30:00Z" and len(first["hash"]) == 64
    md = store.export_timeline(crisis_id, tz="Europe/Berlin")
    assert md.startswith(f"# c-{crisis_id}: Produktsicherheit: Lumina\n")
    assert (
        "| 2026-03-28 20:33:00 | ack_received | anna | acknowledged by anna (Slack U0ANNA), next update by 21:15 |"
        in md
    )
    with pytest.raises(StoreError, match="'fmt' parameter"):
        store.export_timeline(crisis_id, fmt="pdf")
