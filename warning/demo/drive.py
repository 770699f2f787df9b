"""One simulated clock for the whole demo: mentions, detection and the escalation runtime.

The mentions are handed out in time order, every bucket is decided when it has
closed by the :class:`~warning.pipeline.DetectionPipeline` (the code that replay
and live operation share), and each alert goes to the durable
:class:`~warning.escalate.Escalator`. Between two bucket ends the clock stops at
every instant the runtime has work: a timer falling due (the next level when
nobody acknowledged), an outbox item allowed to go (Slack's per-channel pace, a
``Retry-After``), or a scheduled human action. Nothing sleeps, except that against
a real Slack workspace the outbox waits (``pace``) are also waited in wall time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pandas as pd

from warning.clock import SimulatedClock
from warning.detect import Bucket, Decision, buckets_from_frame, decisions_frame
from warning.errors import StoreError
from warning.escalate.escalator import Escalator
from warning.escalate.lifecycle import AlertOutcome
from warning.pipeline import DetectionPipeline
from warning.records import Alert, ChangePoint

__all__ = ["Detection", "EscalationLoop", "MentionFeed", "run_stream"]

#: Wait for a channel's next token when the outbox holds items without a retry instant.
_TOKEN_WAIT = timedelta(seconds=1)
#: At most this many passes of the runtime at one instant (a guard, never reached).
_MAX_PASSES = 200


class MentionFeed:
    """Scored mentions handed out in time order, never one from after the instant asked.

    >>> from datetime import datetime, timezone
    >>> frame = pd.DataFrame({"timestamp": pd.to_datetime(
    ...     ["2026-03-28T19:03:00Z", "2026-03-28T19:01:00Z"], utc=True), "text": ["b", "a"]})
    >>> feed = MentionFeed(frame)
    >>> list(feed.until(datetime(2026, 3, 28, 19, 2, tzinfo=timezone.utc))["text"])
    ['a']
    >>> feed.until(datetime(2026, 3, 28, 19, 2, tzinfo=timezone.utc)) is None
    True
    """

    def __init__(self, mentions: pd.DataFrame) -> None:
        ts = pd.to_datetime(mentions["timestamp"], utc=True)
        order = ts.argsort(kind="stable").to_numpy()
        self.frame = mentions.iloc[order].reset_index(drop=True)
        self._ns = ts.iloc[order].to_numpy(dtype="datetime64[ns]").astype("int64")
        self._pos = 0

    @property
    def first(self) -> pd.Timestamp:
        return pd.Timestamp(int(self._ns[0]), tz="UTC")

    @property
    def last(self) -> pd.Timestamp:
        return pd.Timestamp(int(self._ns[-1]), tz="UTC")

    def until(self, end: datetime) -> pd.DataFrame | None:
        """The mentions before ``end`` not handed out yet (``None`` when there are none)."""
        stop = int(self._ns.searchsorted(pd.Timestamp(end).value, side="left"))
        if stop <= self._pos:
            return None
        chunk = self.frame.iloc[self._pos : stop]
        self._pos = stop
        return chunk


@dataclass(frozen=True, slots=True)
class _Action:
    at: datetime
    name: str
    run: Callable[[], object]


class EscalationLoop:
    """Runs the escalation runtime on a simulated clock up to the instants it is asked to.

    ``pace`` (a real Slack workspace) is called with the seconds the outbox waits
    for Slack's pace, so that those waits also pass in wall time.
    """

    def __init__(
        self,
        escalator: Escalator,
        clock: SimulatedClock,
        *,
        pace: Callable[[float], None] | None = None,
    ) -> None:
        self.escalator = escalator
        self.clock = clock
        self.pace = pace
        self.actions: list[_Action] = []
        self._timer_due: datetime | None = None
        self._outbox_wake: datetime | None = None
        self.passes = 0
        self._refresh()

    def schedule(self, at: datetime, name: str, run: Callable[[], object]) -> None:
        """Run ``run`` when the clock reaches ``at`` (a human action, a follow-up)."""
        self.actions.append(_Action(at, name, run))
        self.actions.sort(key=lambda a: a.at)

    def on_alert(self, alert: Alert) -> AlertOutcome:
        """Hand ``alert`` to the runtime now and do what falls due at once."""
        outcome = self.escalator.on_alert(alert)
        self.work()
        return outcome

    def work(self) -> None:
        """Fire due timers and drain the outbox until nothing more can happen now."""
        for _ in range(_MAX_PASSES):
            self.passes += 1
            if not self.escalator.run_once():
                break
        self._refresh()

    def _refresh(self) -> None:
        self._timer_due = self.escalator.next_due()
        now = self.clock.now()
        wake: datetime | None = None
        with self.escalator.store.read() as tx:
            for item in tx.outbox(status="pending"):
                at = item.not_before if item.not_before and item.not_before > now else None
                at = at or now + _TOKEN_WAIT
                wake = at if wake is None else min(wake, at)
        self._outbox_wake = wake

    def advance_to(self, target: datetime) -> None:
        """Move the clock to ``target``, stopping wherever the runtime has work."""
        stuck = 0
        while True:
            now = self.clock.now()
            due = [t for t in (self._timer_due, self._outbox_wake) if t is not None]
            if self.actions:
                due.append(self.actions[0].at)
            nxt = max(min(due), now) if due else None
            if nxt is None or nxt > target:
                break
            stuck = stuck + 1 if nxt == now else 0
            if stuck > _MAX_PASSES:
                raise StoreError(
                    f"demo: the escalation runtime keeps reporting work due at {now.isoformat()} "
                    "without doing it."
                )
            if nxt > now:
                if self.pace is not None and nxt == self._outbox_wake:
                    self.pace((nxt - now).total_seconds())
                self.clock.set(nxt)
            while self.actions and self.actions[0].at <= self.clock.now():
                self.actions.pop(0).run()
            self.work()
        if target > self.clock.now():
            self.clock.set(target)

    def finish(self, *, limit: timedelta = timedelta(hours=1)) -> None:
        """Run the scheduled actions, then let the outbox empty (within ``limit``)."""
        while self.actions:
            self.advance_to(max(self.actions[0].at, self.clock.now()))
        end = self.clock.now() + limit
        while self._outbox_wake is not None and self._outbox_wake <= end:
            self.advance_to(self._outbox_wake)


@dataclass
class Detection:
    """What the live detection produced along the way."""

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    decisions: dict[str, list[Decision]] = field(default_factory=dict)
    alerts: list[Alert] = field(default_factory=list)
    change_points: list[ChangePoint] = field(default_factory=list)
    outcomes: list[AlertOutcome | None] = field(default_factory=list)
    buckets: int = 0

    def frame(self, brand: str) -> pd.DataFrame:
        """The brand's series with the detector's view of every bucket (for the chart)."""
        return decisions_frame(self.frames[brand], self.decisions[brand])

    def so_far(self, brand: str) -> pd.DataFrame:
        """The brand's series up to the last decided bucket (what was known at that time)."""
        decided = self.decisions[brand]
        return decisions_frame(self.frames[brand].iloc[: len(decided)], decided)


