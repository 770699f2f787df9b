"""Fixtures of the escalation tests: both databases, a small playbook set, alerts, clocks.

The playbook (Saturday 2026-03-28 20:30 Berlin): critical → level 1 anna + #krisenstab
(5m), level 2 the legal schedule (empty at weekends → skipped at once), level 3 jonas
(10m), one repeat, then katrin as the final fallback.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from warning.clock import SimulatedClock
from warning.escalate.escalator import Escalator
from warning.escalate.version import texts_version
from warning.notify.recording import RecordingNotifier
from warning.playbook.compiled import Config
from warning.playbook.config import load_texts
from warning.records import Alert, AlertMetrics, DetectorInfo, Drivers, Severity
from warning.store.db import Store

T0 = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)  # Saturday 20:30 in Berlin

PLAYBOOKS = """
people:
  anna: {name: Anna Becker, slack: U0ANNA00001, email: anna@lumina.example}
  jonas: {name: Jonas Weber, slack: U0JONAS0002, email: jonas@lumina.example}
  katrin: {name: Katrin Meier, slack: U0KATRIN003, email: katrin@lumina.example}
  petra: {name: Petra Lang, email: petra@lumina.example}
roles:
  lead: {title: Leitung, people: [katrin]}
  duty: {title: Dienst, schedule: duty}
schedules:
  legal:
    timezone: Europe/Berlin
    layers:
      - {name: office, people: [petra], rules: [{days: [mon-fri], from: "09:00", to: "17:00"}]}
  duty:
    timezone: Europe/Berlin
    layers:
      - {name: always, people: [anna]}
windows:
  daytime:
    timezone: Europe/Berlin
    rules: [{from: "08:00", to: "22:00"}]
slack_channels:
  krisenstab: {name: "#krisenstab", id: C0KRISEN001}
paths:
  crisis:
    levels:
      - name: Dienst
        targets: [{schedule: duty}, {slack_channel: krisenstab}]
        ack: 5m
      - name: Recht
        targets: [{schedule: legal}]
        ack: 15m
      - name: Leitung
        targets: [{person: jonas}]
        ack: 10m
    repeat: 1
    fallback: katrin
  standard:
    levels:
      - {name: Dienst, targets: [{schedule: duty}], ack: 10m}
      - {name: Leitung, targets: [{person: jonas}], ack: 10m}
      - {name: Chefin, targets: [{person: katrin}], ack: 30m, wait_until: daytime}
    fallback: katrin
  watch:
    levels:
      - {name: Dienst, targets: [{schedule: duty}], ack: 30m}
    fallback: anna
playbooks:
  product-safety:
    title: Produktsicherheit
    priority: 50
    triggers: [{terms_any: [rückruf]}]
    escalation: {watch: watch, warning: standard, critical: crisis}
    checklist:
      - {task: Fakten sammeln, role: duty, due: 30m}
      - {task: Vorstand informieren, role: lead, due: 2h}
  general:
    title: Allgemein
    triggers: [{}]
    escalation: {warning: standard, critical: crisis}
settings:
  timezone: Europe/Berlin
"""


@pytest.fixture(scope="session")
def config() -> Config:
    return load_texts({"playbooks.yaml": PLAYBOOKS})


def make_alert(
    brand: str = "Lumina",
    severity: Severity = Severity.CRITICAL,
    *,
    at: datetime = T0,
    terms: tuple[str, ...] = ("rückruf", "wallbox"),
    key: str | None = None,
) -> Alert:
    return Alert(
        brand=brand,
        fired_at=at,
        bucket_start=at,
        severity=severity,
        change_point_at=at,
        metrics=AlertMetrics(1240.0, 180.0, 6.89, 0.62, 0.18),
        detector=DetectorInfo("seasonal-storm", {"threshold": 4.0}),
        dedup_key=key or f"{brand.lower()}:2026-03-28T19:25:00Z",
        drivers=Drivers(top_terms=terms, platforms={"x": 900, "tiktok": 340}),
    )


class Rig:
    """A store, a simulated clock, a recording notifier and an escalator over them."""

    def __init__(self, store: Store, config: Config, start: datetime = T0) -> None:
        self.store = store
        self.clock = SimulatedClock(start)
        self.slack = RecordingNotifier()
        self.config = config
        self.escalator = Escalator(
            store,
            config,
            self.clock,
            playbook_version=texts_version({"playbooks.yaml": PLAYBOOKS}),
            notifier=self.slack,
            tz="Europe/Berlin",
            worker="test-worker",
        )

    def run(self) -> int:
        """Fire due timers and drain until nothing is left to do now."""
        total = 0
        while True:
            work = self.escalator.tick() + self.escalator.drain()
            total += work
            if work == 0:
                return total

    def advance(self, minutes: float) -> None:
        self.clock.advance(timedelta(minutes=minutes))
        self.run()

    def pages(self) -> list[str]:
        return [
            n.idempotency_key for n in self.slack.notifications if n.kind in ("page_dm", "email")
        ]

    def kinds(self, crisis_id: int | None = None) -> list[str]:
        return [e.kind for e in self.store.timeline(crisis_id)]


@pytest.fixture
def rig(store: Store, config: Config) -> Rig:
    return Rig(store, config)


@pytest.fixture
def alert() -> object:
    """``make_alert`` as a fixture (tests do not import conftest)."""
    return make_alert


@pytest.fixture
def rig_at(store: Store, config: Config) -> object:
    """A factory of rigs whose clock starts at a given instant."""
    return lambda start: Rig(store, config, start)


@pytest.fixture
def playbooks_text() -> str:
    return PLAYBOOKS


def posted_keys(fake: Any) -> list[str]:
    """Idempotency keys of the ``chat.postMessage`` calls the fake Slack accepted, in order."""
    keys: list[str] = []
    for request in fake.requests("chat.postMessage"):
        if request.status != 200 or request.error is not None:
            continue
        metadata = request.params.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        keys.append(str(((metadata or {}).get("event_payload") or {}).get("idempotency_key")))
    return keys


@pytest.fixture
def accepted_keys() -> Any:
    return posted_keys
