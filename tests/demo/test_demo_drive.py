"""The demo's clock: escalation timers fire at their own instants between bucket ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

from warning.clock import SimulatedClock
from warning.demo.drive import EscalationLoop
from warning.escalate.escalator import Escalator
from warning.notify.outbox import OutboxScheduler
from warning.notify.recording import RecordingNotifier
from warning.playbook.config import load_texts
from warning.records import Alert, AlertMetrics, DetectorInfo, Severity
from warning.store.db import Store

T0 = datetime(2026, 3, 28, 19, 2, 30, tzinfo=UTC)  # deliberately not on a bucket boundary

PLAYBOOKS = """
people:
  anna: {name: Anna Becker, slack: U0ANNA00001}
  jonas: {name: Jonas Weber, slack: U0JONAS0002}
  katrin: {name: Katrin Meier, slack: U0KATRIN003}
slack_channels:
  krisenstab: {name: "#krisenstab", id: C0KRISEN001}
paths:
  duty:
    levels:
      - {name: Dienst, targets: [{person: anna}, {slack_channel: krisenstab}], ack: 7m}
      - {name: Leitung, targets: [{person: jonas}], ack: 11m}
    fallback: katrin
playbooks:
  general:
    title: Allgemein
    triggers: [{}]
    escalation: {critical: duty}
    checklist:
      - {task: Lage klären, role: lead, due: 15m}
      - {task: Kundenservice briefen, role: lead, due: 30m}
      - {task: Vorstand informieren, role: lead, due: 45m}
      - {task: Update planen, role: lead, due: 1h}
roles:
  lead: {title: Leitung, people: [katrin]}
settings: {timezone: Europe/Berlin}
"""


def _loop(burst: int = 3) -> tuple[EscalationLoop, RecordingNotifier, Store]:
    store = Store("sqlite://")
    store.migrate()
    notifier = RecordingNotifier()
    clock = SimulatedClock(T0)
    escalator = Escalator(
        store,
        load_texts({"p.yaml": PLAYBOOKS}),
        clock,
        notifier=notifier,
        scheduler=partial(OutboxScheduler, burst=burst),
    )
    return EscalationLoop(escalator, clock), notifier, store


def _alert() -> Alert:
    return Alert(
        "Lumina",
        T0,
        T0,
        Severity.CRITICAL,
        T0,
        AlertMetrics(900.0, 100.0, 9.0, 0.6, 0.2),
        DetectorInfo("seasonal-storm"),
        "lumina:storm",
    )


def test_levels_fire_at_their_due_instants_and_the_clock_ends_at_the_target() -> None:
    loop, notifier, store = _loop()
    loop.on_alert(_alert())
    end = T0 + timedelta(hours=1)
    loop.advance_to(end)
    assert loop.clock.now() == end
    with store.read() as tx:
        pages = {o.person: o for o in tx.outbox(1) if o.notification.kind == "page_dm"}
    assert pages["anna"].enqueued_at == T0
    assert pages["jonas"].enqueued_at == T0 + timedelta(minutes=7)
    assert pages["katrin"].enqueued_at == T0 + timedelta(minutes=18)  # the fallback
    assert {o.status for o in pages.values()} == {"sent"}
    assert notifier.duplicates == 0


def test_outbox_waits_for_the_channel_pace_then_empties() -> None:
    loop, notifier, store = _loop(burst=1)
    loop.on_alert(_alert())  # the channel post spends the channel's only token
    with store.read() as tx:
        waiting = tx.outbox(status="pending")
    assert [o.notification.kind for o in waiting] == ["thread_reply"]  # the checklist waits
    loop.advance_to(T0 + timedelta(seconds=30))
    with store.read() as tx:
        assert not tx.outbox(status="pending")
    thread = [n for n in notifier.notifications if n.kind == "thread_reply"]
    assert len(thread) == 1 and thread[0].thread_of == "c-1:e1:l1:#krisenstab"
    with store.read() as tx:
        reply = tx.outbox_item("c-1:checklist:0")
    assert reply is not None and reply.sent_at is not None
    assert T0 < reply.sent_at <= T0 + timedelta(seconds=2)  # one token later, not a bucket later


def test_scheduled_action_runs_at_its_instant() -> None:
    loop, _notifier, _store = _loop()
    seen: list[datetime] = []
    at = T0 + timedelta(minutes=3, seconds=17)
    loop.schedule(at, "note", lambda: seen.append(loop.clock.now()))
    loop.advance_to(T0 + timedelta(minutes=2))
    assert seen == []
    loop.advance_to(T0 + timedelta(minutes=5))
    assert seen == [at]
