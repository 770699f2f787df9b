"""MentionQueue: all-or-nothing offers, bounded de-duplication, drain-rate Retry-After, threads."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from warning.service.queue import MentionQueue, QueueClosed, QueueFull

T0 = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)


def rows(ids: range | list[int]) -> list[dict[str, Any]]:
    return [
        {"id": f"m{i}", "timestamp": T0 + timedelta(seconds=i), "text": "x", "brand": "b"}
        for i in ids
    ]


def test_retry_after_follows_the_drain_rate_and_is_clamped() -> None:
    now = [0.0]
    queue = MentionQueue(100, monotonic=lambda: now[0])
    queue.offer(rows(range(100)))
    with pytest.raises(QueueFull) as unknown:
        queue.offer(rows(range(100, 110)))
    assert unknown.value.retry_after == 10.0  # no drain seen yet: the default
    queue.take(20, timeout=0)
    now[0] = 10.0
    queue.take(20, timeout=0)  # 40 mentions in 10 s: 4 per second
    with pytest.raises(QueueFull) as full:
        queue.offer(rows(range(200, 280)))  # 60 queued + 80: 40 over the limit -> 10 s
    assert full.value.retry_after == pytest.approx(10.0)
    with pytest.raises(QueueFull) as tiny:
        queue.offer(rows(range(300, 341)))  # 1 over the limit -> clamped to 1 s
    assert tiny.value.retry_after == 1.0
    now[0] = 11.0
    queue.take(1, timeout=0)
    with pytest.raises(QueueFull) as huge:
        queue.offer(rows(range(1000, 1500)))
    assert huge.value.retry_after == 60.0
    assert queue.depth() == 59


def test_duplicates_are_remembered_in_a_bounded_window() -> None:
    queue = MentionQueue(1_000, dedup_size=10)
    assert queue.offer(rows(range(5))).accepted == 5
    assert queue.offer(rows(range(5, 10))).accepted == 5  # ten ids: they become "previous"
    assert queue.offer(rows([0, 7, 10])).duplicates == 2  # the older generation is consulted
    assert queue.offer(rows([10])).duplicates == 1  # and the current one
    queue.offer(rows(range(11, 20)))  # ten more: the first generation is forgotten
    assert queue.offer(rows([0])).accepted == 1  # bounded memory: 0 is new again
    assert queue.offer(rows([15])).duplicates == 1


def test_take_splits_frames_blocks_until_timeout_and_wakes_on_close() -> None:
    queue = MentionQueue()
    queue.offer(rows(range(5)))
    first = queue.take(3, timeout=0)
    assert [len(f) for f in first] == [3]
    assert [f["id"].tolist() for f in queue.take(10, timeout=0)] == [["m3", "m4"]]
    assert queue.take(10, timeout=0.05) == []
    woke: list[Any] = []
    waiter = threading.Thread(target=lambda: woke.append(queue.take(10, timeout=30)))
    waiter.start()
    queue.close()
    waiter.join(5)
    assert woke == [[]]
    with pytest.raises(QueueClosed):
        queue.offer(rows([99]))


def test_concurrent_producers_and_one_consumer_lose_and_double_nothing() -> None:
    queue = MentionQueue(500)
    received: list[str] = []
    done = threading.Event()

    def consume() -> None:
        while not (done.is_set() and queue.depth() == 0):
            for frame in queue.take(64, timeout=0.01):
                received.extend(frame["id"].tolist())

    def produce(worker: int) -> None:
        for batch in range(50):
            ids = [worker * 10_000 + batch * 10 + k for k in range(10)]
            ids.append(ids[0] - 1 if batch else ids[0])  # a repeat across or inside batches
            while True:
                try:
                    queue.offer(rows(ids))
                    break
                except QueueFull:
                    threading.Event().wait(0.001)

    consumer = threading.Thread(target=consume)
    consumer.start()
    producers = [threading.Thread(target=produce, args=(w,)) for w in range(4)]
    for p in producers:
        p.start()
    for p in producers:
        p.join()
    done.set()
    consumer.join(10)
    assert len(received) == len(set(received)) == 4 * 50 * 10
