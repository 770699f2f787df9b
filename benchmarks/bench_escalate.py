"""Escalation figures: alert → first Slack request, a 100-alert burst, the crash drills.

1. **Latency**: one alert at a time through the whole durable path (open the crisis,
   freeze the plan, fire the level timer, queue the page, claim it, send it) until the
   fake Slack receives the page's ``chat.postMessage``; p50 and p99 on SQLite and
   PostgreSQL. Baseline in the same run: the same page sent directly with
   ``SlackDelivery.deliver`` (no store), so the ratio is the price of durability.
2. **Burst**: 100 alerts at once (100 brands, one on-call person, one crisis
   channel) through the durable outbox against a fake Slack that enforces about one
   message per second per channel: 429s seen, the busiest second per channel, pages
   before channel posts, nothing lost, total drain time.
3. **Crash drills**: :func:`warning.escalate.drill.run_drill` repeated (default 200 on
   SQLite, 20 on PostgreSQL): runner killed with SIGKILL at random moments; lost,
   duplicate and late counts.

Run: python benchmarks/bench_escalate.py [--drills 200] [--pg-drills 20] [--quick]
[--only latency|burst|drills] (writes reports/bench_escalate.json)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from warning.clock import SystemClock
from warning.escalate.drill import DRILL_PLAYBOOK, run_drill
from warning.escalate.escalator import Escalator
from warning.notify.fakeslack import FakeSlack
from warning.notify.outbox import OutboxScheduler
from warning.notify.slack import SlackDelivery
from warning.playbook.config import load_texts
from warning.records import Alert, AlertMetrics, DetectorInfo, Notification, Severity
from warning.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# the burst: one level (anna + the crisis channel), no checklist
BURST_PLAYBOOK = """
people:
  anna: {name: Anna Becker, slack: U0ANNA00001}
slack_channels:
  krisenstab: {name: "#krisenstab", id: C0KRISEN001}
paths:
  duty:
    levels: [{targets: [{person: anna}, {slack_channel: krisenstab}], ack: 30m}]
    fallback: anna
playbooks:
  general: {title: Allgemein, triggers: [{}], escalation: {critical: duty}}
