"""Run the demo: replay → detect → the durable escalation runtime → Slack → report.

:func:`run_demo` replays the bundled incident's mentions in time order on a
:class:`~warning.clock.SimulatedClock` through the live detection code, hands every
alert to the :class:`~warning.escalate.Escalator` (an SQLite store in the state
folder, the bundled example playbooks, their version frozen into the crisis), and
lets the escalation timers fire on the same clock: nobody acknowledges, so the page
climbs the levels of the playbook's path. The pages, the crisis-channel post, the
checklist thread and the holding-statement drafts go through the outbox to Slack
(a local stand-in unless a real endpoint is given). When the cause is known the
next morning, the fallback person resolves the crisis, which updates every page
and post in place. Everything shown afterwards is read back from the store.

Running it again on the same state folder pages nobody twice: alerts already in
the store are not handed in again, and every message has an idempotency key.
"""

from __future__ import annotations

import json
import math
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pandas as pd

from warning.assets import asset_dir
from warning.errors import ConfigError, InputError
from warning.records import Ack, Alert, Notification, Severity

if TYPE_CHECKING:
    from warning.demo.story import CrisisStory

__all__ = ["DB_FILE", "INCIDENT", "DemoResult", "Statement", "run_demo"]

#: The bundled incident the demo replays.
INCIDENT = "lumina-2026-03-28"
#: The store file in the state folder.
DB_FILE = "shitstorm.db"
_BERLIN = "Europe/Berlin"

#: When the crisis is resolved: the cause was named then (see the incident's truth.json).
_RESOLVED_AT = {INCIDENT: "2026-03-29T07:20:15Z"}
#: Statement variables the incident decides (the rest come from the playbook and the crisis).
_STATEMENT_VARIABLES = {
    INCIDENT: {"brand": "Lumina Energie", "topic": "die Jahresabrechnung in der App"},
}
#: The holding statement promises the next update this long after the crisis opened.
_NEXT_UPDATE = timedelta(minutes=45)


@dataclass(frozen=True, slots=True)
class Statement:
    """A holding-statement draft: rendered text, length against the channel's limit."""

    id: str
    channel: str
    lang: str
    text: str
    length: int
    limit: int | None
    slack_key: str | None = None  # its message in the crisis channel's thread


@dataclass
class DemoResult:
    """What the demo did, for the printout, the report, ``--json`` and the tests."""

    incident: str
    truth: dict[str, Any]
    mentions: int
    alerts: list[Alert]
    paged_alert: Alert | None
    state_dir: Path
    store_url: str
    slack: str  # where the messages went, in words
    slack_local: bool
    crisis: str | None = None
    playbook: str | None = None
    route_reasons: tuple[str, ...] = ()  # why this playbook and path
    playbook_version: str = ""
    story: CrisisStory | None = None  # what the store recorded, when a crisis was opened
    statements: list[Statement] = field(default_factory=list)
    resolved_by: str | None = None
    slack_calls: dict[str, int] = field(default_factory=dict)
    change_points: list[datetime] = field(default_factory=list)
    buckets: int = 0
    outputs: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """A JSON-ready summary (what ``shitstorm demo --json`` prints)."""
        story = self.story
        return {
            "incident": self.incident,
            "truth": {k: self.truth.get(k) for k in ("brand", "crisis_type", "onset", "peak")},
            "mentions": self.mentions,
            "alerts": [a.to_dict() for a in self.alerts],
            "crisis": self.crisis,
            "playbook": self.playbook,
            "playbook_version": self.playbook_version,
            "path": None if story is None else story.path,
            "route": list(self.route_reasons),
            "pages": []
            if story is None
            else [
                {
                    "level": p.level,
                    "label": p.label,
                    "person": p.person,
                    "kind": p.kind,
                    "queued_at": _iso(p.queued_at),
                    "sent_at": _iso(p.sent_at),
                    "status": p.status,
                }
                for p in story.pages
            ],
            "checklist": []
            if story is None
            else [
                {"due": _iso(c.due), "role": c.role, "owners": list(c.owners), "task": c.task}
                for c in story.checklist
            ],
            "statements": [
                {"id": s.id, "lang": s.lang, "text": s.text, "length": s.length, "limit": s.limit}
                for s in self.statements
            ],
            "resolved_by": self.resolved_by,
            "audit": None
            if story is None
            else {
                "chain_ok": story.audit.chain_ok,
                "events": story.audit.events,
                "crisis_events": story.audit.crisis_events,
                "head_hash": story.audit.head_hash,
            },
            "slack": self.slack,
            "slack_calls": self.slack_calls,
            "state_dir": str(self.state_dir),
            "store": self.store_url,
            "outputs": {k: str(v) for k, v in self.outputs.items()},
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }


