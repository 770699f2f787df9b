"""Settings are read from the mapping the caller passes, with secrets masked."""

from __future__ import annotations

import pytest

from warning.errors import ConfigError
from warning.notify.result import DeliveryResult
from warning.notify.settings import DEFAULT_SLACK_API_URL, EmailSettings, SlackSettings
from warning.notify.slack import SlackDelivery


def test_slack_settings_from_env() -> None:
    env = {
        "SHITSTORM_SLACK_BOT_TOKEN": " xoxb-123456 ",
        "SHITSTORM_SLACK_SIGNING_SECRET": "abcdef123",
        "SHITSTORM_SLACK_TIMEOUT": "3",
    }
    s = SlackSettings.from_env(env)
    assert (s.token, s.base_url, s.signing_secret, s.timeout) == (
        "xoxb-123456",
        DEFAULT_SLACK_API_URL,
        "abcdef123",
        3.0,
    )
    assert "123456" not in repr(s) and "abcdef123" not in repr(s)
    delivery = SlackDelivery.from_settings(s)
    assert delivery.client.base_url == DEFAULT_SLACK_API_URL and delivery.timeout == 3.0
    with pytest.raises(ConfigError, match="SHITSTORM_SLACK_BOT_TOKEN must be set"):
        SlackSettings.from_env({})
    with pytest.raises(
        ConfigError,
        match=r"SHITSTORM_SLACK_TIMEOUT must be a number of seconds\. Got .soon. instead\.",
    ):
        SlackSettings.from_env({**env, "SHITSTORM_SLACK_TIMEOUT": "soon"})


def test_email_settings_from_env() -> None:
    env = {
        "SHITSTORM_SMTP_HOST": "mail.example",
        "SHITSTORM_SMTP_SENDER": "alarm@example.org",
        "SHITSTORM_SMTP_PORT": "587",
        "SHITSTORM_SMTP_STARTTLS": "true",
        "SHITSTORM_SMTP_USER": "bot",
        "SHITSTORM_SMTP_PASSWORD": "hunter22",
    }
    s = EmailSettings.from_env(env)
    assert (s.host, s.port, s.starttls, s.username) == ("mail.example", 587, True, "bot")
    assert "hunter22" not in repr(s)
    with pytest.raises(ConfigError, match="SHITSTORM_SMTP_HOST and SHITSTORM_SMTP_SENDER"):
        EmailSettings.from_env({"SHITSTORM_SMTP_HOST": "x"})


def test_result_as_audit_record() -> None:
    r = DeliveryResult.retry_after_seconds(
        30, error="message_limit_exceeded", http_status=200, method="chat.postMessage", requests=1
    )
    assert r.to_dict() == {
        "status": "retry_after",
        "retry_after": 30.0,
        "error": "message_limit_exceeded",
        "http_status": 200,
        "method": "chat.postMessage",
        "requests": 1,
    }