"""


def _alert(brand: str) -> Alert:
    now = datetime.now(UTC)
    return Alert(
        brand,
        now,
        now,
        Severity.CRITICAL,
        now,
        AlertMetrics(900.0, 100.0, 9.0, 0.6, 0.2),
        DetectorInfo("seasonal-storm"),
        f"{brand}:{now.isoformat()}",
    )


@contextmanager
def database(kind: str, workdir: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{workdir / f'{uuid.uuid4().hex[:8]}.db'}"
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _key_of(request: Any) -> str:
    meta = request.params.get("metadata")
    meta = json.loads(meta) if isinstance(meta, str) else meta
    return str(((meta or {}).get("event_payload") or {}).get("idempotency_key"))


# ---------------------------------------------------------------------- 1. latency
def latency(kind: str, workdir: Path, n: int) -> dict[str, float]:
    config = load_texts({"p.yaml": BURST_PLAYBOOK})
    with database(kind, workdir) as url, FakeSlack() as fake:
        fake.add_channel("krisenstab", "C0KRISEN001")
        store = Store(url)
        store.migrate()
        esc = Escalator(
            store,
            config,
            SystemClock(),
            notifier=SlackDelivery(fake.token, fake.base_url),
            scheduler=partial(OutboxScheduler, rate=1000.0, burst=1000),
        )
        durable: list[float] = []
        for i in range(n + 5):
            start = time.monotonic()
            crisis = esc.on_alert(_alert(f"brand{i}")).crisis
            esc.tick()
            esc.drain()
            key = f"{crisis}:e1:l1:r1:anna"
            found = [r.at for r in fake.requests("chat.postMessage") if _key_of(r) == key]
            if i >= 5:  # warm-up: connections, caches
                durable.append((found[0] - start) * 1000.0)
        store.dispose()
        direct: list[float] = []
        slack = SlackDelivery(fake.token, fake.base_url)
        for i in range(n + 5):
            page = Notification(f"direct-{i}", "page_dm", "U0ANNA00001", "Sturmwarnung")
            start = time.monotonic()
            slack.deliver(page)
            if i >= 5:
                direct.append((fake.requests("chat.postMessage")[-1].at - start) * 1000.0)
    p50, p99 = _pct(durable, 0.5), _pct(durable, 0.99)
    d50 = _pct(direct, 0.5)
    print(
        f"  {kind:<10} alert → first Slack request: p50 {p50:6.1f} ms  p99 {p99:6.1f} ms   "
        f"(direct send p50 {d50:5.1f} ms, ratio {p50 / d50:4.1f}×)"
    )
    return {"p50_ms": p50, "p99_ms": p99, "direct_p50_ms": d50, "ratio_p50": p50 / d50}


# ---------------------------------------------------------------------- 2. burst
def burst(kind: str, workdir: Path, n: int) -> dict[str, Any]:
    config = load_texts({"p.yaml": BURST_PLAYBOOK})
    with database(kind, workdir) as url, FakeSlack(channel_rate=1.0, channel_burst=1) as fake:
        fake.add_channel("krisenstab", "C0KRISEN001")
        store = Store(url)
        store.migrate()
        esc = Escalator(
            store,
            config,
            SystemClock(),
            notifier=SlackDelivery(fake.token, fake.base_url),
            scheduler=partial(OutboxScheduler, rate=1.0, burst=1),
        )
        start = time.monotonic()
        for i in range(n):
            esc.on_alert(_alert(f"brand{i:03d}"))
        queued_s = time.monotonic() - start
        while True:
            work = esc.tick() + esc.drain()
            with store.read() as tx:
                left = len(tx.outbox(status=("pending", "in_flight")))
            if not left:
                break
            if not work:
                time.sleep(0.01)
        drain_s = time.monotonic() - start
        posts = [r for r in fake.requests("chat.postMessage")]
        store.dispose()
    ok = [r for r in posts if r.status == 200 and r.error is None]
    counts = Counter(_key_of(r) for r in ok)
    pages = {f"c-{i}:e1:l1:r1:anna" for i in range(1, n + 1)}
    chans = {f"c-{i}:e1:l1:#krisenstab" for i in range(1, n + 1)}
    lost = len((pages | chans) - set(counts))
    dups = sum(1 for v in counts.values() if v > 1)
    per_channel: dict[str, list[float]] = {}
    for r in ok:
        per_channel.setdefault(str(r.extra.get("channel")), []).append(r.at)
    busiest = max(
        max(sum(1 for u in times if t <= u < t + 1.0) for t in times)
        for times in per_channel.values()
    )
    # pages first: each crisis' DM left no later than its channel post
    at = {_key_of(r): r.at for r in ok}
    dm_first = sum(
        1 for i in range(1, n + 1) if at[f"c-{i}:e1:l1:r1:anna"] <= at[f"c-{i}:e1:l1:#krisenstab"]
    )
    rejected = sum(1 for r in posts if r.status == 429)
    print(
        f"  {kind:<10} burst of {n}: queued in {queued_s:5.2f} s, drained in {drain_s:6.1f} s; "
        f"{len(ok)} messages, lost {lost}, duplicate {dups}, 429s {rejected}, busiest second "
        f"per channel {busiest}, DM before its channel post {dm_first}/{n}"
    )
    return {
        "alerts": n,
        "queued_s": queued_s,
        "drain_s": drain_s,
        "messages": len(ok),
        "lost": lost,
        "duplicates": dups,
        "http_429": rejected,
        "busiest_second_per_channel": busiest,
        "dm_before_channel_post": dm_first,
    }


# ---------------------------------------------------------------------- 3. crash drills
def drills(kind: str, workdir: Path, count: int, seed0: int) -> dict[str, Any]:
    totals: Counter[str] = Counter()
    late_max = 0.0
    failures: list[dict[str, Any]] = []
    start = time.monotonic()
    for k in range(count):
        with database(kind, workdir) as url:
            where = workdir / f"drill-{kind}-{k}"
            report = run_drill(url, where, seed=seed0 + k, crises=3, speed=120.0, tolerance=2.0)
        totals["drills"] += 1
        totals["kills"] += report.kills
        totals["expected"] += report.expected
        totals["delivered"] += report.delivered
        totals["lost"] += len(report.lost)
        totals["duplicates"] += len(report.duplicates)
        totals["unexpected"] += len(report.unexpected)
        totals["late"] += len(report.late)
        totals["timers"] += report.timers
        totals["bad_exit"] += report.exit_code != 0
        totals["chain_broken"] += not report.chain_ok
        late_max = max(late_max, report.max_late_seconds / 120.0)
        if not report.ok:
            failures.append({"seed": report.seed, "report": repr(report)})
        if (k + 1) % 20 == 0:
            print(f"    {kind}: {k + 1}/{count} drills, {totals['kills']} kills, "
                  f"lost {totals['lost']}, duplicate {totals['duplicates']}", flush=True)  # fmt: skip
    wall = time.monotonic() - start
    print(
        f"  {kind:<10} {totals['drills']} drills, {totals['kills']} SIGKILLs: "
        f"{totals['delivered']}/{totals['expected']} pages delivered once, lost {totals['lost']}, "
        f"duplicate {totals['duplicates']}, unexpected {totals['unexpected']}, "
        f"late timers {totals['late']}/{totals['timers']} (max {late_max:.2f} s wall after due "
        f"or restart), unclean exits {totals['bad_exit']}, broken chains "
        f"{totals['chain_broken']}  [{wall:.0f} s]"
    )
    return {**totals, "max_late_wall_s": late_max, "wall_s": wall, "failures": failures}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--drills", type=int, default=200)
    p.add_argument("--pg-drills", type=int, default=20)
    p.add_argument("--latency", type=int, default=200)
    p.add_argument("--burst", type=int, default=100)
    p.add_argument("--quick", action="store_true", help="small counts, for a smoke run")
    p.add_argument("--only", choices=("latency", "burst", "drills"), action="append")
    args = p.parse_args(argv)
    if args.quick:
        args.drills, args.pg_drills, args.latency, args.burst = 3, 1, 30, 10
    results: dict[str, Any] = {"drill_playbook_lines": len(DRILL_PLAYBOOK.splitlines())}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        print("latency (one alert at a time)")
        results["latency"] = {
            k: latency(k, workdir, args.latency) for k in ("sqlite", "postgresql")
        }
        print("burst (fake Slack enforces 1 message/s per channel)")
        results["burst"] = {"sqlite": burst("sqlite", workdir, args.burst)}
        print("crash drills (runner killed with SIGKILL at random moments)")
        results["drills"] = {
            "sqlite": drills("sqlite", workdir, args.drills, 1000),
            "postgresql": drills("postgresql", workdir, args.pg_drills, 5000),
        }
    out = ROOT / "reports" / "bench_escalate.json"
    out.parent.mkdir(exist_ok=True)
    if args.only and out.exists():  # a partial run updates its parts only
        results = {**json.loads(out.read_text(encoding="utf-8")), **results}
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
