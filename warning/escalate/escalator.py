"""The durable escalation runtime: alerts in, answers in, timers and the outbox out.

Every method is one or more store transactions; nothing is kept in memory between
calls, so any number of :class:`Escalator` objects (threads, processes, machines
on PostgreSQL) can share one store, and killing one at any instant loses nothing.

>>> from datetime import datetime, timezone
>>> from warning.clock import SimulatedClock
>>> from warning.notify.recording import RecordingNotifier
>>> from warning.playbook.config import load_texts
>>> from warning.records import Alert, AlertMetrics, DetectorInfo, Severity
>>> from warning.store.db import Store
>>> config = load_texts({"p.yaml": '''
... people:
...   anna: {name: Anna Becker, slack: U0ANNA00001}
... paths:
...   duty: {levels: [{targets: [{person: anna}], ack: 10m}], fallback: anna}
... playbooks:
...   general: {title: Allgemein, triggers: [{}], escalation: {critical: duty}}
... '''})
>>> store = Store("sqlite://"); _ = store.migrate()
>>> t0 = datetime(2026, 3, 28, 19, 30, tzinfo=timezone.utc)
>>> clock, slack = SimulatedClock(t0), RecordingNotifier()
>>> esc = Escalator(store, config, clock, notifier=slack, tz="Europe/Berlin")
>>> alert = Alert("Lumina", t0, t0, Severity.CRITICAL, t0, AlertMetrics(900, 100, 9.0, 0.6, 0.2),
...               DetectorInfo("storm"), "lumina:1")
>>> esc.on_alert(alert).crisis, esc.tick(), esc.drain()
('c-1', 1, 1)
>>> [n.idempotency_key for n in slack.notifications]
['c-1:e1:l1:r1:anna']
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from warning.clock import Clock
from warning.errors import StoreError
from warning.escalate.answers import AckOutcome, handle_ack
from warning.escalate.drain import OutboxDrainer
from warning.escalate.evidence import EvidenceSource, save_chart
from warning.escalate.lifecycle import AlertOutcome, open_or_join
from warning.escalate.pages import StepContext
from warning.escalate.steps import fire_level, fire_promise
from warning.notify.outbox import OutboxScheduler
from warning.notify.result import Notifier
from warning.playbook.compiled import Config
from warning.records import Ack, Alert
from warning.store.db import Store, StoreConflict
from warning.store.tx import Tx
from warning.store.views import parse_crisis_ref

__all__ = ["Escalator", "default_worker_id"]

_T = TypeVar("_T")


def default_worker_id() -> str:
    """``host:pid:random`` — unique per process, even when a pid is reused."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class Escalator:
    """Opens crises, runs their escalation on durable timers and drains the outbox.

    ``config`` is the loaded playbook configuration and ``playbook_version`` its
    content hash (:func:`warning.escalate.version.playbook_version`); both are frozen
    into each crisis when it starts. ``notifier`` (Slack, recording, console) and
    ``email`` deliver the outbox; ``scheduler`` builds the outbox rules; ``batch`` is
    how many sends one drain pass makes at most. ``lang`` and
    ``tz`` shape the messages; ``default_promise`` is the promise of an
    acknowledgement that names none (``None``: no promise, no re-escalation).
    ``evidence`` renders an alert's chart (PNG bytes) into the ``charts`` folder; every
    page and crisis-channel post of that alert then carries it
    (:mod:`warning.escalate.evidence`).
    """

    def __init__(
        self,
        store: Store,
        config: Config,
        clock: Clock,
        *,
        playbook_version: str = "",
        notifier: Notifier | None = None,
        email: Notifier | None = None,
        scheduler: Callable[[], OutboxScheduler] = OutboxScheduler,
        worker: str | None = None,
        batch: int = 20,
        lang: str = "de",
        tz: str | None = None,
        default_promise: timedelta | None = None,
        retries: int = 20,
        evidence: EvidenceSource | None = None,
        charts: Path | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.clock = clock
        self.playbook_version = playbook_version
        self.notifier = notifier
        self.email = email
        self.scheduler = scheduler
        self.worker = worker or default_worker_id()
        self.batch = batch
        self.lang = lang
        self.tz = tz or config.settings.timezone
        self.default_promise = default_promise
        self.retries = retries
        self.evidence = evidence
        self.charts = charts

    def __repr__(self) -> str:
        return f"Escalator(store={self.store!r}, worker={self.worker!r})"

    # ------------------------------------------------------------------ plumbing
    def _context(self) -> StepContext:
        return StepContext(self.clock.now(), self.worker, self.lang, self.tz, self.charts)

    def _retry(self, step: Callable[[Tx, StepContext], _T]) -> _T:
        for attempt in range(self.retries):
            try:
                with self.store.transaction() as tx:
                    return step(tx, self._context())
            except StoreConflict:
                if attempt == self.retries - 1:
                    raise
        raise StoreError("escalation: no attempt made (retries must be at least 1).")

    def _drainer(self) -> OutboxDrainer:
        if self.notifier is None:
            raise StoreError("escalation: no notifier given, so the outbox cannot be drained.")
        return OutboxDrainer(
            self.store,
            self.clock,
            notifier=self.notifier,
            email=self.email,
            scheduler=self.scheduler,
            worker=self.worker,
            batch=self.batch,
            between=self.tick,
        )

    # ------------------------------------------------------------------ inputs
    def on_alert(self, alert: Alert) -> AlertOutcome:
        """Open or join the crisis of ``alert``; the first level is due at once.

        With an ``evidence`` source and a ``charts`` folder the alert's chart is
        rendered first (outside the transaction), so its pages carry it.
        """
        if self.evidence is not None and self.charts is not None:
            save_chart(self.charts, alert, self.evidence)
        return self._retry(
            lambda tx, ctx: open_or_join(tx, ctx, self.config, alert, version=self.playbook_version)
        )

    def on_ack(self, ack: Ack) -> AckOutcome:
        """Apply a verified human answer (acknowledge, escalate, resolve, false alarm, ...)."""
        crisis_id = parse_crisis_ref(ack.crisis_id)
        return self._retry(
            lambda tx, ctx: handle_ack(
                tx, ctx, crisis_id, ack, default_promise=self.default_promise
            )
        )

    def escalate(self, crisis: str, *, person: str, slack_user: str = "") -> AckOutcome:
        """Escalate by hand to the next level now (as if ``person`` pressed the button)."""
        ack = Ack(crisis, "escalate", person, slack_user or person, self.clock.now())
        return self.on_ack(ack)

    # ------------------------------------------------------------------ the loop
    def tick(self, *, limit: int = 1000) -> int:
        """Fire every due timer (each in its own transaction); returns how many fired."""
        fired = 0
        while fired < limit:

            def step(tx: Tx, ctx: StepContext) -> bool:
                timer = tx.claim_due_timer(ctx.now)
                if timer is None:
                    return False
                if timer.kind == "level":
                    outcome = fire_level(tx, ctx, timer)
                elif timer.kind == "promise":
                    outcome = fire_promise(tx, ctx, timer)
                else:
                    outcome = f"unknown timer kind {timer.kind!r}"
                tx.finish_timer(timer.id, at=ctx.now, by=self.worker, outcome=outcome)
                return True

            if not self._retry(step):
                break
            fired += 1
        return fired

    def drain(self) -> int:
        """One outbox pass (see :class:`~warning.escalate.drain.OutboxDrainer`)."""
        return self._drainer().drain()

    def recover(self, *, stale_after: timedelta = timedelta(seconds=60)) -> int:
        """Reconcile sends that dead workers left in flight."""
        return self._drainer().recover(stale_after=stale_after)

    def run_once(self) -> int:
        """Fire due timers, then drain the outbox once; returns the work done."""
        return self.tick() + (self.drain() if self.notifier is not None else 0)

    def next_due(self) -> datetime | None:
        """When the next timer is due (``None`` when none is pending)."""
        with self.store.read() as tx:
            return tx.next_timer_due()

    # ------------------------------------------------------------------ worker registry
    def register(self) -> None:
        now = self.clock.now()
        with self.store.transaction() as tx:
            tx.register_worker(self.worker, host=socket.gethostname(), pid=os.getpid(), at=now)
            tx.audit("worker_started", None, at=now, actor=self.worker, pid=os.getpid())

    def heartbeat(self) -> None:
        with self.store.transaction() as tx:
            tx.heartbeat(self.worker, at=self.clock.now())

    def unregister(self) -> None:
        now = self.clock.now()
        with self.store.transaction() as tx:
            tx.stop_worker(self.worker, at=now)
            tx.audit("worker_stopped", None, at=now, actor=self.worker)
