"""The live runtime behind ``shitstorm serve``: mentions in, decisions on the clock, pages out.

:class:`LiveRuntime` owns one worker thread. Each pass it

1. takes a batch of validated mentions from the :class:`~warning.service.queue.MentionQueue`,
   scores them with the shipped model (loaded once; an upstream ``sentiment`` is
   honoured) and adds them to the per-brand buckets of a
   :class:`~warning.series.SeriesBuilder` (the same bucketing as replay);
2. closes every bucket the **clock** says is complete (``end + allowed_lateness <= now``),
   whether mentions arrived or not, so a quiet brand still gets its zero bucket, and
   decides them with the same :class:`~warning.pipeline.DetectionPipeline` replay uses
   (so live = replay, bucket by bucket). A mention for a bucket already decided is
   counted as late and never re-decided;
3. hands new alerts to :meth:`Escalator.on_alert <warning.escalate.Escalator.on_alert>`,
   watches every feed for silence (:mod:`warning.service.feeds`), then runs one
   escalator pass (due timers, outbox) and, every ``recover_every``, reconciles sends
   that dead workers left in flight;
4. reloads playbooks and the detector configuration on SIGHUP (:meth:`request_reload`) or
   when a file's mtime changes: a set that fails validation is never installed, the
   last good set stays live, each problem is logged as one line, the failure is counted
   and ``/healthz`` says ``degraded`` with the reason. Open crises keep the playbook
   version snapshotted when they opened.

:meth:`LiveRuntime.shutdown` (SIGTERM, SIGINT) closes the queue (ingest answers 503),
drains it into the pipeline, decides the buckets that are closed, runs one last
escalator pass, spools every mention not yet decided to ``spool.jsonl`` in the state
directory (re-read on the next start), unregisters the worker and disposes the store.
"""

from __future__ import annotations

import json
import logging
import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from warning.clock import Clock
from warning.detect import Bucket, Decision, SeasonalStormDetector
from warning.detect.config import DetectionConfig
from warning.errors import ConfigError, ShitstormError
from warning.escalate.escalator import Escalator
from warning.pipeline import DetectionPipeline
from warning.pipeline import load_config as load_detection_config
from warning.playbook.compiled import Config
from warning.records import MENTION_COLUMNS, Alert, Notification, isoformat_utc
from warning.series import SeriesBuilder
from warning.series.common import bucket_ns
from warning.service.feeds import FEED_SILENCE_DETECTOR, FeedEvent, FeedSilenceRule, FeedWatch
from warning.service.history import BucketHistory
from warning.service.metrics import Metrics
from warning.service.queue import MentionQueue, to_mention_frame
from warning.store.db import Store

__all__ = ["ConfigSources", "LiveRuntime", "RuntimeOptions", "mention_frame"]

log = logging.getLogger("warning.service.runtime")

SPOOL_NAME = "spool.jsonl"


class _Scorer(Protocol):
    def score_frame(self, frame: pd.DataFrame) -> pd.Series: ...


@dataclass(frozen=True, slots=True)
class RuntimeOptions:
    """How the worker runs (every duration except ``poll`` and ``reload_every`` is clock time)."""

    freq: str = "5min"
    allowed_lateness: timedelta = timedelta(minutes=2)
    batch: int = 5000  # mentions taken from the queue per pass at most
    poll: float = 0.25  # wall seconds the worker waits for mentions per pass at most
    escalate_every: timedelta = timedelta(seconds=0)  # clock time between escalator passes
    recover_every: timedelta = timedelta(minutes=1)
    reload_every: float | None = 5.0  # wall seconds between mtime checks (None: SIGHUP only)
    history: timedelta = timedelta(days=14)  # buckets kept per brand to re-warm detectors
    chart_span: timedelta = timedelta(hours=12)  # how far back the evidence charts look
    feed_rule: FeedSilenceRule = field(default_factory=FeedSilenceRule)
    drivers: bool = True
    max_alerts: int = 1000  # recent alerts kept in memory (health, tests)


