"""The ``/shitstorm`` slash command: ``ack <crisis> [30m | 21:15]``, ``escalate <crisis>``,
``resolve <crisis>``, ``false-alarm <crisis>``, ``status [crisis]``, ``help`` (German verbs too).

>>> from datetime import datetime, timezone
>>> now = datetime(2026, 3, 28, 19, 41, tzinfo=timezone.utc)
>>> form = {"command": "/shitstorm", "text": "ack c-7 21:15", "user_id": "U1"}
>>> cmd = parse_command(form, person="anna", now=now, tz="Europe/Berlin")
>>> (cmd.verb, cmd.ack.crisis_id, cmd.ack.promise_until.isoformat())
('acknowledge', 'c-7', '2026-03-28T20:15:00+00:00')
>>> parse_command({"command": "/shitstorm", "text": "fehlalarm"}, person=None, now=now).error
'usage: /shitstorm false-alarm <crisis>'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from warning.records import Ack, AckAction

__all__ = ["VERBS", "SlashCommand", "parse_command", "parse_promise"]

#: Accepted words (English and German) → the canonical verb.
VERBS: dict[str, str] = {
    "ack": "acknowledge",
    "acknowledge": "acknowledge",
    "übernehmen": "acknowledge",
    "uebernehmen": "acknowledge",
    "escalate": "escalate",
    "eskalieren": "escalate",
    "resolve": "resolve",
    "erledigt": "resolve",
    "false-alarm": "false_alarm",
    "false_alarm": "false_alarm",
    "falsealarm": "false_alarm",
    "fehlalarm": "false_alarm",
    "status": "status",
    "help": "help",
    "hilfe": "help",
}
_ACTIONS: dict[str, AckAction] = {
    "acknowledge": "acknowledge",
    "escalate": "escalate",
    "resolve": "resolve",
    "false_alarm": "false_alarm",
}
_SPELLING = {"acknowledge": "ack", "false_alarm": "false-alarm"}
_DURATION = re.compile(r"^(\d{1,4})\s*(m|min|mins|minutes|minuten|h|std|hours?)?$", re.IGNORECASE)
_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


@dataclass(frozen=True, slots=True)
class SlashCommand:
    """A parsed slash command; ``ack`` is set for the four crisis actions."""

    command: str
    verb: str
    args: tuple[str, ...]
    text: str
    slack_user: str
    person: str | None
    channel: str | None
    at: datetime
    ack: Ack | None = None
    error: str | None = None


def parse_promise(text: str, now: datetime, tz: str | ZoneInfo) -> datetime | None:
    """``30m``/``1h``/``45`` → ``now`` plus that; ``21:15`` → the next 21:15 in ``tz``.

    >>> from datetime import timezone
    >>> now = datetime(2026, 3, 28, 22, 50, tzinfo=timezone.utc)  # 23:50 in Berlin
    >>> parse_promise("00:15", now, "Europe/Berlin").isoformat()
    '2026-03-28T23:15:00+00:00'
    >>> parse_promise("soon", now, "Europe/Berlin") is None
    True
    """
    text = text.strip()
    m = _DURATION.match(text)
    if m:
        amount = int(m.group(1))
        unit = (m.group(2) or "m").lower()
        return now + (timedelta(hours=amount) if unit[0] in "hs" else timedelta(minutes=amount))
    m = _CLOCK.match(text)
    if m:
        zone = ZoneInfo(tz) if isinstance(tz, str) else tz
        local = now.astimezone(zone)
        wanted = local.replace(
            hour=int(m.group(1)), minute=int(m.group(2)), second=0, microsecond=0
        )
        if wanted <= local:
            wanted = (local + timedelta(days=1)).replace(
                hour=int(m.group(1)), minute=int(m.group(2)), second=0, microsecond=0
            )
        return _existing(wanted, zone).astimezone(now.tzinfo)
    return None


def _existing(wanted: datetime, zone: ZoneInfo) -> datetime:
    """``wanted`` if that wall time exists in ``zone``, else the next valid instant (the end
    of a spring-forward gap)."""
    naive = wanted.replace(tzinfo=None)
    if wanted.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive:
        return wanted
    start = wanted.replace(fold=1).astimezone(UTC)
    for minutes in range(0, 24 * 60):
        candidate = start + timedelta(minutes=minutes)
        if candidate.astimezone(zone).replace(tzinfo=None) >= naive:
            return candidate.astimezone(zone)
    return wanted  # pragma: no cover


def parse_command(
    form: Mapping[str, str],
    *,
    person: str | None,
    now: datetime,
    tz: str | ZoneInfo = "Europe/Berlin",
    request_id: str | None = None,
) -> SlashCommand:
    """Parse the form fields Slack posts for a slash command."""
    text = " ".join(str(form.get("text", "")).split())
    words = tuple(text.split(" ")) if text else ()
    verb = VERBS.get(words[0].lower(), "") if words else "help"
    args = words[1:]
    base = SlashCommand(
        command=str(form.get("command", "")),
        verb=verb,
        args=args,
        text=text,
        slack_user=str(form.get("user_id", "")),
        person=person,
        channel=form.get("channel_id"),
        at=now,
    )
    if not verb:
        return replace(base, verb="unknown", error=f"unknown command {words[0]!r}; try help")
    action = _ACTIONS.get(verb)
    if action is None:
        return base
    spelled = _SPELLING.get(verb, verb.replace("_", "-"))
    if not args:
        extra = " [30m | 21:15]" if action == "acknowledge" else ""
        return replace(base, error=f"usage: /shitstorm {spelled} <crisis>{extra}")
    promise = None
    if action == "acknowledge" and len(args) > 1:
        promise = parse_promise(args[1], now, tz)
        if promise is None:
            error = f"cannot read the promise {args[1]!r}; give minutes (30m) or a time (21:15)"
            return replace(base, error=error)
    ack = Ack(
        crisis_id=args[0],
        action=action,
        person=person,
        slack_user=str(form.get("user_id", "")),
        at=now,
        promise_until=promise,
        request_id=request_id,
    )
    return replace(base, ack=ack)
