"""Fixtures of the service tests: a small runtime with a real store, escalator and queue.

:class:`AppRuntime` implements :class:`warning.service.protocol.ServiceRuntime` without
the worker thread: mentions stay in the queue where the tests look at them, crises are
opened by handing alerts to the (real) escalator.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from warning.clock import SimulatedClock
from warning.escalate.escalator import Escalator
from warning.notify.recording import RecordingNotifier
from warning.notify.signature import SlackRequestVerifier
from warning.playbook.compiled import Config
from warning.playbook.config import load_texts
from warning.records import Alert, AlertMetrics, DetectorInfo, Drivers, Severity
from warning.service.app import create_app
from warning.service.metrics import Metrics
from warning.service.queue import MentionQueue
from warning.store.db import Store

T0 = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)  # Saturday 20:30 in Berlin
TOKEN = "ingest-token-1"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"

PLAYBOOKS = """
people:
  anna: {name: Anna Becker, slack: U0ANNA00001, email: anna@lumina.example}
  jonas: {name: Jonas Weber, slack: U0JONAS0002, email: jonas@lumina.example, languages: [en]}
  katrin: {name: Katrin Meier, slack: U0KATRIN003, email: katrin@lumina.example}
roles:
  duty: {title: Dienst, people: [anna]}
  lead: {title: Leitung, people: [katrin]}
slack_channels:
  krisenstab: {name: "#krisenstab", id: C0KRISEN001}
paths:
  crisis:
    levels:
      - name: Dienst
        targets: [{person: anna}, {slack_channel: krisenstab}]
        ack: 5m
      - name: Leitung
        targets: [{person: jonas}]
        ack: 10m
    fallback: katrin
playbooks:
  product-safety:
    title: Produktsicherheit
    triggers: [{}]
    escalation: {watch: crisis, warning: crisis, critical: crisis}
    variables: {company: Lumina Energie AG}
    checklist:
      - {task: Fakten sammeln, role: duty, due: 30m}
      - {task: Vorstand informieren, role: lead, due: 2h}
    statements:
      - id: holding-x
        channel: x
        de: "{{ company }} prüft {{ topic }}. Update bis {{ next_update }} Uhr."
        en: "{{ company }} is looking into {{ topic }}. Update by {{ next_update }}."
settings:
  timezone: Europe/Berlin
  sample_values: {topic: die Berichte über Wallboxen}
"""


class AppRuntime:
    """A :class:`ServiceRuntime` over a real store and escalator, without a worker thread."""

    def __init__(self, store: Store, config: Config, *, queue_size: int = 50_000) -> None:
        self.store = store
        self.clock = SimulatedClock(T0)
        self.tz = "Europe/Berlin"
        self.queue = MentionQueue(queue_size)
        self.metrics = Metrics()
        self.slack = RecordingNotifier()
        self.config = config
        self.escalator = Escalator(
            store, config, self.clock, notifier=self.slack, tz=self.tz, worker="svc-test"
        )
        self.problem: str | None = None

    def health(self) -> dict[str, Any]:
        store_ok = True
        try:
            self.store.check()
        except Exception:
            store_ok = False
        checks: dict[str, dict[str, Any]] = {
            "store": {"ok": store_ok},
            "queue": {"ok": not self.queue.closed, "depth": self.queue.depth()},
            "config": {"ok": self.problem is None, "problem": self.problem},
        }
        ok = all(c["ok"] for c in checks.values())
        return {"status": "ok" if ok else "degraded", "checks": checks}

    def playbooks(self) -> Config:
        return self.config

    def refresh_metrics(self) -> None:
        self.metrics.queue_depth.set(self.queue.depth())

    def run(self) -> None:
        """Fire due timers and drain the outbox until nothing is left now."""
        while self.escalator.tick() + self.escalator.drain():
            pass

    def open_crisis(self, brand: str = "Lumina", severity: Severity = Severity.CRITICAL) -> str:
        alert = Alert(
            brand=brand,
            fired_at=self.clock.now(),
            bucket_start=self.clock.now() - timedelta(minutes=5),
            severity=severity,
            change_point_at=self.clock.now() - timedelta(minutes=20),
            metrics=AlertMetrics(1240.0, 180.0, 6.89, 0.62, 0.18),
            detector=DetectorInfo("seasonal-storm", {"threshold": 4.0}),
            dedup_key=f"{brand.lower()}:{self.clock.now().isoformat()}",
            drivers=Drivers(top_terms=("rückruf",), platforms={"x": 900}),
        )
        ref = self.escalator.on_alert(alert).crisis
        self.run()
        assert ref is not None
        return ref


@pytest.fixture(scope="session")
def config() -> Config:
    return load_texts({"playbooks.yaml": PLAYBOOKS})


@pytest.fixture
def sqlite_store(tmp_path: Any) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'state.db'}")
    s.migrate()
    yield s
    s.dispose()


@pytest.fixture
def runtime(sqlite_store: Store, config: Config) -> AppRuntime:
    """On SQLite: for the tests where the database is not the point."""
    return AppRuntime(sqlite_store, config)


@pytest.fixture
def db_runtime(store: Store, config: Config) -> AppRuntime:
    """On SQLite and PostgreSQL (``store`` is parametrised in tests/conftest.py)."""
    return AppRuntime(store, config)


class AsgiClient:
    """httpx's AsyncClient on the ASGI app (no network), driven from synchronous tests."""

    def __init__(self, app: Any, base_url: str = "http://service") -> None:
        self._loop = asyncio.new_event_loop()
        transport = httpx.ASGITransport(app=app)
        self._client = httpx.AsyncClient(transport=transport, base_url=base_url)

    def request(self, method: str, url: str, **options: Any) -> httpx.Response:
        return self._loop.run_until_complete(self._client.request(method, url, **options))

    def get(self, url: str, **options: Any) -> httpx.Response:
        return self.request("GET", url, **options)

    def post(self, url: str, **options: Any) -> httpx.Response:
        return self.request("POST", url, **options)

    @property
    def cookies(self) -> httpx.Cookies:
        return self._client.cookies

    def close(self) -> None:
        self._loop.run_until_complete(self._client.aclose())
        self._loop.close()

    def __enter__(self) -> AsgiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_client(runtime: AppRuntime, **options: Any) -> AsgiClient:
    options.setdefault("ingest_tokens", [TOKEN])
    options.setdefault("signing_secret", SECRET)
    app = create_app(runtime, **options)
    return AsgiClient(app)