@dataclass(frozen=True, slots=True)
class ConfigSources:
    """Where the live configuration comes from (watched for changes)."""

    playbooks: Path
    detector: Path | None = None

    def files(self) -> list[Path]:
        from warning.playbook.config import config_files

        found = config_files(self.playbooks) if self.playbooks.is_dir() else [self.playbooks]
        return [*found, *([self.detector] if self.detector is not None else [])]

    def stamp(self) -> tuple[tuple[str, int, int], ...]:
        """Names, mtimes and sizes of every watched file (a change means: reload)."""
        out = []
        for path in self.files():
            try:
                st = path.stat()
            except OSError:
                out.append((str(path), -1, -1))
                continue
            out.append((str(path), st.st_mtime_ns, st.st_size))
        if self.playbooks.is_dir():  # a new or deleted file changes the directory
            try:
                out.append((str(self.playbooks), self.playbooks.stat().st_mtime_ns, 0))
            except OSError:
                out.append((str(self.playbooks), -1, -1))
        return tuple(out)


def mention_frame(items: Iterable[Any]) -> pd.DataFrame:
    """One mention frame (MENTION_COLUMNS) from queue items: frames, ``Mention`` records, dicts.

    >>> frame = mention_frame([{"id": "1", "timestamp": "2026-03-28T19:31:00+01:00",
    ...                         "text": "Nie wieder!", "brand": "acme", "sentiment": -0.8}])
    >>> frame.loc[0, "timestamp"].isoformat(), float(frame.loc[0, "sentiment"])
    ('2026-03-28T18:31:00+00:00', -0.8)
    """
    frames: list[pd.DataFrame] = []
    rows: list[Any] = []
    for item in items:
        (frames if isinstance(item, pd.DataFrame) else rows).append(item)
    if rows:
        frames.append(to_mention_frame(rows))
    if not frames:
        return to_mention_frame([])
    typed = all(_is_typed(f) for f in frames)
    if not typed:
        frames = [f if _is_typed(f) else to_mention_frame(f) for f in frames]
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


_COLUMNS = list(MENTION_COLUMNS)


def _is_typed(frame: pd.DataFrame) -> bool:
    """Already a queue frame: exactly the mention columns with their dtypes."""
    if list(frame.columns) != _COLUMNS:
        return False
    return all(str(frame[c].dtype) == t for c, t in MENTION_COLUMNS.items())


@dataclass(slots=True)
class _Loaded:
    playbooks: Config
    version: str
    detection: DetectionConfig
    detection_key: str
    stamp: tuple[tuple[str, int, int], ...]


