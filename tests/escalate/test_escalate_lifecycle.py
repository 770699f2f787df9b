"""Crisis lifecycle: open or join, frozen plan, severity rise, resolve, false alarm."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from warning.escalate.escalator import Escalator
from warning.escalate.version import texts_version
from warning.playbook.config import load_texts
from warning.records import Ack, Severity

T0 = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)
MIN = timedelta(minutes=1)


def test_alerts_open_or_join_one_crisis_per_brand_and_type(rig: Any, alert: Any) -> None:
    first = rig.escalator.on_alert(alert())
    again = rig.escalator.on_alert(alert())  # the very same alert line
    joined = rig.escalator.on_alert(alert(at=T0 + 5 * MIN, key="lumina:other"))
    # another storm of the same brand that routes to 'general' (its own dedup key)
    other_type = rig.escalator.on_alert(alert(terms=("preis",), key="lumina:preis"))
    other_brand = rig.escalator.on_alert(alert(brand="Solaris"))
    assert (first.crisis, first.opened) == ("c-1", True)
    assert again.duplicate and again.crisis == "c-1"
    assert (joined.crisis, joined.opened, joined.raised) == ("c-1", False, False)
    assert (other_type.crisis, other_type.playbook) == ("c-2", "general")
    assert other_brand.crisis == "c-3"
    with rig.store.read() as tx:
        assert len(tx.alerts(1)) == 2 and len(tx.alerts()) == 4
        assert [c.crisis_type for c in tx.crises()] == [
            "product-safety",
            "general",
            "product-safety",
        ]
    kinds = rig.kinds(1)
    assert kinds[:3] == ["alert_received", "crisis_opened", "plan_snapshot"]
    opened = rig.store.timeline(1)[1]
    assert opened.data["routed"] and "trigger 1" in opened.data["routed"][0], opened.data
    with rig.store.read() as tx:
        assert tx.get_crisis(1).snapshot["routed"] == opened.data["routed"]
    assert "alert_joined" in kinds


def test_plan_and_version_are_frozen_at_the_start(
    rig: Any, alert: Any, playbooks_text: str
) -> None:
    rig.escalator.on_alert(alert())
    rig.run()
    with rig.store.read() as tx:
        crisis = tx.get_crisis(1)
    assert crisis.playbook_version == texts_version({"playbooks.yaml": playbooks_text})
    levels = crisis.snapshot["plans"]["critical"]["levels"]
    assert [lv["people"] for lv in levels] == [
        ["anna"],
        [],
        ["jonas"],
        ["anna"],
        [],
        ["jonas"],
        ["katrin"],
    ]
    # the configuration is edited while the crisis runs: jonas is replaced by petra
    edited = playbooks_text.replace("targets: [{person: jonas}]", "targets: [{person: petra}]")
    runner = Escalator(
        rig.store,
        load_texts({"playbooks.yaml": edited}),
        rig.clock,
        playbook_version=texts_version({"playbooks.yaml": edited}),
        notifier=rig.slack,
        worker="restarted",
    )
    rig.clock.advance(5 * MIN)
    runner.tick()
    runner.drain()
    assert rig.pages()[-1] == "c-1:e1:l3:r1:jonas"  # the frozen plan, not the edit
    # a new crisis starts on the new version
    runner.on_alert(alert(brand="Solaris"))
    with rig.store.read() as tx:
        assert tx.get_crisis(2).playbook_version != crisis.playbook_version


def test_severity_rise_reenters_at_the_right_level(rig: Any, alert: Any) -> None:
    rig.escalator.on_alert(alert(severity=Severity.WARNING))
    rig.run()
    assert rig.pages() == ["c-1:e1:l1:r1:anna"]  # standard path: anna, jonas after 10 minutes
    rig.clock.advance(7 * MIN)
    outcome = rig.escalator.on_alert(alert(severity=Severity.CRITICAL, at=T0 + 7 * MIN, key="x"))
    rig.run()
    assert outcome.raised and outcome.severity == "critical"
    # the crisis path at 7 minutes is at level 3 (jonas): level 1's channel is caught up,
    # anna (already paged) is not paged again, jonas is paged now
    assert rig.pages() == ["c-1:e1:l1:r1:anna", "c-1:e2:l3:r1:jonas"]
    not_repeated = [
        e.data["person"] for e in rig.store.timeline(1) if e.kind == "page_not_repeated"
    ]
    assert not_repeated == ["anna"]
    with rig.store.read() as tx:
        assert tx.get_crisis(1).severity == "critical"
        posts = [o.key for o in tx.outbox(1) if o.notification.kind == "channel_post"]
    assert posts == ["c-1:e2:l1:#krisenstab"]
    raised = next(e for e in rig.store.timeline(1) if e.kind == "severity_raised")
    assert raised.data == {"from": "warning", "to": "critical", "level": 3, "label": "Leitung"}
    # from there the crisis path goes on: round 2 at its own pace after jonas' 10 minutes
    rig.advance(10)
    assert rig.pages()[-1] == "c-1:e2:l4:r2:anna"
    # a lower or equal severity later changes nothing
    assert not rig.escalator.on_alert(alert(severity=Severity.WARNING, key="y")).raised


def test_rise_never_repages_people_already_paged_at_the_entry_level(rig: Any, alert: Any) -> None:
    rig.escalator.on_alert(alert(severity=Severity.WARNING))
    rig.run()
    rig.clock.advance(11 * MIN)  # standard: jonas paged at 10 minutes
    rig.run()
    rig.escalator.on_alert(alert(severity=Severity.CRITICAL, at=T0 + 11 * MIN, key="x"))
    rig.run()
    assert rig.pages() == ["c-1:e1:l1:r1:anna", "c-1:e1:l2:r1:jonas"]
    not_repeated = [
        e.data["person"] for e in rig.store.timeline(1) if e.kind == "page_not_repeated"
    ]
    assert not_repeated == ["anna", "jonas"]  # level 1 caught up, level 3 entered: both skipped


def test_resolve_and_false_alarm(rig: Any, alert: Any) -> None:
    rig.escalator.on_alert(alert())
    rig.escalator.on_alert(alert(brand="Solaris"))
    rig.run()
    resolved = rig.escalator.on_ack(Ack("c-1", "resolve", "anna", "U0ANNA00001", T0 + MIN))
    false = rig.escalator.on_ack(Ack("c-2", "false_alarm", "anna", "U0ANNA00001", T0 + MIN))
    assert resolved.accepted and false.accepted
    rig.advance(60)
    assert rig.pages() == ["c-1:e1:l1:r1:anna", "c-2:e1:l1:r1:anna"]  # nothing after closing
    with rig.store.read() as tx:
        assert [(c.status, c.closed_by) for c in tx.crises()] == [
            ("resolved", "anna"),
            ("false_alarm", "anna"),
        ]
    [row] = rig.store.feedback()
    assert (row.brand, row.detector, row.marked_by, row.crisis_type) == (
        "solaris",
        "seasonal-storm",
        "anna",
        "product-safety",
    )
    late = rig.escalator.on_ack(Ack("c-1", "acknowledge", "jonas", "U0JONAS0002", T0 + 2 * MIN))
    assert late.status == "closed"
    # a new storm of the same brand and type opens a new crisis
    assert rig.escalator.on_alert(alert(key="lumina:next")).crisis == "c-3"


def test_an_alert_sent_again_after_resolve_pages_nobody_again(rig: Any, alert: Any) -> None:
    rig.escalator.on_alert(alert())
    rig.run()
    paged = rig.pages()
    assert paged
    rig.escalator.on_ack(Ack("c-1", "resolve", "anna", "U0ANNA00001", T0 + MIN))
    rig.run()
    again = rig.escalator.on_alert(alert())  # a replay or a restarted feeder sends it again
    rig.advance(60)
    assert (again.duplicate, again.crisis, again.opened) == (True, "c-1", False)
    assert rig.pages() == paged
    with rig.store.read() as tx:
        assert len(tx.crises()) == 1 and len(tx.alerts()) == 1


def test_a_timer_escalation_updates_the_earlier_pages_in_place(rig: Any, alert: Any) -> None:
    rig.escalator.on_alert(alert())
    rig.run()
    assert rig.pages() == ["c-1:e1:l1:r1:anna"]
    rig.advance(6)  # nobody acknowledged within 5 minutes: level 2 is empty, level 3 is jonas
    assert rig.pages()[-1] == "c-1:e1:l3:r1:jonas"
    updates = [n for n in rig.slack.notifications if n.kind == "update"]
    assert {u.thread_of for u in updates} == {"c-1:e1:l1:r1:anna", "c-1:e1:l1:#krisenstab"}
    # (the clock jumped 6 minutes at once, so the level-3 timer fired at 20:36)
    line = "Eskaliert auf Stufe 3 (Jonas Weber) um 20:36"
    assert all(line in json.dumps(u.blocks, ensure_ascii=False) for u in updates), updates
    rig.advance(1)  # nothing new happened: no further updates
    assert len([n for n in rig.slack.notifications if n.kind == "update"]) == len(updates)
