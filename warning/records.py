"""Typed records passed between the stages, never loose dicts.

The flow is ``Mention → ScoredMention → series frame → ChangePoint → Alert``
(later ``Page → Notification`` and ``Ack`` flowing back). Records are frozen
dataclasses; bulk data travels as pandas frames with the fixed column schemas
declared here (:data:`MENTION_COLUMNS`, :data:`SERIES_COLUMNS`).

>>> from datetime import datetime, timezone
>>> m = Mention(id="1", timestamp=datetime(2026, 3, 28, 19, 31, tzinfo=timezone.utc),
...             text="Nie wieder! #boykott", brand="acme")
>>> s = ScoredMention(mention=m, negativity=0.93, source="model")
>>> s.is_negative
True
>>> Severity.WATCH < Severity.WARNING < Severity.CRITICAL
True
>>> Severity.parse("critical").value
'critical'
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

__all__ = [
    "MENTION_COLUMNS",
    "MENTION_KINDS",
    "NEGATIVE_THRESHOLD",
    "SERIES_COLUMNS",
    "Ack",
    "AckAction",
    "Alert",
    "AlertMetrics",
    "ChangePoint",
    "DetectorInfo",
    "Drivers",
    "Mention",
    "MentionKind",
    "Notification",
    "NotificationKind",
    "Page",
    "ScoredMention",
    "Severity",
    "isoformat_utc",
]

#: A mention whose negativity is at least this counts as negative in the series.
NEGATIVE_THRESHOLD = 0.5

MentionKind = Literal["post", "repost", "reply", "quote"]
MENTION_KINDS: tuple[str, ...] = ("post", "repost", "reply", "quote")

#: Column schema of a mention frame (ingest output, score input). ``timestamp`` is
#: ``datetime64[ns, UTC]``; optional columns are present and null when unknown.
MENTION_COLUMNS: dict[str, str] = {
    "id": "string",
    "timestamp": "datetime64[ns, UTC]",
    "text": "string",
    "brand": "string",
    "author": "string",
    "platform": "string",
    "lang": "string",
    "reach": "Int64",
    "kind": "string",
    "url": "string",
    "sentiment": "Float64",
}

#: Column schema of a per-brand series frame: index ``bucket_start``
#: (``DatetimeIndex``, UTC, fixed frequency, no gaps; empty buckets are 0).
#: Per-platform counts follow as extra columns named ``platform:<name>``.
#: Columns that a volume-only series cannot know (everything but ``volume``)
#: are NaN there, never invented.
SERIES_COLUMNS: dict[str, str] = {
    "volume": "float64",  # mentions in the bucket
    "negative": "float64",  # mentions with negativity >= NEGATIVE_THRESHOLD
    "negative_share": "float64",  # negative / volume (NaN when volume is 0)
    "authors": "float64",  # unique authors
    "new_authors": "float64",  # authors not seen for this brand in the last 30 days
    "reach": "float64",  # summed followers of the authors
    "reposts": "float64",
    "quotes": "float64",
    "repost_share": "float64",  # (reposts) / volume
    "quote_share": "float64",  # (quotes) / volume
}


def isoformat_utc(instant: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``, the one format of every output file.

    >>> from datetime import timezone, timedelta
    >>> isoformat_utc(datetime(2026, 3, 28, 21, 30, tzinfo=timezone(timedelta(hours=1))))
    '2026-03-28T20:30:00Z'
    """
    if instant.tzinfo is None:
        raise ValueError(f"isoformat_utc needs an aware datetime. Got {instant!r} instead.")
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


class Severity(enum.Enum):
    """How bad it is: ``watch`` < ``warning`` < ``critical``."""

    WATCH = "watch"
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self.value]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        if isinstance(value, Severity):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise ValueError(f"Severity must be one of {names}. Got {value!r} instead.") from None


_SEVERITY_RANK = {"watch": 0, "warning": 1, "critical": 2}


@dataclass(frozen=True, slots=True)
class Mention:
    """One brand mention as ingested (DESIGN.md §4.2). ``timestamp`` is UTC."""

    id: str
    timestamp: datetime
    text: str
    brand: str | None = None
    author: str | None = None
    platform: str | None = None
    lang: str | None = None
    reach: int | None = None
    kind: str | None = None
    url: str | None = None
    sentiment: float | None = None


