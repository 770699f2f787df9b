"""Slack routes: signature first, retries once, answers dispatched to the escalator (both databases)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from warning.notify.interact import refusal_text

ANNA, JONAS, STRANGER = "U0ANNA00001", "U0JONAS0002", "U0STRANGER9"


@pytest.fixture
def rig(db_runtime: Any, make_client: Any, slack_sender: Any) -> Any:
    client = make_client(db_runtime)
    yield db_runtime, slack_sender(client, db_runtime)
    client.close()


def _kinds(runtime: Any, ref: str) -> list[str]:
    return [e.kind for e in runtime.store.timeline(ref)]


def test_a_request_that_fails_verification_is_refused_before_parsing(rig: Any) -> None:
    runtime, slack = rig
    ref = runtime.open_crisis()
    body = b"payload=%7Bnot-even-json"
    bad = slack.client.post(
        "/slack/actions",
        content=body,
        headers={"X-Slack-Request-Timestamp": "1", "X-Slack-Signature": "v0=00"},
    )
    assert bad.status_code == 401 and bad.json() == {"error": "stale_timestamp"}
    forged = slack.verifier.sign_headers(b"other body", runtime.clock.now())
    assert slack.client.post("/slack/actions", content=body, headers=forged).status_code == 401
    assert slack.client.post("/slack/commands", content=b"command=%2Fshitstorm").status_code == 401
    assert "ack_received" not in _kinds(runtime, ref)
    assert runtime.metrics.value("slack_requests_total", outcome="rejected") == 3


def test_ack_button_stops_escalation_and_a_slack_retry_counts_once(rig: Any) -> None:
    runtime, slack = rig
    ref = runtime.open_crisis()
    runtime.clock.advance(timedelta(minutes=2))
    first = slack.press(ANNA, "shitstorm.ack", f"v1|{ref}|30")
    assert first.status_code == 200
    retry = slack.press(ANNA, "shitstorm.ack", f"v1|{ref}|30", **{"X-Slack-Retry-Num": "1"})
    assert retry.status_code == 200
    with runtime.store.read() as tx:
        acks = [a for a in tx.acks(int(ref[2:])) if a.action == "acknowledge"]
        state = tx.get_state(int(ref[2:]), lock=False)
    assert len(acks) == 1 and state.acked_by == "anna"
    assert state.promise_until == runtime.clock.now() + timedelta(minutes=30)
    runtime.clock.advance(timedelta(minutes=10))  # level 2 would have been due at 5 min
    runtime.run()
    assert not any(n.channel == JONAS for n in runtime.slack.notifications)


def test_unknown_slack_user_gets_a_polite_refusal_and_the_try_is_audited(rig: Any) -> None:
    runtime, slack = rig
    ref = runtime.open_crisis()
    pressed = slack.press(STRANGER, "shitstorm.resolve", f"v1|{ref}")
    assert pressed.status_code == 200
    assert pressed.json()["response_type"] == "ephemeral"
    assert pressed.json()["text"] == refusal_text("de")
    typed = slack.command(STRANGER, "status")
    assert typed.json()["text"] == pressed.json()["text"]
    assert "ack_refused" in _kinds(runtime, ref)
    with runtime.store.read() as tx:
        assert tx.get_crisis(int(ref[2:])).is_open


def test_status_lists_open_crises_in_the_persons_language(rig: Any) -> None:
    runtime, slack = rig
    assert "Keine offene Krise" in slack.command(ANNA, "status").json()["text"]
    ref = runtime.open_crisis()
    slack.command(ANNA, f"ack {ref} 21:15")
    german = slack.command(ANNA, "status").json()["text"]
    assert f"*{ref}* Produktsicherheit: Lumina — kritisch, seit 20:30, Stufe 1" in german
    assert "alarmiert: Anna Becker" in german
    assert "übernommen von Anna Becker · Update bis 21:15" in german
    english = slack.command(JONAS, f"status {ref}").json()["text"]
    assert "critical, since 20:30, level 1" in english
    assert "acknowledged by Anna Becker · update by 21:15" in english
    assert "`escalate <crisis>`" in slack.command(JONAS, "help").json()["text"]
    assert "`eskalieren <krise>`" in slack.command(ANNA, "hilfe").json()["text"]
    assert "c-99" in slack.command(ANNA, "status c-99").json()["text"]


def test_commands_escalate_and_resolve_through_the_escalator(rig: Any) -> None:
    runtime, slack = rig
    ref = runtime.open_crisis()
    escalated = slack.command(ANNA, f"eskalieren {ref}").json()["text"]
    assert escalated.startswith(f"Escalated {ref}: level 2")
    runtime.run()
    assert any(n.channel == JONAS for n in runtime.slack.notifications)
    usage = slack.command(ANNA, "resolve").json()["text"]
    assert usage == "usage: /shitstorm resolve <crisis>"
    resolved = slack.command(JONAS, f"resolve {ref}").json()["text"]
    assert resolved == f"Crisis {ref} closed: resolved."
    with runtime.store.read() as tx:
        assert tx.get_crisis(int(ref[2:])).status == "resolved"
    again = slack.command(JONAS, f"resolve {ref}").json()["text"]
    assert "already closed" in again


def test_checklist_tick_and_statement_approvals_from_buttons(rig: Any) -> None:
    runtime, slack = rig
    ref = runtime.open_crisis()
    assert slack.press(ANNA, "shitstorm.checklist", f"v1|{ref}|item-1").status_code == 200
    slack.press(ANNA, "shitstorm.approve", f"v1|{ref}|holding-x")
    slack.press(JONAS, "shitstorm.approve", f"v1|{ref}|holding-x")
    with runtime.store.read() as tx:
        items = {c.item_key: c.done_by for c in tx.checklist(int(ref[2:]))}
    assert items == {"item-1": "anna", "item-2": None}
    assert "statement_approved" in _kinds(runtime, ref)
