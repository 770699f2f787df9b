"""Durable timers, outbox claims and the scheduler lock, on both databases."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from warning.records import Notification
from warning.store.db import Store

T0 = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)


def _timer(store: Store, key: str, minutes: int) -> bool:
    with store.transaction() as tx:
        return tx.schedule_timer(
            key=key,
            kind="level",
            due_at=T0 + timedelta(minutes=minutes),
            crisis_id=None,
            episode=1,
            payload={"index": minutes},
            at=T0,
        )


def test_timers_are_unique_and_claimed_in_due_order(store: Store) -> None:
    assert _timer(store, "b", 5)
    assert _timer(store, "a", 0)
    assert not _timer(store, "a", 7)  # same key: scheduled once
    with store.read() as tx:
        assert tx.next_timer_due() == T0
    fired = []
    for now in (T0, T0 + timedelta(minutes=4), T0 + timedelta(minutes=6)):
        with store.transaction() as tx:
            timer = tx.claim_due_timer(now)
            if timer is not None:
                tx.finish_timer(timer.id, at=now, by="w1", outcome="ok")
                fired.append((timer.key, now))
    assert fired == [("a", T0), ("b", T0 + timedelta(minutes=6))]
    with store.read() as tx:
        assert tx.next_timer_due() is None
        assert [t.fired_by for t in tx.timers(status="done")] == ["w1", "w1"]


def test_a_claimed_timer_is_skipped_by_another_worker(store: Store) -> None:
    """While one worker holds a timer, another claims the next one (never the same)."""
    _timer(store, "first", 0)
    _timer(store, "second", 1)
    now = T0 + timedelta(minutes=2)
    held = threading.Event()
    release = threading.Event()
    claims: dict[str, str | None] = {}

    def worker_one() -> None:
        with store.transaction() as tx:
            timer = tx.claim_due_timer(now)
            claims["one"] = None if timer is None else timer.key
            held.set()
            release.wait(10)
            if timer is not None:
                tx.finish_timer(timer.id, at=now, by="one", outcome="ok")

    t = threading.Thread(target=worker_one)
    t.start()
    held.wait(10)
    if store.dialect == "postgresql":
        with store.transaction() as tx:
            timer = tx.claim_due_timer(now)
            claims["two"] = None if timer is None else timer.key
            if timer is not None:
                tx.finish_timer(timer.id, at=now, by="two", outcome="ok")
    release.set()
    t.join()
    if store.dialect == "sqlite":  # the write lock serialises: claim after the first commit
        with store.transaction() as tx:
            timer = tx.claim_due_timer(now)
            claims["two"] = None if timer is None else timer.key
    assert claims == {"one": "first", "two": "second"}


def _page(key: str, channel: str = "U0ANNA", kind: str = "page_dm") -> Notification:
    return Notification(key, kind, channel, "Sturmwarnung", priority=0)  # type: ignore[arg-type]


def test_outbox_intent_claim_settle(store: Store) -> None:
    with store.transaction() as tx:
        crisis = tx.create_crisis(
            brand="l",
            crisis_type="g",
            title="t",
            severity="critical",
            opened_at=T0,
            playbook_version="v",
            snapshot={},
        )
        assert crisis is not None
        assert tx.enqueue(_page("k1"), at=T0, crisis_id=crisis.id, person="anna", level=1)
        assert not tx.enqueue(_page("k1"), at=T0, crisis_id=crisis.id, person="anna", level=1)
        assert tx.enqueue(
            _page("k2", "U0JONAS"), at=T0, crisis_id=crisis.id, person="jonas", level=2
        )
        assert tx.enqueue(_page("fyi", "C0X", "fyi"), at=T0, crisis_id=crisis.id)
        view, attempt = tx.claim(tx.outbox_item("k1").id, worker="w1", at=T0, reconcile=False)  # type: ignore[union-attr,misc]
    with store.transaction() as tx:
        settled = tx.settle(
            view.id,
            attempt,
            at=T0,
            status="sent",
            result={"status": "sent", "channel": "D0ANNA", "ts": "1.0001", "requests": 2},
            attempts=1,
            not_before=None,
            first_failure_at=None,
            last_error=None,
            fallback_sent=False,
        )
        assert (settled.status, settled.slack_channel, settled.slack_ts) == (
            "sent",
            "D0ANNA",
            "1.0001",
        )
        cancelled = tx.cancel_pages(crisis.id, at=T0, reason="acknowledged by anna")
        assert [c.key for c in cancelled] == ["k2"]  # sent pages and FYI posts are not touched
        assert tx.paged_people(crisis.id) == {"anna": T0}
        assert [a.status for a in tx.attempts(view.id)] == ["sent"]
        assert {o.key: o.status for o in tx.outbox()} == {
            "k1": "sent",
            "k2": "cancelled",
            "fyi": "pending",
        }
    with store.transaction() as tx:  # a failed try of the FYI post, for the error counts
        fyi, failed = tx.claim(tx.outbox_item("fyi").id, worker="w1", at=T0, reconcile=False)  # type: ignore[union-attr,misc]
        tx.release(fyi.id, failed, at=T0, reason="ratelimited: retry after 3 s")
    with store.read() as tx:
        assert tx.delivery_counts() == (
            {("sent", "page_dm"): 1, ("cancelled", "page_dm"): 1, ("pending", "fyi"): 1},
            {"ratelimited: retry after 3 s": 1},
        )


def test_scheduler_lock_lets_one_drainer_in(store: Store) -> None:
    with store.transaction() as tx:
        assert tx.lock_scheduler(at=T0, wait=False) == {}
        tx.save_scheduler({"C0X": {"bucket": 1}}, at=T0)
    inside = threading.Event()
    done = threading.Event()

    def holder() -> None:
        with store.transaction() as tx:
            tx.lock_scheduler(at=T0, wait=False)
            inside.set()
            done.wait(10)

    t = threading.Thread(target=holder)
    t.start()
    inside.wait(10)
    if store.dialect == "postgresql":
        with store.transaction() as tx:
            assert tx.lock_scheduler(at=T0, wait=False) is None  # another worker drains
    done.set()
    t.join()
    with store.transaction() as tx:
        assert tx.lock_scheduler(at=T0, wait=False) == {"C0X": {"bucket": 1}}


def test_worker_registry_and_in_flight(store: Store) -> None:
    with store.transaction() as tx:
        tx.register_worker("w1", host="h", pid=1, at=T0)
        tx.enqueue(_page("k1"), at=T0)
        tx.claim(tx.outbox_item("k1").id, worker="w1", at=T0, reconcile=False)  # type: ignore[union-attr]
        tx.stop_worker("w1", at=T0)
    with store.transaction() as tx:
        [(view, worker)] = tx.in_flight()
        assert view.key == "k1" and worker is not None and worker.stopped_at == T0
