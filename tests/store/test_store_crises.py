"""Crises, alerts, escalation state and people's answers in the store."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from warning.errors import StoreError
from warning.records import Ack
from warning.store.db import Store, StoreConflict
from warning.store.views import crisis_ref, parse_crisis_ref

T0 = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)


def _open(store: Store, brand: str = "lumina", crisis_type: str = "general") -> int | None:
    with store.transaction() as tx:
        crisis = tx.create_crisis(
            brand=brand,
            crisis_type=crisis_type,
            title="Allgemein: Lumina",
            severity="warning",
            opened_at=T0,
            playbook_version="v1",
            snapshot={"plans": {}},
        )
        return None if crisis is None else crisis.id


def test_one_open_crisis_per_brand_and_type(store: Store) -> None:
    first = _open(store)
    assert first is not None
    assert _open(store) is None  # same brand and type: refused
    assert _open(store, crisis_type="data-leak") is not None
    assert _open(store, brand="other") is not None
    with store.transaction() as tx:
        assert tx.close_crisis(first, status="resolved", at=T0, by="anna")
        assert not tx.close_crisis(first, status="resolved", at=T0, by="anna")
    again = _open(store)  # closed crises do not count
    assert again is not None and again != first
    with store.read() as tx:
        found = tx.find_open_crisis("lumina", "general", lock=False)
        assert found is not None and found.id == again
        assert [c.status for c in tx.crises()] == ["resolved", "open", "open", "open"]


def test_crisis_instants_come_back_aware_utc(store: Store) -> None:
    crisis_id = _open(store)
    assert crisis_id is not None
    with store.read() as tx:
        crisis = tx.get_crisis(crisis_id)
    assert crisis.opened_at == T0 and crisis.opened_at.tzinfo is UTC
    assert crisis.ref == crisis_ref(crisis_id) and parse_crisis_ref(crisis.ref) == crisis_id
    with pytest.raises(StoreError, match="no such crisis"), store.read() as tx:
        tx.get_crisis(9999)


def test_concurrent_openers_get_one_crisis(store: Store) -> None:
    results: list[int | None] = []
    barrier = threading.Barrier(4)

    def opener() -> None:
        barrier.wait()
        for _ in range(20):
            try:
                results.append(_open(store, brand="race"))
                return
            except StoreConflict:
                continue

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    assert len([r for r in results if r is not None]) == 1


def test_same_alert_is_stored_once(store: Store) -> None:
    crisis_id = _open(store)
    fields = {
        "crisis_id": crisis_id,
        "payload": {"brand": "Lumina"},
        "dedup_key": "lumina:2026-03-28T19:25:00Z",
        "brand": "lumina",
        "severity": "warning",
        "fired_at": T0,
        "received_at": T0,
    }
    with store.transaction() as tx:
        assert tx.add_alert(**fields) is not None
        assert tx.add_alert(**fields) is None
        assert tx.add_alert(**{**fields, "severity": "critical"}) is not None
        assert len(tx.alerts(crisis_id)) == 2


def test_escalation_state_round_trip(store: Store) -> None:
    crisis_id = _open(store)
    assert crisis_id is not None
    with store.transaction() as tx:
        state = tx.create_state(crisis_id, "warning", T0)
        assert (state.episode, state.level_index, state.acked) == (1, -1, False)
    from dataclasses import replace

    with store.transaction() as tx:
        state = tx.get_state(crisis_id)
        tx.save_state(replace(state, acked_by="anna", promise_until=T0 + timedelta(minutes=45)))
    with store.read() as tx:
        state = tx.get_state(crisis_id, lock=False)
    assert state.acked and state.promise_until == T0 + timedelta(minutes=45)


def test_answers_checklist_statements_feedback(store: Store) -> None:
    crisis_id = _open(store)
    assert crisis_id is not None
    ack = Ack(crisis_ref(crisis_id), "acknowledge", "anna", "U0ANNA", T0, request_id="r1")
    with store.transaction() as tx:
        assert tx.record_ack(crisis_id, ack, outcome="accepted") is not None
        assert tx.record_ack(crisis_id, ack, outcome="accepted") is None  # Slack retry
        tx.add_checklist_item(
            crisis_id, item_key="item-1", task="Fakten", role="lead", owners=["katrin"], due_at=T0
        )
        assert tx.complete_checklist_item(crisis_id, "item-1", by="anna", at=T0) == "done"
        assert tx.complete_checklist_item(crisis_id, "item-1", by="jonas", at=T0) == "already"
        assert tx.complete_checklist_item(crisis_id, "nope", by="anna", at=T0) == "unknown"
        assert tx.approve_statement(crisis_id, "s1", person="anna", slack_user="U1", at=T0) == (
            True,
            ["anna"],
        )
        assert tx.approve_statement(crisis_id, "s1", person="anna", slack_user="U1", at=T0) == (
            False,
            ["anna"],
        )
        tx.add_alert(
            crisis_id=crisis_id,
            payload={"detector": {"name": "storm", "params": {"threshold": 4}}},
            dedup_key="k",
            brand="lumina",
            severity="warning",
            fired_at=T0,
            received_at=T0,
        )
        assert tx.add_feedback(crisis_id, verdict="false_alarm", marked_by="anna", at=T0) == 1
        assert tx.add_feedback(crisis_id, verdict="false_alarm", marked_by="anna", at=T0) == 0
        assert [a.outcome for a in tx.acks(crisis_id)] == ["accepted"]
        assert tx.checklist(crisis_id)[0].done_by == "anna"
    rows = store.feedback()
    assert [(r.detector, r.detector_params["threshold"], r.marked_by) for r in rows] == [
        ("storm", 4, "anna")
    ]
    assert '"verdict": "false_alarm"' in store.export_feedback()


def test_unreachable_database_is_a_clear_store_error() -> None:
    store = Store("postgresql+psycopg://postgres:secret@127.0.0.1:1/nothing")
    with pytest.raises(StoreError, match=r"127\.0\.0\.1:1/nothing: cannot connect") as err:
        store.check()
    assert "secret" not in str(err.value)
