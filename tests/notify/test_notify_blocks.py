"""Block Kit: what the page says, in both languages, always within Slack's limits."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from warning.notify.blockkit import MAX_BLOCKS, check_limits, decode_value
from warning.notify.blocks import (
    ACTION_ACK,
    ACTION_ESCALATE,
    ACTION_FALSE_ALARM,
    ACTION_RESOLVE,
    KEEP_AFTER,
    STATUS_BLOCK_ID,
    channel_message,
    mention,
    page_message,
    status_line,
    with_status,
)
from warning.notify.crisisblocks import (
    ChecklistEntry,
    StatementDraft,
    checklist_messages,
    statement_message,
)
from warning.notify.render import blocks_to_text


def valid_for_slack(blocks: Sequence[Mapping[str, Any]]) -> None:
    """Our own limit check and slack-sdk's block models agree that the blocks are valid."""
    assert len(blocks) <= MAX_BLOCKS
    assert check_limits(blocks) == []
    for raw in blocks:
        block = Block.parse(dict(raw))
        assert block is not None, raw
        block.validate_json()  # raises SlackObjectFormationError on any limit


def texts(blocks: Sequence[Mapping[str, Any]]) -> str:
    return json.dumps(list(blocks), ensure_ascii=False)


def test_english_page_has_the_evidence_and_the_buttons(alert_factory: Any) -> None:
    msg = page_message(
        alert_factory(), crisis_id="c-7", lang="en", level=1, reason="on call", chart_file_id="F1"
    )
    valid_for_slack(msg.blocks)
    text = blocks_to_text(msg.blocks)
    assert msg.blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Storm warning: Lumina — critical", "emoji": True},
    }
    assert "You are being paged (level 1): on call." in text
    assert "1,240 mentions, normal for a Saturday at 20:30: 180 (×6.9)" in text
    assert "Negative share: 62% (expected 18%)" in text
    assert "New authors: 71%" in text and "x 540 · tiktok 300 · instagram 200" in text
    assert "Since: 20:05 (change point)" in text and "every 22 min" in text
    assert "Nie wieder Lumina, Abzocke! #0" in text and "@big0 — reach 50,000" in text
    assert {
        "type": "image",
        "alt_text": "Volume and negative share against what is expected",
        "slack_file": {"id": "F1"},
    } in msg.blocks
    actions = next(b for b in msg.blocks if b["type"] == "actions")
    ids = [e["action_id"] for e in actions["elements"]]
    assert ids == [ACTION_ACK, ACTION_ESCALATE, ACTION_RESOLVE, ACTION_FALSE_ALARM]
    assert [decode_value(o["value"]) for o in actions["elements"][0]["options"]] == [
        ("c-7", "15"), ("c-7", "30"), ("c-7", "60"),
    ]  # fmt: skip
    assert all(decode_value(e["value"]) == ("c-7",) for e in actions["elements"][1:])
    assert "confirm" in actions["elements"][3]
    assert msg.text.startswith("Storm warning: Lumina — critical · ×6.9, 62% negative")


def test_german_page(alert_factory: Any) -> None:
    msg = page_message(
        alert_factory(),
        crisis_id="c-7",
        lang="de",
        level=2,
        chart_url="https://charts.example/c-7.png",
    )
    valid_for_slack(msg.blocks)
    text = blocks_to_text(msg.blocks)
    assert "Sturmwarnung: Lumina — kritisch" in text
    assert "1.240 Erwähnungen, normal für einen Samstag um 20:30: 180 (×6,9)" in text
    assert "Negativ-Anteil: 62 % (erwartet 18 %)" in text
    assert "[Übernehmen – nächstes Update in …] [Eskalieren] [Erledigt] [Fehlalarm]" in text
    assert "Krise c-7 · storm · ausgelöst 20:30" in text


def test_language_falls_back_to_german_and_accepts_locales(alert_factory: Any) -> None:
    de = page_message(alert_factory(), crisis_id="c", lang="de")
    assert page_message(alert_factory(), crisis_id="c", lang="tr").blocks == de.blocks
    assert (
        page_message(alert_factory(), crisis_id="c", lang="en-GB")
        .blocks[0]["text"]["text"]
        .startswith("Storm")
    )


def test_posts_cannot_ping_a_channel_or_inject_links(alert_factory: Any) -> None:
    alert = alert_factory(post_text="<!channel> <https://evil.example|click> & more")
    blob = texts(page_message(alert, crisis_id="c-7").blocks)
    assert "<!channel>" not in blob and "&lt;!channel&gt;" in blob and "&amp; more" in blob
    assert "<https://evil.example|click>" not in blob


def test_limits_hold_for_huge_evidence(alert_factory: Any) -> None:
    alert = alert_factory(posts=100, post_text="Abzocke " * 2000, authors=100)
    for msg in (
        page_message(
            alert, crisis_id="c" * 300, max_posts=100, max_authors=100, reason="x" * 5000, level=1
        ),
        channel_message(alert, crisis_id="c-7", paged=[("U1", 1)] * 200, max_posts=100),
    ):
        valid_for_slack(msg.blocks)
        assert len(msg.text) <= 3000


