"""A token bucket in terms of ``now``: pure, so the outbox can persist and replay it.

>>> from datetime import datetime, timedelta, timezone
>>> t0 = datetime(2026, 3, 28, 19, 30, tzinfo=timezone.utc)
>>> bucket = TokenBucket(rate=1.0, burst=2)
>>> [bucket.try_take(t0) for _ in range(3)]
[True, True, False]
>>> bucket.ready_at(t0) - t0
datetime.timedelta(seconds=1)
>>> bucket.try_take(t0 + timedelta(seconds=1))
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from warning.clock import ensure_utc

__all__ = ["TokenBucket"]


@dataclass(slots=True)
class TokenBucket:
    """``rate`` tokens per second, at most ``burst`` saved up; starts full.

    Time only moves forward for the bucket: an earlier ``now`` than the last one
    seen counts as no time passing (a clock stepping back never creates tokens).
    """

    rate: float
    burst: float
    tokens: float = math.nan
    stamp: datetime | None = None

    def __post_init__(self) -> None:
        if math.isnan(self.tokens):
            self.tokens = float(self.burst)

    def level(self, now: datetime) -> float:
        """Tokens available at ``now`` (without taking any)."""
        if self.stamp is None:
            return min(float(self.burst), self.tokens)
        elapsed = max(0.0, (ensure_utc(now) - self.stamp).total_seconds())
        return min(float(self.burst), self.tokens + elapsed * self.rate)

    def _advance(self, now: datetime) -> None:
        now = ensure_utc(now)
        self.tokens = self.level(now)
        if self.stamp is None or now > self.stamp:
            self.stamp = now

    def try_take(self, now: datetime) -> bool:
        """Take one token if there is one at ``now``."""
        self._advance(now)
        if self.tokens >= 1.0 - 1e-9:
            self.tokens = max(0.0, self.tokens - 1.0)
            return True
        return False

    def ready_at(self, now: datetime) -> datetime:
        """The first instant (not before ``now``) at which a token is available."""
        missing = 1.0 - self.level(now)
        if missing <= 1e-9:
            return ensure_utc(now)
        base = max(ensure_utc(now), self.stamp) if self.stamp is not None else ensure_utc(now)
        return base + timedelta(seconds=missing / self.rate)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rate": self.rate,
            "burst": self.burst,
            "tokens": self.tokens,
            "stamp": None if self.stamp is None else self.stamp.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TokenBucket:
        stamp = data.get("stamp")
        return cls(
            rate=float(data["rate"]),
            burst=float(data["burst"]),
            tokens=float(data["tokens"]),
            stamp=None if stamp is None else datetime.fromisoformat(stamp),
        )
