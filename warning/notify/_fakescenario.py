"""Canned answers, request records and the per-channel rate gate of the fake Slack."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

__all__ = ["RateGate", "RecordedRequest", "Rule", "Scenario", "ScenarioKind"]

ScenarioKind = Literal[
    "ok",
    "http_429",
    "ratelimited",
    "message_limit_exceeded",
    "server_error",
    "slow",
    "error",
    "disconnect",
]


@dataclass(frozen=True, slots=True)
class Scenario:
    """One canned answer of the fake Slack for one request.

    ``ok`` means "answer normally" (the workspace state decides); the others answer
    the way Slack does when it is rate limiting, failing or slow.

    >>> Scenario.rate_limited(retry_after=3).kind
    'http_429'
    >>> Scenario.slow(0.5).delay
    0.5
    """

    kind: ScenarioKind
    retry_after: int | None = None
    status: int = 200
    delay: float = 0.0
    code: str | None = None  # the Slack error code answered
    then: Scenario | None = None  # what a slow answer turns into (default: normal answer)

    @classmethod
    def ok(cls) -> Scenario:
        """Answer normally."""
        return cls("ok")

    @classmethod
    def rate_limited(cls, retry_after: int = 1) -> Scenario:
        """HTTP 429 with a ``Retry-After`` header and ``{"ok": false, "error": "ratelimited"}``."""
        return cls("http_429", retry_after=retry_after, status=429, code="ratelimited")

    @classmethod
    def ratelimited_body(cls, retry_after: int | None = None) -> Scenario:
        """HTTP 200 with ``{"ok": false, "error": "ratelimited"}`` (header only if given)."""
        return cls("ratelimited", retry_after=retry_after, code="ratelimited")

    @classmethod
    def message_limit_exceeded(cls, retry_after: int | None = None) -> Scenario:
        """HTTP 200 with ``{"ok": false, "error": "message_limit_exceeded"}``."""
        return cls("message_limit_exceeded", retry_after=retry_after, code="message_limit_exceeded")

    @classmethod
    def server_error(cls, status: int = 500) -> Scenario:
        """An HTTP 5xx with a plain-text body, as a load balancer would send it."""
        return cls("server_error", status=status)

    @classmethod
    def slow(cls, seconds: float, then: Scenario | None = None) -> Scenario:
        """Wait ``seconds`` before answering (``then``, or normally)."""
        return cls("slow", delay=float(seconds), then=then)

    @classmethod
    def error(cls, code: str) -> Scenario:
        """HTTP 200 with ``{"ok": false, "error": code}``, e.g. ``channel_not_found``."""
        return cls("error", code=code)

    @classmethod
    def disconnect(cls) -> Scenario:
        """Close the connection without answering."""
        return cls("disconnect")


@dataclass(slots=True)
class RecordedRequest:
    """One request the fake received (API method or ``upload`` for the upload URL)."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    at: float  # time.monotonic() when it arrived
    wall: datetime  # aware UTC arrival time
    status: int | None = None  # HTTP status answered (None while in flight or dropped)
    error: str | None = None  # Slack error code answered, if any
    scenario: str | None = None  # the scripted scenario that answered, if any
    extra: dict[str, Any] = field(default_factory=dict)


#: A rule picks a scenario for a request (or ``None`` to answer normally).
Rule = Callable[[RecordedRequest], Scenario | None]


class RateGate:
    """A per-channel token bucket in real (monotonic) time, as Slack enforces posting.

    >>> gate = RateGate(rate=1.0, burst=1)
    >>> gate.admit("C1", now=10.0), gate.admit("C1", now=10.2), gate.admit("C1", now=11.0)
    (None, 1, None)
    """

    def __init__(self, rate: float, burst: int = 1) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def admit(self, channel: str, now: float) -> int | None:
        """``None`` if the message may go now, else the whole seconds to wait."""
        with self._lock:
            tokens, stamp = self._buckets.get(channel, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - stamp) * self.rate)
            if tokens >= 1.0:
                self._buckets[channel] = (tokens - 1.0, now)
                return None
            self._buckets[channel] = (tokens, now)
            return max(1, math.ceil((1.0 - tokens) / self.rate))

    def snapshot(self) -> Mapping[str, tuple[float, float]]:
        with self._lock:
            return dict(self._buckets)
