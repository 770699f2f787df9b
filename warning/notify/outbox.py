"""The outbox's scheduling rules as a pure class: what goes next, and what happens after.

The durable runtime keeps the queue (one :class:`OutboxItem` per notification) in the
store and asks :class:`OutboxScheduler`:

- :meth:`~OutboxScheduler.next_ready` — which item to send now (pages before FYI
  posts; per channel a token bucket, about one message per second; a channel that
  Slack told to wait stays blocked, other channels keep going);
- :meth:`~OutboxScheduler.after_result` — given the deliverer's answer, the item's new
  state: done, retry at an instant (``Retry-After`` or exponential backoff with
  seeded jitter), and whether to hand a copy to the e-mail fallback now;
- :meth:`~OutboxScheduler.wake_at` — when to look again; :meth:`~OutboxScheduler.due_fallbacks`
  — pages whose Slack channel has been failing for longer than ``fallback_after``.

Nothing is dropped: a permanent error ends the Slack attempts and asks for fallback.

>>> from datetime import datetime, timedelta, timezone
>>> from warning.records import Notification
>>> from warning.notify.result import DeliveryResult
>>> t0 = datetime(2026, 3, 28, 19, 30, tzinfo=timezone.utc)
>>> fyi = OutboxItem(Notification("k1", "fyi", "C0CRISIS", "FYI", priority=10), t0)
>>> page = OutboxItem(Notification("k2", "page_dm", "U04LUM0AB01", "Page", priority=0), t0)
>>> sched = OutboxScheduler(rate=1.0, burst=1)
>>> sched.next_ready([fyi, page], t0).key
'k2'
>>> d = sched.after_result(page, DeliveryResult.retry_after_seconds(30), t0)
>>> (d.done, d.retry_at - t0, d.fallback)
(False, datetime.timedelta(seconds=30), False)
>>> sched.after_result(page, DeliveryResult.permanent("channel_not_found"), t0).fallback
True
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from warning.clock import ensure_utc
from warning.errors import ConfigError
from warning.notify.bucket import TokenBucket
from warning.notify.result import DeliveryResult, DeliveryStatus
from warning.records import Notification

__all__ = [
    "KIND_ORDER",
    "PRIORITY_CHANNEL",
    "PRIORITY_FYI",
    "PRIORITY_PAGE",
    "Decision",
    "OutboxItem",
    "OutboxScheduler",
]

PRIORITY_PAGE = 0
PRIORITY_CHANNEL = 5
PRIORITY_FYI = 10
#: Tie-break among equal priorities: pages, then updates, channel posts, replies, FYI.
KIND_ORDER = {"page_dm": 0, "email": 0, "update": 1, "channel_post": 2, "thread_reply": 3, "fyi": 4}


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One queued notification with its delivery state (what the store persists)."""

    notification: Notification
    enqueued_at: datetime
    attempts: int = 0
    not_before: datetime | None = None
    first_failure_at: datetime | None = None
    last_error: str | None = None
    fallback_sent: bool = False
    seq: int = 0  # a stable tie-breaker, e.g. the outbox row id

    @property
    def key(self) -> str:
        return self.notification.idempotency_key

    @property
    def channel(self) -> str:
        return self.notification.channel

    def sort_key(self) -> tuple[int, int, datetime, int, str]:
        n = self.notification
        return (n.priority, KIND_ORDER.get(n.kind, 5), self.enqueued_at, self.seq, self.key)


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do after one attempt: persist ``item``; stop or retry at ``retry_at``;
    hand a copy to the fallback channel now if ``fallback``."""

    item: OutboxItem
    done: bool
    retry_at: datetime | None = None
    fallback: bool = False
    reason: str = ""


@dataclass(slots=True)
class _Channel:
    bucket: TokenBucket
    blocked_until: datetime | None = None
    failing_since: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _positive(name: str, value: float, *, zero_ok: bool = False) -> None:
    if value < 0 or (value == 0 and not zero_ok):
        rule = "at least 0" if zero_ok else "greater than 0"
        raise ConfigError(
            f"The '{name}' parameter of OutboxScheduler must be {rule}. Got {value!r} instead."
        )


class OutboxScheduler:
    """Pure scheduling rules of the outbox; all time comes in as ``now``.

    ``rate``/``burst``: messages per second and burst size per channel. Backoff on
    transient errors: ``backoff_base * backoff_factor**(attempts-1)`` seconds, capped at
    ``backoff_max``, spread by ±``jitter`` (a fraction) drawn from a generator seeded
    with ``random_state``, the item's key and its attempt number, so a restart computes
    the same instants. ``fallback_after`` seconds of failing Slack sends for a page of a
    kind in ``fallback_kinds`` trigger the fallback.
    """

    def __init__(
        self,
        *,
        rate: float = 1.0,
        burst: int = 3,
        backoff_base: float = 1.0,
        backoff_factor: float = 2.0,
        backoff_max: float = 300.0,
        jitter: float = 0.2,
        fallback_after: float = 120.0,
        fallback_kinds: Sequence[str] = ("page_dm",),
        random_state: int = 0,
    ) -> None:
        _positive("rate", rate)
        _positive("burst", burst)
        _positive("backoff_base", backoff_base)
        _positive("backoff_max", backoff_max)
        _positive("fallback_after", fallback_after, zero_ok=True)
        if not 0.0 <= jitter < 1.0:
            raise ConfigError(
                f"The 'jitter' parameter of OutboxScheduler must be in [0, 1). Got {jitter!r} instead."
            )
        self.rate = rate
        self.burst = burst
        self.backoff_base = backoff_base
        self.backoff_factor = backoff_factor
        self.backoff_max = backoff_max
        self.jitter = jitter
        self.fallback_after = fallback_after
        self.fallback_kinds = tuple(fallback_kinds)
        self.random_state = random_state
        self._channels: dict[str, _Channel] = {}

    # ------------------------------------------------------------------ channels
    def _channel(self, name: str) -> _Channel:
        state = self._channels.get(name)
        if state is None:
            state = _Channel(TokenBucket(self.rate, self.burst))
            self._channels[name] = state
        return state

    def blocked_until(self, channel: str, now: datetime) -> datetime | None:
        """When Slack's ``Retry-After`` for ``channel`` runs out (``None`` if not blocked)."""
        state = self._channels.get(channel)
        if state is None or state.blocked_until is None or state.blocked_until <= now:
            return None
        return state.blocked_until

    def _ready_at(self, item: OutboxItem, now: datetime) -> datetime:
        state = self._channel(item.channel)
        times = [now, state.bucket.ready_at(now)]
        if item.not_before is not None:
            times.append(item.not_before)
        if state.blocked_until is not None:
            times.append(state.blocked_until)
        return max(times)

    # ------------------------------------------------------------------ choosing
    def next_ready(self, items: Iterable[OutboxItem], now: datetime) -> OutboxItem | None:
        """The item to send at ``now``, or ``None``; spends one token of its channel.

        Call it again for the next one; every returned item must be delivered and
        its result passed to :meth:`after_result`.
        """
        now = ensure_utc(now)
        full: set[str] = set()
        for item in sorted(items, key=OutboxItem.sort_key):
            if item.channel in full or (item.not_before is not None and item.not_before > now):
                continue
            state = self._channel(item.channel)
            if state.blocked_until is not None and state.blocked_until > now:
                full.add(item.channel)
                continue
            if state.bucket.try_take(now):
                return item
            full.add(item.channel)
        return None

    def ready(self, items: Iterable[OutboxItem], now: datetime) -> list[OutboxItem]:
        """Every item that may go at ``now`` (tokens spent), in sending order."""
        pending = list(items)
        out: list[OutboxItem] = []
        while True:
            item = self.next_ready(pending, now)
            if item is None:
                return out
            out.append(item)
            pending = [p for p in pending if p is not item]

    def wake_at(self, items: Iterable[OutboxItem], now: datetime) -> datetime | None:
        """The earliest instant at which something may be sent or fall back (not before
        ``now``); at that instant call :meth:`next_ready` and :meth:`due_fallbacks`."""
        now = ensure_utc(now)
        items = list(items)
        times = [self._ready_at(item, now) for item in items]
        times += [max(now, t) for item in items if (t := self._fallback_at(item)) is not None]
        return min(times) if times else None

    # ------------------------------------------------------------------ after an attempt
    def backoff(self, item: OutboxItem, attempts: int) -> float:
        """Seconds to wait after ``attempts`` transient failures (deterministic jitter)."""
        delay = min(
            self.backoff_max, self.backoff_base * self.backoff_factor ** max(0, attempts - 1)
        )
        draw = random.Random(f"{self.random_state}:{item.key}:{attempts}").random()
        return delay * (1.0 - self.jitter + 2.0 * self.jitter * draw)

    def _wants_fallback(self, item: OutboxItem) -> bool:
        return item.notification.kind in self.fallback_kinds and not item.fallback_sent

    def _fallback_at(self, item: OutboxItem) -> datetime | None:
        if not self._wants_fallback(item):
            return None
        since = [t for t in (item.first_failure_at, self._failing_since(item.channel)) if t]
        return min(since) + timedelta(seconds=self.fallback_after) if since else None

    def _failing_since(self, channel: str) -> datetime | None:
        state = self._channels.get(channel)
        return None if state is None else state.failing_since

    def after_result(self, item: OutboxItem, result: DeliveryResult, now: datetime) -> Decision:
        """The item's next state after the deliverer answered ``result`` at ``now``."""
        now = ensure_utc(now)
        state = self._channel(item.channel)
        attempts = item.attempts + 1
        if result.status is DeliveryStatus.SENT:
            state.failing_since, state.blocked_until = None, None
            done = replace(item, attempts=attempts, not_before=None, last_error=None)
            return Decision(done, done=True, reason="sent")
        error = result.error or result.status.value
        first = item.first_failure_at or now
        if result.status is DeliveryStatus.PERMANENT:
            failed = replace(item, attempts=attempts, first_failure_at=first, last_error=error)
            fallback = not item.fallback_sent
            if fallback:
                failed = replace(failed, fallback_sent=True)
            return Decision(failed, done=True, fallback=fallback, reason=f"permanent:{error}")
        state.failing_since = state.failing_since or now
        if result.status is DeliveryStatus.RETRY_AFTER:
            wait = result.retry_after if result.retry_after is not None else self.backoff_base
            retry_at = now + timedelta(seconds=max(0.0, wait))
            state.blocked_until = max(retry_at, state.blocked_until or retry_at)
            reason = f"retry_after:{error}"
        else:  # TRANSIENT, or a NOT_FOUND that reached here
            retry_at = now + timedelta(seconds=self.backoff(item, attempts))
            reason = f"transient:{error}"
        waiting = replace(
            item, attempts=attempts, not_before=retry_at, first_failure_at=first, last_error=error
        )
        deadline = self._fallback_at(waiting)
        fallback = deadline is not None and deadline <= now
        if fallback:
            waiting = replace(waiting, fallback_sent=True)
        return Decision(waiting, done=False, retry_at=retry_at, fallback=fallback, reason=reason)

    def due_fallbacks(self, items: Iterable[OutboxItem], now: datetime) -> list[OutboxItem]:
        """Pages (not yet handed to the fallback) whose Slack sends failed for too long.

        The runtime sends each via e-mail and persists :meth:`mark_fallback` of it.
        """
        now = ensure_utc(now)
        return [i for i in items if (t := self._fallback_at(i)) is not None and t <= now]

    @staticmethod
    def mark_fallback(item: OutboxItem) -> OutboxItem:
        return replace(item, fallback_sent=True)

    # ------------------------------------------------------------------ persistence
    def snapshot(self) -> dict[str, Any]:
        """The per-channel state as JSON-ready data (see :meth:`restore`)."""
        return {
            name: {
                "bucket": s.bucket.to_dict(),
                "blocked_until": None if s.blocked_until is None else s.blocked_until.isoformat(),
                "failing_since": None if s.failing_since is None else s.failing_since.isoformat(),
            }
            for name, s in self._channels.items()
        }

    def restore(self, data: dict[str, Any]) -> None:
        def _t(value: str | None) -> datetime | None:
            return None if value is None else datetime.fromisoformat(value)

        self._channels = {
            name: _Channel(
                TokenBucket.from_dict(s["bucket"]), _t(s["blocked_until"]), _t(s["failing_since"])
            )
            for name, s in data.items()
        }