def _by_end(
    frames: dict[str, pd.DataFrame], step: timedelta
) -> list[tuple[datetime, list[tuple[str, Bucket]]]]:
    """Every brand's buckets grouped by the instant they close, in time order."""
    grouped: dict[datetime, list[tuple[str, Bucket]]] = {}
    for brand in sorted(frames):
        for bucket in buckets_from_frame(frames[brand]):
            grouped.setdefault(bucket.start + step, []).append((brand, bucket))
    return sorted(grouped.items(), key=lambda item: item[0])


def run_stream(
    feed: MentionFeed,
    pipeline: DetectionPipeline,
    loop: EscalationLoop,
    *,
    on_alert: Callable[[Alert], AlertOutcome | None],
    out: Detection | None = None,
) -> Detection:
    """Replay ``feed`` bucket by bucket on ``loop``'s clock; alerts go to ``on_alert``.

    The mentions are bucketed as replay does (:func:`warning.series.bucket_mentions`;
    the live :class:`~warning.series.SeriesBuilder` yields the same buckets bit for
    bit). At each bucket's end the clock first runs the escalation up to that
    instant, then the mentions of the bucket reach the pipeline (for the alert's
    drivers) and the bucket is decided, exactly as :func:`warning.replay.replay` does.
    ``out`` (optional) is filled as the replay goes, so that ``on_alert`` can read
    the series known so far (the evidence chart of a page).
    """
    from warning.series import bucket_mentions

    step = pipeline.step_
    out = out if out is not None else Detection()
    out.frames = dict(bucket_mentions(feed.frame, freq=step))
    out.decisions = {brand: [] for brand in out.frames}
    for end, group in _by_end(out.frames, step):
        if end < loop.clock.now():
            continue  # the clock starts at the first mention's bucket
        loop.advance_to(end)
        batch = feed.until(end)
        if batch is not None:
            pipeline.add_mentions(batch)
        result = pipeline.tick(loop.clock, group)
        out.buckets += len(group)
        for brand, decision in result.decisions:
            out.decisions[brand].append(decision)
        out.change_points.extend(result.change_points)
        for alert in result.alerts:
            out.alerts.append(alert)
            out.outcomes.append(on_alert(alert))
    return out