@dataclass(frozen=True, slots=True)
class ScoredMention:
    """A mention with its negativity in [0, 1] and where that number came from."""

    mention: Mention
    negativity: float
    source: Literal["model", "upstream"] = "model"

    @property
    def is_negative(self) -> bool:
        return self.negativity >= NEGATIVE_THRESHOLD


@dataclass(frozen=True, slots=True)
class ChangePoint:
    """A change in a brand's series found by a detector.

    ``at`` is the first bucket of the new regime; ``detected_at`` the end of the
    bucket whose data revealed it (so ``detected_at - at`` is the honest delay).
    """

    brand: str
    at: datetime
    detected_at: datetime
    magnitude: float
    detector: str


@dataclass(frozen=True, slots=True)
class AlertMetrics:
    """The numbers behind an alert, always against the seasonal baseline."""

    volume: float
    expected_volume: float
    volume_ratio: float
    negative_share: float | None
    expected_negative_share: float | None
    extra: Mapping[str, float | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "volume": self.volume,
            "expected_volume": self.expected_volume,
            "volume_ratio": self.volume_ratio,
            "negative_share": self.negative_share,
            "expected_negative_share": self.expected_negative_share,
        }
        out.update(self.extra)
        return out


@dataclass(frozen=True, slots=True)
class Drivers:
    """Why it is happening, where mentions are available."""

    top_terms: tuple[str, ...] = ()
    top_negative_posts: tuple[Mapping[str, Any], ...] = ()
    top_authors: tuple[Mapping[str, Any], ...] = ()
    platforms: Mapping[str, int] = field(default_factory=dict)
    new_author_share: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "top_terms": list(self.top_terms),
            "top_negative_posts": [dict(p) for p in self.top_negative_posts],
            "top_authors": [dict(a) for a in self.top_authors],
            "platforms": dict(self.platforms),
            "new_author_share": self.new_author_share,
        }


@dataclass(frozen=True, slots=True)
class DetectorInfo:
    """Which detector fired, with the parameters it ran with."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert line of the output contract (DESIGN.md §4.3)."""

    brand: str
    fired_at: datetime
    bucket_start: datetime
    severity: Severity
    change_point_at: datetime | None
    metrics: AlertMetrics
    detector: DetectorInfo
    dedup_key: str
    drivers: Drivers | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "brand": self.brand,
            "fired_at": isoformat_utc(self.fired_at),
            "bucket_start": isoformat_utc(self.bucket_start),
            "severity": self.severity.value,
            "change_point_at": (
                isoformat_utc(self.change_point_at) if self.change_point_at else None
            ),
            "metrics": self.metrics.to_dict(),
            "drivers": self.drivers.to_dict() if self.drivers else None,
            "detector": {"name": self.detector.name, "params": dict(self.detector.params)},
            "dedup_key": self.dedup_key,
        }

    def to_json(self) -> str:
        """One JSON Lines row."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=False)


@dataclass(frozen=True, slots=True)
class Page:
    """A decision to reach one person (or channel) at one escalation level of a crisis.

    ``idempotency_key`` is unique per crisis, level, repeat and target: delivering a page
    twice under the same key is a duplicate, never a second page.
    """

    crisis_id: str
    level: int
    repeat: int
    target: str  # person id, or "#channel" for a channel step
    due_at: datetime
    idempotency_key: str
    reason: str = ""


NotificationKind = Literal["page_dm", "channel_post", "update", "thread_reply", "email", "fyi"]


@dataclass(frozen=True, slots=True)
class Notification:
    """One message for the outbox. Lower ``priority`` goes first (pages before FYI posts)."""

    idempotency_key: str
    kind: NotificationKind
    channel: str  # Slack user id, channel id or e-mail address
    text: str
    priority: int = 10
    crisis_id: str | None = None
    blocks: tuple[Mapping[str, Any], ...] = ()
    thread_of: str | None = None  # idempotency key of the parent message
    attachments: Mapping[str, str] = field(default_factory=dict)  # e.g. {"chart": "/path.png"}


AckAction = Literal[
    "acknowledge", "escalate", "resolve", "false_alarm", "checklist_done", "approve_statement"
]


@dataclass(frozen=True, slots=True)
class Ack:
    """A human answer flowing back (button press, slash command), already verified."""

    crisis_id: str
    action: AckAction
    person: str | None  # known person id, None if the Slack user is unknown
    slack_user: str
    at: datetime
    promise_until: datetime | None = None  # "next update by 21:15"
    item: str | None = None  # checklist item or statement id for those actions
    request_id: str | None = None  # for de-duplicating Slack retries