@pytest.fixture
def client(runtime: AppRuntime) -> Iterator[AsgiClient]:
    with make_client(runtime) as c:
        yield c


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def mention(i: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"m-{i}",
        "timestamp": (T0 + timedelta(seconds=i)).isoformat(),
        "text": f"Nie wieder Lumina #{i}",
        "brand": "Lumina",
        **extra,
    }


class SlackSender:
    """Signs bodies like Slack does (the real verifier's ``sign_headers``) and posts them."""

    def __init__(self, client: AsgiClient, runtime: AppRuntime) -> None:
        self.client = client
        self.runtime = runtime
        self.verifier = SlackRequestVerifier(SECRET)
        self.sent = 0

    def post(self, path: str, form: dict[str, str], **headers: str) -> httpx.Response:
        body = urlencode(form).encode()
        signed = self.verifier.sign_headers(body, self.runtime.clock.now())
        return self.client.post(
            path,
            content=body,
            headers={
                **signed,
                "Content-Type": "application/x-www-form-urlencoded",
                **headers,
            },
        )

    def press(self, user: str, action_id: str, value: str, **headers: str) -> httpx.Response:
        if "X-Slack-Retry-Num" not in headers:
            self.sent += 1
        payload = {
            "type": "block_actions",
            "user": {"id": user},
            "actions": [
                {"action_id": action_id, "action_ts": f"1774726860.{self.sent}", "value": value}
            ],
        }
        return self.post("/slack/actions", {"payload": json.dumps(payload)}, **headers)

    def command(self, user: str, text: str) -> httpx.Response:
        self.sent += 1  # Slack gives every invocation its own trigger id
        form = {
            "command": "/shitstorm",
            "text": text,
            "user_id": user,
            "channel_id": "C1",
            "trigger_id": f"t{self.sent}",
        }
        return self.post("/slack/commands", form)


@pytest.fixture
def slack_sender() -> Callable[[AsgiClient, AppRuntime], SlackSender]:
    return SlackSender


@pytest.fixture(name="mention")
def mention_fixture() -> Callable[..., dict[str, Any]]:
    """``mention(i, **extra)``: a valid mention row (tests do not import conftest)."""
    return mention


@pytest.fixture(name="make_client")
def make_client_fixture() -> Callable[..., AsgiClient]:
    return make_client


@pytest.fixture
def make_runtime(sqlite_store: Store, config: Config) -> Callable[..., AppRuntime]:
    return lambda **options: AppRuntime(sqlite_store, config, **options)
