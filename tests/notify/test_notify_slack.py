"""slack-sdk's real WebClient against the loopback fake, one scenario at a time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from warning.notify.fakeslack import FakeSlack, Scenario
from warning.notify.result import DeliveryStatus
from warning.notify.slack import EVENT_TYPE, MessageRef, SlackDelivery
from warning.records import Notification


def page(key: str = "c-7:l1:r0:anna", user: str = "U04LUM0AB01", **kw: object) -> Notification:
    return Notification(
        key, "page_dm", user, "Storm warning: Lumina", priority=0, crisis_id="c-7", **kw
    )  # type: ignore[arg-type]


def test_429_then_ok_is_exactly_two_requests_and_says_retry_after_first(
    fake: FakeSlack, slack: SlackDelivery
) -> None:
    fake.queue("chat.postMessage", Scenario.rate_limited(retry_after=7))
    first = slack.post("C0CRISIS", "hello", idempotency_key="k1")
    second = slack.post("C0CRISIS", "hello", idempotency_key="k1")
    assert first.status is DeliveryStatus.RETRY_AFTER
    assert (first.retry_after, first.http_status, first.error) == (7.0, 429, "ratelimited")
    assert second.ok and second.ts
    fake.assert_count("chat.postMessage", 2)
    assert [r.status for r in fake.requests("chat.postMessage")] == [429, 200]
    assert len(fake.messages("C0CRISIS")) == 1


@pytest.mark.parametrize(
    ("scenario", "retry_after", "error"),
    [
        (Scenario.ratelimited_body(), 5.0, "ratelimited"),  # no header: the default
        (Scenario.ratelimited_body(retry_after=12), 12.0, "ratelimited"),
        (Scenario.message_limit_exceeded(), 5.0, "message_limit_exceeded"),
        (Scenario.message_limit_exceeded(retry_after=30), 30.0, "message_limit_exceeded"),
    ],
    ids=["ratelimited", "ratelimited-header", "message-limit", "message-limit-header"],
)
def test_rate_limit_bodies_at_http_200_are_treated_like_429(
    fake: FakeSlack, slack: SlackDelivery, scenario: Scenario, retry_after: float, error: str
) -> None:
    fake.queue("chat.postMessage", scenario)
    result = slack.post("C0CRISIS", "hello")
    assert result.status is DeliveryStatus.RETRY_AFTER
    assert (result.retry_after, result.error, result.http_status) == (retry_after, error, 200)
    fake.assert_count("chat.postMessage", 1)  # the client itself never retried
    assert fake.messages("C0CRISIS") == []


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_is_transient(fake: FakeSlack, slack: SlackDelivery, status: int) -> None:
    fake.queue("chat.postMessage", Scenario.server_error(status))
    result = slack.post("C0CRISIS", "hello")
    assert result.status is DeliveryStatus.TRANSIENT
    assert (result.error, result.http_status) == (f"http_{status}", status)
    fake.assert_count("chat.postMessage", 1)


def test_timeout_is_transient_and_does_not_sleep_beyond_the_timeout(
    fake: FakeSlack, slack: SlackDelivery
) -> None:
    fake.queue("chat.postMessage", Scenario.slow(3.0, then=Scenario.error("channel_not_found")))
    started = time.monotonic()
    result = slack.post("C0CRISIS", "hello")
    assert time.monotonic() - started < 2.5
    assert result.status is DeliveryStatus.TRANSIENT and result.error == "timeout"


def test_dropped_connection_is_transient(fake: FakeSlack, slack: SlackDelivery) -> None:
    fake.queue("chat.postMessage", Scenario.disconnect())
    result = slack.post("C0CRISIS", "hello")
    assert result.status is DeliveryStatus.TRANSIENT and result.error == "connection_error"


@pytest.mark.parametrize("code", ["channel_not_found", "not_in_channel", "is_archived"])
def test_request_errors_are_permanent(fake: FakeSlack, slack: SlackDelivery, code: str) -> None:
    fake.queue("chat.postMessage", Scenario.error(code))
    result = slack.post("C0CRISIS", "hello")
    assert result.status is DeliveryStatus.PERMANENT and result.error == code
    assert not result.retryable


def test_real_channel_errors_come_from_the_workspace(fake: FakeSlack, slack: SlackDelivery) -> None:
    fake.add_channel("board", "C0BOARD", member=False)
    assert slack.post("#nowhere", "x").error == "channel_not_found"
    assert slack.post("C0BOARD", "x").error == "not_in_channel"
    bad = SlackDelivery("xoxb-wrong", fake.base_url, timeout=1.0)
    result = bad.post("C0CRISIS", "x")
    assert (result.status, result.error) == (DeliveryStatus.PERMANENT, "invalid_auth")


def test_internal_error_code_is_transient(fake: FakeSlack, slack: SlackDelivery) -> None:
    fake.queue("chat.postMessage", Scenario.error("internal_error"))
    assert slack.post("C0CRISIS", "x").status is DeliveryStatus.TRANSIENT


def test_page_dm_opens_the_conversation_then_posts_with_metadata(
    fake: FakeSlack, slack: SlackDelivery
) -> None:
    result = slack.deliver(page())
    assert result.ok and result.channel == "D04LUM0AB01" and result.requests == 2
    assert [r.method for r in fake.requests()] == ["conversations.open", "chat.postMessage"]
    sent = fake.requests("chat.postMessage")[0]
    assert sent.headers["Authorization"] == f"Bearer {fake.token}"
    assert sent.params["metadata"]["event_type"] == EVENT_TYPE
    assert sent.params["metadata"]["event_payload"]["idempotency_key"] == "c-7:l1:r0:anna"
    # the DM is cached: a second page needs one request only
    again = slack.deliver(page(key="c-7:l2:r0:anna"))
    assert again.requests == 1
    fake.assert_count("conversations.open", 1)


def test_a_rate_limited_conversations_open_is_reported_not_raised(
    fake: FakeSlack, slack: SlackDelivery
) -> None:
    fake.queue("conversations.open", Scenario.rate_limited(retry_after=3))
    result = slack.deliver(page())
    assert result.status is DeliveryStatus.RETRY_AFTER and result.method == "conversations.open"
    fake.assert_count("chat.postMessage", 0)


def test_the_same_key_is_not_posted_twice_by_one_process(
    fake: FakeSlack, slack: SlackDelivery
) -> None:
    first = slack.deliver(page())
    second = slack.deliver(page())
    assert second.ok and second.ts == first.ts and second.requests == 0
    fake.assert_count("chat.postMessage", 1)


def test_reconcile_after_a_restart_finds_the_earlier_send(fake: FakeSlack) -> None:
    before = SlackDelivery(fake.token, fake.base_url, timeout=1.0)
    first = before.deliver(page())
    for i in range(30):  # other traffic in the same DM after the page
        before.post(first.channel or "", f"note {i}", idempotency_key=f"note-{i}")
    after = SlackDelivery(fake.token, fake.base_url, timeout=1.0, history_pages=3)  # new process
    found = after.deliver(page(), reconcile=True)
    assert found.ok and found.ts == first.ts and found.method == "conversations.history"
    assert len(fake.messages("U04LUM0AB01")) == 31  # nothing posted again
    history = fake.requests("conversations.history")[-1]
    assert history.params["include_all_metadata"] in ("1", True)


def test_reconcile_posts_when_the_earlier_send_never_arrived(fake: FakeSlack) -> None:
    fake.queue("chat.postMessage", Scenario.server_error(503))
    crashed = SlackDelivery(fake.token, fake.base_url, timeout=1.0)
    assert crashed.deliver(page()).status is DeliveryStatus.TRANSIENT
    restarted = SlackDelivery(fake.token, fake.base_url, timeout=1.0)
    result = restarted.deliver(page(), reconcile=True)
    assert result.ok and result.method == "chat.postMessage"
    assert len(fake.messages("U04LUM0AB01")) == 1


def test_reconcile_does_not_post_blindly_when_the_lookup_fails(fake: FakeSlack) -> None:
    slack = SlackDelivery(fake.token, fake.base_url, timeout=1.0)
    fake.queue("conversations.history", Scenario.rate_limited(retry_after=20))
    result = slack.deliver(page(), reconcile=True)
    assert result.status is DeliveryStatus.RETRY_AFTER and result.retry_after == 20.0
    fake.assert_count("chat.postMessage", 0)


def test_timeout_after_slack_accepted_is_resolved_by_reconcile(fake: FakeSlack) -> None:
    # Slack is slow, the client gives up, Slack posts anyway: the classic in-flight case.
    fake.queue("chat.postMessage", Scenario.slow(1.5))
    slack = SlackDelivery(fake.token, fake.base_url, timeout=1.0)
    assert slack.deliver(page()).error == "timeout"
    assert fake.wait_for("chat.postMessage", 1)
    deadline = time.monotonic() + 5
    while not fake.messages("U04LUM0AB01") and time.monotonic() < deadline:
        time.sleep(0.02)
    result = SlackDelivery(fake.token, fake.base_url, timeout=1.0).deliver(page(), reconcile=True)
    assert result.ok and result.method == "conversations.history"
    assert len(fake.messages("U04LUM0AB01")) == 1


def test_after_an_ambiguous_answer_the_same_process_looks_before_posting_again(
    fake: FakeSlack, slack: SlackDelivery
) -> None:
    fake.queue("chat.postMessage", Scenario.slow(1.5))
    first = slack.deliver(page())
    assert first.ambiguous
    deadline = time.monotonic() + 5  # Slack finishes the slow post
    while not fake.messages("U04LUM0AB01") and time.monotonic() < deadline:
        time.sleep(0.02)
    second = slack.deliver(page())  # no reconcile flag: the deliverer remembers the doubt
    assert second.ok and second.method == "conversations.history"
    assert len(fake.messages("U04LUM0AB01")) == 1
    fake.queue("chat.postMessage", Scenario.error("channel_not_found"))
    assert not slack.deliver(page(key="other")).ambiguous  # a clear answer leaves no doubt


def test_update_in_place_and_thread_reply_by_parent_key(
    fake: FakeSlack, slack: SlackDelivery
) -> None:
    post = Notification("c-7:post", "channel_post", "C0CRISIS", "Storm warning", crisis_id="c-7")
    sent = slack.deliver(post)
    update = Notification(
        "c-7:post:ack",
        "update",
        "C0CRISIS",
        "Acknowledged",
        thread_of="c-7:post",
        blocks=({"type": "section", "text": {"type": "mrkdwn", "text": "✅ Anna 20:41"}},),
    )
    reply = Notification(
        "c-7:checklist", "thread_reply", "C0CRISIS", "Checklist", thread_of="c-7:post"
    )
    assert slack.deliver(update).ok
    replied = slack.deliver(reply)
    assert replied.ok
    [message] = [m for m in fake.messages("C0CRISIS") if m["ts"] == sent.ts]
    assert message["text"] == "Acknowledged" and message["edited"]
    assert message["blocks"][0]["text"]["text"] == "✅ Anna 20:41"
    assert fake.requests("chat.postMessage")[-1].params["thread_ts"] == sent.ts
    # a new process finds the parent through the metadata search
    other = SlackDelivery(fake.token, fake.base_url, timeout=1.0)
    again = Notification("c-7:post:ack2", "update", "C0CRISIS", "Resolved", thread_of="c-7:post")
    assert other.deliver(again).ok


def test_thread_reply_before_its_parent_is_transient(slack: SlackDelivery) -> None:
    reply = Notification("k:r", "thread_reply", "C0CRISIS", "Checklist", thread_of="k:missing")
    result = slack.deliver(reply)
    assert result.status is DeliveryStatus.TRANSIENT and result.error == "parent_not_sent"


def test_update_with_a_known_parent_needs_one_request(
    fake: FakeSlack, slack: SlackDelivery
) -> None:
    sent = slack.post("C0CRISIS", "Storm warning")
    fake.clear_requests()
    parent = MessageRef("C0CRISIS", sent.ts or "")
    result = slack.deliver(Notification("u1", "update", "C0CRISIS", "Acked"), parent=parent)
    assert result.ok
    assert [r.method for r in fake.requests()] == ["chat.update"]


def test_chart_upload_uses_the_three_step_api(fake: FakeSlack, slack: SlackDelivery) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    result = slack.upload_chart(png, title="Lumina", alt_text="chart", channel="C0CRISIS")
    assert result.ok and result.file_id and result.requests == 3
    assert [r.method for r in fake.requests()] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    assert int(fake.requests("files.getUploadURLExternal")[0].params["length"]) == len(png)
    assert fake.file_bytes(result.file_id) == png
    assert fake.messages("C0CRISIS")[-1]["files"][0]["id"] == result.file_id


def test_chart_upload_failure_in_the_upload_step_is_classified(
    fake: FakeSlack, slack: SlackDelivery
) -> None:
    fake.queue("upload", Scenario.server_error(502))
    result = slack.upload_chart(b"png", channel="C0CRISIS")
    assert result.status is DeliveryStatus.TRANSIENT and result.http_status == 502
    fake.assert_count("files.completeUploadExternal", 0)


def test_page_with_chart_attachment_puts_the_chart_in_its_thread(
    fake: FakeSlack, slack: SlackDelivery, tmp_path: Path
) -> None:
    chart = tmp_path / "chart.png"
    chart.write_bytes(b"\x89PNG\r\n\x1a\nchart")
    result = slack.deliver(page(attachments={"chart": str(chart)}))
    assert result.ok and result.extra["chart_file_id"] == result.file_id
    dm = fake.messages("U04LUM0AB01")
    assert dm[1]["thread_ts"] == result.ts and dm[1]["files"][0]["id"] == result.file_id
    # the page itself went out first: the chart never delays it
    methods = [r.method for r in fake.requests()]
    assert methods.index("chat.postMessage") < methods.index("files.getUploadURLExternal")


def test_a_failing_chart_does_not_fail_the_page(
    fake: FakeSlack, slack: SlackDelivery, tmp_path: Path
) -> None:
    chart = tmp_path / "chart.png"
    chart.write_bytes(b"png")
    fake.queue("files.getUploadURLExternal", Scenario.error("invalid_arguments"))
    result = slack.deliver(page(attachments={"chart": str(chart)}))
    assert result.ok and result.extra == {"chart_error": "invalid_arguments"}


def test_find_sent_in_a_thread_uses_replies(fake: FakeSlack, slack: SlackDelivery) -> None:
    parent = slack.post("C0CRISIS", "Storm warning", idempotency_key="p")
    slack.reply("C0CRISIS", parent.ts or "", "Checklist", idempotency_key="r")
    fresh = SlackDelivery(fake.token, fake.base_url, timeout=1.0)
    found = fresh.find_sent("C0CRISIS", "r", thread_ts=parent.ts)
    assert found.ok and found.method == "conversations.replies"
    missing = fresh.find_sent("C0CRISIS", "nothing")
    assert missing.status is DeliveryStatus.NOT_FOUND


def test_email_kind_is_refused_by_slack(slack: SlackDelivery) -> None:
    mail = Notification("m", "email", "anna@example.org", "x")
    assert slack.deliver(mail).error == "unsupported_kind"


def test_user_lookup_and_auth_against_the_fake(fake: FakeSlack, slack: SlackDelivery) -> None:
    fake.add_user("U04LUM0AB01", "Anna Becker", email="anna@example.org", locale="de-DE")
    info = slack.client.users_info(user="U04LUM0AB01")
    assert info["user"]["profile"]["email"] == "anna@example.org"
    assert slack.client.auth_test()["user_id"] == "U0SHITBOT"
