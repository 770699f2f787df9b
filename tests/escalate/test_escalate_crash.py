"""Crash safety: the runner is killed with SIGKILL at random moments and restarted.

Each drill (see :mod:`warning.escalate.drill`) runs three crises through a fake
Slack that rate-limits, fails and answers slowly, kills the runner process at
seeded random moments, and then checks that every page reached Slack exactly once
and every timer fired on time. ``benchmarks/bench_escalate.py`` runs 200 drills.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from warning.escalate.drill import run_drill


@pytest.mark.slow
@pytest.mark.parametrize("seed", [101, 202])
def test_killed_runner_delivers_every_page_exactly_once_and_on_time(
    db_url: str, tmp_path: Path, seed: int
) -> None:
    report = run_drill(db_url, tmp_path, seed=seed, crises=3, speed=120.0, tolerance=2.0)
    log = (tmp_path / "runner.log").read_text(encoding="utf-8", errors="replace")
    assert report.kills >= 2, report
    assert report.lost == [] and report.duplicates == {}, (report, log[-2000:])
    assert report.unexpected == [] and report.late == [], report
    assert report.expected >= 19 and report.delivered == report.expected
    assert report.timers >= 19 and report.chain_ok
    assert report.exit_code == 0  # SIGTERM ends the last runner gracefully
