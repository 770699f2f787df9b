"""The demo end to end: detection, the durable escalation, the local Slack stand-in, outputs.

One demo run (module fixture, default path: its own loopback Slack stand-in) is
checked from every side; then the command runs again on the same state folder and
must not page anybody twice.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from warning.assets import asset_dir
from warning.cli import main
from warning.demo import run_demo
from warning.demo.run import DB_FILE, DemoResult
from warning.demo.slackside import WORKSPACE_FILE
from warning.demo.story import CrisisStory
from warning.notify.fakeslack import FakeSlack
from warning.playbook import escalation_plan
from warning.playbook.config import load_config
from warning.records import Severity
from warning.store.db import Store

#: The paging alert must come this soon after the storm's first post.
MAX_MINUTES_TO_ALERT = 30


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    root = tmp_path_factory.mktemp("demo")
    return run_demo(root / "out", state_dir=root / "state")


@pytest.fixture(scope="module")
def story(demo: DemoResult) -> CrisisStory:
    """What the store recorded about the crisis the alert opened."""
    assert demo.story is not None, "the storm must open a crisis"
    return demo.story


@pytest.fixture(scope="module")
def workspace(demo: DemoResult) -> Any:
    """The local Slack stand-in's workspace as the run left it (loaded, not served)."""
    return FakeSlack(state_path=demo.state_dir / WORKSPACE_FILE).workspace


@pytest.fixture(scope="module")
def config() -> Any:
    return load_config(asset_dir("playbooks"))


def _dm_channel(workspace: Any, slack_user: str) -> list[dict[str, Any]]:
    return list(workspace.messages.get("D" + slack_user[1:], []))


def _dm(workspace: Any, slack_user: str) -> list[dict[str, Any]]:
    """The pages in a person's DM (the chart uploads in their threads left out)."""
    return [m for m in _dm_channel(workspace, slack_user) if "metadata" in m]


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def _key(message: dict[str, Any]) -> str:
    return str(message["metadata"]["event_payload"]["idempotency_key"])


def test_alert_between_onset_and_peak_and_quiet_before(demo: DemoResult) -> None:
    onset = pd.Timestamp(demo.truth["onset"]).to_pydatetime()
    peak = pd.Timestamp(demo.truth["peak"]).to_pydatetime()
    paged = demo.paged_alert
    assert paged is not None and paged.brand == "lumina"
    assert paged.severity >= Severity.WARNING
    assert onset < paged.fired_at <= peak
    assert (paged.fired_at - onset).total_seconds() <= MAX_MINUTES_TO_ALERT * 60
    before = [a for a in demo.alerts if a.fired_at < onset]  # TV spot, derby evening
    assert all(a.severity == Severity.WATCH for a in before), [a.to_dict() for a in before]


def test_crisis_opened_in_the_store_with_the_playbook_version(
    demo: DemoResult, story: CrisisStory
) -> None:
    assert demo.crisis == story.crisis.ref
    assert demo.playbook == "service-failure"
    assert (
        story.crisis.playbook_version == demo.playbook_version and len(demo.playbook_version) == 64
    )
    assert story.crisis.opened_at == demo.paged_alert.fired_at  # type: ignore[union-attr]
    assert any("service-failure" in reason for reason in demo.route_reasons)
    assert demo.store_url.endswith(f"{demo.state_dir}/{DB_FILE}")


def test_level_1_pages_the_weekend_duty_by_dm(
    demo: DemoResult, story: CrisisStory, workspace: Any, config: Any
) -> None:
    opened = story.crisis.opened_at
    plan = escalation_plan(
        config, {"severity": story.crisis.severity}, opened, playbook=demo.playbook
    )
    assert plan.levels[0].people == ("mira",)  # `shitstorm oncall who`: the weekend rotation
    first = [p for p in story.pages if p.level == 1]
    assert [p.person for p in first] == ["mira"]
    assert first[0].status == "sent" and first[0].sent_at == opened
    dms = _dm(workspace, config.people["mira"].slack)
    assert _key(dms[0]) == first[0].key
    assert "Sturmwarnung" in json.dumps(dms[0]["blocks"], ensure_ascii=False)
    # the evidence chart went into the page's thread (uploaded with the file-upload API)
    shared = [
        m
        for m in _dm_channel(workspace, config.people["mira"].slack)
        if m.get("files") and m.get("thread_ts") == dms[0]["ts"]
    ]
    assert shared, "the page's thread must carry the chart"
    charts = sorted((demo.state_dir / "charts").glob("*.png"))
    assert len(charts) == 1 and charts[0].read_bytes().startswith(b"\x89PNG")


