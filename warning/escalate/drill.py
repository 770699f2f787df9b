"""The crash drill: kill the runner with SIGKILL at random moments of an escalation.

A fake Slack (with rate limits, server errors and slow answers mixed in) runs in
this process; the runner (``python -m warning.escalate.runner``) runs as a child
on a fast clock and is killed and restarted at seeded random moments while alerts,
an acknowledgement and a missed promise come in. Afterwards every page that the
plan calls for must have reached Slack exactly once (the fake's accepted
``chat.postMessage`` calls, grouped by idempotency key), and every timer must have
fired on time: within ``tolerance`` of its due instant, or of the runner's start if
it fell due while no runner was alive. The test suite runs a few drills, the
benchmark hundreds.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from warning.escalate.escalator import Escalator
from warning.escalate.scaledclock import ScaledClock
from warning.notify.fakeslack import FakeSlack, Scenario
from warning.playbook.config import load_config
from warning.records import Ack, Alert, AlertMetrics, DetectorInfo, Severity
from warning.store.db import Store

__all__ = ["DRILL_PLAYBOOK", "DrillReport", "run_drill"]

T0 = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)
MIN = timedelta(minutes=1)

#: A short path: anna (+ the crisis channel), an empty legal level, jonas; one repeat; katrin.
DRILL_PLAYBOOK = """
people:
  anna: {name: Anna Becker, slack: U0ANNA00001}
  jonas: {name: Jonas Weber, slack: U0JONAS0002}
  katrin: {name: Katrin Meier, slack: U0KATRIN003}
  petra: {name: Petra Lang, email: petra@lumina.example}
schedules:
  legal:
    timezone: Europe/Berlin
    layers:
      - {name: office, people: [petra], rules: [{days: [mon-fri], from: "09:00", to: "17:00"}]}
slack_channels:
  krisenstab: {name: "#krisenstab", id: C0KRISEN001}
paths:
  fast:
    levels:
      - {name: Dienst, targets: [{person: anna}, {slack_channel: krisenstab}], ack: 1m}
      - {name: Recht, targets: [{schedule: legal}], ack: 1m}
      - {name: Leitung, targets: [{person: jonas}], ack: 1m}
    repeat: 1
    fallback: katrin
playbooks:
  general: {title: Allgemein, triggers: [{}], escalation: {critical: fast}}
