"""Run the demo: replay → detect → route → page → escalate → checklist → report."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from warning.assets import asset_dir
from warning.errors import ConfigError, InputError
from warning.records import Alert, Notification, Severity

__all__ = ["INCIDENT", "DemoResult", "PageSent", "run_demo"]

#: The bundled incident the demo replays.
INCIDENT = "lumina-2026-03-28"
_BERLIN = "Europe/Berlin"


@dataclass(frozen=True, slots=True)
class PageSent:
    """One page delivered to the Slack stand-in (or planned but not reached)."""

    level: int
    label: str
    at: datetime
    people: tuple[str, ...]
    reasons: tuple[str, ...]
    delivered: tuple[str, ...]  # Slack answers, e.g. "sent ts=…" or "error channel_not_found"


@dataclass
class DemoResult:
    """What the demo did, for the printout, the report and the tests."""

    incident: str
    truth: dict[str, Any]
    mentions: int
    alerts: list[Alert]
    paged_alert: Alert | None
    playbook: str | None
    path: str | None
    route_reasons: tuple[str, ...]
    pages: list[PageSent] = field(default_factory=list)
    later_levels: list[PageSent] = field(default_factory=list)
    checklist: list[tuple[datetime, str, str]] = field(default_factory=list)
    statements: list[tuple[str, str, str, int, int | None]] = field(default_factory=list)
    slack_requests: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, Path] = field(default_factory=dict)


def _incident_dir(name: str) -> Path:
    path = asset_dir("incidents") / name
    if not (path / "mentions.jsonl").is_file():
        raise InputError(f"{path}: the demo incident is missing mentions.jsonl")
    return path


def _detection_config(folder: Path) -> dict[str, Any]:
    """The incident's expected-spike windows plus the brand's time zone."""
    import yaml

    spikes = folder / "expected_spikes.yaml"
    loaded = yaml.safe_load(spikes.read_text(encoding="utf-8")) if spikes.is_file() else None
    config: dict[str, Any] = dict(loaded or {})
    config["detector"] = {**config.get("detector", {}), "tz": _BERLIN}
    return config


def _first_page_worthy(alerts: Sequence[Alert]) -> Alert | None:
    """The alert that pages: the first at `warning` or above (a `watch` only watches)."""
    return next((a for a in alerts if a.severity >= Severity.WARNING), None)


def run_demo(
    out_dir: Path,
    *,
    incident: str = INCIDENT,
    slack_url: str | None = None,
    slack_token: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    """Replay the bundled incident end to end and write ``chart.png``, ``report.html``.

    Without ``slack_url`` a local Slack stand-in (the loopback fake Web API) is started
    for the run; with it, the pages go to that Slack endpoint for real.
    """
    from warning.playbook import escalation_plan, load_config
    from warning.replay import replay

    say = progress or (lambda _msg: None)
    out_dir.mkdir(parents=True, exist_ok=True)
    folder = _incident_dir(incident)
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    brand = str(truth["brand"])

    say("replaying three weeks of mentions through the live detection code ...")
    result = replay(folder / "mentions.jsonl", config=_detection_config(folder))
    alerts = [a for a in result.alerts if a.brand == brand]
    frame = result.frames[brand]
    alerts_path = out_dir / "alerts.jsonl"
    alerts_path.write_text("".join(a.to_json() + "\n" for a in alerts), encoding="utf-8")

    paged = _first_page_worthy(alerts)
    config = load_config(asset_dir("playbooks"))
    demo = DemoResult(
        incident=incident,
        truth=truth,
        mentions=int(frame["volume"].sum()),
        alerts=alerts,
        paged_alert=paged,
        playbook=None,
        path=None,
        route_reasons=(),
        outputs={"alerts": alerts_path},
    )
    if paged is not None:
        plan = escalation_plan(config, paged, paged.fired_at)
        demo.playbook, demo.path = plan.route.playbook, plan.route.path
        demo.route_reasons = plan.route.reasons
        say("paging through Slack ...")
        _page(demo, plan, config, paged, out_dir, slack_url, slack_token)
        _checklist_and_statements(demo, config, paged)

    from warning.demo.report import write_report

    say("writing the chart and the report ...")
    demo.outputs.update(write_report(demo, frame, out_dir))
    return demo


def _page(
    demo: DemoResult,
    plan: Any,
    config: Any,
    alert: Alert,
    out_dir: Path,
    slack_url: str | None,
    slack_token: str | None,
) -> None:
    """Deliver level 1 and, as nobody acknowledges, level 2 through real Slack HTTP."""
    from contextlib import ExitStack

    from warning.notify.blocks import page_message
    from warning.notify.fakeslack import FakeSlack
    from warning.notify.slack import SlackDelivery

    levels = [lv for lv in plan.levels if not lv.skipped]
    reached, later = levels[:2], levels[2:]
    crisis_id = f"{alert.brand}-{alert.bucket_start:%Y%m%d%H%M}"
    with ExitStack() as stack:
        if slack_url is None:
            fake = stack.enter_context(FakeSlack())
            url, token = fake.base_url, fake.token
        else:
            fake, url, token = None, slack_url, slack_token or ""
        slack = SlackDelivery(token, url)
        for level in reached:
            answers = []
            for person in level.people:
                user = config.people[person].slack
                if user is None:
                    answers.append(f"{config.person_name(person)}: no Slack user id")
                    continue
                lang = (config.people[person].languages or ["de"])[0]
                reason = "; ".join(level.reasons)
                message = page_message(
                    alert,
                    crisis_id=crisis_id,
                    lang=lang,
                    tz=_BERLIN,
                    level=level.number,
                    reason=reason,
                )
                note = Notification(
                    idempotency_key=f"{crisis_id}:L{level.number}:R{level.round}:{person}",
                    kind="page_dm",
                    channel=user,
                    text=message.text,
                    priority=0,
                    crisis_id=crisis_id,
                    blocks=tuple(message.blocks),
                )
                answer = slack.deliver(note)
                answers.append(
                    f"{config.person_name(person)}: "
                    + (f"sent ts={answer.ts}" if answer.ok else f"not sent ({answer.error})")
                )
            demo.pages.append(
                PageSent(
                    level.number, level.label, level.at, level.people, level.reasons, tuple(answers)
                )
            )
        if fake is not None:
            for method in ("conversations.open", "chat.postMessage"):
                demo.slack_requests[method] = fake.count(method)
    demo.later_levels = [
        PageSent(lv.number, lv.label, lv.at, lv.people, lv.reasons, ()) for lv in later
    ]
    if plan.fallback is not None:
        fb = plan.fallback
        demo.later_levels.append(PageSent(fb.number, fb.label, fb.at, fb.people, fb.reasons, ()))


def _checklist_and_statements(demo: DemoResult, config: Any, alert: Alert) -> None:
    from zoneinfo import ZoneInfo

    from warning.playbook import render_statement

    if demo.playbook is None:
        return
    book = config.playbooks[demo.playbook]
    start = alert.fired_at
    for item in book.spec.checklist:
        due = item.due if isinstance(item.due, timedelta) else timedelta(0)
        demo.checklist.append((start + due, item.role, item.task))
    next_update = (start + timedelta(minutes=45)).astimezone(ZoneInfo(_BERLIN)).strftime("%H:%M")
    variables = {"brand": "Lumina Energie", "next_update": next_update, "topic": "die Abrechnung"}
    for statement in book.statements:
        for lang in ("de", "en"):
            try:
                rendered = render_statement(statement, lang, variables)
            except ConfigError as err:
                demo.statements.append((statement.id, lang, f"(not rendered: {err})", 0, None))
                continue
            demo.statements.append(
                (statement.id, lang, rendered.text, rendered.length, rendered.limit)
            )
