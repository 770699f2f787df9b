"""The durable outbox against the fake Slack: rate limits, failures, fallback, reconciliation."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from warning.clock import SimulatedClock
from warning.escalate.escalator import Escalator
from warning.notify.fakeslack import FakeSlack, Scenario
from warning.notify.recording import RecordingNotifier
from warning.notify.slack import SlackDelivery
from warning.store.db import Store

T0 = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)
KRISENSTAB = "C0KRISEN001"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        server.add_channel("krisenstab", KRISENSTAB)
        yield server


class SlackRig:
    def __init__(self, store: Store, config: Any, fake: FakeSlack) -> None:
        self.store, self.config, self.fake = store, config, fake
        self.clock = SimulatedClock(T0)
        self.email = RecordingNotifier()
        self.escalator = self.make("w1")

    def make(self, worker: str) -> Escalator:
        slack = SlackDelivery(self.fake.token, self.fake.base_url, timeout=1.0)
        return Escalator(
            self.store,
            self.config,
            self.clock,
            notifier=slack,
            email=self.email,
            worker=worker,
        )

    def run(self, seconds: float = 0.0) -> None:
        if seconds:
            self.clock.advance(timedelta(seconds=seconds))
        while self.escalator.tick() + self.escalator.drain():
            pass


@pytest.fixture
def srig(store: Store, config: Any, fake: FakeSlack) -> SlackRig:
    return SlackRig(store, config, fake)


def test_page_and_post_carry_their_keys(srig: SlackRig, alert: Any, accepted_keys: Any) -> None:
    srig.escalator.on_alert(alert())
    srig.run()
    assert accepted_keys(srig.fake) == [
        "c-1:e1:l1:r1:anna",
        "c-1:e1:l1:#krisenstab",
        "c-1:checklist:0",
    ]
    assert srig.fake.messages("U0ANNA00001")[0]["metadata"]["event_payload"]["crisis_id"] == "c-1"
    reply = srig.fake.messages(KRISENSTAB)[-1]
    assert reply["thread_ts"] == srig.fake.messages(KRISENSTAB)[0]["ts"]  # checklist in thread
    attempt = next(e for e in srig.store.timeline(1) if e.kind == "send_attempt")
    assert attempt.data["result"]["status"] == "sent" and attempt.data["result"]["ts"]


def test_retry_after_blocks_only_its_channel(
    srig: SlackRig, alert: Any, accepted_keys: Any
) -> None:
    limited: list[str] = []

    def once_for_the_channel(req: Any) -> Scenario | None:
        if req.params.get("channel") == KRISENSTAB and not limited:
            limited.append(req.params["channel"])
            return Scenario.rate_limited(retry_after=30)
        return None

    srig.fake.set_rule("chat.postMessage", once_for_the_channel)
    srig.escalator.on_alert(alert())
    srig.escalator.on_alert(alert(brand="Solaris"))
    srig.run()
    # the channel post got 429 + Retry-After 30: the DMs still went out
    assert accepted_keys(srig.fake) == ["c-1:e1:l1:r1:anna", "c-2:e1:l1:r1:anna"]
    srig.run(29)
    assert len(accepted_keys(srig.fake)) == 2
    srig.run(1)
    assert set(accepted_keys(srig.fake)) >= {"c-1:e1:l1:#krisenstab", "c-2:e1:l1:#krisenstab"}
    with srig.store.read() as tx:
        attempts = tx.attempts(tx.outbox_item("c-1:e1:l1:#krisenstab").id)  # type: ignore[union-attr]
    assert [(a.status, a.http_status, a.retry_after) for a in attempts] == [
        ("retry_after", 429, 30.0),
        ("sent", None, None),
    ]


@pytest.mark.parametrize("answer", [Scenario.ratelimited_body(), Scenario.message_limit_exceeded()])
def test_rate_limit_bodies_count_as_429(
    srig: SlackRig, alert: Any, accepted_keys: Any, answer: Scenario
) -> None:
    srig.fake.queue("chat.postMessage", answer)
    srig.escalator.on_alert(alert())
    srig.run()
    assert "c-1:e1:l1:r1:anna" not in accepted_keys(srig.fake)
    srig.run(5)  # no Retry-After header: the deliverer's default of 5 seconds
    assert accepted_keys(srig.fake).count("c-1:e1:l1:r1:anna") == 1


def test_server_errors_back_off_and_reconcile(
    srig: SlackRig, alert: Any, accepted_keys: Any
) -> None:
    srig.fake.queue("chat.postMessage", Scenario.server_error(503), Scenario.server_error(500))
    srig.escalator.on_alert(alert())
    srig.run()
    for _ in range(10):
        srig.run(2)
    assert accepted_keys(srig.fake).count("c-1:e1:l1:r1:anna") == 1
    assert srig.fake.count("conversations.history") >= 1  # looked before posting again


def test_timed_out_send_that_landed_is_not_sent_twice(
    srig: SlackRig, alert: Any, accepted_keys: Any
) -> None:
    srig.fake.queue("chat.postMessage", Scenario.slow(1.6))  # longer than the 1 s client timeout
    srig.escalator.on_alert(alert())
    srig.run()
    time.sleep(1.0)  # Slack finishes the slow request after the client gave up
    for _ in range(5):
        srig.run(3)
    assert accepted_keys(srig.fake).count("c-1:e1:l1:r1:anna") == 1
    assert len(srig.fake.messages("U0ANNA00001")) == 1


def test_permanent_failure_falls_back_to_email(srig: SlackRig, alert: Any) -> None:
    srig.fake.set_rule(
        "chat.postMessage",
        lambda req: (
            Scenario.error("channel_not_found")
            if str(req.params.get("channel", "")).startswith("D")
            else None
        ),
    )
    srig.escalator.on_alert(alert())
    srig.run()
    assert [n.idempotency_key for n in srig.email.notifications] == ["c-1:e1:l1:r1:anna:email"]
    assert srig.email.notifications[0].channel == "anna@lumina.example"
    with srig.store.read() as tx:
        assert tx.outbox_item("c-1:e1:l1:r1:anna").status == "failed"  # type: ignore[union-attr]
    assert "fallback_queued" in [e.kind for e in srig.store.timeline(1)]


def test_slack_failing_too_long_sends_an_email_copy(srig: SlackRig, alert: Any) -> None:
    srig.fake.set_rule("chat.postMessage", Scenario.server_error(503))
    srig.escalator.on_alert(alert())
    srig.run()
    for _ in range(13):
        srig.run(10)
    assert [n.idempotency_key for n in srig.email.notifications] == ["c-1:e1:l1:r1:anna:email"]
    srig.fake.set_rule("chat.postMessage", None)  # Slack recovers: the page still arrives there
    srig.run(400)
    assert len(srig.fake.messages("U0ANNA00001")) == 1


def test_send_stranded_by_a_dead_worker_is_reconciled(
    srig: SlackRig, alert: Any, accepted_keys: Any
) -> None:
    srig.escalator.on_alert(alert())
    srig.escalator.tick()
    # a worker claims the page, Slack gets it, and the worker dies before recording that
    with srig.store.transaction() as tx:
        tx.register_worker("dead", host="elsewhere", pid=1, at=T0 - timedelta(hours=1))
        row = tx.outbox_item("c-1:e1:l1:r1:anna")
        assert row is not None
        tx.claim(row.id, worker="dead", at=T0, reconcile=False)
    SlackDelivery(srig.fake.token, srig.fake.base_url).deliver(row.notification)
    assert srig.fake.count("chat.postMessage") == 1
    survivor = srig.make("w2")
    assert survivor.recover() == 1
    survivor.drain()
    assert accepted_keys(srig.fake).count("c-1:e1:l1:r1:anna") == 1
    with srig.store.read() as tx:
        assert tx.outbox_item("c-1:e1:l1:r1:anna").status == "sent"  # type: ignore[union-attr]
    assert "send_reconciling" in [e.kind for e in srig.store.timeline(1)]


def test_ack_updates_the_slack_messages_in_place(srig: SlackRig, alert: Any) -> None:
    from warning.records import Ack

    srig.escalator.on_alert(alert())
    srig.run()
    srig.escalator.on_ack(
        Ack("c-1", "acknowledge", "anna", "U0ANNA00001", T0, T0 + timedelta(minutes=45))
    )
    srig.run()
    assert srig.fake.count("chat.update") == 2
    dm = srig.fake.messages("U0ANNA00001")[0]
    assert "21:15" in dm["text"]


def test_email_fallback_over_smtp(store: Store, config: Any, fake: FakeSlack, alert: Any) -> None:
    """A page Slack refuses for good reaches the person over SMTP (a local aiosmtpd)."""
    from aiosmtpd.controller import Controller

    from warning.notify.email import EmailDelivery

    received: list[Any] = []

    class Inbox:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append(envelope)
            return "250 Message accepted for delivery"

    class PortZero(Controller):
        def _trigger_server(self) -> None:
            assert self.server is not None
            self.port = self.server.sockets[0].getsockname()[1]
            super()._trigger_server()

    smtp = PortZero(Inbox(), hostname="127.0.0.1", port=0)
    smtp.start()
    try:
        fake.set_rule(
            "chat.postMessage",
            lambda req: (
                Scenario.error("account_inactive")
                if str(req.params.get("channel", "")).startswith("D")
                else None
            ),
        )
        escalator = Escalator(
            store,
            config,
            SimulatedClock(T0),
            notifier=SlackDelivery(fake.token, fake.base_url, timeout=1.0),
            email=EmailDelivery("127.0.0.1", smtp.port, "alarm@lumina.example"),
        )
        escalator.on_alert(alert())
        while escalator.tick() + escalator.drain():
            pass
    finally:
        smtp.stop()
    assert [e.rcpt_tos for e in received] == [["anna@lumina.example"]]
    with store.read() as tx:
        copy = tx.outbox_item("c-1:e1:l1:r1:anna:email")
    assert copy is not None and copy.status == "sent"
