"""Level progression on durable timers: delays, empty levels, repeats, fallback, windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from warning.records import Severity

T0 = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)
Rig = Any


def _page_times(rig: Rig) -> list[tuple[str, datetime]]:
    with rig.store.read() as tx:
        return [
            (o.key, o.enqueued_at)
            for o in tx.outbox()
            if o.notification.kind in ("page_dm", "email")
        ]


def test_full_escalation_without_answer(rig: Rig, alert: Any) -> None:
    outcome = rig.escalator.on_alert(alert())
    assert outcome.opened and outcome.playbook == "product-safety" and outcome.crisis == "c-1"
    rig.run()
    rig.advance(4)
    assert rig.pages() == ["c-1:e1:l1:r1:anna"]
    rig.advance(1)  # 19:35: legal is empty → skipped at once, jonas paged now
    assert rig.pages()[-1] == "c-1:e1:l3:r1:jonas"
    for _ in range(30):
        rig.advance(1)
    m = timedelta(minutes=1)
    assert _page_times(rig) == [
        ("c-1:e1:l1:r1:anna", T0),
        ("c-1:e1:l3:r1:jonas", T0 + 5 * m),
        ("c-1:e1:l4:r2:anna", T0 + 15 * m),
        ("c-1:e1:l6:r2:jonas", T0 + 20 * m),
        ("c-1:e1:l7:r2:katrin", T0 + 30 * m),  # the final fallback, always
    ]
    kinds = rig.kinds(1)
    assert kinds.count("level_skipped") == 2
    skipped = next(e for e in rig.store.timeline(1) if e.kind == "level_skipped")
    assert skipped.data["label"] == "Recht" and "skipped at once" in skipped.data["why"]
    with rig.store.read() as tx:
        assert {t.status for t in tx.timers(1)} == {"done"}  # bounded: nothing left pending
        # the crisis channel got one post per round, and the checklist in its thread
        posts = [o for o in tx.outbox(1) if o.notification.kind == "channel_post"]
        replies = [o for o in tx.outbox(1) if o.notification.kind == "thread_reply"]
    assert [p.key for p in posts] == ["c-1:e1:l1:#krisenstab", "c-1:e1:l4:#krisenstab"]
    assert len(replies) == 1 and replies[0].notification.thread_of == "c-1:e1:l1:#krisenstab"


def test_overdue_timers_fire_at_once_and_keep_the_plan(rig: Rig, alert: Any) -> None:
    rig.escalator.on_alert(alert())
    rig.run()
    rig.clock.advance(timedelta(minutes=17))  # the runner was down for 17 minutes
    rig.run()
    assert rig.pages() == ["c-1:e1:l1:r1:anna", "c-1:e1:l3:r1:jonas", "c-1:e1:l4:r2:anna"]
    with rig.store.read() as tx:
        pending = tx.timers(1, status="pending")
    assert [t.due_at for t in pending] == [T0 + timedelta(minutes=20)]  # not shifted by the delay


def test_wait_until_window(rig_at: Any, alert: Any) -> None:
    late = datetime(2026, 3, 28, 21, 30, tzinfo=UTC)  # 22:30 Berlin: the daytime window is shut
    rig = rig_at(late)
    rig.escalator.on_alert(alert(severity=Severity.WARNING, at=late))
    rig.run()
    rig.advance(20)
    assert rig.pages() == ["c-1:e1:l1:r1:anna", "c-1:e1:l2:r1:jonas"]
    rig.clock.set(datetime(2026, 3, 29, 5, 59, tzinfo=UTC))
    rig.run()
    assert len(rig.pages()) == 2
    rig.clock.set(datetime(2026, 3, 29, 6, 0, tzinfo=UTC))  # 08:00 CEST (after the DST change)
    rig.run()
    assert rig.pages()[-1] == "c-1:e1:l3:r1:katrin"
