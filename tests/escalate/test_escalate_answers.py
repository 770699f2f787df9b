"""Acknowledgements stop every pending page; promises are kept or escalate; answers are safe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from warning.notify.result import DeliveryResult
from warning.records import Ack

T0 = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)
MIN = timedelta(minutes=1)


def _ack(at: datetime, promise: datetime | None = None, **kw: Any) -> Ack:
    fields: dict[str, Any] = {
        "crisis_id": "c-1",
        "action": "acknowledge",
        "person": "anna",
        "slack_user": "U0ANNA00001",
        "at": at,
        "promise_until": promise,
    }
    fields.update(kw)
    return Ack(**fields)


def test_ack_stops_every_pending_page_at_once(rig: Any, alert: Any) -> None:
    """No ack leaks: pages queued but not yet sent are cancelled, no timer pages later."""
    failing = ("page_dm", "email")
    rig.slack.answer = lambda n: DeliveryResult.transient("http_503") if n.kind in failing else None
    rig.escalator.on_alert(alert())
    rig.run()
    rig.advance(5)  # anna's page (and its e-mail copy) are failing; jonas' page is queued
    with rig.store.read() as tx:
        assert {o.key: o.status for o in tx.outbox(1) if o.person} == {
            "c-1:e1:l1:r1:anna": "pending",
            "c-1:e1:l1:r1:anna:email": "pending",
            "c-1:e1:l3:r1:jonas": "pending",
        }
    outcome = rig.escalator.on_ack(_ack(T0 + 6 * MIN))
    assert outcome.accepted
    rig.slack.answer = None
    rig.advance(120)  # two hours later: nobody was paged after the acknowledgement
    assert rig.pages() == []
    with rig.store.read() as tx:
        assert {o.status for o in tx.outbox(1) if o.person} == {"cancelled"}
        assert {t.status for t in tx.timers(1)} <= {"done", "cancelled"}
    cancelled = next(e for e in rig.store.timeline(1) if e.kind == "pages_cancelled")
    assert cancelled.data["count"] == 3 and cancelled.actor == "anna"


def test_ack_updates_sent_pages_in_place(rig: Any, alert: Any) -> None:
    rig.escalator.on_alert(alert())
    rig.run()
    rig.escalator.on_ack(_ack(T0 + 2 * MIN, T0 + 45 * MIN))
    rig.run()
    updates = [n for n in rig.slack.notifications if n.kind == "update"]
    assert {u.thread_of for u in updates} == {"c-1:e1:l1:r1:anna", "c-1:e1:l1:#krisenstab"}
    assert all("21:15" in u.text for u in updates)  # "next update by 21:15" (Berlin)


def test_missed_promise_escalates_to_the_next_level(rig: Any, alert: Any) -> None:
    rig.escalator.on_alert(alert())
    rig.run()
    rig.escalator.on_ack(_ack(T0 + 2 * MIN, T0 + 45 * MIN))  # "next update by 21:15"
    rig.advance(44)
    assert rig.pages() == ["c-1:e1:l1:r1:anna"]
    rig.advance(1)  # 20:15 UTC = 21:15 Berlin: the promise is due and nothing came
    assert rig.pages()[-1] == "c-1:e2:l3:r1:jonas"  # level 2 (legal) is empty: skipped at once
    kinds = rig.kinds(1)
    assert kinds.index("promise_missed") < kinds.index("escalated")
    with rig.store.read() as tx:
        state = tx.get_state(1, lock=False)
    assert (state.acked, state.episode) == (False, 2)


def test_a_new_promise_in_time_keeps_escalation_quiet(rig: Any, alert: Any) -> None:
    rig.escalator.on_alert(alert())
    rig.run()
    rig.escalator.on_ack(_ack(T0 + 2 * MIN, T0 + 30 * MIN))
    rig.advance(25)
    rig.escalator.on_ack(_ack(T0 + 27 * MIN, T0 + 60 * MIN, request_id="r2"))
    rig.advance(30)
    assert rig.pages() == ["c-1:e1:l1:r1:anna"]
    with rig.store.read() as tx:
        promises = [t for t in tx.timers(1) if t.kind == "promise"]
    assert [(t.status, t.due_at) for t in promises] == [
        ("cancelled", T0 + 30 * MIN),
        ("pending", T0 + 60 * MIN),
    ]


def test_manual_escalate(rig: Any, alert: Any) -> None:
    rig.escalator.on_alert(alert())
    rig.run()
    rig.escalator.on_ack(_ack(T0 + MIN, T0 + 60 * MIN))
    rig.clock.advance(2 * MIN)
    outcome = rig.escalator.escalate("c-1", person="anna")
    rig.run()
    assert outcome.accepted
    assert rig.pages() == ["c-1:e1:l1:r1:anna", "c-1:e2:l3:r1:jonas"]
    rig.advance(10)  # jonas did not answer in his 10 minutes: round 2 starts
    assert rig.pages()[-1] == "c-1:e2:l4:r2:anna"


def test_unknown_user_is_refused_and_retries_are_harmless(rig: Any, alert: Any) -> None:
    rig.escalator.on_alert(alert())
    rig.run()
    stranger = rig.escalator.on_ack(_ack(T0 + MIN, person=None, slack_user="U0STRANGER"))
    assert stranger.status == "refused" and "roster" in stranger.message
    first = rig.escalator.on_ack(_ack(T0 + MIN, T0 + 30 * MIN, request_id="req-1"))
    retry = rig.escalator.on_ack(_ack(T0 + MIN, T0 + 30 * MIN, request_id="req-1"))
    double = rig.escalator.on_ack(_ack(T0 + MIN, T0 + 30 * MIN, request_id="req-2"))
    assert (first.status, retry.status, double.status) == ("accepted", "duplicate", "already")
    with rig.store.read() as tx:
        assert [a.outcome for a in tx.acks(1)] == ["refused", "accepted", "already"]
        assert len([t for t in tx.timers(1) if t.kind == "promise"]) == 1
    assert [e.kind for e in rig.store.timeline(1)].count("ack_received") == 1
    assert "ack_refused" in rig.kinds(1)


def test_checklist_and_four_eyes_statements(rig: Any, alert: Any) -> None:
    rig.escalator.on_alert(alert())
    rig.run()
    with rig.store.read() as tx:
        items = tx.checklist(1)
    assert [(i.item_key, i.owners, i.due_at) for i in items] == [
        ("item-1", ("anna",), T0 + 30 * MIN),
        ("item-2", ("katrin",), T0 + 120 * MIN),
    ]
    tick = rig.escalator.on_ack(_ack(T0 + MIN, action="checklist_done", item="item-1"))
    again = rig.escalator.on_ack(_ack(T0 + MIN, action="checklist_done", item="item-1"))
    assert (tick.status, again.status) == ("accepted", "already")
    for person, user in (
        ("anna", "U0ANNA00001"),
        ("anna", "U0ANNA00001"),
        ("jonas", "U0JONAS0002"),
    ):
        rig.escalator.on_ack(
            _ack(
                T0 + MIN,
                action="approve_statement",
                item="holding-x",
                person=person,
                slack_user=user,
            )
        )
    approved = [e for e in rig.store.timeline(1) if e.kind == "statement_approved"]
    assert [e.data["approvers"] for e in approved] == [["anna", "jonas"]]
