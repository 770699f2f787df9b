"""The outbox rules: order, per-channel rates, Retry-After, backoff, fallback, nothing lost."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warning.errors import ConfigError
from warning.notify.bucket import TokenBucket
from warning.notify.fakeslack import FakeSlack
from warning.notify.outbox import (
    PRIORITY_FYI,
    PRIORITY_PAGE,
    OutboxItem,
    OutboxScheduler,
)
from warning.notify.result import DeliveryResult
from warning.notify.slack import SlackDelivery
from warning.records import Notification

T0 = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)


def dm(i: int, user: str = "U1") -> OutboxItem:
    n = Notification(f"dm-{user}-{i}", "page_dm", user, f"page {i}", priority=PRIORITY_PAGE)
    return OutboxItem(n, T0, seq=i)


def fyi(i: int, channel: str = "C0CRISIS") -> OutboxItem:
    n = Notification(f"fyi-{channel}-{i}", "fyi", channel, f"fyi {i}", priority=PRIORITY_FYI)
    return OutboxItem(n, T0, seq=1000 + i)


def drain(
    sched: OutboxScheduler,
    items: list[OutboxItem],
    answer: callable = lambda item, now: DeliveryResult.sent(item.channel, "1"),  # type: ignore[valid-type]
    step: float = 0.05,
    limit: float = 600.0,
) -> list[tuple[float, OutboxItem]]:
    """Drive the scheduler on a simulated clock until everything is done."""
    pending = list(items)
    sent: list[tuple[float, OutboxItem]] = []
    now = T0
    while pending and (now - T0).total_seconds() < limit:
        while (item := sched.next_ready(pending, now)) is not None:
            decision = sched.after_result(item, answer(item, now), now)
            pending.remove(item)
            if decision.done:
                sent.append(((now - T0).total_seconds(), decision.item))
            else:
                pending.append(decision.item)
        wake = sched.wake_at(pending, now)
        now = max(now + timedelta(seconds=step), wake or now)
    assert not pending, f"{len(pending)} items left after {limit} s"
    return sent


def test_pages_go_before_fyi_posts_on_the_same_channel() -> None:
    sched = OutboxScheduler(rate=1.0, burst=1)
    page = OutboxItem(Notification("p", "page_dm", "C0CRISIS", "p", priority=0), T0 + timedelta(1))
    order = [i.key for _, i in drain(sched, [fyi(0), fyi(1), page])]
    assert order == ["p", "fyi-C0CRISIS-0", "fyi-C0CRISIS-1"]


def test_burst_of_100_alerts_to_one_channel_plus_their_dms() -> None:
    items = [fyi(i) for i in range(100)] + [dm(i, user=f"U{i % 10}") for i in range(100)]
    sched = OutboxScheduler(rate=1.0, burst=3)
    sent = drain(sched, items)
    keys = [i.key for _, i in sent]
    assert sorted(keys) == sorted(i.key for i in items) and len(set(keys)) == 200  # nothing lost
    by_channel: dict[str, list[float]] = defaultdict(list)
    for at, item in sent:
        by_channel[item.channel].append(at)
    for times in by_channel.values():  # at most burst + rate·window in any window
        for a in range(len(times)):
            for b in range(a, len(times)):
                assert b - a + 1 <= 3 + (times[b] - times[a]) + 1e-6
    # DMs first: whenever a DM and a post went out at the same instant, the DM went first,
    # and every DM was out long before the channel drained.
    last_dm = max(at for at, i in sent if i.notification.kind == "page_dm")
    assert last_dm <= 8.0 + 1e-6
    assert max(by_channel["C0CRISIS"]) == pytest.approx(97.0, abs=0.1)
    first_at = sent[0][0]
    first_batch = [i.notification.kind for at, i in sent if at == first_at]
    assert first_batch.index("fyi") == len(first_batch) - 3  # 30 DMs, then the channel's 3


def test_retry_after_blocks_only_that_channel() -> None:
    sched = OutboxScheduler(rate=10.0, burst=10)
    a, b = fyi(0, "C0A"), fyi(0, "C0B")
    a2 = fyi(1, "C0A")
    first = sched.next_ready([a, b, a2], T0)
    assert first is a
    decision = sched.after_result(a, DeliveryResult.retry_after_seconds(30), T0)
    assert decision.retry_at == T0 + timedelta(seconds=30) and not decision.done
    assert sched.blocked_until("C0A", T0) == T0 + timedelta(seconds=30)
    pending = [decision.item, b, a2]
    assert sched.next_ready(pending, T0 + timedelta(seconds=1)) is b
    pending.remove(b)
    assert sched.next_ready(pending, T0 + timedelta(seconds=2)) is None  # C0A still blocked
    assert sched.wake_at(pending, T0 + timedelta(seconds=2)) == T0 + timedelta(seconds=30)
    assert sched.next_ready(pending, T0 + timedelta(seconds=30)) is decision.item


def test_transient_backoff_grows_with_seeded_jitter_and_survives_a_restart() -> None:
    item = fyi(0)
    sched = OutboxScheduler(backoff_base=1.0, backoff_factor=2.0, backoff_max=60.0, jitter=0.2)
    delays = [sched.backoff(item, n) for n in range(1, 9)]
    for n, delay in enumerate(delays, start=1):
        nominal = min(60.0, 2.0 ** (n - 1))
        assert 0.8 * nominal <= delay <= 1.2 * nominal
    assert delays == [
        OutboxScheduler(jitter=0.2, backoff_max=60.0).backoff(item, n) for n in range(1, 9)
    ]
    assert delays != [
        OutboxScheduler(jitter=0.2, backoff_max=60.0, random_state=1).backoff(item, n)
        for n in range(1, 9)
    ]
    d = sched.after_result(item, DeliveryResult.transient("http_503"), T0)
    assert d.retry_at == T0 + timedelta(seconds=delays[0]) and d.item.attempts == 1
    assert d.item.last_error == "http_503" and sched.blocked_until(item.channel, T0) is None


def test_a_page_falls_back_to_email_after_120_s_of_failures_and_keeps_trying() -> None:
    sched = OutboxScheduler(fallback_after=120.0, backoff_max=30.0)
    failing = lambda item, now: DeliveryResult.transient("http_500")  # noqa: E731
    item = dm(0)
    now, fallbacks, attempts = T0, [], 0
    while (now - T0).total_seconds() < 300:
        ready = sched.next_ready([item], now)
        if ready is not None:
            attempts += 1
            decision = sched.after_result(ready, failing(ready, now), now)
            item = decision.item
            if decision.fallback:
                fallbacks.append((now - T0).total_seconds())
        for due in sched.due_fallbacks([item], now):  # what the runtime does on each wake-up
            fallbacks.append((now - T0).total_seconds())
            item = sched.mark_fallback(due)
        now = max(now + timedelta(milliseconds=100), sched.wake_at([item], now) or now)
    assert len(fallbacks) == 1 and fallbacks[0] == pytest.approx(120.0, abs=0.2)
    assert item.fallback_sent and attempts > 5  # Slack is still being tried


def test_due_fallbacks_catches_a_page_waiting_behind_a_blocked_channel() -> None:
    sched = OutboxScheduler(fallback_after=120.0)
    first, second = dm(0), dm(1)
    d = sched.after_result(first, DeliveryResult.retry_after_seconds(600), T0)
    assert not sched.due_fallbacks([d.item, second], T0 + timedelta(seconds=119))
    due = sched.due_fallbacks([d.item, second], T0 + timedelta(seconds=120))
    assert {i.key for i in due} == {first.key, second.key}
    assert sched.due_fallbacks([sched.mark_fallback(i) for i in due], T0 + timedelta(hours=1)) == []


def test_fyi_posts_do_not_fall_back_on_trouble_but_permanent_errors_always_do() -> None:
    sched = OutboxScheduler(fallback_after=0.0)
    d = sched.after_result(fyi(0), DeliveryResult.transient("timeout"), T0)
    assert not d.fallback and not d.done
    for item in (fyi(1), dm(1)):
        p = sched.after_result(item, DeliveryResult.permanent("channel_not_found"), T0)
        assert p.done and p.fallback and p.reason == "permanent:channel_not_found"
        assert p.item.fallback_sent and p.item.last_error == "channel_not_found"
    already = sched.mark_fallback(dm(2))
    assert not sched.after_result(already, DeliveryResult.permanent("x"), T0).fallback


def test_success_clears_the_channel_trouble() -> None:
    sched = OutboxScheduler()
    d = sched.after_result(dm(0), DeliveryResult.retry_after_seconds(5), T0)
    ok = sched.after_result(d.item, DeliveryResult.sent("D1", "1"), T0 + timedelta(seconds=5))
    assert ok.done and ok.item.attempts == 2 and ok.item.not_before is None
    assert sched.due_fallbacks([dm(1)], T0 + timedelta(hours=1)) == []


def test_snapshot_and_restore_keep_the_channel_state() -> None:
    sched = OutboxScheduler(rate=1.0, burst=1)
    assert sched.next_ready([fyi(0)], T0) is not None
    sched.after_result(fyi(1), DeliveryResult.retry_after_seconds(30), T0)
    again = OutboxScheduler(rate=1.0, burst=1)
    again.restore(sched.snapshot())
    assert again.blocked_until("C0CRISIS", T0) == T0 + timedelta(seconds=30)
    assert again.next_ready([fyi(2)], T0 + timedelta(seconds=10)) is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"rate": 0},
            "The 'rate' parameter of OutboxScheduler must be greater than 0. Got 0 instead.",
        ),
        (
            {"jitter": 1.5},
            "The 'jitter' parameter of OutboxScheduler must be in [0, 1). Got 1.5 instead.",
        ),
        (
            {"fallback_after": -1},
            "The 'fallback_after' parameter of OutboxScheduler must be at least 0. Got -1 instead.",
        ),
    ],
)
def test_bad_parameters_are_named(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ConfigError) as err:
        OutboxScheduler(**kwargs)  # type: ignore[arg-type]
    assert str(err.value) == message


@settings(max_examples=200, deadline=None)
@given(
    rate=st.floats(0.1, 20.0),
    burst=st.integers(1, 10),
    gaps=st.lists(st.floats(0.0, 3.0), min_size=1, max_size=80),
)
def test_token_bucket_never_exceeds_burst_plus_rate_and_never_starves(
    rate: float, burst: int, gaps: list[float]
) -> None:
    bucket = TokenBucket(rate=rate, burst=burst)
    t, granted, last = 0.0, [], None
    for gap in gaps:
        t += gap
        ok = bucket.try_take(T0 + timedelta(seconds=t))
        if last is not None and t - last >= 1.0 / rate + 1e-6:
            assert ok, "a token must be there 1/rate after the last grant"
        if ok:
            granted.append(t)
            last = t
    for a in range(len(granted)):
        for b in range(a, len(granted)):
            assert b - a + 1 <= burst + rate * (granted[b] - granted[a]) + 1e-6


def test_token_bucket_ignores_a_clock_stepping_back() -> None:
    bucket = TokenBucket(rate=1.0, burst=1)
    assert bucket.try_take(T0 + timedelta(seconds=10))
    assert not bucket.try_take(T0)  # earlier instant: no tokens appear
    assert bucket.ready_at(T0) == T0 + timedelta(seconds=11)


def test_drain_against_the_fake_with_rate_enforcement() -> None:
    """The real client and the fake's per-channel limit: nothing lost, DMs first, 429s honoured."""
    with FakeSlack(channel_rate=20.0, channel_burst=3) as fake:
        fake.add_channel("crisis", "C0CRISIS")
        slack = SlackDelivery(fake.token, fake.base_url, timeout=2.0)
        sched = OutboxScheduler(rate=15.0, burst=2)
        start = datetime.now(UTC)
        items = [OutboxItem(fyi(i).notification, start, seq=i) for i in range(30)]
        items += [
            OutboxItem(dm(i, f"U{i % 3}").notification, start, seq=100 + i) for i in range(12)
        ]
        pending, done = list(items), []
        deadline = time.monotonic() + 30
        while pending and time.monotonic() < deadline:
            now = datetime.now(UTC)
            item = sched.next_ready(pending, now)
            if item is None:
                wake = sched.wake_at(pending, now) or now
                time.sleep(min(0.2, max(0.0, (wake - datetime.now(UTC)).total_seconds())))
                continue
            decision = sched.after_result(item, slack.deliver(item.notification), datetime.now(UTC))
            pending.remove(item)
            (done if decision.done else pending).append(decision.item)
        assert not pending and all(not d.fallback_sent for d in done)
        posted = Counter(m.get("text") for ms in fake.all_messages().values() for m in ms)
        assert sum(posted.values()) == 42 and max(posted.values()) == 1  # no loss, no duplicate
        order = [
            r.params.get("text", "") for r in fake.requests("chat.postMessage") if r.status == 200
        ]
        assert all(t.startswith("page") for t in order[:3])  # DMs open the drain