def test_channel_post_names_who_was_paged(alert_factory: Any) -> None:
    msg = channel_message(
        alert_factory(), crisis_id="c-7", lang="en", paged=[("U04LUM0AB01", 1)], with_actions=False
    )
    valid_for_slack(msg.blocks)
    assert "Paged: <@U04LUM0AB01> (level 1)" in texts(msg.blocks)
    assert not any(b["type"] == "actions" for b in msg.blocks)
    assert mention("U1") == "<@U1>"


def test_in_place_updates(alert_factory: Any, t0: Any) -> None:
    page = page_message(alert_factory(), crisis_id="c-7", lang="en", level=1)
    acked_line = status_line("acknowledged", lang="en", tz="Europe/Berlin", who="Anna Becker",
                             at=t0 + timedelta(minutes=11), until=t0 + timedelta(minutes=45))  # fmt: skip
    assert acked_line == "✅ Acknowledged by Anna Becker at 20:41, next update by 21:15"
    acked = with_status(page.blocks, acked_line)
    valid_for_slack(acked)
    actions = [e["action_id"] for b in acked if b["type"] == "actions" for e in b["elements"]]
    assert actions == [ACTION_ESCALATE, ACTION_RESOLVE, ACTION_FALSE_ALARM]
    missed_line = status_line(
        "missed", lang="de", tz="Europe/Berlin", at=t0, until=t0 + timedelta(minutes=45), level=2
    )
    assert missed_line == "⚠️ Kein Update bis 21:15 — eskaliert auf Stufe 2"
    missed = with_status(acked, missed_line, keep_actions=KEEP_AFTER["missed"])
    statuses = [b for b in missed if b.get("block_id") == STATUS_BLOCK_ID]
    assert (
        len(statuses) == 1 and statuses[0]["text"]["text"] == missed_line
    )  # replaced, not stacked
    done_line = status_line("resolved", lang="de", tz="Europe/Berlin", who="Anna", at=t0)
    resolved = with_status(missed, done_line, keep_actions=KEEP_AFTER["resolved"])
    assert not any(b["type"] == "actions" for b in resolved)
    assert done_line in texts(resolved)
    assert (
        status_line("escalated", lang="en", tz="UTC", who="<@U2>", at=t0, level=2)
        == "⏫ Escalated to level 2 (<@U2>) at 19:30"
    )
    assert "Fehlalarm" in status_line("false_alarm", lang="de", tz="UTC", who="A", at=t0)
    # a message without buttons still gets its status line
    plain = with_status([{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}], "line")
    assert plain[0]["block_id"] == STATUS_BLOCK_ID


def test_checklist_as_thread_messages_with_checkboxes(t0: Any) -> None:
    items = [
        ChecklistEntry(f"i{i}", f"Aufgabe {i} " + "lang " * (200 if i == 3 else 0), "press", t0 + timedelta(minutes=15 * i), done=i % 2 == 0, done_by="Anna" if i % 2 == 0 else None)
        for i in range(120)
    ]  # fmt: skip
    messages = checklist_messages("c-7", items, playbook="Datenleck", lang="de")
    assert len(messages) == 3  # 45 + 45 + 30 items
    for msg in messages:
        valid_for_slack(msg.blocks)
    first = messages[0].blocks
    assert first[0]["text"]["text"] == "*Checkliste: Datenleck — Checkliste (Teil 1 von 3)*"
    box = first[1]["accessory"]
    assert box["type"] == "checkboxes" and box["action_id"] == "shitstorm.checklist"
    assert decode_value(box["options"][0]["value"]) == ("c-7", "i0")
    assert box["initial_options"][0]["text"]["text"] == "erledigt von Anna"
    assert "initial_options" not in first[2]["accessory"]
    assert "press · fällig 20:45" in first[2]["text"]["text"]
    assert (
        checklist_messages("c-7", [], playbook="x", lang="en")[0].blocks[0]["text"]["text"]
        == "*Checklist: x*"
    )


def test_statement_drafts_need_two_different_approvers() -> None:
    draft = StatementDraft(
        "holding-de", "de", "Erste Stellungnahme", "Absatz eins.\n" + ("Wir prüfen das. " * 700)
    )
    none = statement_message("c-7", draft, lang="de")
    valid_for_slack(none.blocks)
    assert len(none.blocks) > 4  # the long draft is split over several sections
    assert none.blocks[-1]["elements"][0]["action_id"] == "shitstorm.approve"
    assert decode_value(none.blocks[-1]["elements"][0]["value"]) == ("c-7", "holding-de")
    one = statement_message(
        "c-7", draft, approvals=["Anna", "Anna"], lang="en"
    )  # same person twice
    assert "a second, different person" in texts(one.blocks) and one.blocks[-1]["type"] == "actions"
    two = statement_message("c-7", draft, approvals=["Anna", "Jonas"], lang="en")
    valid_for_slack(two.blocks)
    assert two.blocks[-1]["text"]["text"] == "✅ Approved by Anna, Jonas"
    assert not any(b["type"] == "actions" for b in two.blocks)


def test_check_limits_names_each_problem() -> None:
    bad = [
        {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11},
        {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "b" * 76}, "action_id": "a", "value": "v"}]},
    ]  # fmt: skip
    assert check_limits(bad) == [
        "block 0: header text over 150",
        "block 1: fields over 10 or 2000 characters",
        "block 2: button text over 75",
    ]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_label_exists_in_both_languages(lang: str) -> None:
    from warning.notify import labels

    assert set(labels._LABELS["de"]) == set(labels._LABELS["en"])
    assert labels.label(lang, "refusal")
