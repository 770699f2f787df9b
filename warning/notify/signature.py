"""Verify that a request really comes from Slack, before anything reads its body.

Slack signs ``v0:{timestamp}:{raw body}`` with HMAC-SHA256 and the app's signing
secret. A request passes only with both headers present, a timestamp within five
minutes of ``now`` (either side: an old request may be a replay, a future one is
forged) and a signature equal under :func:`hmac.compare_digest`. Only a passing
request becomes a :class:`VerifiedRequest`, the one type the parsers accept.

>>> from datetime import datetime, timezone
>>> now = datetime(2026, 3, 28, 19, 41, tzinfo=timezone.utc)
>>> v = SlackRequestVerifier("8f742231b10e8888abcd99yyyzzz85a5")
>>> body = b"payload=%7B%7D"
>>> headers = v.sign_headers(body, now)
>>> isinstance(v.verify(headers, body, now), VerifiedRequest)
True
>>> v.verify(headers, body + b"x", now).reason
'bad_signature'
>>> v.verify({}, body, now).reason
'missing_headers'
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from warning.clock import ensure_utc
from warning.errors import ConfigError

__all__ = ["Rejection", "RejectionReason", "SlackRequestVerifier", "VerifiedRequest"]

TIMESTAMP_HEADER = "x-slack-request-timestamp"
SIGNATURE_HEADER = "x-slack-signature"

RejectionReason = Literal[
    "missing_headers", "malformed_timestamp", "stale_timestamp", "future_timestamp", "bad_signature"
]


@dataclass(frozen=True, slots=True)
class VerifiedRequest:
    """A request whose signature and timestamp checked out (headers lower-cased)."""

    body: bytes
    headers: Mapping[str, str]
    timestamp: int
    received_at: datetime

    @property
    def retry_num(self) -> int:
        """Slack's ``X-Slack-Retry-Num`` (0 for a first delivery)."""
        try:
            return int(self.headers.get("x-slack-retry-num", "0"))
        except ValueError:
            return 0


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why a request was refused (answer HTTP 401 and do not read the body)."""

    reason: RejectionReason
    detail: str = ""


class SlackRequestVerifier:
    """Checks Slack's request signature with the signing secret.

    ``window`` is the tolerated distance in seconds between the request timestamp
    and ``now`` (Slack recommends five minutes).
    """

    def __init__(self, signing_secret: str, *, window: float = 300.0) -> None:
        if not signing_secret or not signing_secret.strip():
            raise ConfigError(
                "The 'signing_secret' parameter of SlackRequestVerifier must be set "
                "(SHITSTORM_SLACK_SIGNING_SECRET). Got an empty value instead."
            )
        self._secret = signing_secret.encode("utf-8")
        self.window = window

    def __repr__(self) -> str:
        return f"SlackRequestVerifier(signing_secret='***', window={self.window})"

    def signature(self, body: bytes, timestamp: str) -> str:
        """``v0=<hex>`` for ``body`` sent at ``timestamp`` (epoch seconds as text)."""
        base = b"v0:" + timestamp.encode("ascii") + b":" + body
        return "v0=" + hmac.new(self._secret, base, hashlib.sha256).hexdigest()

    def sign_headers(self, body: bytes, now: datetime) -> dict[str, str]:
        """The two headers Slack would send with ``body`` at ``now`` (for tests, the demo)."""
        ts = str(int(ensure_utc(now).timestamp()))
        return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": self.signature(body, ts)}

    def verify(
        self, headers: Mapping[str, str], body: bytes, now: datetime
    ) -> VerifiedRequest | Rejection:
        """A :class:`VerifiedRequest`, or the :class:`Rejection` that says why not."""
        lowered = {k.lower(): v for k, v in headers.items()}
        raw_ts = lowered.get(TIMESTAMP_HEADER)
        given = lowered.get(SIGNATURE_HEADER)
        if not raw_ts or not given:
            return Rejection("missing_headers", "X-Slack-Request-Timestamp and X-Slack-Signature")
        try:
            stamp = int(raw_ts.strip())
        except ValueError:
            return Rejection("malformed_timestamp", raw_ts[:40])
        skew = stamp - ensure_utc(now).timestamp()
        if skew < -self.window:
            return Rejection("stale_timestamp", f"{-skew:.0f} s old")
        if skew > self.window:
            return Rejection("future_timestamp", f"{skew:.0f} s ahead")
        expected = self.signature(body, raw_ts.strip())
        if not hmac.compare_digest(expected.encode("ascii"), given.strip().encode("utf-8")):
            return Rejection("bad_signature")
        return VerifiedRequest(body, lowered, stamp, ensure_utc(now))
