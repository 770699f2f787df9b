"""The heartbeat of the mention feeds: a dead feed is never mistaken for calm.

Every brand the service has seen has a seasonal expected volume per bucket (the
detector's baseline, as decided bucket by bucket). :class:`FeedWatch` follows the
run of empty buckets of each brand and sums what the baseline expected in them.
The feed counts as **silent** once the run lasts at least ``min_silence`` and
nothing arriving is implausible: ``P(0 mentions | Poisson(expected)) = exp(-expected)``
is below ``p``. A quiet Saturday night expects little, so a long gap there stays
plausible; a silent Monday afternoon trips within minutes. ``max_silence`` (off by
default) adds a fixed limit that ignores the expectation.

A silence raises one ``feed-silence`` alert (severity ``warning``, its own detector
name, so a playbook trigger ``when: detector == "feed-silence"`` routes it) and,
when a bucket with mentions closes again, one "feed back" event. Buckets decided
during the detector's warm-up do not count (the baseline knows nothing yet), and
neither do buckets in an hour of the week (in ``tz``) not seen at least a week
earlier: the first Saturday night after a start borrows its expectation from
working days, so it is not judged until a Saturday night has been seen.

>>> from datetime import datetime, timedelta, timezone
>>> from warning.detect import Decision
>>> watch = FeedWatch(FeedSilenceRule(p=1e-4, min_silence=timedelta(minutes=15)))
>>> watch.seen("acme", datetime(2026, 3, 23, 14, tzinfo=timezone.utc))  # a Monday a week ago
>>> t0 = datetime(2026, 3, 30, 14, tzinfo=timezone.utc)
>>> def bucket(i, volume, expected):
...     start = t0 + timedelta(minutes=5 * i)
...     return Decision(start, start + timedelta(minutes=5), volume, expected, 0.0, 0.0, "quiet")
>>> watch.observe("acme", bucket(0, 12.0, 10.0)), watch.observe("acme", bucket(1, 0.0, 10.0))
([], [])
>>> watch.observe("acme", bucket(2, 0.0, 10.0))
[]
>>> [e.kind for e in watch.observe("acme", bucket(3, 0.0, 10.0))]
['silent']
>>> watch.observe("acme", bucket(4, 0.0, 10.0)), watch.silent()
([], ['acme'])
>>> [(e.kind, e.silent_minutes) for e in watch.observe("acme", bucket(5, 3.0, 10.0))]
[('back', 20.0)]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from warning.detect import Decision
from warning.records import Alert, AlertMetrics, DetectorInfo, Severity, isoformat_utc

__all__ = ["FEED_SILENCE_DETECTOR", "FeedEvent", "FeedSilenceRule", "FeedWatch"]

#: The detector name of feed-silence alerts (what a playbook trigger matches on).
FEED_SILENCE_DETECTOR = "feed-silence"
_WEEK_AGO = timedelta(days=6)


@dataclass(frozen=True, slots=True)
class FeedSilenceRule:
    """When a run of empty buckets is a dead feed (see the module docstring)."""

    p: float = 1e-4
    min_silence: timedelta = timedelta(minutes=15)
    max_silence: timedelta | None = None

    def __post_init__(self) -> None:
        if not 0.0 < self.p < 1.0:
            raise ValueError(f"feed silence: p must be in (0, 1). Got {self.p!r} instead.")
        if self.min_silence <= timedelta(0):
            raise ValueError(
                f"feed silence: min_silence must be positive. Got {self.min_silence} instead."
            )
        if self.max_silence is not None and self.max_silence <= timedelta(0):
            raise ValueError(
                f"feed silence: max_silence must be positive. Got {self.max_silence} instead."
            )

    @property
    def expected_limit(self) -> float:
        """Summed expected volume above which zero mentions has probability below ``p``."""
        return -math.log(self.p)

    def params(self) -> dict[str, object]:
        return {
            "p": self.p,
            "min_silence": _minutes(self.min_silence),
            "max_silence": None if self.max_silence is None else _minutes(self.max_silence),
        }


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """A feed went silent (with its alert) or came back."""

    kind: Literal["silent", "back"]
    brand: str
    silent_since: datetime  # start of the first empty bucket
    at: datetime  # end of the bucket that decided it
    expected: float  # summed expected volume of the empty buckets so far
    alert: Alert | None = None

    @property
    def silent_minutes(self) -> float:
        return (self.at - self.silent_since).total_seconds() / 60.0

    def describe(self) -> str:
        """One log line."""
        span = f"{isoformat_utc(self.silent_since)} to {isoformat_utc(self.at)}"
        if self.kind == "silent":
            return (
                f"feed of {self.brand} silent since {isoformat_utc(self.silent_since)} "
                f"({self.silent_minutes:.0f} min, {self.expected:.1f} mentions expected)"
            )
        return f"feed of {self.brand} back: mentions arrive again (silent {span})"


@dataclass(slots=True)
class _Run:
    since: datetime | None = None
    last_end: datetime | None = None
    expected: float = 0.0
    alerted: bool = False
    buckets: int = 0


class FeedWatch:
    """Per-brand runs of empty buckets and the silence rule (see the module docstring)."""

    def __init__(self, rule: FeedSilenceRule | None = None, *, tz: str = "UTC") -> None:
        self.rule = rule or FeedSilenceRule()
        self.tz = tz
        self._zone = ZoneInfo(tz)
        self._runs: dict[str, _Run] = {}
        self._first_seen: dict[str, dict[int, datetime]] = {}

    def _slot(self, instant: datetime) -> int:
        local = instant.astimezone(self._zone)
        return local.weekday() * 24 + local.hour

    def seen(self, brand: str, bucket_start: datetime) -> None:
        """Remember that ``brand`` had a bucket decided in this hour of the week."""
        slots = self._first_seen.setdefault(brand, {})
        slots.setdefault(self._slot(bucket_start), bucket_start)

    def known(self, brand: str, bucket_start: datetime) -> bool:
        """Whether this hour of the week was seen at least six days before ``bucket_start``."""
        first = self._first_seen.get(brand, {}).get(self._slot(bucket_start))
        return first is not None and first <= bucket_start - _WEEK_AGO

    def observe(self, brand: str, decision: Decision) -> list[FeedEvent]:
        """Take one decided bucket of ``brand`` (in time order); returns what changed."""
        known = self.known(brand, decision.bucket_start)
        self.seen(brand, decision.bucket_start)
        run = self._runs.setdefault(brand, _Run())
        if decision.volume > 0:
            events = []
            if run.alerted and run.since is not None:
                events.append(
                    FeedEvent("back", brand, run.since, decision.bucket_start, run.expected)
                )
            self._runs[brand] = _Run()
            return events
        if decision.state == "warmup":
            return []
        if run.since is None:
            run.since = decision.bucket_start
        if known:
            run.expected += max(0.0, float(decision.expected_volume))
        run.buckets += 1
        run.last_end = decision.bucket_end
        if run.alerted:
            return []
        span = decision.bucket_end - run.since
        implausible = span >= self.rule.min_silence and run.expected > self.rule.expected_limit
        too_long = self.rule.max_silence is not None and span >= self.rule.max_silence
        if not (implausible or too_long):
            return []
        run.alerted = True
        alert = self._alert(brand, run.since, decision, run.expected)
        return [FeedEvent("silent", brand, run.since, decision.bucket_end, run.expected, alert)]

    def silent(self) -> list[str]:
        """Brands whose feed is silent now (alerted and not back)."""
        return sorted(b for b, r in self._runs.items() if r.alerted)

    def status(self) -> dict[str, dict[str, object]]:
        """Per silent brand: since when and how much was expected (for /healthz)."""
        return {
            b: {
                "silent_since": isoformat_utc(r.since) if r.since else None,
                "expected": round(r.expected, 2),
            }
            for b, r in sorted(self._runs.items())
            if r.alerted
        }

    def _alert(self, brand: str, since: datetime, decision: Decision, expected: float) -> Alert:
        p_zero = math.exp(-expected)
        minutes = (decision.bucket_end - since).total_seconds() / 60.0
        return Alert(
            brand=brand,
            fired_at=decision.bucket_end,
            bucket_start=decision.bucket_start,
            severity=Severity.WARNING,
            change_point_at=since,
            metrics=AlertMetrics(
                volume=0.0,
                expected_volume=expected,
                volume_ratio=0.0,
                negative_share=None,
                expected_negative_share=None,
                extra={"silent_minutes": minutes, "p_zero": p_zero},
            ),
            detector=DetectorInfo(FEED_SILENCE_DETECTOR, self.rule.params()),
            dedup_key=f"{brand}:{FEED_SILENCE_DETECTOR}:{isoformat_utc(since)}",
        )


def _minutes(delta: timedelta) -> float:
    return delta.total_seconds() / 60.0
