"""The feed heartbeat: a dead feed alerts once and its return is noted; a quiet night does not."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest

from warning.clock import SimulatedClock
from warning.records import Alert, Severity
from warning.score import load_model
from warning.service.feeds import FEED_SILENCE_DETECTOR
from warning.service.runtime import LiveRuntime
from warning.store.db import Store

from ._runtime_support import MONDAY, drive, make_runtime


@pytest.fixture(scope="module")
def scorer() -> Any:
    return load_model()


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store("sqlite://")
    s.migrate()
    yield s
    s.dispose()


SATURDAY = datetime(2026, 3, 6, 23, tzinfo=UTC)  # 00:00 in Berlin


def seasonal_mentions(
    start: datetime, days: float, seed: int, *, dead: tuple[datetime, datetime] | None = None
) -> pd.DataFrame:
    """Mentions of one brand with a strong week: busy weekdays, a dead-quiet weekend night.

    Weekdays 08-22 Berlin ~6 per bucket, other hours ~0.15; Saturday 18:00 to Sunday
    10:00 almost nothing (0.01). ``dead`` cuts the feed in that span.
    """
    rng = np.random.default_rng(seed)
    index = pd.date_range(start, periods=int(days * 288), freq="5min")
    local = index.tz_convert("Europe/Berlin")
    hour, weekday = local.hour.to_numpy(), local.day_of_week.to_numpy()
    rate = np.where((weekday < 5) & (hour >= 8) & (hour < 22), 6.0, 0.15)
    saturday_night = ((weekday == 5) & (hour >= 18)) | ((weekday == 6) & (hour < 10))
    rate = np.where(saturday_night, 0.01, rate)
    counts = rng.poisson(rate)
    rows = np.repeat(np.arange(len(index)), counts)
    ts = index[rows] + pd.to_timedelta(rng.integers(0, 299_000, len(rows)), unit="ms")
    frame = pd.DataFrame(
        {
            "id": [f"m{i}" for i in range(len(rows))],
            "timestamp": ts,
            "text": "Frage zum Tarif",
            "brand": "acme",
            "sentiment": rng.uniform(-0.2, 0.6, len(rows)),  # upstream: the model is not asked
        }
    )
    if dead is not None:
        frame = frame[(frame["timestamp"] < dead[0]) | (frame["timestamp"] >= dead[1])]
    return frame.sort_values("timestamp").reset_index(drop=True)


def silence_alerts(runtime: LiveRuntime) -> list[Alert]:
    return [a for a in runtime.alerts if a.detector.name == FEED_SILENCE_DETECTOR]


def test_a_dead_feed_on_a_weekday_afternoon_alerts_once_and_notes_its_return(
    store: Store, scorer: Any
) -> None:
    dead_from = MONDAY + timedelta(days=7, hours=13)  # the second Monday, 14:00 Berlin
    back_at = dead_from + timedelta(hours=2)
    frame = seasonal_mentions(MONDAY, 7.8, seed=1, dead=(dead_from, back_at))
    clock = SimulatedClock(MONDAY)
    runtime, notifier = make_runtime(
        store, clock, scorer, escalate_every=timedelta(minutes=30), allowed_lateness=timedelta(0)
    )
    drive(runtime, clock, frame, back_at - timedelta(minutes=50), [20, 30, 45])
    (alert,) = silence_alerts(runtime)
    assert alert.brand == "acme" and alert.severity is Severity.WARNING
    assert dead_from <= alert.change_point_at <= dead_from + timedelta(minutes=5)
    assert alert.fired_at - dead_from <= timedelta(minutes=25)
    assert alert.metrics.extra["p_zero"] < 1e-4
    assert runtime.feeds.silent() == ["acme"]
    runtime.refresh_metrics()
    assert runtime.metrics.value("feeds_silent") == 1.0
    feeds = runtime.health()["checks"]["feeds"]
    assert feeds["ok"] is False and list(feeds["silent"]) == ["acme"]
    with store.read() as tx:
        (crisis,) = tx.crises()
    assert crisis.crisis_type == "feed-silence"
    paged = notifier.by_kind("page_dm")
    assert paged and all(n.crisis_id == crisis.ref for n in paged)

    drive(runtime, clock, frame, back_at + timedelta(hours=1), [20, 30, 45], seed=2)
    assert len(silence_alerts(runtime)) == 1, "one alert per silence"
    assert runtime.feeds.silent() == []
    assert runtime.health()["status"] == "ok"
    with store.read() as tx:
        kinds = [e.kind for e in tx.events(crisis.id)]
    assert "feed_back" in kinds
    notes = [n for n in notifier.by_kind("thread_reply") if "Feed wieder da" in n.text]
    assert notes and all("acme" in n.text for n in notes)


def test_a_quiet_saturday_night_is_not_a_dead_feed(store: Store, scorer: Any) -> None:
    frame = seasonal_mentions(SATURDAY, 8.5, seed=3)
    night = SATURDAY + timedelta(days=7, hours=18)  # the second Saturday, 18:00 Berlin
    morning = night + timedelta(hours=16)
    in_night = (frame["timestamp"] >= night) & (frame["timestamp"] < morning)
    assert in_night.sum() <= 3, "16 hours with almost no mention: a long silence"
    clock = SimulatedClock(SATURDAY)
    runtime, _ = make_runtime(store, clock, scorer, escalate_every=timedelta(hours=6))
    drive(runtime, clock, frame, morning, [30, 45, 60])
    assert runtime.feeds.known("acme", night + timedelta(hours=3)), "the night was judged"
    assert silence_alerts(runtime) == [], [a.to_json() for a in silence_alerts(runtime)]
    assert runtime.health()["status"] == "ok"