settings: {timezone: Europe/Berlin}
"""


@dataclass
class DrillReport:
    """What one drill found; ``ok`` when nothing was lost, duplicated or late."""

    seed: int
    kills: int = 0
    expected: int = 0
    delivered: int = 0
    lost: list[str] = field(default_factory=list)
    duplicates: dict[str, int] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    max_late_seconds: float = 0.0
    timers: int = 0
    exit_code: int | None = None
    chain_ok: bool = False
    wall_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicates or self.unexpected or self.late) and self.chain_ok


def _alert(brand: str, at: datetime) -> Alert:
    return Alert(
        brand,
        at,
        at,
        Severity.CRITICAL,
        at,
        AlertMetrics(900.0, 100.0, 9.0, 0.6, 0.2),
        DetectorInfo("seasonal-storm"),
        f"{brand.lower()}:{at.isoformat()}",
    )


def _intended(crises: int, acked: int) -> tuple[set[str], set[str]]:
    """Every key the plan calls for, and those an acknowledgement may have stopped."""
    keys, optional = set(), set()
    for i in range(1, crises + 1):
        e = 2 if i == acked else 1
        first = {f"c-{i}:e1:l1:r1:anna", f"c-{i}:e1:l1:#krisenstab"}
        keys |= first
        if i == acked:  # acknowledged before or after level 1 paged: both are fine
            again = {f"c-{i}:e2:l1:r1:anna", f"c-{i}:e2:l1:#krisenstab"}
            keys |= again
            optional |= first | again
        keys |= {
            f"c-{i}:e{e}:l3:r1:jonas",
            f"c-{i}:e{e}:l4:r2:anna",
            f"c-{i}:e{e}:l4:#krisenstab",
            f"c-{i}:e{e}:l6:r2:jonas",
            f"c-{i}:e{e}:l7:r2:katrin",
        }
    return keys, optional


def _accepted(fake: FakeSlack) -> Counter[str]:
    counts: Counter[str] = Counter()
    for req in fake.requests("chat.postMessage"):
        if req.status != 200 or req.error is not None:
            continue
        meta = req.params.get("metadata")
        meta = json.loads(meta) if isinstance(meta, str) else meta
        counts[str(((meta or {}).get("event_payload") or {}).get("idempotency_key"))] += 1
    return counts


def _chaos(rng: random.Random) -> Any:
    def rule(req: Any) -> Scenario | None:
        draw = rng.random()
        if req.method == "chat.postMessage":
            if draw < 0.08:
                return Scenario.rate_limited(retry_after=1)
            if draw < 0.16:
                return Scenario.server_error(503)
            if draw < 0.30:
                return Scenario.slow(0.25)
        elif draw < 0.05:
            return Scenario.server_error(500)
        return None

    return rule


class _Runner:
    def __init__(self, argv: list[str], log: Path) -> None:
        self.argv, self.log = argv, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
        with self.log.open("ab") as err:
            self.proc = subprocess.Popen(self.argv, stdout=subprocess.DEVNULL, stderr=err, env=env)

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> int | None:
        if self.proc is None:
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()
            return None


def run_drill(
    db_url: str,
    workdir: Path,
    *,
    seed: int,
    crises: int = 4,
    speed: float = 60.0,
    poll: float = 0.05,
    kill_after: tuple[float, float] = (0.4, 1.6),
    downtime: tuple[float, float] = (0.0, 0.4),
    tolerance: float = 1.5,
    timeout: float = 60.0,
) -> DrillReport:
    """One drill on a fresh database at ``db_url`` (migrated here); see the module doc.

    Times are wall seconds except ``tolerance``, the allowed lateness of a timer in
    wall seconds (one poll interval plus a slow Slack answer the loop waits for).
    """
    rng = random.Random(seed)
    report = DrillReport(seed)
    started = time.monotonic()
    playbooks = workdir / "playbooks"
    playbooks.mkdir(parents=True, exist_ok=True)
    (playbooks / "playbooks.yaml").write_text(DRILL_PLAYBOOK, encoding="utf-8")
    store = Store(db_url)
    store.migrate()
    wall_origin = time.time() + 1.2  # the runner starts before the first alert is due
    clock = ScaledClock(T0, speed=speed, wall_origin=wall_origin)
    acked = 2 if crises >= 2 else 0
    inputs: list[tuple[datetime, str, int]] = [(T0 + i * MIN, "alert", i) for i in range(crises)]
    if acked:
        inputs.append((T0 + MIN * (acked - 0.5), "ack", acked))
    inputs.sort()
    with FakeSlack() as fake:
        fake.add_channel("krisenstab", "C0KRISEN001")
        fake.set_rule("*", _chaos(random.Random(seed + 1)))
        front = Escalator(store, load_config(playbooks), clock, worker="drill-front")
        argv = [
            sys.executable, "-m", "warning.escalate.runner",
            "--db", db_url, "--playbooks", str(playbooks), "--token", fake.token,
            "--slack-url", fake.base_url, "--slack-timeout", "5", "--poll", str(poll),
            "--speed", str(speed), "--clock-origin", T0.isoformat(),
            "--wall-origin", repr(wall_origin), "--fallback-after", "3600", "--rate", "20",
            "--burst", "20", "--recover-every", "2",
        ]  # fmt: skip
        runner = _Runner(argv, workdir / "runner.log")
        runner.start()
        next_kill = time.monotonic() + rng.uniform(*kill_after)
        intended, optional = _intended(crises, acked)
        end = T0 + (crises + 4) * MIN
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            while inputs and clock.now() >= inputs[0][0]:
                _, what, index = inputs.pop(0)
                if what == "alert":
                    front.on_alert(_alert(f"Brand{index}", clock.now()))
                else:
                    now = clock.now()
                    front.on_ack(
                        Ack(f"c-{index}", "acknowledge", "anna", "U0ANNA00001", now, now + MIN)
                    )
            if time.monotonic() >= next_kill and clock.now() < end:
                runner.kill()
                report.kills += 1
                time.sleep(rng.uniform(*downtime))
                runner.start()
                next_kill = time.monotonic() + rng.uniform(*kill_after)
            if not inputs and clock.now() >= end and _settled(store, fake, intended, optional):
                break
            time.sleep(0.02)
        report.exit_code = runner.stop()
        counts = _accepted(fake)
    _judge(report, store, counts, intended, optional, tolerance * speed)
    report.chain_ok = store.verify_chain().ok
    store.dispose()
    report.wall_seconds = time.monotonic() - started
    return report


def _settled(store: Store, fake: FakeSlack, intended: set[str], optional: set[str]) -> bool:
    counts = _accepted(fake)
    with store.read() as tx:
        open_rows = tx.outbox(status=("pending", "in_flight"))
        cancelled = {o.key for o in tx.outbox(status="cancelled")}
    missing = {k for k in intended - (optional & cancelled) if counts[k] == 0}
    return not open_rows and not (missing - optional)


def _judge(
    report: DrillReport,
    store: Store,
    counts: Counter[str],
    intended: set[str],
    optional: set[str],
    tolerance_s: float,
) -> None:
    with store.read() as tx:
        rows = {o.key: o for o in tx.outbox()}
        timers = [t for t in tx.timers() if t.status == "done"]
        starts = {w.id: w.started_at for w in tx.workers()}
    for key in sorted(intended):
        row = rows.get(key)
        if key in optional and (row is None or row.status == "cancelled"):
            continue
        report.expected += 1
        if counts[key] == 0:
            report.lost.append(key)
        elif counts[key] > 1:
            report.duplicates[key] = counts[key]
        else:
            report.delivered += 1
    report.unexpected = sorted(k for k in counts if k not in intended)
    report.timers = len(timers)
    for timer in timers:
        if timer.fired_at is None:
            continue
        start = starts.get(timer.fired_by or "", timer.due_at)
        reference = max(timer.due_at, start)
        late = (timer.fired_at - reference).total_seconds()
        report.max_late_seconds = max(report.max_late_seconds, late)
        if late > tolerance_s:
            report.late.append(f"{timer.key}: {late:.1f} s late")
