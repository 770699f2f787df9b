"""Config reload: a bad set is never installed, a good one is, open crises keep their version."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from warning.assets import asset_dir
from warning.clock import SimulatedClock
from warning.escalate.version import playbook_version
from warning.records import Alert, AlertMetrics, DetectorInfo, Severity
from warning.score import load_model
from warning.service.runtime import ConfigSources
from warning.store.db import Store

from ._runtime_support import make_runtime


@pytest.fixture(scope="module")
def scorer() -> Any:
    return load_model()


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store("sqlite://")
    s.migrate()
    yield s
    s.dispose()


def _alert(at: datetime) -> Alert:
    return Alert(
        "lumina",
        at,
        at - timedelta(minutes=5),
        Severity.CRITICAL,
        at - timedelta(minutes=20),
        AlertMetrics(300, 30, 10.0, 0.6, 0.1),
        DetectorInfo("seasonal-storm"),
        f"lumina:{at.isoformat()}",
    )


def test_a_bad_playbook_set_is_never_installed_and_a_good_one_is(
    store: Store, scorer: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    books = tmp_path / "playbooks"
    shutil.copytree(asset_dir("playbooks"), books)
    detector = tmp_path / "detector.yaml"
    detector.write_text("detector:\n  threshold: 4.0\n", encoding="utf-8")
    clock = SimulatedClock(datetime(2026, 3, 28, 19, 30, tzinfo=UTC))
    runtime, _ = make_runtime(
        store, clock, scorer, sources=ConfigSources(books, detector), reload_every=0.0
    )
    first = runtime.playbooks()
    v1 = runtime.playbook_version
    assert v1 == playbook_version(books)
    assert runtime.metrics.value("config_version_info", version=v1[:12]) == 1.0
    opened = runtime.escalator.on_alert(_alert(clock.now()))
    assert opened.opened
    # give the pipeline a brand with history, so a detector change re-warms it
    runtime.queue.offer([{"id": "x", "timestamp": clock.now(), "text": "hallo", "brand": "lumina"}])
    runtime.pump()
    clock.advance(timedelta(minutes=10))
    runtime.pump()
    assert "lumina" in runtime.pipeline.detectors

    people = books / "people.yaml"
    good_people = people.read_text(encoding="utf-8")
    people.write_text(good_people.replace("name:", "nmae:", 1), encoding="utf-8")
    caplog.set_level(logging.ERROR, logger="warning.service.runtime")
    runtime.request_reload()
    runtime.pump()
    assert runtime.playbooks() is first and runtime.playbook_version == v1
    assert runtime.metrics.value("config_reload_failures_total") == 1.0
    health = runtime.health()
    assert health["status"] == "degraded"
    assert "config reload failed (2 problem(s))" in health["reasons"][0]
    assert "people.yaml:5:3" in health["reasons"][0]
    assert any("nmae" in p for p in health["checks"]["config"]["problems"])
    problems = [r.getMessage() for r in caplog.records if "config reload" in r.getMessage()]
    assert any("people.yaml:" in p and "unknown key 'nmae'" in p for p in problems)
    assert all("\n" not in p for p in problems), "one line per problem"
    runtime.pump()  # the broken files are not retried every pass
    assert runtime.metrics.value("config_reload_failures_total") == 1.0

    # a bad detector configuration does not get in either
    people.write_text(good_people, encoding="utf-8")
    detector.write_text("detector:\n  threshold: -1\n", encoding="utf-8")
    time.sleep(0.01)
    runtime.pump()  # the watcher sees the new mtimes
    assert runtime.metrics.value("config_reload_failures_total") == 2.0
    assert runtime.pipeline.detectors["lumina"].threshold == 4.0
    assert runtime.health()["checks"]["config"]["ok"] is False

    # a good set is installed by the file watcher, no signal needed
    (books / "crises" / "general.yaml").write_text(
        (books / "crises" / "general.yaml")
        .read_text(encoding="utf-8")
        .replace("Ursache des Anstiegs klären", "Ursache des Anstiegs sofort klären"),
        encoding="utf-8",
    )
    detector.write_text("detector:\n  threshold: 5.0\n", encoding="utf-8")
    runtime.pump()
    assert runtime.playbooks() is not first
    v2 = runtime.playbook_version
    assert v2 != v1 and v2 == playbook_version(books)
    assert runtime.health()["status"] == "ok"
    assert runtime.metrics.value("config_version_info", version=v2[:12]) == 1.0
    assert runtime.metrics.value("config_version_info", version=v1[:12]) is None
    assert runtime.pipeline.detectors["lumina"].threshold == 5.0
    kept = len(runtime._history["lumina"])
    assert kept >= 1 and runtime.pipeline.detectors["lumina"].steps_ == kept, "re-warmed"
    # the open crisis keeps the version it was opened with; a new one takes the new set
    with store.read() as tx:
        (crisis,) = tx.crises()
    assert crisis.playbook_version == v1
    assert runtime.escalator.playbook_version == v2
