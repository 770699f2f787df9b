"""Graceful shutdown: drain, decide, last escalator pass, spool what is undecided."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from warning.clock import SimulatedClock
from warning.score import load_model
from warning.service.queue import QueueClosed
from warning.store.db import Store

from ._runtime_support import make_runtime


@pytest.fixture(scope="module")
def scorer() -> Any:
    return load_model()


def test_shutdown_drains_decides_and_spools_what_is_undecided(tmp_path: Path, scorer: Any) -> None:
    db = f"sqlite:///{tmp_path / 'state.db'}"
    store = Store(db)
    store.migrate()
    t0 = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)
    clock = SimulatedClock(t0)
    runtime, _ = make_runtime(store, clock, scorer, state_dir=tmp_path, poll=0.01)
    runtime.start()
    rows = [
        {"id": f"a{i}", "timestamp": t0 + timedelta(seconds=10 * i), "text": "x", "brand": "acme"}
        for i in range(20)
    ]
    runtime.queue.offer(rows[:10])
    deadline = time.monotonic() + 5
    while runtime.queue.depth() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert runtime.queue.depth() == 0, "the worker takes mentions"
    clock.advance(timedelta(minutes=4))  # 19:34: the bucket is still open
    runtime.queue.offer(rows[10:])  # maybe never taken by the worker before shutdown
    spooled = runtime.shutdown()
    assert spooled == 20, "nothing taken is lost"
    with pytest.raises(QueueClosed):
        runtime.queue.offer([{**rows[0], "id": "late"}])
    spool = tmp_path / "spool.jsonl"
    assert len(spool.read_text(encoding="utf-8").splitlines()) == 20
    with Store(db).read() as tx:
        workers = tx.workers()
    assert workers and all(w.stopped_at is not None for w in workers)

    store2 = Store(db)
    runtime2, _ = make_runtime(store2, clock, scorer, state_dir=tmp_path)
    runtime2.start()
    assert not spool.exists(), "the spool is read on start"
    clock.advance(timedelta(minutes=5))
    deadline = time.monotonic() + 5
    while "acme" not in runtime2._history and time.monotonic() < deadline:
        time.sleep(0.01)
    assert runtime2.shutdown() == 0
    (bucket,) = runtime2._history["acme"]
    assert bucket.volume == 20.0 and bucket.start == t0


def test_shutdown_decides_closed_buckets_before_it_stops(tmp_path: Path, scorer: Any) -> None:
    store = Store("sqlite://")
    store.migrate()
    t0 = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)
    clock = SimulatedClock(t0)
    runtime, _ = make_runtime(store, clock, scorer, state_dir=tmp_path)
    runtime.queue.offer(
        [{"id": "a", "timestamp": t0, "text": "x", "brand": "acme"}]
    )  # never pumped: only the shutdown drain takes it
    clock.advance(timedelta(minutes=7))
    assert runtime.shutdown(dispose=False) == 0
    assert [b.volume for b in runtime._history["acme"]] == [1.0]
    assert not (tmp_path / "spool.jsonl").exists()
    store.dispose()