def _iso(value: datetime | None) -> str | None:
    from warning.records import isoformat_utc

    return None if value is None else isoformat_utc(value)


def _incident_dir(name: str) -> Path:
    path = asset_dir("incidents") / name
    if not (path / "mentions.jsonl").is_file():
        raise InputError(f"{path}: the demo incident is missing mentions.jsonl")
    if not (path / "truth.json").is_file():
        raise InputError(f"{path}: the demo incident is missing truth.json")
    return path


def _detection_config(folder: Path) -> dict[str, Any]:
    """The incident's expected-spike windows plus the brand's time zone."""
    import yaml

    spikes = folder / "expected_spikes.yaml"
    loaded = yaml.safe_load(spikes.read_text(encoding="utf-8")) if spikes.is_file() else None
    config: dict[str, Any] = dict(loaded or {})
    config["detector"] = {**config.get("detector", {}), "tz": _BERLIN}
    return config


def _first_page_worthy(alerts: list[Alert]) -> Alert | None:
    """The alert that pages: the first at `warning` or above (a `watch` only watches)."""
    return next((a for a in alerts if a.severity >= Severity.WARNING), None)


def _instant(text: str) -> datetime:
    stamp: datetime = pd.Timestamp(text).tz_convert("UTC").to_pydatetime()
    return stamp


def _stored_alert(store: Any, alert: Alert) -> Any:
    """The alert as the store holds it (``None`` if it was never handed in)."""
    with store.read() as tx:
        return tx.find_alert(alert.dedup_key, alert.severity.value, alert.fired_at)


class _Phases:
    """Wall time per phase of the run."""

    def __init__(self, timer: Callable[[], float]) -> None:
        self.timer = timer
        self.times: dict[str, float] = {}
        self._last = timer()

    def done(self, name: str) -> None:
        now = self.timer()
        self.times[name] = self.times.get(name, 0.0) + now - self._last
        self._last = now


