"""Slack delivery against the loopback fake with Slack's posting limit switched on.

    python benchmarks/bench_notify.py                    # 100 alerts at 1 msg/s (about 4 min)
    python benchmarks/bench_notify.py --rate 5           # everything 5× faster
    python benchmarks/bench_notify.py --skip-baseline

1. **Burst drain.** 100 alerts at once, each with an FYI post to one crisis channel and a
   page DM to its on-call person (10 people). The fake enforces about one message per
   second per channel (burst 3) and answers HTTP 429 with ``Retry-After`` beyond that.
   The outbox loop uses :class:`~warning.notify.outbox.OutboxScheduler` (same rate,
   burst 2: one token in reserve against timing jitter) and slack-sdk's
   real client; reported: total drain time, when the last page DM went out, 429s seen,
   the most messages any channel got in a sliding window, lost and duplicate messages.
   Baseline in the same run: a naive FIFO loop that sends in arrival order and sleeps
   out every 429 (what a client with a plain 429 retry handler does).
2. **Latency.** Alert to the first Slack request (and to the posted page) for a single
   page: Block Kit built, notification queued, scheduler asked, DM opened, message
   posted. p50/p99 over ``--runs`` pages, each to a new person (so each opens a DM).

Figures go to stdout and ``reports/bench_notify.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from warning.notify.blocks import channel_message, page_message
from warning.notify.chart import render_chart
from warning.notify.fakeslack import FakeSlack
from warning.notify.outbox import PRIORITY_FYI, PRIORITY_PAGE, OutboxItem, OutboxScheduler
from warning.notify.result import DeliveryStatus
from warning.notify.slack import SlackDelivery
from warning.records import Alert, AlertMetrics, DetectorInfo, Drivers, Notification, Severity

ROOT = Path(__file__).resolve().parents[1]
#: Slack's burst on the fake; the outbox keeps one token in reserve (burst 2), so request
#: jitter between its clock and Slack's never tips a channel over the limit.
FAKE_BURST = 3


def make_alert(i: int, at: datetime) -> Alert:
    drivers = Drivers(
        top_negative_posts=tuple(
            {
                "author": f"@k{j}",
                "platform": "x",
                "text": f"Nie wieder, Abzocke #{i}.{j}",
                "reach": 1000 * j,
            }
            for j in range(5)
        ),
        top_authors=tuple(
            {"author": f"@big{j}", "reach": 50_000 - j, "mentions": 2} for j in range(5)
        ),
        platforms={"x": 540, "tiktok": 300, "instagram": 200},
        new_author_share=0.7,
    )
    metrics = AlertMetrics(1240.0 + i, 180.0, 6.9, 0.62, 0.18)
    return Alert(
        f"Brand{i}", at, at, Severity.CRITICAL, at, metrics, DetectorInfo("storm"), f"b{i}", drivers
    )


def notifications(alerts: int, people: int, at: datetime) -> list[Notification]:
    """In arrival order: alert i's FYI post, then its page DM."""
    out = []
    for i in range(alerts):
        alert = make_alert(i, at)
        post = channel_message(alert, crisis_id=f"c-{i}", lang="de", with_actions=False)
        out.append(
            Notification(
                f"c-{i}:fyi", "fyi", "C0CRISIS", post.text, PRIORITY_FYI, f"c-{i}", post.blocks
            )
        )
        page = page_message(alert, crisis_id=f"c-{i}", lang="de", level=1)
        user = f"U0ONCALL{i % people:02d}"
        out.append(
            Notification(
                f"c-{i}:page", "page_dm", user, page.text, PRIORITY_PAGE, f"c-{i}", page.blocks
            )
        )
    return out


def window_peak(times: list[float], window: float) -> int:
    times = sorted(times)
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while t - times[lo] > window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def summarize(
    fake: FakeSlack, start: float, done_at: dict[str, float], kinds: dict[str, str], rate: float
) -> dict[str, Any]:
    posted = [r for r in fake.requests("chat.postMessage") if r.status == 200]
    texts = Counter(
        (r.params.get("metadata") or {}).get("event_payload", {}).get("idempotency_key")
        for r in posted
    )
    per_channel: dict[str, list[float]] = defaultdict(list)
    for r in posted:
        per_channel[str(r.extra.get("channel"))].append(r.at - start)
    dm_times = [t for k, t in done_at.items() if kinds[k] == "page_dm"]
    fyi_times = [t for k, t in done_at.items() if kinds[k] == "fyi"]
    return {
        "total_drain_s": round(max(done_at.values()), 2),
        "last_dm_s": round(max(dm_times), 2),
        "dm_latency_p50_s": round(float(np.percentile(dm_times, 50)), 2),
        "dm_latency_p99_s": round(float(np.percentile(dm_times, 99)), 2),
        "last_fyi_s": round(max(fyi_times), 2),
        "http_429": sum(1 for r in fake.requests("chat.postMessage") if r.status == 429),
        "requests": fake.count(),
        "delivered": len(texts),
        "lost": len(kinds) - len(texts),
        "duplicates": sum(n - 1 for n in texts.values()),
        # Slack allows burst + rate·W messages in any window W; W = 10 message intervals
        "channel_peak_in_10_intervals": max(
            window_peak(t, 10.0 / rate) for t in per_channel.values()
        ),
        "channel_allowed_in_10_intervals": FAKE_BURST + 10,
    }


