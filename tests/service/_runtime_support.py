"""Shared pieces of the live-runtime tests: a runtime on a simulated clock, a driver."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from warning.assets import asset_dir
from warning.clock import SimulatedClock
from warning.escalate.escalator import Escalator
from warning.notify.recording import RecordingNotifier
from warning.playbook.config import load_config
from warning.service.metrics import Metrics
from warning.service.queue import MentionQueue
from warning.service.runtime import ConfigSources, LiveRuntime, RuntimeOptions
from warning.store.db import Store

INCIDENT = asset_dir("incidents") / "lumina-2026-03-28" / "mentions.jsonl"
MONDAY = datetime(2026, 3, 2, tzinfo=UTC)  # 01:00 in Berlin


def make_runtime(
    store: Store,
    clock: SimulatedClock,
    scorer: Any,
    *,
    sources: ConfigSources | None = None,
    state_dir: Path | None = None,
    charts: Path | None = None,
    **options: Any,
) -> tuple[LiveRuntime, RecordingNotifier]:
    notifier = RecordingNotifier()
    escalator = Escalator(
        store, load_config(asset_dir("playbooks")), clock, notifier=notifier, tz="Europe/Berlin"
    )
    runtime = LiveRuntime(
        queue=MentionQueue(200_000),
        metrics=Metrics(),
        store=store,
        escalator=escalator,
        clock=clock,
        sources=sources,
        scorer=scorer,
        state_dir=state_dir,
        options=RuntimeOptions(**options),
    )
    if charts is not None:  # as `shitstorm serve` wires it: pages carry the runtime's chart
        escalator.evidence, escalator.charts = runtime.evidence, charts
    return runtime, notifier


def drive(
    runtime: LiveRuntime,
    clock: SimulatedClock,
    frame: pd.DataFrame,
    until: datetime,
    steps: list[float],
    seed: int = 0,
) -> None:
    """Advance the clock in irregular steps; each mention is offered once its time has come."""
    rng = np.random.default_rng(seed)
    ns = frame["timestamp"].dt.as_unit("ns").astype("int64").to_numpy()
    pos = 0
    while clock.now() < until:
        clock.advance(timedelta(minutes=float(rng.choice(steps))))
        stop = int(np.searchsorted(ns, pd.Timestamp(clock.now()).value, side="right"))
        if stop > pos:
            runtime.queue.offer(frame.iloc[pos:stop])
            pos = stop
        runtime.pump(0.0)
