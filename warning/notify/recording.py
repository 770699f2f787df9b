"""Notifiers without a network: one that records (replay, tests, the demo), one that prints,
and a router that sends e-mail notifications to one deliverer and the rest to another.

>>> from warning.records import Notification
>>> rec = RecordingNotifier()
>>> rec.deliver(Notification("k1", "page_dm", "U1", "Storm warning")).ts
'rec-000001'
>>> rec.deliver(Notification("k1", "page_dm", "U1", "Storm warning")).ts  # same key: no second
'rec-000001'
>>> [n.idempotency_key for n in rec.notifications], rec.duplicates
(['k1'], 1)
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TextIO

from warning.notify.render import blocks_to_text
from warning.notify.result import DeliveryResult, Notifier
from warning.records import Notification

__all__ = ["ConsoleNotifier", "RecordingNotifier", "RoutingNotifier"]


class RecordingNotifier:
    """Keeps every notification it is given, once per idempotency key (thread-safe).

    ``answer`` may script a result per notification (e.g. to simulate Slack trouble
    in a replay); by default every delivery succeeds.
    """

    def __init__(
        self, answer: Callable[[Notification], DeliveryResult | None] | None = None
    ) -> None:
        self.answer = answer
        self.notifications: list[Notification] = []
        self.attempts: list[tuple[Notification, DeliveryResult]] = []
        self.duplicates = 0
        self._by_key: dict[str, DeliveryResult] = {}
        self._lock = threading.Lock()

    def deliver(self, notification: Notification) -> DeliveryResult:
        with self._lock:
            known = self._by_key.get(notification.idempotency_key)
            if known is not None:
                self.duplicates += 1
                return known
            scripted = self.answer(notification) if self.answer is not None else None
            if scripted is not None and not scripted.ok:
                self.attempts.append((notification, scripted))
                return scripted
            ts = f"rec-{len(self.notifications) + 1:06d}"
            result = DeliveryResult.sent(notification.channel, ts, requests=1, method="record")
            self.notifications.append(notification)
            self.attempts.append((notification, result))
            self._by_key[notification.idempotency_key] = result
            return result

    def by_kind(self, kind: str) -> list[Notification]:
        return [n for n in self.notifications if n.kind == kind]

    def to(self, channel: str) -> list[Notification]:
        return [n for n in self.notifications if n.channel == channel]


class ConsoleNotifier:
    """Prints each notification readably to ``stream`` (standard output if not given)."""

    def __init__(self, stream: TextIO | None = None, *, width: int = 72) -> None:
        self.stream = stream
        self.width = width
        self._count = 0

    def deliver(self, notification: Notification) -> DeliveryResult:
        out = self.stream if self.stream is not None else sys.stdout
        n = notification
        self._count += 1
        rule = "━" * self.width
        print(rule, file=out)
        print(f"{n.kind} → {n.channel}  (key {n.idempotency_key})", file=out)
        print(rule, file=out)
        print(blocks_to_text(n.blocks) if n.blocks else n.text, file=out)
        for name, path in n.attachments.items():
            print(f"[{name}: {path}]", file=out)
        print(file=out)
        return DeliveryResult.sent(n.channel, f"console-{self._count:06d}", method="console")


class RoutingNotifier:
    """E-mail notifications go to ``email``, everything else to ``chat`` (Slack)."""

    def __init__(self, chat: Notifier, email: Notifier) -> None:
        self.chat = chat
        self.email = email

    def deliver(self, notification: Notification) -> DeliveryResult:
        target = self.email if notification.kind == "email" else self.chat
        return target.deliver(notification)
