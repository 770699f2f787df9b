"""What a delivery attempt came to, and the one interface every deliverer has.

A deliverer (Slack, e-mail, the recording and console notifiers) never raises for
trouble on the far side and never sleeps: it answers with a :class:`DeliveryResult`,
and the outbox (:mod:`warning.notify.outbox`) decides what happens next.

>>> DeliveryResult.sent("C0CRISIS", "1711654200.000100").ok
True
>>> r = DeliveryResult.retry_after_seconds(30, error="ratelimited", http_status=429)
>>> (r.status.value, r.retry_after, r.retryable)
('retry_after', 30.0, True)
>>> DeliveryResult.permanent("channel_not_found").retryable
False
>>> DeliveryResult.transient("timeout").ambiguous
True
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from warning.records import Notification

__all__ = ["DeliveryResult", "DeliveryStatus", "Notifier"]


class DeliveryStatus(enum.Enum):
    """The four answers a delivery can get, plus ``not_found`` for a lookup."""

    SENT = "sent"  # delivered (or found already delivered); ``ts``/``channel`` say where
    RETRY_AFTER = "retry_after"  # rate limited: try again after ``retry_after`` seconds
    TRANSIENT = "transient"  # 5xx, timeout, connection trouble: back off and retry
    PERMANENT = "permanent"  # retrying will not help (``error`` is the far side's code)
    NOT_FOUND = "not_found"  # a lookup by idempotency key found nothing


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """The outcome of one delivery attempt (or one lookup).

    ``error`` is the far side's own code (Slack's ``channel_not_found``, an SMTP
    reply code, ``timeout``); ``method`` names the call that produced it;
    ``requests`` counts the HTTP/SMTP round trips the attempt made.
    """

    status: DeliveryStatus
    channel: str | None = None
    ts: str | None = None
    retry_after: float | None = None
    error: str | None = None
    http_status: int | None = None
    method: str | None = None
    detail: str = ""
    requests: int = 0
    file_id: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the message is (now or already) at its destination."""
        return self.status is DeliveryStatus.SENT

    @property
    def retryable(self) -> bool:
        """True for rate limits and transient trouble."""
        return self.status in (DeliveryStatus.RETRY_AFTER, DeliveryStatus.TRANSIENT)

    @property
    def ambiguous(self) -> bool:
        """True when the request may have reached the far side anyway (timeout, dropped
        connection, 5xx): the next attempt must first look for it (reconcile)."""
        if self.status is not DeliveryStatus.TRANSIENT:
            return False
        return self.error in ("timeout", "connection_error") or (self.http_status or 0) >= 500

    @classmethod
    def sent(
        cls, channel: str | None, ts: str | None, *, requests: int = 0, method: str | None = None
    ) -> DeliveryResult:
        return cls(DeliveryStatus.SENT, channel=channel, ts=ts, requests=requests, method=method)

    @classmethod
    def retry_after_seconds(
        cls,
        seconds: float,
        *,
        error: str = "ratelimited",
        http_status: int | None = None,
        method: str | None = None,
        requests: int = 0,
    ) -> DeliveryResult:
        return cls(
            DeliveryStatus.RETRY_AFTER,
            retry_after=float(seconds),
            error=error,
            http_status=http_status,
            method=method,
            requests=requests,
        )

    @classmethod
    def transient(
        cls,
        error: str,
        *,
        http_status: int | None = None,
        method: str | None = None,
        detail: str = "",
        requests: int = 0,
    ) -> DeliveryResult:
        return cls(
            DeliveryStatus.TRANSIENT, None, None, None, error, http_status, method, detail, requests
        )

    @classmethod
    def permanent(
        cls,
        error: str,
        *,
        http_status: int | None = None,
        method: str | None = None,
        detail: str = "",
        requests: int = 0,
    ) -> DeliveryResult:
        return cls(
            DeliveryStatus.PERMANENT, None, None, None, error, http_status, method, detail, requests
        )

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view, e.g. for the audit log."""
        out: dict[str, object] = {"status": self.status.value}
        for name in ("channel", "ts", "retry_after", "error", "http_status", "method", "file_id"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.detail:
            out["detail"] = self.detail
        out["requests"] = self.requests
        if self.extra:
            out["extra"] = dict(self.extra)
        return out


@runtime_checkable
class Notifier(Protocol):
    """Anything that can take a :class:`~warning.records.Notification` somewhere."""

    def deliver(self, notification: Notification) -> DeliveryResult:
        """Try once; answer with what happened (never raise for far-side trouble)."""
        ...
