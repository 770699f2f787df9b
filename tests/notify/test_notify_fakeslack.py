"""The fake Slack speaks the real HTTP contract: bodies, tokens, history, rates, persistence."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient

from warning.notify.fakeslack import FakeSlack, Scenario


def raw(fake: FakeSlack, method: str, body: bytes, content_type: str, token: str | None) -> Any:
    headers = {"Content-Type": content_type}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(fake.base_url + method, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(req, timeout=5) as resp:
        return json.loads(resp.read())


def test_form_and_json_bodies_and_the_token(fake: FakeSlack) -> None:
    form = raw(
        fake,
        "chat.postMessage",
        b"channel=C0CRISIS&text=hi",
        "application/x-www-form-urlencoded",
        fake.token,
    )
    body = json.dumps({"channel": "#crisis", "text": "hi"}).encode()
    as_json = raw(fake, "chat.postMessage", body, "application/json; charset=utf-8", fake.token)
    assert form["ok"] and as_json["ok"] and form["channel"] == as_json["channel"] == "C0CRISIS"
    assert float(as_json["ts"]) > float(form["ts"])
    assert raw(fake, "auth.test", b"", "application/json", None)["error"] == "not_authed"
    assert raw(fake, "auth.test", b"", "application/json", "xoxb-other")["error"] == "invalid_auth"
    token_in_body = raw(
        fake, "auth.test", f"token={fake.token}".encode(), "application/x-www-form-urlencoded", None
    )
    assert token_in_body["ok"]


def test_history_filters_metadata_oldest_limit_and_cursor(fake: FakeSlack) -> None:
    client = WebClient(token=fake.token, base_url=fake.base_url, retry_handlers=[])
    tss = []
    for i in range(5):
        meta = {"event_type": "t", "event_payload": {"i": i}}
        tss.append(client.chat_postMessage(channel="C0CRISIS", text=f"m{i}", metadata=meta)["ts"])
    plain = client.conversations_history(channel="C0CRISIS")
    assert [m["text"] for m in plain["messages"]] == ["m4", "m3", "m2", "m1", "m0"]
    assert all("metadata" not in m for m in plain["messages"])
    page1 = client.conversations_history(channel="C0CRISIS", limit=2, include_all_metadata=True)
    assert [m["metadata"]["event_payload"]["i"] for m in page1["messages"]] == [4, 3]
    assert page1["has_more"]
    page2 = client.conversations_history(
        channel="C0CRISIS", limit=2, cursor=page1["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in page2["messages"]] == ["m2", "m1"]
    newer = client.conversations_history(channel="C0CRISIS", oldest=tss[2])
    assert [m["text"] for m in newer["messages"]] == ["m4", "m3"]


def test_thread_replies_stay_out_of_history(fake: FakeSlack) -> None:
    client = WebClient(token=fake.token, base_url=fake.base_url, retry_handlers=[])
    parent = client.chat_postMessage(channel="C0CRISIS", text="parent")["ts"]
    client.chat_postMessage(channel="C0CRISIS", text="reply", thread_ts=parent)
    history = client.conversations_history(channel="C0CRISIS")["messages"]
    assert [m["text"] for m in history] == ["parent"] and history[0]["reply_count"] == 1
    replies = client.conversations_replies(channel="C0CRISIS", ts=parent)["messages"]
    assert [m["text"] for m in replies] == ["parent", "reply"]


def test_invalid_blocks_error_codes(fake: FakeSlack) -> None:
    body = json.dumps({"channel": "C0CRISIS", "blocks": [{"type": "divider"}] * 51}).encode()
    assert (
        raw(fake, "chat.postMessage", body, "application/json", fake.token)["error"]
        == "invalid_blocks"
    )
    empty = json.dumps({"channel": "C0CRISIS"}).encode()
    assert (
        raw(fake, "chat.postMessage", empty, "application/json", fake.token)["error"] == "no_text"
    )


def test_queue_then_rule_then_normal(fake: FakeSlack) -> None:
    body = json.dumps({"channel": "C0CRISIS", "text": "x"}).encode()
    fake.queue("chat.postMessage", Scenario.error("channel_not_found"))
    fake.set_rule(
        "chat.postMessage",
        lambda req: Scenario.error("is_archived") if req.params.get("text") == "x" else None,
    )
    assert (
        raw(fake, "chat.postMessage", body, "application/json", fake.token)["error"]
        == "channel_not_found"
    )
    assert (
        raw(fake, "chat.postMessage", body, "application/json", fake.token)["error"]
        == "is_archived"
    )
    fake.set_rule("chat.postMessage", None)
    assert raw(fake, "chat.postMessage", body, "application/json", fake.token)["ok"]
    assert [r.scenario for r in fake.requests()] == ["error", "error", None]


def test_channel_rate_enforcement_answers_429_with_retry_after() -> None:
    with FakeSlack(channel_rate=5.0, channel_burst=2) as fake:
        fake.add_channel("crisis", "C0CRISIS")
        fake.add_channel("other", "C0OTHER")
        client = WebClient(token=fake.token, base_url=fake.base_url, retry_handlers=[])
        statuses = []
        for _ in range(4):
            try:
                client.chat_postMessage(channel="C0CRISIS", text="x")
                statuses.append(200)
            except Exception as exc:  # SlackApiError
                statuses.append(exc.response.status_code)  # type: ignore[attr-defined]
        assert statuses == [200, 200, 429, 429]
        assert fake.requests("chat.postMessage")[2].error == "ratelimited"
        # the limit is per channel
        assert client.chat_postMessage(channel="C0OTHER", text="y")["ok"]
        time.sleep(0.25)
        assert client.chat_postMessage(channel="C0CRISIS", text="z")["ok"]


def test_state_survives_a_restart_of_the_fake(tmp_path: Path) -> None:
    state = tmp_path / "slack.json"
    with FakeSlack(state_path=state) as fake:
        fake.add_channel("crisis", "C0CRISIS")
        client = WebClient(token=fake.token, base_url=fake.base_url, retry_handlers=[])
        first = client.chat_postMessage(channel="C0CRISIS", text="before")["ts"]
    with FakeSlack(state_path=state) as again:
        client = WebClient(token=again.token, base_url=again.base_url, retry_handlers=[])
        second = client.chat_postMessage(channel="#crisis", text="after")["ts"]
        assert [m["text"] for m in again.messages("C0CRISIS")] == ["before", "after"]
        assert float(second) > float(first)


def test_wait_for_and_assert_count_message(fake: FakeSlack) -> None:
    assert not fake.wait_for("chat.postMessage", 1, timeout=0.05)
    try:
        fake.assert_count("chat.postMessage", 1)
    except AssertionError as err:
        assert "expected 1 request(s) to chat.postMessage, got 0" in str(err)
    else:  # pragma: no cover
        raise AssertionError("assert_count did not fail")


def test_stop_cuts_slow_answers_short() -> None:
    fake = FakeSlack().start()
    fake.queue("auth.test", Scenario.slow(30))
    client = WebClient(token=fake.token, base_url=fake.base_url, timeout=1, retry_handlers=[])
    started = time.monotonic()
    with pytest.raises(Exception, match="timed out"):
        client.auth_test()
    fake.stop()
    assert time.monotonic() - started < 5
