"""Signature checks before parsing, button presses and slash commands as records, retries once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_sdk.signature import SignatureVerifier

from warning.errors import ConfigError
from warning.notify.blockkit import encode_value
from warning.notify.interact import (
    RetryDeduplicator,
    parse_interaction,
    refusal_text,
    request_key,
)
from warning.notify.signature import Rejection, SlackRequestVerifier, VerifiedRequest

NOW = datetime(2026, 3, 28, 19, 41, tzinfo=UTC)
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
ROSTER = {"U04LUM0AB01": "anna", "U04LUM0JW02": "jonas"}


def signed(body: bytes, at: datetime = NOW, secret: str = SECRET) -> dict[str, str]:
    return SlackRequestVerifier(secret).sign_headers(body, at)


BODY = b"token=x&team_id=T1&command=%2Fshitstorm&text=ack+c-7+30m&user_id=U04LUM0AB01"


@pytest.mark.parametrize(
    ("headers", "body", "reason"),
    [
        (signed(BODY), BODY, None),
        (signed(BODY, secret="another-secret"), BODY, "bad_signature"),
        (signed(BODY, at=NOW - timedelta(minutes=6)), BODY, "stale_timestamp"),
        (signed(BODY, at=NOW + timedelta(minutes=6)), BODY, "future_timestamp"),
        (signed(BODY, at=NOW - timedelta(minutes=4, seconds=59)), BODY, None),
        (signed(BODY), BODY.replace(b"30m", b"99h"), "bad_signature"),
        ({}, BODY, "missing_headers"),
        ({"X-Slack-Signature": signed(BODY)["X-Slack-Signature"]}, BODY, "missing_headers"),
        ({"X-Slack-Request-Timestamp": signed(BODY)["X-Slack-Request-Timestamp"]}, BODY, "missing_headers"),
        ({**signed(BODY), "X-Slack-Request-Timestamp": "yesterday"}, BODY, "malformed_timestamp"),
        ({**signed(BODY), "X-Slack-Signature": "v0=ünïcode"}, BODY, "bad_signature"),
        ({k.lower(): v for k, v in signed(BODY).items()}, BODY, None),
    ],
    ids=[
        "valid", "wrong-secret", "6-min-old", "6-min-future", "4m59s-old", "tampered-body",
        "no-headers", "no-timestamp", "no-signature", "malformed-timestamp", "non-ascii-signature",
        "lower-case-headers",
    ],
)  # fmt: skip
def test_signature_table(headers: dict[str, str], body: bytes, reason: str | None) -> None:
    result = SlackRequestVerifier(SECRET).verify(headers, body, NOW)
    if reason is None:
        assert isinstance(result, VerifiedRequest) and result.body == body
    else:
        assert isinstance(result, Rejection) and result.reason == reason


def test_our_signature_matches_slack_sdk() -> None:
    ts = str(int(NOW.timestamp()))
    ours = SlackRequestVerifier(SECRET).signature(BODY, ts)
    assert ours == SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=BODY)


def test_empty_secret_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="signing_secret"):
        SlackRequestVerifier("  ")
    assert "8f74" not in repr(SlackRequestVerifier(SECRET))


def verified(body: bytes, **headers: str) -> VerifiedRequest:
    result = SlackRequestVerifier(SECRET).verify({**signed(body), **headers}, body, NOW)
    assert isinstance(result, VerifiedRequest)
    return result


def action_body(user: str, *actions: dict[str, Any]) -> bytes:
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": "x"},
        "container": {"type": "message", "message_ts": "1774726200.000100", "channel_id": "D04"},
        "channel": {"id": "D04LUM0AB01"},
        "message": {"ts": "1774726200.000100"},
        "response_url": "https://hooks.slack.example/actions/1",
        "actions": list(actions),
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def test_acknowledge_with_a_promise() -> None:
    body = action_body(
        "U04LUM0AB01",
        {"action_id": "shitstorm.ack", "type": "static_select", "action_ts": "1774726860.2",
         "selected_option": {"value": encode_value("c-7", "30")}},
    )  # fmt: skip
    got = parse_interaction(verified(body), roster=ROSTER)
    [ack] = got.acks
    assert (ack.action, ack.person, ack.slack_user, ack.crisis_id) == (
        "acknowledge",
        "anna",
        "U04LUM0AB01",
        "c-7",
    )
    assert ack.at == NOW and ack.promise_until == NOW + timedelta(minutes=30)
    assert (got.channel, got.message_ts) == ("D04LUM0AB01", "1774726200.000100")
    assert ack.request_id and ack.request_id.startswith(got.request_id)


@pytest.mark.parametrize(
    ("action", "kind"),
    [
        ("shitstorm.escalate", "escalate"),
        ("shitstorm.resolve", "resolve"),
        ("shitstorm.false_alarm", "false_alarm"),
    ],
)
def test_buttons(action: str, kind: str) -> None:
    body = action_body(
        "U04LUM0JW02",
        {"action_id": action, "type": "button", "value": encode_value("c-7"), "action_ts": "1"},
    )
    [ack] = parse_interaction(verified(body), roster=ROSTER).acks
    assert (ack.action, ack.person, ack.crisis_id, ack.promise_until) == (
        kind,
        "jonas",
        "c-7",
        None,
    )


def test_checklist_tick_and_untick_and_statement_approval() -> None:
    value = encode_value("c-7", "item-3")
    tick = {"action_id": "shitstorm.checklist", "type": "checkboxes", "action_ts": "1",
            "selected_options": [{"value": value}]}  # fmt: skip
    untick = {**tick, "selected_options": []}
    approve = {"action_id": "shitstorm.approve", "type": "button", "action_ts": "2",
               "value": encode_value("c-7", "holding-de")}  # fmt: skip
    got = parse_interaction(
        verified(action_body("U04LUM0AB01", tick, untick, approve)), roster=ROSTER
    )
    assert [(a.action, a.item) for a in got.acks] == [
        ("checklist_done", "item-3"),
        ("approve_statement", "holding-de"),
    ]


def test_foreign_actions_and_values_are_ignored() -> None:
    body = action_body(
        "U04LUM0AB01",
        {"action_id": "other.app", "value": encode_value("c-7")},
        {"action_id": "shitstorm.resolve", "value": "not-ours"},
    )
    assert parse_interaction(verified(body), roster=ROSTER).acks == ()


def test_unknown_slack_user_is_refused_politely_and_nothing_is_acted_upon() -> None:
    body = action_body(
        "U0STRANGER",
        {"action_id": "shitstorm.resolve", "value": encode_value("c-7"), "action_ts": "1"},
    )
    got = parse_interaction(verified(body), roster=ROSTER, lang="en")
    assert got.refused and got.acks == () and got.person is None
    assert got.refusal == refusal_text("en") and "Sorry" in (got.refusal or "")
    assert [(a.action, a.person, a.slack_user) for a in got.unauthorised] == [
        ("resolve", None, "U0STRANGER")
    ]
    assert "Entschuldige" in refusal_text("de")


def test_slash_commands() -> None:
    def command(text: str, user: str = "U04LUM0AB01") -> Any:
        body = urlencode({"command": "/shitstorm", "text": text, "user_id": user, "channel_id": "C0CRISIS",
                          "response_url": "https://hooks.slack.example/c/1"}).encode()  # fmt: skip
        return parse_interaction(verified(body), roster=ROSTER, tz="Europe/Berlin")

    ack = command("ack c-7 21:15")
    assert ack.kind == "slash_command" and ack.acks[0].promise_until == datetime(
        2026, 3, 28, 20, 15, tzinfo=UTC
    )
    assert command("übernehmen c-7 1h").acks[0].promise_until == NOW + timedelta(hours=1)
    assert command("Fehlalarm c-7").acks[0].action == "false_alarm"
    assert command("eskalieren c-7").acks[0].action == "escalate"
    status = command("status")
    assert status.acks == () and status.command is not None and status.command.verb == "status"
    assert command("").command.verb == "help"
    assert command("ack").command.error == "usage: /shitstorm ack <crisis> [30m | 21:15]"
    assert "cannot read the promise 'bald'" in command("ack c-7 bald").command.error
    assert command("dance").command.error == "unknown command 'dance'; try help"
    stranger = command("resolve c-7", user="U0STRANGER")
    assert stranger.refused and stranger.acks == () and stranger.unauthorised[0].action == "resolve"


def test_promise_across_midnight_and_dst() -> None:
    from warning.notify.commands import parse_promise

    late = datetime(2026, 3, 28, 22, 50, tzinfo=UTC)  # 23:50 CET, the night clocks go forward
    assert parse_promise("03:15", late, "Europe/Berlin") == datetime(2026, 3, 29, 1, 15, tzinfo=UTC)
    assert (
        parse_promise("02:30", late, "Europe/Berlin") is not None
    )  # a wall time that does not exist


def test_slack_retries_are_seen_once() -> None:
    body = action_body(
        "U04LUM0AB01",
        {"action_id": "shitstorm.resolve", "value": encode_value("c-7"), "action_ts": "1"},
    )
    first = verified(body)
    retry = verified(body, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert retry.retry_num == 1 and first.retry_num == 0
    assert request_key(first) == request_key(retry)
    dedup = RetryDeduplicator(ttl=600)
    assert dedup.first_time(request_key(first), NOW)
    assert not dedup.first_time(request_key(retry), NOW + timedelta(seconds=3))
    ack_first = parse_interaction(first, roster=ROSTER).acks[0]
    ack_retry = parse_interaction(retry, roster=ROSTER).acks[0]
    assert ack_first.request_id == ack_retry.request_id  # the store can de-duplicate too


def test_deduplicator_is_bounded() -> None:
    dedup = RetryDeduplicator(ttl=600, max_entries=3)
    for i in range(10):
        assert dedup.first_time(f"k{i}", NOW)
    assert dedup.first_time("k0", NOW)  # evicted, so new again


def test_non_action_payloads_are_other() -> None:
    view = urlencode(
        {"payload": json.dumps({"type": "view_submission", "user": {"id": "U04LUM0AB01"}})}
    ).encode()
    got = parse_interaction(verified(view), roster=ROSTER)
    assert (got.kind, got.person, got.acks) == ("other", "anna", ())
    broken = urlencode({"payload": "{not json"}).encode()
    assert parse_interaction(verified(broken), roster=ROSTER).kind == "other"