def run_demo(
    out_dir: Path,
    *,
    state_dir: Path | None = None,
    incident: str = INCIDENT,
    slack_url: str | None = None,
    slack_token: str | None = None,
    progress: Callable[[str], None] | None = None,
    pace: Callable[[float], None] = time.sleep,
    timer: Callable[[], float] = time.perf_counter,
) -> DemoResult:
    """Replay the bundled incident end to end; write ``chart.png``, ``report.html``.

    ``state_dir`` holds the store (``shitstorm.db``, SQLite in WAL mode) and the
    local Slack stand-in's workspace; by default a fresh temporary folder. Without
    ``slack_url`` a local Slack stand-in is started for the run; with it (and
    ``slack_token``) the messages go to that Slack endpoint for real, and ``pace``
    waits out Slack's per-channel pace in wall time. ``timer`` measures the phases.
    """
    from warning import series
    from warning.demo.slackside import check_credentials
    from warning.detect.config import parse_config
    from warning.pipeline import DetectionPipeline

    check_credentials(slack_url, slack_token)
    say = progress or (lambda _msg: None)
    phases = _Phases(timer)
    out_dir.mkdir(parents=True, exist_ok=True)
    if state_dir is None:
        state_dir = Path(tempfile.mkdtemp(prefix="shitstorm-demo-state-"))
    state_dir.mkdir(parents=True, exist_ok=True)
    folder = _incident_dir(incident)
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    brand = str(truth["brand"])

    say("reading and scoring the mentions ...")
    scored = series.read_scored_mentions(folder / "mentions.jsonl")
    phases.done("read and score mentions")

    from warning.escalate.escalator import Escalator
    from warning.escalate.version import playbook_version
    from warning.playbook.config import load_config
    from warning.store.db import Store

    store = Store(str(state_dir / DB_FILE))
    store.migrate()
    playbooks = asset_dir("playbooks")
    config = load_config(playbooks)
    version = playbook_version(playbooks)
    phases.done("store and playbooks")

    from warning.clock import SimulatedClock
    from warning.demo.drive import Detection, EscalationLoop, MentionFeed, run_stream
    from warning.demo.slackside import slack_endpoint
    from warning.notify.slack import SlackDelivery

    feed = MentionFeed(scored)
    pipeline = DetectionPipeline(parse_config(_detection_config(folder)), freq="5min")
    clock = SimulatedClock(feed.first.floor(pipeline.step_).to_pydatetime())
    resolve_at = (
        _instant(_RESOLVED_AT[incident])
        if incident in _RESOLVED_AT
        else (feed.last.ceil(pipeline.step_).to_pydatetime())
    )
    live = Detection()  # filled bucket by bucket; the pages' charts read it
    try:
        with slack_endpoint(config, state_dir, url=slack_url, token=slack_token) as endpoint:
            say(f"Slack: {endpoint.describe()}")
            escalator = Escalator(
                store,
                config,
                clock,
                playbook_version=version,
                notifier=SlackDelivery(endpoint.token, endpoint.url),
                lang="de",
                tz=config.settings.timezone or _BERLIN,
                evidence=partial(_evidence_chart, live, tz=config.settings.timezone or _BERLIN),
                charts=state_dir / "charts",
            )
            escalator.register()
            escalator.recover()
            loop = EscalationLoop(escalator, clock, pace=None if endpoint.local else pace)
            demo = DemoResult(
                incident=incident,
                truth=truth,
                mentions=int((scored["brand"] == brand).sum()),
                alerts=[],
                paged_alert=None,
                state_dir=state_dir,
                store_url=store.url,
                slack=endpoint.describe(),
                slack_local=endpoint.local,
                playbook_version=version,
            )
            crises: list[int] = []
            openers: list[Alert] = []

            def on_alert(alert: Alert) -> Any:
                outcome = None
                if _stored_alert(store, alert) is None:  # a rerun hands nothing in twice
                    outcome = loop.on_alert(alert)
                known = _stored_alert(store, alert)
                crisis_id = None if known is None else known.crisis_id
                if crisis_id is not None and crisis_id not in crises:
                    crises.append(crisis_id)
                    openers.append(alert)
                    _crisis_found(demo, loop, crisis_id, resolve_at, truth)
                return outcome

            say("replaying the mentions through detection and escalation on a simulated clock ...")
            try:
                detection = run_stream(feed, pipeline, loop, on_alert=on_alert, out=live)
                loop.finish()
            finally:
                escalator.unregister()
            if endpoint.fake is not None:
                for request in endpoint.fake.requests():
                    demo.slack_calls[request.method] = demo.slack_calls.get(request.method, 0) + 1
        phases.done("replay, detection and escalation")

        demo.alerts = [a for a in detection.alerts if a.brand == brand]
        demo.paged_alert = _first_page_worthy(demo.alerts)
        demo.buckets = detection.buckets
        demo.change_points = [c.at for c in detection.change_points if c.brand == brand]
        alerts_path = out_dir / "alerts.jsonl"
        alerts_path.write_text("".join(a.to_json() + "\n" for a in demo.alerts), encoding="utf-8")
        demo.outputs["alerts"] = alerts_path
        if crises:
            from warning.demo.story import read_story

            story = read_story(store, crises[0], tz=_BERLIN)
            demo.story = story
            demo.crisis = story.crisis.ref
            demo.playbook = story.crisis.crisis_type
            demo.route_reasons = tuple(story.crisis.snapshot.get("routed") or ())  # as stored
            (out_dir / "timeline.md").write_text(
                store.export_timeline(crises[0], tz=_BERLIN), encoding="utf-8"
            )
            demo.outputs["timeline"] = out_dir / "timeline.md"
    finally:
        store.dispose()

    from warning.demo.report import write_report

    say("writing the chart and the report ...")
    demo.outputs.update(write_report(demo, detection.frame(brand), out_dir))
    phases.done("chart and report")
    demo.timings = phases.times
    return demo


# ---------------------------------------------------------------------- the crisis


def _evidence_chart(live: Any, alert: Alert, *, tz: str) -> bytes:
    """The chart a page carries: the last 12 hours known when the alert fired."""
    from warning.notify.chart import render_chart

    frame = live.so_far(alert.brand)
    window = frame.loc[pd.Timestamp(alert.bucket_start) - pd.Timedelta(hours=12) :]
    return render_chart(
        window,
        change_points=[
            c.at for c in live.change_points if c.brand == alert.brand and c.at >= window.index[0]
        ],
        alerts=[alert.fired_at],
        title=f"{alert.brand}: {alert.severity.value}",
        lang="de",
        tz=tz,
    )