def test_no_ack_so_level_2_is_paged_after_the_ack_timeout(
    demo: DemoResult, story: CrisisStory, workspace: Any, config: Any
) -> None:
    assert not [e for e in story.timeline if e.data.get("action") == "acknowledge"]
    first = next(p for p in story.pages if p.level == 1)
    second = [p for p in story.pages if p.level == 2]
    assert second and first.ack is not None
    for page in second:
        assert page.status == "sent" and page.sent_at is not None and first.sent_at is not None
        assert page.sent_at - first.sent_at >= first.ack  # timestamps from the store
        dms = _dm(workspace, config.people[page.person].slack)
        assert page.key in [_key(m) for m in dms]
    levels = sorted({p.level for p in story.pages})
    assert len(levels) > 2 and any(p.fallback for p in story.pages)  # the path goes on


def test_crisis_channel_post_updated_in_place_with_checklist_and_statement_thread(
    demo: DemoResult, story: CrisisStory, workspace: Any, config: Any
) -> None:
    channel = config.slack_channels["krisenstab"].id
    messages = workspace.messages[channel]
    post = messages[0]
    assert demo.slack_calls["chat.update"] >= 1
    assert "edited" in post  # chat.update recorded on the first crisis-channel post
    assert "Dr. Katrin Meier" in json.dumps(post["blocks"], ensure_ascii=False)  # resolved by
    thread = [m for m in messages if m.get("thread_ts") == post["ts"] and m is not post]
    keys = [_key(m) for m in thread if "metadata" in m]
    assert any(m.get("files") for m in thread)  # the evidence chart
    assert f"{demo.crisis}:checklist:0" in keys
    assert any(":statement:holding-x:de" in k for k in keys)
    assert story.crisis.status == "resolved" and story.crisis.closed_by == demo.resolved_by
    updates = [m for m in story.slack if m.updates]
    assert {m.kind for m in updates} == {"page_dm", "channel_post"}


def test_checklist_and_statement_draft(demo: DemoResult, story: CrisisStory) -> None:
    opened = story.crisis.opened_at
    dues = [item.due for item in story.checklist]
    assert len(dues) == 4 and dues == sorted(dues)
    assert all(opened < due <= opened + pd.Timedelta(hours=2) for due in dues)
    assert all(item.owners for item in story.checklist)
    german = [s for s in demo.statements if s.lang == "de"]
    assert german and all(s.slack_key for s in german)
    for s in demo.statements:
        assert "{{" not in s.text and s.length == len(s.text)
        assert s.limit is None or s.length <= s.limit
    assert "Störung" in german[0].text


def test_audit_chain_verifies(demo: DemoResult, story: CrisisStory) -> None:
    assert story.audit.chain_ok
    store = Store(demo.store_url)
    try:
        report = store.verify_chain()
        assert report.ok and report.events >= story.audit.events
        kinds = {e.kind for e in store.timeline(demo.crisis)}
        assert {"crisis_opened", "plan_snapshot", "level_started", "crisis_closed"} <= kinds
    finally:
        store.dispose()


def test_report_chart_and_timeline_written(demo: DemoResult) -> None:
    chart = demo.outputs["chart"].read_bytes()
    assert chart.startswith(b"\x89PNG") and len(chart) > 20_000
    html = demo.outputs["report"].read_text(encoding="utf-8")
    for expected in (
        "chart.png",
        "Mira Schulz",
        "Deniz Yılmaz",
        "service-failure",
        "verified",
        "Störungsstand bei Netzleitstelle und IT erfragen",
        "status.lumina-energie.example",
        "updated in place",
        "Sturmwarnung",
    ):
        assert expected in html, expected
    rows = [json.loads(line) for line in demo.outputs["alerts"].read_text().splitlines()]
    assert len(rows) == len(demo.alerts)
    assert f"# {demo.crisis}:" in demo.outputs["timeline"].read_text(encoding="utf-8")


def test_printout(demo: DemoResult, capsys: pytest.CaptureFixture[str]) -> None:
    from warning.commands.demo import _print

    _print(demo)
    out = capsys.readouterr().out
    assert "(19:00 UTC)  critical" in out
    assert "→ Mira Schulz: page_dm sent" in out and "level 2 (Teamleitung und Leitung)" in out
    assert "hash chain verified" in out and "Holding statement draft holding-x" in out
    assert "local Slack stand-in" in out and str(demo.outputs["report"]) in out


def test_rerun_on_the_same_state_pages_nobody_twice(
    demo: DemoResult, story: CrisisStory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["demo", "--out", str(tmp_path), "--state-dir", str(demo.state_dir), "--json"]
    assert main(argv) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["crisis"] == demo.crisis
    assert "chat.postMessage" not in again["slack_calls"]  # nothing new was sent
    assert "chat.update" not in again["slack_calls"]
    assert [p["sent_at"] for p in again["pages"]] == [_iso(p.sent_at) for p in story.pages]
    assert again["audit"]["chain_ok"]
    store = Store(demo.store_url)
    try:
        with store.read() as tx:
            assert len(tx.crises()) == 1
            keys = [o.key for o in tx.outbox()]
        assert len(keys) == len(set(keys))
    finally:
        store.dispose()