class LiveRuntime:
    """The live loop (see the module docstring); implements ``ServiceRuntime``.

    ``escalator`` may be ``None`` (detection only: alerts are kept in :attr:`alerts`).
    ``detection`` is the detector configuration when no ``sources`` are given.
    ``scorer`` replaces the shipped negativity model (anything with ``score_frame``).
    ``state_dir`` holds the spool of undecided mentions across restarts.
    """

    def __init__(
        self,
        *,
        queue: MentionQueue,
        metrics: Metrics,
        store: Store,
        escalator: Escalator,
        clock: Clock,
        tz: str | None = None,
        sources: ConfigSources | None = None,
        detection: DetectionConfig | None = None,
        scorer: _Scorer | None = None,
        state_dir: str | Path | None = None,
        options: RuntimeOptions | None = None,
    ) -> None:
        self.queue = queue
        self.metrics = metrics
        self.store = store
        self.escalator = escalator
        self.clock = clock
        self.options = options or RuntimeOptions()
        self.sources = sources
        self.state_dir = None if state_dir is None else Path(state_dir)
        self.tz = tz or escalator.tz
        if scorer is None:
            from warning.score import load_model

            scorer = load_model()
        self.scorer = scorer
        opts = self.options
        self._step_ns = bucket_ns(opts.freq)
        self._history_len = max(1, int(pd.Timedelta(opts.history).value // self._step_ns))
        self._loaded: _Loaded | None = None
        if sources is not None:
            loaded = self._load(sources)  # the first load must succeed: raise otherwise
            detection = loaded.detection
            escalator.config = loaded.playbooks
            escalator.playbook_version = loaded.version
            self._loaded = loaded
        self.builder = SeriesBuilder(opts.freq, allowed_lateness=opts.allowed_lateness)
        self.pipeline = DetectionPipeline(detection, freq=opts.freq, drivers=opts.drivers)
        self.feeds = FeedWatch(opts.feed_rule, tz=self.tz)
        self.alerts: deque[Alert] = deque(maxlen=opts.max_alerts)
        # per brand: the kept buckets and what the detector expected of each (charts, re-warm)
        self._history: dict[str, BucketHistory] = {}
        self._undecided: deque[tuple[int, pd.DataFrame]] = deque()  # (last bucket ns, rows)
        self._unsent: list[Alert] = []  # alerts the escalator has not taken yet
        self._feed_crisis: dict[str, str] = {}
        self._last_end: datetime | None = None
        self._last_escalate: datetime | None = None
        self._last_recover: datetime | None = None
        self._last_reload_check = time.monotonic()
        self._reload_requested = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._problems: dict[str, str] = {}
        self._config_problems: list[str] = []
        self._shut = False
        self._metrics_lock = threading.Lock()
        self._seen_sent: dict[str, int] = {}
        self._seen_errors: dict[str, int] = {}
        self.late_mentions = 0
        self.decided_buckets = 0
        if self._loaded is not None:
            self._set_version_metric(self._loaded.version)

    # ------------------------------------------------------------------ ServiceRuntime
    def playbooks(self) -> Config:
        """The playbook configuration that is live (the last good one)."""
        return self.escalator.config

    @property
    def playbook_version(self) -> str:
        return self.escalator.playbook_version

    def detector_lag(self) -> float | None:
        """Seconds from the end of the last decided bucket to now (``None`` before any)."""
        if self._last_end is None:
            return None
        return (self.clock.now() - self._last_end).total_seconds()

    def health(self) -> dict[str, Any]:
        """``status`` ok or degraded, with one entry per check and the reasons."""
        reasons: list[str] = []
        worker_ok = self._thread is None or self._thread.is_alive() or self._shut
        if not worker_ok:
            reasons.append("the runtime worker is not running")
        if self._config_problems:
            reasons.append(
                f"config reload failed ({len(self._config_problems)} problem(s)); "
                f"the last good set stays live: {self._config_problems[0]}"
            )
        for where, problem in sorted(self._problems.items()):
            reasons.append(f"{where}: {problem}")
        silent = self.feeds.status()  # reported, but not degraded: a restart cannot fix a feed
        lag = self.detector_lag()
        limit = (
            pd.Timedelta(self.options.freq).total_seconds() * 2
            + self.options.allowed_lateness.total_seconds()
            + 60.0
        )
        if lag is not None and lag > limit and not self._shut:
            reasons.append(f"detector lag {lag:.0f} s (more than {limit:.0f} s)")
        checks: dict[str, Any] = {
            "worker": {"ok": worker_ok, "stopping": self._stop.is_set()},
            "config": {
                "ok": not self._config_problems,
                "version": self.playbook_version[:12],
                "problems": list(self._config_problems),
            },
            "detector": {
                "ok": lag is None or lag <= limit,
                "lag_seconds": None if lag is None else round(lag, 1),
                "last_bucket_end": None
                if self._last_end is None
                else isoformat_utc(self._last_end),
                "brands": sorted(self.pipeline.detectors),
                "late_mentions": self.late_mentions,
            },
            "feeds": {"ok": not silent, "silent": silent},
            "queue": {"ok": True, "depth": self._queue_depth()},
        }
        return {
            "status": "degraded" if reasons else "ok",
            "reasons": reasons,
            "checks": checks,
            "now": isoformat_utc(self.clock.now()),
        }

    def refresh_metrics(self) -> None:
        """Update the gauges from the runtime and the store (called before /metrics renders)."""
        self._gauge("queue_depth", self._queue_depth())
        lag = self.detector_lag()
        if lag is not None:
            self._gauge("detector_lag_seconds", lag)
        self._gauge("feeds_silent", len(self.feeds.silent()))
        try:
            with self.store.read() as tx:
                items, failures = tx.delivery_counts()  # aggregated by the database
        except Exception as err:  # the store is down: say so, do not fail /metrics
            self._problem("store", f"{type(err).__name__}: {err}")
            return
        self._gauge(
            "outbox_depth", sum(n for (status, _), n in items.items() if status == "pending")
        )
        sent = {kind: n for (status, kind), n in items.items() if status == "sent"}
        errors: dict[str, int] = {}
        for error, n in failures.items():
            name = error.split(":")[0].split()[0][:40] if error.strip() else "?"
            errors[name] = errors.get(name, 0) + n
        with self._metrics_lock:
            self._catch_up("pages_total", "kind", sent, self._seen_sent)
            self._catch_up("slack_errors_total", "error", errors, self._seen_errors)

    def _catch_up(
        self, name: str, label: str, counts: Mapping[str, int], seen: dict[str, int]
    ) -> None:
        """Counters follow counts read from the store (only ever upwards)."""
        for key, count in counts.items():
            delta = count - seen.get(key, 0)
            if delta > 0:
                self._count(name, delta, **{label: key})
                seen[key] = count

    # ------------------------------------------------------------------ the worker
    def start(self) -> LiveRuntime:
        """Start the worker thread (registers the worker, re-reads the spool)."""
        if self._thread is not None:
            return self
        self._begin()
        self._thread = threading.Thread(target=self._loop, name="shitstorm-runtime", daemon=True)
        self._thread.start()
        return self

    def request_reload(self) -> None:
        """Reload the configuration at the next pass (the SIGHUP handler calls this)."""
        self._reload_requested.set()

    def stop_accepting(self) -> None:
        """Close the queue: ingest answers 503 from now on (the first step of shutdown)."""
        close = getattr(self.queue, "close", None)
        if close is not None:
            close()

    def shutdown(self, *, timeout: float = 30.0, dispose: bool = True) -> int:
        """Stop gracefully (see the module docstring); returns the number of mentions spooled."""
        if self._shut:
            return 0
        self.stop_accepting()
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.error("runtime: the worker did not stop within %.0f s", timeout)
        spooled = self._finish()
        try:
            self.escalator.unregister()
        except Exception as err:
            log.error("runtime: could not unregister the worker: %s", err)
        if dispose:
            self.store.dispose()
        self._shut = True
        return spooled

    def _begin(self) -> None:
        self.escalator.register()
        self.restore_spool()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.pump(self.options.poll)
                self._problems.pop("worker", None)
            except Exception as err:  # keep running: one line, health says degraded
                log.error("runtime: %s: %s", type(err).__name__, err)
                self._problem("worker", f"{type(err).__name__}: {err}")
                self._stop.wait(min(5.0, max(self.options.poll, 0.1)))

    def pump(self, timeout: float = 0.0) -> int:
        """One pass: take mentions, reload if due, close buckets, escalate. Returns work done."""
        items = self._take(timeout)
        work = self.ingest(items) if items else 0
        self._maybe_reload()
        work += self.advance()
        work += self._escalate()
        return work

    def _take(self, timeout: float) -> list[Any]:
        return list(self.queue.take(self.options.batch, timeout))

    # ------------------------------------------------------------------ mentions
    def ingest(self, items: Iterable[Any]) -> int:
        """Score mentions and add them to their buckets; returns how many were taken."""
        frame = mention_frame(items)
        if frame.empty:
            return 0
        ts = frame["timestamp"].dt.as_unit("ns").astype("int64").to_numpy()
        buckets = (ts // self._step_ns) * self._step_ns
        closed = self.builder.closed_until_
        if closed is not None:
            late = buckets < closed
            n_late = int(late.sum())
            if n_late:
                self.late_mentions += n_late
                self._count("mentions_late_total", n_late)
                log.info(
                    "runtime: %d late mention(s) for decided buckets counted, not re-decided",
                    n_late,
                )
                frame = frame.loc[~late].reset_index(drop=True)
                buckets = buckets[~late]
            if frame.empty:
                return n_late
        scored = frame.copy()
        scored["negativity"] = np.asarray(self.scorer.score_frame(frame), dtype="float64")
        self.builder.add(scored)
        self.pipeline.add_mentions(scored)
        self._undecided.append((int(buckets.max()), frame))
        return len(frame)

    # ------------------------------------------------------------------ buckets
    def advance(self, now: datetime | None = None) -> int:
        """Decide every bucket the clock has closed; returns how many were decided."""
        now = self.clock.now() if now is None else now
        rows = self.builder.close_until(now)
        if not rows:
            self._retry_unsent()
            return 0
        buckets = [(brand, Bucket.from_values(row.bucket_start, row.values)) for brand, row in rows]
        result = self.pipeline.step(now, buckets)
        events: list[FeedEvent] = []
        for (brand, bucket), (_, decision) in zip(buckets, result.decisions, strict=True):
            history = self._history.get(brand)
            if history is None:
                history = self._history[brand] = BucketHistory(self._history_len)
            history.append(bucket, expected=decision.expected_volume)
            events.extend(self.feeds.observe(brand, decision))
            self._note_decided(decision)
        self.decided_buckets += len(buckets)
        closed = self.builder.closed_until_
        while self._undecided and closed is not None and self._undecided[0][0] < closed:
            self._undecided.popleft()
        self._unsent.extend(result.alerts)
        for event in events:
            log.warning("runtime: %s", event.describe())
            if event.alert is not None:
                self._unsent.append(event.alert)
        self._retry_unsent()
        for event in events:
            if event.kind == "back":
                self._feed_back(event)
        return len(buckets)

    # ------------------------------------------------------------------ evidence
    def series_frame(self, brand: str, since: datetime | None = None) -> pd.DataFrame | None:
        """The brand's recent buckets as the detector saw them (volume, negative share,
        expected volume), from ``chart_span`` before ``since`` (default: the latest
        bucket) on; None for a brand not seen. Used by the pages' charts and the
        incident page. A consistent copy, taken while the runtime thread appends."""
        history = self._history.get(self._brand_key(brand))
        if history is None or len(history) == 0:
            return None
        starts, columns = history.table()
        index = pd.DatetimeIndex(pd.to_datetime(starts, unit="s", utc=True), name="bucket_start")
        volume, negative = columns["volume"], columns["negative"]
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(volume > 0, negative / volume, np.nan)
        frame = pd.DataFrame(
            {
                "volume": volume,
                "negative_share": share,
                "expected_volume": columns["expected_volume"],
            },
            index=index,
        )
        end = frame.index[-1] if since is None else pd.Timestamp(since)
        return frame.loc[end - pd.Timedelta(self.options.chart_span) :]

    def evidence(self, alert: Alert) -> bytes | None:
        """PNG chart for a page about ``alert`` (the Escalator's ``evidence`` source)."""
        from warning.notify.chart import render_chart

        frame = self.series_frame(alert.brand, alert.bucket_start)
        if frame is None or frame.empty:
            return None
        return render_chart(
            frame,
            change_points=[alert.change_point_at] if alert.change_point_at else [],
            alerts=[alert.fired_at],
            title=f"{alert.brand}: {alert.severity.value}",
            lang=self.escalator.lang,
            tz=self.tz,
        )

    def _brand_key(self, brand: str) -> str:
        if brand in self._history:
            return brand
        folded = brand.strip().casefold()
        return next((b for b in self._history if b.strip().casefold() == folded), brand)

    def _note_decided(self, decision: Decision) -> None:
        if self._last_end is None or decision.bucket_end > self._last_end:
            self._last_end = decision.bucket_end

    def _retry_unsent(self) -> None:
        while self._unsent:
            alert = self._unsent[0]
            outcome = self.escalator.on_alert(alert)  # raises: kept for the next pass
            if alert.detector.name == FEED_SILENCE_DETECTOR and outcome.crisis is not None:
                self._feed_crisis[alert.brand] = outcome.crisis
            self._unsent.pop(0)
            self.alerts.append(alert)
            self._count("alerts_total", 1, severity=alert.severity.value)
            log.warning(
                "runtime: alert %s %s %s (fired %s)",
                alert.brand,
                alert.severity.value,
                alert.detector.name,
                isoformat_utc(alert.fired_at),
            )

    def _feed_back(self, event: FeedEvent) -> None:
        ref = self._feed_crisis.pop(event.brand, None)
        if ref is None:
            return
        from warning.store.views import parse_crisis_ref

        now = self.clock.now()
        text = _feed_back_text(event, self.escalator.lang, self.tz)
        with self.store.transaction() as tx:
            crisis_id = parse_crisis_ref(ref)
            tx.audit(
                "feed_back",
                crisis_id,
                at=now,
                brand=event.brand,
                silent_since=event.silent_since,
                back_at=event.at,
                silent_minutes=round(event.silent_minutes, 1),
            )
            for sent in tx.outbox(crisis_id, status="sent"):
                if sent.notification.kind not in ("page_dm", "channel_post"):
                    continue
                if sent.slack_channel is None:
                    continue
                note = Notification(
                    f"{sent.key}:feedback:{isoformat_utc(event.at)}",
                    "thread_reply",
                    sent.slack_channel,
                    text,
                    priority=50,
                    crisis_id=ref,
                    thread_of=sent.key,
                )
                tx.enqueue(note, at=now, crisis_id=crisis_id)

    # ------------------------------------------------------------------ escalation
    def _escalate(self) -> int:
        now = self.clock.now()
        every = self.options.escalate_every
        if self._last_escalate is not None and now - self._last_escalate < every:
            return 0
        self._last_escalate = now
        work = int(self.escalator.run_once())
        if self._last_recover is None or now - self._last_recover >= self.options.recover_every:
            self._last_recover = now
            self.escalator.heartbeat()
            self.escalator.recover()
        self._problems.pop("store", None)
        return work

    # ------------------------------------------------------------------ configuration
    def _load(self, sources: ConfigSources) -> _Loaded:
        from warning.escalate.version import playbook_version
        from warning.playbook.config import load_config

        stamp = sources.stamp()
        playbooks = load_config(sources.playbooks)
        version = playbook_version(sources.playbooks)
        key = ""
        if sources.detector is not None:
            detection = load_detection_config(sources.detector)
            key = sources.detector.read_text(encoding="utf-8")
        else:
            detection = DetectionConfig()
        return _Loaded(playbooks, version, detection, key, stamp)

    def _maybe_reload(self) -> None:
        if self.sources is None:
            return
        forced = self._reload_requested.is_set()
        every = self.options.reload_every
        due = every is not None and time.monotonic() - self._last_reload_check >= every
        if not (forced or due):
            return
        self._last_reload_check = time.monotonic()
        if forced:
            self._reload_requested.clear()
        elif self._loaded is not None and self.sources.stamp() == self._loaded.stamp:
            return
        self.reload(reason="SIGHUP" if forced else "files changed")

    def reload(self, *, reason: str = "requested") -> bool:
        """Load and validate the configuration; install it only when all of it is good."""
        if self.sources is None:
            return False
        try:
            loaded = self._load(self.sources)
            detectors = None
            if self._loaded is None or loaded.detection_key != self._loaded.detection_key:
                detectors = self._rewarm(loaded.detection)
        except ShitstormError as err:
            problems = list(err.findings) if isinstance(err, ConfigError) else [str(err)]
            for problem in problems:
                log.error("config reload (%s) failed: %s", reason, problem)
            log.error("config reload: the last good configuration stays live")
            self._config_problems = problems
            self._count("config_reload_failures_total", 1)
            if self._loaded is not None:  # do not retry the same broken files every poll
                self._loaded.stamp = self.sources.stamp()
            return False
        self.escalator.config = loaded.playbooks
        self.escalator.playbook_version = loaded.version
        if detectors is not None:
            self.pipeline.config = loaded.detection
            self.pipeline.detectors = detectors
        self._loaded = loaded
        self._config_problems = []
        self._set_version_metric(loaded.version)
        log.warning(
            "config reloaded (%s): playbooks %s%s",
            reason,
            loaded.version[:12],
            ", detector configuration re-applied" if detectors is not None else "",
        )
        return True

    def _rewarm(self, detection: DetectionConfig) -> dict[str, SeasonalStormDetector]:
        """A new detector per known brand, warmed on its kept bucket history (not re-alerted)."""
        freq = self.pipeline.freq
        out: dict[str, SeasonalStormDetector] = {}
        for brand in self.pipeline.detectors:
            det = detection.detector_for(brand, freq=freq)
            det.fit()
            for bucket in self._history.get(brand, ()):
                det.update(bucket)
            out[brand] = det
        return out

    # ------------------------------------------------------------------ spool
    @property
    def spool_path(self) -> Path | None:
        return None if self.state_dir is None else self.state_dir / SPOOL_NAME

    def restore_spool(self) -> int:
        """Re-read mentions a previous run spooled at shutdown; returns how many."""
        path = self.spool_path
        if path is None or not path.exists():
            return 0
        rows = []
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as err:
                    log.error("%s:%d: not JSON (%s); line skipped", path, number, err.msg)
        taken = self.ingest(rows) if rows else 0
        path.unlink()
        log.warning("runtime: %d spooled mention(s) re-read from %s", taken, path)
        return taken

    def _finish(self) -> int:
        """Drain the queue, decide what is closed, last escalator pass, spool the rest."""
        leftover: list[Any] = []
        try:
            while True:
                items = self._take(0.0)
                if not items:
                    break
                try:
                    self.ingest(items)
                except Exception as err:
                    log.error("runtime: mentions could not be processed at shutdown: %s", err)
                    leftover.extend(items)
            self.advance()
        except Exception as err:
            log.error("runtime: shutdown drain: %s: %s", type(err).__name__, err)
        try:
            self.escalator.run_once()
        except Exception as err:
            log.error("runtime: last escalator pass: %s: %s", type(err).__name__, err)
        return self._spool(leftover)

    def _spool(self, leftover: Sequence[Any]) -> int:
        frames = [f for _, f in self._undecided]
        if leftover:
            frames.append(mention_frame(leftover))
        if not frames:
            return 0
        frame = pd.concat(frames, ignore_index=True)
        path = self.spool_path
        if path is None:
            log.error("runtime: %d undecided mention(s) lost: no state directory", len(frame))
            return 0
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            for record in frame[list(MENTION_COLUMNS)].to_dict("records"):
                out.write(json.dumps(_jsonable(record), ensure_ascii=False) + "\n")
            out.flush()
            os.fsync(out.fileno())
        tmp.replace(path)
        self._undecided.clear()
        log.warning("runtime: %d undecided mention(s) spooled to %s", len(frame), path)
        return len(frame)

    # ------------------------------------------------------------------ metrics helpers
    def _metric(self, name: str) -> Any:
        return getattr(self.metrics, name, None) if self.metrics is not None else None

    def _count(self, name: str, value: float, **labels: str) -> None:
        metric = self._metric(name)
        if metric is None:
            return
        (metric.labels(**labels) if labels else metric).inc(value)

    def _gauge(self, name: str, value: float) -> None:
        metric = self._metric(name)
        if metric is not None:
            metric.set(value)

    def _set_version_metric(self, version: str) -> None:
        metric = self._metric("config_version_info")
        if metric is None:
            return
        clear = getattr(metric, "clear", None)
        if clear is not None:
            clear()
        metric.labels(version=version[:12]).set(1)

    def _queue_depth(self) -> int:
        depth: Callable[[], int] | None = getattr(self.queue, "depth", None)
        return int(depth()) if depth is not None else 0

    def _problem(self, where: str, problem: str) -> None:
        self._problems[where] = problem


def _jsonable(record: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in record.items():
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            continue
        if isinstance(value, pd.Timestamp | datetime):
            out[key] = isoformat_utc(value)
        elif isinstance(value, np.integer):
            out[key] = int(value)
        elif isinstance(value, np.floating):
            out[key] = float(value)
        else:
            out[key] = value
    return out


def _feed_back_text(event: FeedEvent, lang: str, tz: str) -> str:
    zone = ZoneInfo(tz)
    since = event.silent_since.astimezone(zone).strftime("%H:%M")
    back = event.at.astimezone(zone).strftime("%H:%M")
    minutes = f"{event.silent_minutes:.0f}"
    if lang == "de":
        return (
            f"Feed wieder da: Erwähnungen von {event.brand} kommen wieder an "
            f"(still von {since} bis {back}, {minutes} min)."
        )
    return (
        f"Feed back: mentions of {event.brand} arrive again "
        f"(silent from {since} to {back}, {minutes} min)."
    )
