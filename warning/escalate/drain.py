"""Draining the durable outbox through the notify room's deliverers, exactly once.

One drain pass: lock the outbox scheduler's state (another worker draining means
this one skips), ask :class:`~warning.notify.outbox.OutboxScheduler` which items may
go now (pages first, a token bucket per channel, ``Retry-After`` honoured per
channel), mark them in flight and **commit**; then deliver each and record the
answer, the scheduler's decision and an audit event. A send left in flight by a
dead worker, and every retry after an ambiguous failure (timeout, 5xx), is sent with
``reconcile=True``: Slack is searched for the idempotency key before posting again.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from warning.clock import Clock
from warning.escalate.messages import email_copy
from warning.notify.outbox import OutboxItem, OutboxScheduler
from warning.notify.result import DeliveryResult, DeliveryStatus, Notifier
from warning.store.db import Store, StoreConflict
from warning.store.tx import Tx
from warning.store.views import OutboxView, WorkerView

__all__ = ["OutboxDrainer", "process_alive"]

#: Errors after which Slack certainly did not post (no lookup needed before retrying).
NOT_POSTED = frozenset({"ratelimited", "rate_limited", "message_limit_exceeded", "parent_not_sent"})


def to_item(view: OutboxView) -> OutboxItem:
    return OutboxItem(
        notification=view.notification,
        enqueued_at=view.enqueued_at,
        attempts=view.attempts,
        not_before=view.not_before,
        first_failure_at=view.first_failure_at,
        last_error=view.last_error,
        fallback_sent=view.fallback_sent,
        seq=view.id,
    )


def process_alive(worker: WorkerView, *, me: str, now: datetime, stale_after: timedelta) -> bool:
    """Whether a worker may still be sending: not stopped, and (same host) its pid runs,
    or (other host) its heartbeat is recent. The caller itself (``me``) is not sending
    while it recovers, so its own in-flight rows count as stranded."""
    if worker.id == me:
        return False  # recovery runs between sends: our own in-flight rows are stranded
    if worker.stopped_at is not None:
        return False
    if worker.host == socket.gethostname():
        if worker.pid == os.getpid():
            return False  # an earlier process that had our pid
        try:
            os.kill(worker.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
    return now - worker.heartbeat_at < stale_after


def _retrying(step: Callable[[], object], attempts: int = 20) -> None:
    """Run a store step again while it meets another writer (deadlock, busy database)."""
    for attempt in range(attempts):
        try:
            step()
            return
        except StoreConflict:
            if attempt == attempts - 1:
                raise


class OutboxDrainer:
    """Sends what the outbox holds; ``email`` takes the e-mail kind (else ``notifier``).

    ``between`` is called between two sends of a pass (the runtime fires due timers
    there, so a slow Slack does not make them late).
    """

    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        notifier: Notifier,
        email: Notifier | None = None,
        scheduler: Callable[[], OutboxScheduler] = OutboxScheduler,
        worker: str = "worker",
        batch: int = 20,
        between: Callable[[], object] | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.notifier = notifier
        self.email = email
        self.scheduler = scheduler
        self.worker = worker
        self.batch = batch
        self.between = between

    # ------------------------------------------------------------------ one pass
    def drain(self) -> int:
        """One pass: claim what may go now, send it, record it. Returns the attempts made."""
        try:
            claims = self._claim()
        except StoreConflict:
            return 0  # another worker got in the way: the next pass tries again
        blocked: set[str] = set()
        for number, (view, attempt_id, reconcile) in enumerate(claims):
            if number and self.between is not None:
                self.between()  # e.g. fire timers that fell due while Slack was slow
            if view.notification.channel in blocked:  # Slack said "wait" meanwhile
                _retrying(partial(self._release, view, attempt_id))
                continue
            result = self._send(view, attempt_id, reconcile)
            if result.status is DeliveryStatus.RETRY_AFTER:
                blocked.add(view.notification.channel)
        return len(claims)

    def _release(self, view: OutboxView, attempt_id: int) -> None:
        with self.store.transaction() as tx:
            tx.release(view.id, attempt_id, at=self.clock.now(), reason="channel blocked")

    def _claim(self) -> list[tuple[OutboxView, int, bool]]:
        now = self.clock.now()
        with self.store.transaction() as tx:
            data = tx.lock_scheduler(at=now, wait=False)
            if data is None:
                return []
            sched = self.scheduler()
            sched.restore(data)
            pending = tx.outbox(status="pending")
            items = [to_item(v) for v in pending]
            self._fallbacks(tx, sched, pending, items, now)
            claims: list[tuple[OutboxView, int, bool]] = []
            by_id = {v.id: v for v in pending}
            while len(claims) < self.batch:
                item = sched.next_ready(items, now)  # spends a token of its channel
                if item is None:
                    break
                items = [i for i in items if i is not item]
                view = by_id[item.seq]
                reconcile = view.attempts > 0 and (view.last_error or "") not in NOT_POSTED
                claimed = tx.claim(view.id, worker=self.worker, at=now, reconcile=reconcile)
                if claimed is not None:
                    claims.append((claimed[0], claimed[1], reconcile))
            tx.save_scheduler(sched.snapshot(), at=now)
        return claims

    def _fallbacks(
        self,
        tx: Tx,
        sched: OutboxScheduler,
        pending: list[OutboxView],
        items: list[OutboxItem],
        now: datetime,
    ) -> None:
        for item in sched.due_fallbacks(items, now):
            view = next(v for v in pending if v.id == item.seq)
            self._queue_email(tx, view, now, why="Slack failing too long")
            tx.mark_fallback_sent(view.id)

    def _queue_email(self, tx: Tx, view: OutboxView, now: datetime, *, why: str) -> None:
        if view.fallback_address is None:
            if view.notification.kind == "page_dm":
                tx.audit("fallback_impossible", view.crisis_id, at=now, key=view.key, why=why)
            return
        copy = email_copy(view, view.fallback_address)
        if tx.enqueue(
            copy,
            at=now,
            crisis_id=view.crisis_id,
            person=view.person,
            level=view.level,
            round=view.round,
            episode=view.episode,
        ):
            tx.audit(
                "fallback_queued",
                view.crisis_id,
                at=now,
                key=copy.idempotency_key,
                address=view.fallback_address,
                why=why,
            )

    # ------------------------------------------------------------------ sending
    def _deliver(self, view: OutboxView, reconcile: bool) -> DeliveryResult:
        n = view.notification
        target = self.email if n.kind == "email" and self.email is not None else self.notifier
        from warning.notify.slack import MessageRef, SlackDelivery

        if isinstance(target, SlackDelivery):
            if n.thread_of and target.sent_ref(n.thread_of) is None:
                with self.store.read() as tx:
                    parent = tx.outbox_item(n.thread_of)
                if parent is not None and parent.slack_channel and parent.slack_ts:
                    target.remember(n.thread_of, MessageRef(parent.slack_channel, parent.slack_ts))
            return target.deliver(n, reconcile=reconcile)
        return target.deliver(n)

    def _send(self, view: OutboxView, attempt_id: int, reconcile: bool) -> DeliveryResult:
        try:
            result = self._deliver(view, reconcile)
        except Exception as exc:  # a deliverer must not raise; if it does, retry later
            result = DeliveryResult.transient("exception", detail=f"{type(exc).__name__}: {exc}")
        _retrying(partial(self._settle, view, attempt_id, reconcile, result))
        return result

    def _settle(
        self, view: OutboxView, attempt_id: int, reconcile: bool, result: DeliveryResult
    ) -> None:
        now = self.clock.now()
        with self.store.transaction() as tx:
            data = tx.lock_scheduler(at=now, wait=True) or {}
            sched = self.scheduler()
            sched.restore(data)
            decision = sched.after_result(to_item(view), result, now)
            item = decision.item
            status = "sent" if result.ok else ("failed" if decision.done else "pending")
            settled = tx.settle(
                view.id,
                attempt_id,
                at=now,
                status=status,
                result=result.to_dict(),
                attempts=item.attempts,
                not_before=item.not_before,
                first_failure_at=item.first_failure_at,
                last_error=item.last_error,
                fallback_sent=item.fallback_sent,
                closed_reason=None if status != "failed" else decision.reason,
            )
            tx.save_scheduler(sched.snapshot(), at=now)
            tx.audit(
                "send_attempt",
                view.crisis_id,
                at=now,
                actor=self.worker,
                key=view.key,
                kind=view.notification.kind,
                channel=view.notification.channel,
                person=view.person,
                attempt=item.attempts,
                reconcile=reconcile,
                result=result.to_dict(),
                decision=decision.reason,
            )
            if decision.fallback:
                self._queue_email(tx, settled, now, why=decision.reason)

    # ------------------------------------------------------------------ after a crash
    def recover(self, *, stale_after: timedelta = timedelta(seconds=60)) -> int:
        """Reconcile sends left in flight by dead workers; returns how many were settled."""
        now = self.clock.now()
        claims: list[tuple[OutboxView, int]] = []
        with self.store.transaction() as tx:
            for view, worker in tx.in_flight():
                if worker is not None and process_alive(
                    worker, me=self.worker, now=now, stale_after=stale_after
                ):
                    continue
                claimed = tx.claim(view.id, worker=self.worker, at=now, reconcile=True)
                if claimed is not None:
                    claims.append(claimed)
                    tx.audit(
                        "send_reconciling",
                        view.crisis_id,
                        at=now,
                        actor=self.worker,
                        key=view.key,
                        stranded_by=view.claimed_by,
                    )
        for view, attempt_id in claims:
            self._send(view, attempt_id, True)
        return len(claims)
