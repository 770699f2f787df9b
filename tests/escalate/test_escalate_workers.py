"""Several workers on one store never double-send and never lose a page."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from warning.clock import SimulatedClock
from warning.escalate.escalator import Escalator
from warning.notify.fakeslack import FakeSlack
from warning.notify.outbox import OutboxScheduler
from warning.notify.slack import SlackDelivery
from warning.records import Ack
from warning.store.db import Store

T0 = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)
CRISES = 8


def _expected(acked: set[int]) -> set[str]:
    keys: set[str] = set()
    for c in range(1, CRISES + 1):
        ref = f"c-{c}"
        keys |= {f"{ref}:e1:l1:r1:anna", f"{ref}:e1:l1:#krisenstab", f"{ref}:checklist:0"}
        if c not in acked:
            keys |= {
                f"{ref}:e1:l3:r1:jonas",
                f"{ref}:e1:l4:r2:anna",
                f"{ref}:e1:l4:#krisenstab",
                f"{ref}:e1:l6:r2:jonas",
                f"{ref}:e1:l7:r2:katrin",
            }
    return keys


def test_two_workers_deliver_every_page_exactly_once(
    store: Store, config: Any, alert: Any, accepted_keys: Any
) -> None:
    clock = SimulatedClock(T0)
    scheduler = partial(OutboxScheduler, rate=50.0, burst=50)
    with FakeSlack() as fake:
        fake.add_channel("krisenstab", "C0KRISEN001")

        def escalator(worker: str) -> Escalator:
            slack = SlackDelivery(fake.token, fake.base_url, timeout=2.0)
            return Escalator(
                store, config, clock, notifier=slack, scheduler=scheduler, worker=worker
            )

        front = escalator("front")
        for i in range(CRISES):
            front.on_alert(alert(brand=f"Brand{i}"))
        workers = [escalator("w1"), escalator("w2")]
        barrier = threading.Barrier(3)
        done = threading.Event()
        errors: list[BaseException] = []

        def loop(esc: Escalator) -> None:
            try:
                while True:
                    barrier.wait(30)
                    if done.is_set():
                        return
                    for _ in range(3):  # both work the same instant, concurrently
                        while esc.tick() + esc.drain():
                            pass
                    barrier.wait(30)
            except BaseException as exc:  # surfaced below
                errors.append(exc)
                barrier.abort()

        threads = [threading.Thread(target=loop, args=(w,)) for w in workers]
        for t in threads:
            t.start()
        acked = {2, 5}
        for minute in range(36):
            barrier.wait(30)  # workers run at this instant
            barrier.wait(30)  # workers idle
            if minute == 1:
                for c in acked:
                    front.on_ack(Ack(f"c-{c}", "acknowledge", "anna", "U0ANNA00001", clock.now()))
            clock.advance(timedelta(minutes=1))
        done.set()
        barrier.wait(30)
        for t in threads:
            t.join(30)
        assert not errors, errors
        counts = Counter(accepted_keys(fake))
    assert {k for k, n in counts.items() if n > 1} == set()
    assert set(counts) == _expected(acked)
    with store.read() as tx:
        fired_by = Counter(t.fired_by for t in tx.timers(status="done"))
    assert set(fired_by) <= {"w1", "w2"}
    assert store.verify_chain().ok
