"""The e-mail fallback through a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import shutil
import socket
import ssl
import subprocess
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from warning.notify.blocks import page_message
from warning.notify.email import EmailDelivery, message_id
from warning.notify.result import DeliveryStatus
from warning.records import Notification


def parsed(envelope: Any) -> email.message.EmailMessage:
    msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert isinstance(msg, email.message.EmailMessage)
    return msg


def mail(alert_factory: Any, **kw: Any) -> Notification:
    msg = page_message(
        alert_factory(), crisis_id="c-7", lang="de", level=2, reason="Slack antwortet nicht"
    )
    return Notification(
        "c-7:l2:r0:anna:email",
        "email",
        "anna.becker@lumina-energie.example",
        msg.text,
        priority=0,
        crisis_id="c-7",
        blocks=msg.blocks,
        **kw,
    )


def test_page_arrives_as_text_and_html(smtp_server: Any, alert_factory: Any) -> None:
    controller, inbox = smtp_server
    sender = EmailDelivery("127.0.0.1", controller.port, "shitstorm@lumina-energie.example")
    n = mail(alert_factory)
    result = sender.deliver(n)
    assert result.ok and result.ts == message_id(n.idempotency_key) and result.requests == 1
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ["anna.becker@lumina-energie.example"]
    msg = parsed(envelope)
    assert msg["Subject"].startswith("Sturmwarnung: Lumina — kritisch")
    assert msg["X-Shitstorm-Crisis"] == "c-7"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "Sturmwarnung: Lumina — kritisch" in text and "1.240 Erwähnungen" in text
    assert "Nie wieder Lumina, Abzocke! #0" in text
    assert "<h2>Sturmwarnung: Lumina — kritisch</h2>" in html and "<blockquote>" in html


def test_chart_is_attached(smtp_server: Any, alert_factory: Any, tmp_path: Path) -> None:
    controller, inbox = smtp_server
    chart = tmp_path / "chart.png"
    chart.write_bytes(b"\x89PNG\r\n\x1a\nfake")
    sender = EmailDelivery("127.0.0.1", controller.port, "shitstorm@example.org")
    assert sender.deliver(mail(alert_factory, attachments={"chart": str(chart)})).ok
    msg = parsed(inbox.envelopes[0])
    [part] = list(msg.iter_attachments())
    assert part.get_filename() == "chart.png" and part.get_content() == chart.read_bytes()


def test_refused_connection_is_transient(alert_factory: Any) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = EmailDelivery("127.0.0.1", port, "a@b.c", timeout=2).deliver(mail(alert_factory))
    assert result.status is DeliveryStatus.TRANSIENT and result.error == "connection_error"


def test_not_an_address_is_permanent(alert_factory: Any) -> None:
    n = Notification("k", "email", "U04LUM0AB01", "x")
    result = EmailDelivery("127.0.0.1", 1, "a@b.c").deliver(n)
    assert result.status is DeliveryStatus.PERMANENT and result.error == "bad_address"


@pytest.mark.parametrize(
    ("code", "status"), [(450, DeliveryStatus.TRANSIENT), (550, DeliveryStatus.PERMANENT)]
)
def test_recipient_refusals_by_reply_code(
    smtp_server: Any, alert_factory: Any, code: int, status: DeliveryStatus
) -> None:
    controller, inbox = smtp_server

    async def handle_RCPT(
        server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        return f"{code} mailbox unavailable"

    inbox.handle_RCPT = handle_RCPT  # type: ignore[attr-defined]
    result = EmailDelivery("127.0.0.1", controller.port, "a@b.c").deliver(mail(alert_factory))
    assert result.status is status and result.error == f"smtp_{code}"
    assert inbox.envelopes == []


def _self_signed(tmp_path: Path) -> ssl.SSLContext:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def test_starttls_and_login(alert_factory: Any, tmp_path: Path) -> None:
    from aiosmtpd.controller import Controller

    received: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append((session.authenticated, envelope))
            return "250 OK"

    def authenticator(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"bot", b"s3cret")
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535

    class PortZero(Controller):
        def _trigger_server(self) -> None:
            assert self.server is not None
            self.port = self.server.sockets[0].getsockname()[1]
            super()._trigger_server()

    server_ctx = _self_signed(tmp_path)
    controller = PortZero(
        Handler(), hostname="127.0.0.1", port=0, tls_context=server_ctx, require_starttls=True,
        authenticator=authenticator, auth_required=True,
    )  # fmt: skip
    controller.start()
    try:
        client_ctx = ssl.create_default_context()
        client_ctx.check_hostname = False
        client_ctx.verify_mode = ssl.CERT_NONE
        good = EmailDelivery(
            "127.0.0.1", controller.port, "a@b.c", starttls=True, username="bot",
            password="s3cret", ssl_context=client_ctx,
        )  # fmt: skip
        assert good.deliver(mail(alert_factory)).ok
        assert received and received[0][0] is True
        bad = EmailDelivery(
            "127.0.0.1", controller.port, "a@b.c", starttls=True, username="bot",
            password="wrong", ssl_context=client_ctx,
        )  # fmt: skip
        result = bad.deliver(mail(alert_factory))
        assert result.status is DeliveryStatus.PERMANENT and result.error == "smtp_auth"
        plain = EmailDelivery("127.0.0.1", controller.port, "a@b.c")  # no STARTTLS: refused
        assert plain.deliver(mail(alert_factory)).status is DeliveryStatus.PERMANENT
    finally:
        controller.stop()