def drain_with_scheduler(args: argparse.Namespace) -> dict[str, Any]:
    with FakeSlack(channel_rate=args.rate, channel_burst=FAKE_BURST) as fake:
        fake.add_channel("crisis", "C0CRISIS")
        slack = SlackDelivery(fake.token, fake.base_url, timeout=5.0)
        sched = OutboxScheduler(rate=args.rate, burst=FAKE_BURST - 1, backoff_base=0.5 / args.rate)
        start, now0 = time.monotonic(), datetime.now(UTC)
        pending = [
            OutboxItem(n, now0, seq=i)
            for i, n in enumerate(notifications(args.alerts, args.people, now0))
        ]
        kinds = {i.key: i.notification.kind for i in pending}
        done_at: dict[str, float] = {}
        while pending:
            now = datetime.now(UTC)
            item = sched.next_ready(pending, now)
            if item is None:
                wake = sched.wake_at(pending, now) or now + timedelta(seconds=0.05)
                time.sleep(min(0.5, max(0.001, (wake - datetime.now(UTC)).total_seconds())))
                continue
            decision = sched.after_result(item, slack.deliver(item.notification), datetime.now(UTC))
            pending.remove(item)
            if decision.done:
                done_at[item.key] = time.monotonic() - start
            else:
                pending.append(decision.item)
        return summarize(fake, start, done_at, kinds, args.rate)


def drain_naive(args: argparse.Namespace) -> dict[str, Any]:
    with FakeSlack(channel_rate=args.rate, channel_burst=FAKE_BURST) as fake:
        fake.add_channel("crisis", "C0CRISIS")
        slack = SlackDelivery(fake.token, fake.base_url, timeout=5.0)
        start = time.monotonic()
        queue = notifications(args.alerts, args.people, datetime.now(UTC))
        kinds = {n.idempotency_key: n.kind for n in queue}
        done_at: dict[str, float] = {}
        for n in queue:
            while True:
                result = slack.deliver(n)
                if result.status is DeliveryStatus.RETRY_AFTER:
                    time.sleep(result.retry_after or 1.0)
                    continue
                break
            done_at[n.idempotency_key] = time.monotonic() - start
        return summarize(fake, start, done_at, kinds, args.rate)


def latency(args: argparse.Namespace) -> dict[str, Any]:
    first, posted = [], []
    with FakeSlack() as fake:
        slack = SlackDelivery(fake.token, fake.base_url, timeout=5.0)
        sched = OutboxScheduler()
        for run in range(args.runs):
            fake.clear_requests()
            t_alert = time.monotonic()
            now = datetime.now(UTC)
            alert = make_alert(run, now)
            msg = page_message(alert, crisis_id=f"c-{run}", lang="de", level=1)
            n = Notification(
                f"lat-{run}",
                "page_dm",
                f"U0LAT{run:05d}",
                msg.text,
                PRIORITY_PAGE,
                f"c-{run}",
                msg.blocks,
            )
            item = sched.next_ready([OutboxItem(n, now)], now)
            assert item is not None
            result = slack.deliver(item.notification)
            t_posted = time.monotonic()
            assert result.ok, result
            first.append(fake.requests()[0].at - t_alert)
            posted.append(t_posted - t_alert)
    idx = pd.date_range("2026-03-28 15:00", periods=72, freq="5min", tz="UTC")
    frame = pd.DataFrame({"volume": np.linspace(10, 300, 72), "expected_volume": 12.0,
                          "negative_share": np.linspace(0.1, 0.7, 72), "expected_negative_share": 0.18}, index=idx)  # fmt: skip
    render_chart(frame)  # warm up fonts
    chart = []
    for _ in range(10):
        t = time.monotonic()
        render_chart(frame, change_points=[idx[50]], alerts=[idx[55]], title="Lumina")
        chart.append(time.monotonic() - t)
    ms = lambda xs, q: round(1000 * float(np.percentile(xs, q)), 2)  # noqa: E731
    return {
        "runs": args.runs,
        "alert_to_first_request_ms_p50": ms(first, 50),
        "alert_to_first_request_ms_p99": ms(first, 99),
        "alert_to_posted_ms_p50": ms(posted, 50),
        "alert_to_posted_ms_p99": ms(posted, 99),
        "chart_render_ms_median": round(1000 * statistics.median(chart), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alerts", type=int, default=100)
    parser.add_argument("--people", type=int, default=10)
    parser.add_argument("--rate", type=float, default=1.0, help="messages per second per channel")
    parser.add_argument("--runs", type=int, default=200, help="latency samples")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    report: dict[str, Any] = {"alerts": args.alerts, "people": args.people, "rate": args.rate}
    report["latency"] = latency(args)
    print("latency:", json.dumps(report["latency"]))
    report["scheduler"] = drain_with_scheduler(args)
    print("scheduler drain:", json.dumps(report["scheduler"]))
    if not args.skip_baseline:
        report["naive_fifo"] = drain_naive(args)
        print("naive FIFO drain:", json.dumps(report["naive_fifo"]))
        ours, naive = report["scheduler"], report["naive_fifo"]
        report["ratios"] = {
            "last_dm_naive_over_scheduler": round(
                naive["last_dm_s"] / max(ours["last_dm_s"], 1e-9), 1
            ),
            "dm_p99_naive_over_scheduler": round(
                naive["dm_latency_p99_s"] / max(ours["dm_latency_p99_s"], 1e-9), 1
            ),
            "drain_naive_over_scheduler": round(naive["total_drain_s"] / ours["total_drain_s"], 2),
        }
        print("ratios:", json.dumps(report["ratios"]))
    out = ROOT / "reports" / "bench_notify.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written {out}")


if __name__ == "__main__":
    main()