def _resolver(snapshot: Mapping[str, Any], severity: str) -> str | None:
    """Who closes the demo crisis: the path's fallback person (the last resort)."""
    levels = ((snapshot.get("plans") or {}).get(severity) or {}).get("levels") or []
    for level in reversed(levels):
        if level.get("people") and (level.get("fallback") or level is levels[-1]):
            return str(level["people"][0])
    return None


def _crisis_found(
    demo: DemoResult, loop: Any, crisis_id: int, resolve_at: datetime, truth: Mapping[str, Any]
) -> None:
    """The first alert's crisis: post the statement drafts, plan its resolution."""
    store = loop.escalator.store
    with store.read() as tx:
        crisis = tx.get_crisis(crisis_id)
    demo.statements = _statements(loop.escalator.config, crisis, truth, demo.incident)
    _post_statements(loop, crisis, demo.statements)
    loop.work()
    person = _resolver(crisis.snapshot, crisis.severity)
    if person is None or not crisis.is_open:
        demo.resolved_by = crisis.closed_by
        return
    contact = (crisis.snapshot.get("contacts") or {}).get(person) or {}
    demo.resolved_by = person

    def resolve() -> None:
        ack = Ack(
            crisis.ref,
            "resolve",
            person,
            str(contact.get("slack") or person),
            loop.clock.now(),
            request_id=f"demo:{crisis.ref}:resolve",
        )
        loop.escalator.on_ack(ack)

    loop.schedule(max(resolve_at, loop.clock.now()), "resolve", resolve)


def _statements(
    config: Any, crisis: Any, truth: Mapping[str, Any], incident: str
) -> list[Statement]:
    """The playbook's holding statements rendered for this crisis, German first."""
    from warning.playbook import render_statement

    book = config.playbooks.get(crisis.crisis_type)
    if book is None:
        return []
    zone = ZoneInfo(config.settings.timezone or _BERLIN)
    opened = crisis.opened_at.astimezone(zone)
    minutes = math.ceil((opened + _NEXT_UPDATE).minute / 15) * 15
    next_update = (opened + _NEXT_UPDATE).replace(minute=0, second=0, microsecond=0) + timedelta(
        minutes=minutes
    )
    variables = {
        **{k: str(v) for k, v in config.settings.sample_values.items()},
        "brand": str(truth.get("brand", crisis.brand)),
        **_STATEMENT_VARIABLES.get(incident, {}),
        "date": f"{opened:%d.%m.%Y}",
        "time": f"{opened:%H:%M}",
        "next_update": f"{next_update:%H:%M}",
        "severity": crisis.severity,
        "crisis_type": crisis.crisis_type,
    }
    out = []
    for lang in ("de", "en"):
        for statement in book.statements:
            try:
                rendered = render_statement(statement, lang, variables)
            except ConfigError as err:
                out.append(Statement(statement.id, statement.channel, lang, f"({err})", 0, None))
                continue
            key = f"{crisis.ref}:statement:{statement.id}:{lang}" if lang == "de" else None
            out.append(
                Statement(
                    statement.id,
                    statement.channel,
                    lang,
                    rendered.text,
                    rendered.length,
                    rendered.limit,
                    key,
                )
            )
    return out


def _post_statements(loop: Any, crisis: Any, statements: list[Statement]) -> None:
    """The German drafts as replies in the thread of the crisis-channel post, for approval."""
    from warning.notify.crisisblocks import StatementDraft, statement_message
    from warning.notify.outbox import PRIORITY_FYI

    now = loop.clock.now()
    with loop.escalator.store.transaction() as tx:
        posts = [o for o in tx.outbox(crisis.id) if o.notification.kind == "channel_post"]
        if not posts:
            return
        parent = posts[0]
        for s in statements:
            if s.slack_key is None or s.length == 0:
                continue
            draft = StatementDraft(s.id, s.lang, s.channel, s.text)
            message = statement_message(crisis.ref, draft, lang="de")
            n = Notification(
                s.slack_key,
                "thread_reply",
                parent.notification.channel,
                message.text,
                priority=PRIORITY_FYI,
                crisis_id=crisis.ref,
                blocks=message.blocks,
                thread_of=parent.key,
            )
            if tx.enqueue(n, at=now, crisis_id=crisis.id):
                tx.audit(
                    "statement_drafted",
                    crisis.id,
                    at=now,
                    statement=s.id,
                    lang=s.lang,
                    channel=s.channel,
                    chars=s.length,
                    limit=s.limit,
                    key=s.slack_key,
                )
