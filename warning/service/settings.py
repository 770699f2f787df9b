"""Settings of ``shitstorm serve``: where each comes from, and how the pieces are built.

Every setting is an option of the command, an environment variable, or a default;
:class:`Setting` remembers which, so the service prints one line per setting and its
source at startup. Secrets (the Slack bot token and signing secret, the ingest
tokens, the SMTP password) come from the environment only and are never printed.

=================================  ==============================================
``SHITSTORM_DATABASE_URL``         the store (default: SQLite in the state dir)
``SHITSTORM_STATE_DIR``            state directory (SQLite file, spool)
``SHITSTORM_PLAYBOOKS``            playbook directory (default: the bundled example)
``SHITSTORM_DETECTOR_CONFIG``      detection configuration YAML (default: built in)
``SHITSTORM_INGEST_TOKENS``        bearer tokens for ``POST /v1/mentions``, comma-separated
``SHITSTORM_TZ``                   zone of times in messages (default: playbook settings)
``SHITSTORM_FEED_SILENCE``         fixed limit for a silent feed, e.g. ``2h`` (default: off)
``SHITSTORM_SLACK_*``, ``SHITSTORM_SMTP_*``  as for the escalation runner
=================================  ==============================================

>>> parse_tokens(" a1, b2 ,,a1 ")
('a1', 'b2')
>>> default_state_dir({"XDG_STATE_HOME": "/var/lib/x"}).as_posix()
'/var/lib/x/shitstorm'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warning.errors import UsageError

__all__ = [
    "LOOPBACK",
    "Setting",
    "build_delivery",
    "check_auth",
    "default_state_dir",
    "parse_tokens",
]

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


@dataclass(frozen=True, slots=True)
class Setting:
    """A resolved setting: its value as shown, and where it came from."""

    name: str
    shown: str
    source: str

    def line(self) -> str:
        return f"  {self.name:<10} {self.shown}  ({self.source})"


def parse_tokens(raw: str | None) -> tuple[str, ...]:
    """Comma-separated tokens, blanks and repeats dropped, order kept."""
    seen: dict[str, None] = {}
    for part in (raw or "").split(","):
        token = part.strip()
        if token:
            seen.setdefault(token, None)
    return tuple(seen)


def default_state_dir(env: Mapping[str, str]) -> Path:
    """``$XDG_STATE_HOME/shitstorm``, else ``~/.local/state/shitstorm``."""
    base = env.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "shitstorm"


def check_auth(tokens: tuple[str, ...], *, host: str, insecure_no_auth: bool) -> None:
    """Refuse to start without an ingest token, unless explicitly insecure on loopback."""
    if tokens:
        return
    if not insecure_no_auth:
        raise UsageError(
            "serve: no ingest token: set SHITSTORM_INGEST_TOKENS (comma-separated), "
            "or pass --insecure-no-auth on 127.0.0.1 for a local trial."
        )
    if host not in LOOPBACK:
        raise UsageError(
            f"serve: --insecure-no-auth is allowed on 127.0.0.1 only, not on {host}; "
            "set SHITSTORM_INGEST_TOKENS."
        )


def build_delivery(env: Mapping[str, str]) -> tuple[Any, Any, list[Setting]]:
    """The page notifier (Slack, or the console without a token), the e-mail fallback,
    and a setting line for each."""
    from warning.notify.email import EmailDelivery
    from warning.notify.recording import ConsoleNotifier
    from warning.notify.settings import EmailSettings, SlackSettings
    from warning.notify.slack import SlackDelivery

    lines: list[Setting] = []
    notifier: Any
    if env.get("SHITSTORM_SLACK_BOT_TOKEN", "").strip():
        slack = SlackSettings.from_env(env)
        notifier = SlackDelivery(slack.token, slack.base_url, timeout=slack.timeout)
        url_source = "SHITSTORM_SLACK_API_URL" if env.get("SHITSTORM_SLACK_API_URL") else "default"
        lines.append(
            Setting("slack", slack.base_url, f"{url_source}; token SHITSTORM_SLACK_BOT_TOKEN")
        )
    else:
        notifier = ConsoleNotifier()
        lines.append(
            Setting(
                "slack",
                "no bot token: pages go to the console (standard output)",
                "SHITSTORM_SLACK_BOT_TOKEN not set",
            )
        )
    email = None
    if env.get("SHITSTORM_SMTP_HOST", "").strip():
        settings = EmailSettings.from_env(env)
        email = EmailDelivery.from_settings(settings)
        lines.append(Setting("e-mail", f"{settings.host}:{settings.port}", "SHITSTORM_SMTP_HOST"))
    else:
        lines.append(Setting("e-mail", "fallback off", "SHITSTORM_SMTP_HOST not set"))
    return notifier, email, lines


def environ() -> Mapping[str, str]:
    """The process environment (read by the command, never at import time)."""
    return os.environ
