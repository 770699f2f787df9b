"""The e-mail fallback: a page as plain text and HTML over SMTP (optional STARTTLS, login).

Like every deliverer it answers with a :class:`~warning.notify.result.DeliveryResult`:
4xx replies, refused connections and timeouts are transient, 5xx replies and a
failed login permanent. The ``Message-ID`` is derived from the idempotency key, so a
mail client (or a test) can recognise a repeated send of the same page.

>>> n = Notification("c-7:l1:r0:anna:mail", "email", "anna@example.org",
...                  "Storm warning: Lumina — critical", crisis_id="c-7")
>>> msg = EmailDelivery("127.0.0.1", 25, "shitstorm@example.org").build(n)
>>> msg["Subject"], msg["Message-ID"] == message_id(n.idempotency_key)
('Storm warning: Lumina — critical', True)
>>> sorted(p.get_content_type() for p in msg.walk())
['multipart/alternative', 'text/html', 'text/plain']
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from warning.notify.blockkit import escape
from warning.notify.render import blocks_to_html, blocks_to_text
from warning.notify.result import DeliveryResult
from warning.notify.settings import EmailSettings
from warning.records import Notification

__all__ = ["EmailDelivery", "message_id"]


def message_id(idempotency_key: str, domain: str = "shitstorm.invalid") -> str:
    """A stable ``Message-ID`` for one idempotency key."""
    return f"<{hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]}@{domain}>"


def _by_code(code: int, error: str, detail: str) -> DeliveryResult:
    if 400 <= code < 500:
        return DeliveryResult.transient(f"smtp_{code}", method="smtp", detail=detail, requests=1)
    return DeliveryResult.permanent(
        f"smtp_{code}", method="smtp", detail=detail or error, requests=1
    )


class EmailDelivery:
    """Sends notifications as e-mail to ``notification.channel`` (an address)."""

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 10.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.starttls = starttls
        self.username = username
        self.password = password
        self.timeout = timeout
        self.ssl_context = ssl_context

    @classmethod
    def from_settings(cls, settings: EmailSettings) -> EmailDelivery:
        return cls(
            settings.host,
            settings.port,
            settings.sender,
            starttls=settings.starttls,
            username=settings.username,
            password=settings.password,
            timeout=settings.timeout,
        )

    def __repr__(self) -> str:
        return f"EmailDelivery(host={self.host!r}, port={self.port}, sender={self.sender!r})"

    def build(self, notification: Notification) -> EmailMessage:
        """The e-mail for ``notification``: text and HTML, the chart attached if given."""
        n = notification
        msg = EmailMessage()
        msg["Subject"] = " ".join(n.text.split("\n", 1)[0].split())[:200] or "shitstorm"
        msg["From"] = self.sender
        msg["To"] = n.channel
        msg["Date"] = formatdate(localtime=False, usegmt=True)
        msg["Message-ID"] = message_id(n.idempotency_key)
        msg["X-Shitstorm-Idempotency-Key"] = n.idempotency_key
        if n.crisis_id:
            msg["X-Shitstorm-Crisis"] = n.crisis_id
        text = blocks_to_text(n.blocks) if n.blocks else n.text
        plain_html = escape(n.text).replace("\n", "<br>")
        body_html = blocks_to_html(n.blocks) if n.blocks else f"<p>{plain_html}</p>"
        msg.set_content(text)
        msg.add_alternative(f"<html><body>{body_html}</body></html>", subtype="html")
        chart = n.attachments.get("chart")
        if chart and Path(chart).is_file():
            msg.make_mixed()
            msg.add_attachment(
                Path(chart).read_bytes(), maintype="image", subtype="png", filename=Path(chart).name
            )
        return msg

    def deliver(self, notification: Notification) -> DeliveryResult:
        """Send once over SMTP; never raises for the server's answers."""
        if "@" not in notification.channel:
            return DeliveryResult.permanent(
                "bad_address",
                method="smtp",
                detail=f"not an e-mail address: {notification.channel!r}",
            )
        msg = self.build(notification)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=self.ssl_context or ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password or "")
                refused = smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()), (550, b""))
            return _by_code(code, "recipient refused", reply.decode(errors="replace"))
        except smtplib.SMTPAuthenticationError as exc:
            return DeliveryResult.permanent(
                "smtp_auth", method="smtp", detail=str(exc.smtp_error), requests=1
            )
        except smtplib.SMTPNotSupportedError as exc:
            return DeliveryResult.permanent(
                "smtp_not_supported", method="smtp", detail=str(exc), requests=1
            )
        except smtplib.SMTPResponseException as exc:  # sender refused, data error, …
            return _by_code(exc.smtp_code, "smtp error", str(exc.smtp_error))
        except TimeoutError as exc:
            return DeliveryResult.transient("timeout", method="smtp", detail=str(exc), requests=1)
        except (smtplib.SMTPException, OSError) as exc:
            return DeliveryResult.transient(
                "connection_error", method="smtp", detail=repr(exc), requests=1
            )
        if refused:
            code, reply = next(iter(refused.values()))
            return _by_code(code, "recipient refused", reply.decode(errors="replace"))
        return DeliveryResult.sent(
            notification.channel, msg["Message-ID"], requests=1, method="smtp"
        )
