"""Shared fixtures of the notify tests: the fake Slack, a Slack deliverer, a local SMTP server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session

from warning.notify.fakeslack import FakeSlack
from warning.notify.slack import SlackDelivery
from warning.records import Alert, AlertMetrics, DetectorInfo, Drivers, Severity

T0 = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)  # Saturday 20:30 in Berlin


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        server.add_channel("crisis", "C0CRISIS")
        yield server


@pytest.fixture
def slack(fake: FakeSlack) -> SlackDelivery:
    return SlackDelivery(fake.token, fake.base_url, timeout=1.0, default_retry_after=5.0)


@dataclass
class Inbox:
    """What the local SMTP server received."""

    envelopes: list[Envelope] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


class PortZeroController(Controller):
    """aiosmtpd's Controller on port 0: learn the real port before the readiness probe."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def smtp_server() -> Iterator[tuple[PortZeroController, Inbox]]:
    inbox = Inbox()
    controller = PortZeroController(inbox, hostname="127.0.0.1", port=0)
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def make_alert(
    *,
    brand: str = "Lumina",
    severity: Severity = Severity.CRITICAL,
    posts: int = 3,
    post_text: str = "Nie wieder Lumina, Abzocke!",
    authors: int = 3,
) -> Alert:
    drivers = Drivers(
        top_terms=("abzocke", "strompreis"),
        top_negative_posts=tuple(
            {
                "id": str(i),
                "author": f"@kunde{i}",
                "platform": "x",
                "text": f"{post_text} #{i}",
                "reach": 1000 * (i + 1),
                "url": f"https://x.example/{i}",
            }
            for i in range(posts)
        ),
        top_authors=tuple(
            {"author": f"@big{i}", "reach": 50_000 - i, "mentions": 2, "negative_mentions": 2}
            for i in range(authors)
        ),
        platforms={"x": 540, "tiktok": 300, "instagram": 200},
        new_author_share=0.71,
    )
    return Alert(
        brand=brand,
        fired_at=T0,
        bucket_start=T0,
        severity=severity,
        change_point_at=T0.replace(minute=5),
        metrics=AlertMetrics(1240.0, 180.0, 6.89, 0.62, 0.18, extra={"doubling_minutes": 22.0}),
        detector=DetectorInfo("storm", {"k": 3}),
        dedup_key=f"{brand}:1",
        drivers=drivers,
    )


@pytest.fixture
def alert_factory() -> Any:
    """``make_alert`` as a fixture (tests do not import conftest)."""
    return make_alert


@pytest.fixture
def t0() -> datetime:
    return T0
