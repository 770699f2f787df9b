"""Connection settings of the delivery edges, read only when an entry point asks.

Nothing here reads the environment at import time: the command line (or a test)
calls :meth:`SlackSettings.from_env` / :meth:`EmailSettings.from_env` with the
mapping it wants to use.

>>> s = SlackSettings.from_env({"SHITSTORM_SLACK_BOT_TOKEN": "xoxb-1",
...                             "SHITSTORM_SLACK_API_URL": "http://127.0.0.1:9/api/"})
>>> (s.base_url, s.signing_secret)
('http://127.0.0.1:9/api/', None)
>>> s
SlackSettings(token='xoxb…', base_url='http://127.0.0.1:9/api/', signing_secret=None, timeout=10.0)
>>> EmailSettings.from_env({"SHITSTORM_SMTP_HOST": "mail", "SHITSTORM_SMTP_SENDER": "a@b.c"}).port
25
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from warning.errors import ConfigError

__all__ = ["DEFAULT_SLACK_API_URL", "EmailSettings", "SlackSettings"]

DEFAULT_SLACK_API_URL = "https://slack.com/api/"


def _mask(secret: str | None) -> str:
    return "None" if secret is None else repr(secret[:4] + "…")


def _number(env: Mapping[str, str], key: str, default: float) -> float:
    raw = env.get(key)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(
            f"environment: {key} must be a number of seconds. Got {raw!r} instead."
        ) from None


@dataclass(frozen=True, slots=True)
class SlackSettings:
    """Bot token, Web API base URL, signing secret and HTTP timeout for Slack."""

    token: str
    base_url: str = DEFAULT_SLACK_API_URL
    signing_secret: str | None = None
    timeout: float = 10.0

    def __repr__(self) -> str:
        return (
            f"SlackSettings(token={_mask(self.token)}, base_url={self.base_url!r}, "
            f"signing_secret={_mask(self.signing_secret)}, timeout={self.timeout})"
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SlackSettings:
        """``SHITSTORM_SLACK_BOT_TOKEN`` (required), ``SHITSTORM_SLACK_API_URL``,
        ``SHITSTORM_SLACK_SIGNING_SECRET``, ``SHITSTORM_SLACK_TIMEOUT`` (seconds)."""
        token = env.get("SHITSTORM_SLACK_BOT_TOKEN", "").strip()
        if not token:
            raise ConfigError("environment: SHITSTORM_SLACK_BOT_TOKEN must be set for Slack.")
        return cls(
            token=token,
            base_url=env.get("SHITSTORM_SLACK_API_URL") or DEFAULT_SLACK_API_URL,
            signing_secret=env.get("SHITSTORM_SLACK_SIGNING_SECRET") or None,
            timeout=_number(env, "SHITSTORM_SLACK_TIMEOUT", 10.0),
        )


@dataclass(frozen=True, slots=True)
class EmailSettings:
    """SMTP server and sender for the e-mail fallback."""

    host: str
    sender: str
    port: int = 25
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0

    def __repr__(self) -> str:
        return (
            f"EmailSettings(host={self.host!r}, sender={self.sender!r}, port={self.port}, "
            f"starttls={self.starttls}, username={self.username!r}, "
            f"password={_mask(self.password)}, timeout={self.timeout})"
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> EmailSettings:
        """``SHITSTORM_SMTP_HOST`` and ``SHITSTORM_SMTP_SENDER`` (required),
        ``SHITSTORM_SMTP_PORT``, ``SHITSTORM_SMTP_STARTTLS`` (1/true),
        ``SHITSTORM_SMTP_USER``, ``SHITSTORM_SMTP_PASSWORD``, ``SHITSTORM_SMTP_TIMEOUT``."""
        host = env.get("SHITSTORM_SMTP_HOST", "").strip()
        sender = env.get("SHITSTORM_SMTP_SENDER", "").strip()
        if not host or not sender:
            raise ConfigError(
                "environment: SHITSTORM_SMTP_HOST and SHITSTORM_SMTP_SENDER must be set "
                "for the e-mail fallback."
            )
        port = _number(env, "SHITSTORM_SMTP_PORT", 25)
        return cls(
            host=host,
            sender=sender,
            port=int(port),
            starttls=env.get("SHITSTORM_SMTP_STARTTLS", "").lower() in ("1", "true", "yes"),
            username=env.get("SHITSTORM_SMTP_USER") or None,
            password=env.get("SHITSTORM_SMTP_PASSWORD") or None,
            timeout=_number(env, "SHITSTORM_SMTP_TIMEOUT", 10.0),
        )
