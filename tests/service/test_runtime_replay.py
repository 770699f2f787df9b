"""The live runtime on a simulated clock decides exactly what replay decides."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import warning
from warning.clock import SimulatedClock
from warning.ingest import read_mentions
from warning.records import Severity
from warning.score import load_model
from warning.service.feeds import FEED_SILENCE_DETECTOR, FeedSilenceRule
from warning.store.db import Store

from ._runtime_support import INCIDENT, drive, make_runtime


@pytest.fixture(scope="module")
def scorer() -> Any:
    return load_model()


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store("sqlite://")
    s.migrate()
    yield s
    s.dispose()


def test_the_incident_live_on_a_simulated_clock_equals_its_replay(
    store: Store, scorer: Any, tmp_path: Path
) -> None:
    expected = warning.replay(INCIDENT)
    frame = pd.concat([c for c in read_mentions(INCIDENT) if len(c)], ignore_index=True)
    frame = frame.sort_values("timestamp", kind="stable").reset_index(drop=True)  # arrival order
    first = frame["timestamp"].iloc[0].floor("5min").to_pydatetime()
    clock = SimulatedClock(first)
    runtime, notifier = make_runtime(
        store,
        clock,
        scorer,
        charts=tmp_path / "charts",
        escalate_every=timedelta(minutes=30),
        feed_rule=FeedSilenceRule(),
    )
    last = frame["timestamp"].iloc[-1].to_pydatetime()
    drive(runtime, clock, frame, last + timedelta(minutes=5), [3, 11, 29, 60, 120])
    storm = [a for a in runtime.alerts if a.detector.name != FEED_SILENCE_DETECTOR]
    assert expected.alerts, "the incident must alert"
    assert [a.to_json() for a in storm] == [a.to_json() for a in expected.alerts]
    assert runtime.late_mentions == 0
    assert runtime.metrics.value("alerts_total", severity="critical") == len(
        [a for a in runtime.alerts if a.severity is Severity.CRITICAL]
    )
    with store.read() as tx:
        crises = tx.crises()
    # (the clock may run past the end of the file, which then looks like a dead feed)
    assert [c.brand for c in crises if c.crisis_type != "feed-silence"] == ["lumina"]
    pages = notifier.by_kind("page_dm")
    assert pages, "the storm pages the person on call"
    runtime.refresh_metrics()  # the gauges and counters /metrics shows, counted by the store
    assert runtime.metrics.value("pages_total", kind="page_dm") == len(pages)
    with store.read() as tx:
        pending = sum(1 for o in tx.outbox() if o.status == "pending")
    assert runtime.metrics.value("outbox_depth") == pending
    # the page carries the chart of what the runtime saw up to the alert (12 hours)
    chart = Path(pages[0].attachments["chart"])
    assert chart.parent == tmp_path / "charts" and chart.read_bytes().startswith(b"\x89PNG")
    seen = runtime.series_frame("lumina", storm[0].bucket_start)
    assert seen is not None and len(seen) > 144  # 12 hours before the storm, then to the end
    assert seen.index[0] == pd.Timestamp(storm[0].bucket_start) - pd.Timedelta(hours=12)
    assert {"volume", "negative_share", "expected_volume"} <= set(seen.columns)
    lag = runtime.detector_lag()
    assert lag is not None and 0 <= lag <= 15 * 60


def test_a_late_mention_is_counted_and_not_re_decided(store: Store, scorer: Any) -> None:
    t0 = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)
    clock = SimulatedClock(t0)
    runtime, _ = make_runtime(store, clock, scorer)
    row = {"id": "a", "timestamp": t0 + timedelta(minutes=1), "text": "hallo", "brand": "acme"}
    runtime.queue.offer([row])
    runtime.pump()
    clock.advance(timedelta(minutes=8))  # 19:30-19:35 closes at 19:37
    runtime.pump()
    (decided,) = runtime._history["acme"]
    assert decided.volume == 1.0
    runtime.queue.offer([{**row, "id": "b"}])
    runtime.pump()
    assert runtime.late_mentions == 1
    assert runtime.metrics.value("mentions_late_total") == 1.0
    assert [b.volume for b in runtime._history["acme"]] == [1.0]
