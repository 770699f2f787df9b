"""Turn verified Slack requests (button presses, checkbox ticks, slash commands) into records.

Only a :class:`~warning.notify.signature.VerifiedRequest` is parsed. A Slack user that
is not in the roster (Slack user id → person id) gets a polite refusal and nothing is
acted upon; what they tried is kept for the audit log. Slack retries carry the same
body, so :func:`request_key` plus a :class:`RetryDeduplicator` makes a retry harmless.

>>> import json
>>> from datetime import datetime, timezone
>>> from urllib.parse import urlencode
>>> from warning.notify.signature import SlackRequestVerifier
>>> now = datetime(2026, 3, 28, 19, 41, tzinfo=timezone.utc)
>>> payload = {"type": "block_actions", "user": {"id": "U04LUM0AB01"},
...            "actions": [{"action_id": "shitstorm.ack", "action_ts": "1774726860.1",
...                         "selected_option": {"value": "v1|c-7|30"}}]}
>>> body = urlencode({"payload": json.dumps(payload)}).encode()
>>> verifier = SlackRequestVerifier("secret")
>>> request = verifier.verify(verifier.sign_headers(body, now), body, now)
>>> got = parse_interaction(request, roster={"U04LUM0AB01": "anna"})
>>> ack = got.acks[0]
>>> (ack.action, ack.person, ack.crisis_id, ack.promise_until.strftime("%H:%M"))
('acknowledge', 'anna', 'c-7', '20:11')
>>> parse_interaction(request, roster={}).refused
True
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

from warning.notify.actions import ACTIONS
from warning.notify.blockkit import decode_value
from warning.notify.commands import SlashCommand, parse_command
from warning.notify.labels import label
from warning.notify.signature import VerifiedRequest
from warning.records import Ack

__all__ = [
    "Interaction",
    "RetryDeduplicator",
    "SlashCommand",
    "parse_interaction",
    "refusal_text",
    "request_key",
]


@dataclass(frozen=True, slots=True)
class Interaction:
    """What one verified Slack request asks for."""

    kind: Literal["block_actions", "slash_command", "other"]
    slack_user: str
    person: str | None
    acks: tuple[Ack, ...] = ()
    unauthorised: tuple[Ack, ...] = ()  # what an unknown user tried (audit only)
    refusal: str | None = None  # the polite answer for an unknown user
    command: SlashCommand | None = None
    request_id: str = ""
    response_url: str | None = None
    channel: str | None = None
    message_ts: str | None = None

    @property
    def refused(self) -> bool:
        return self.refusal is not None


def refusal_text(lang: str | None = "de") -> str:
    """The polite answer for a Slack user who is on no roster."""
    return label(lang, "refusal")


def request_key(request: VerifiedRequest) -> str:
    """A key equal for Slack's retries of one request (they repeat the body)."""
    return hashlib.sha256(request.body).hexdigest()[:32]


def _form(body: bytes) -> dict[str, str]:
    text = body.decode("utf-8", errors="replace")
    return {k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}


def _ack_from_action(
    action: Mapping[str, Any], user: str, person: str | None, now: datetime, request_id: str
) -> Ack | None:
    kind = ACTIONS.get(str(action.get("action_id", "")))
    if kind is None:
        return None
    if action.get("type") == "checkboxes" or "selected_options" in action:
        chosen = action.get("selected_options") or []
        if not chosen:  # unticked: nothing to record
            return None
        value = str(chosen[0].get("value", ""))
    elif "selected_option" in action:
        value = str((action.get("selected_option") or {}).get("value", ""))
    else:
        value = str(action.get("value", ""))
    parts = decode_value(value)
    if not parts:
        return None
    promise = None
    item = None
    if kind == "acknowledge" and len(parts) > 1 and parts[1].isdigit():
        promise = now + timedelta(minutes=int(parts[1]))
    elif kind in ("checklist_done", "approve_statement") and len(parts) > 1:
        item = parts[1]
    action_ts = str(action.get("action_ts", ""))
    return Ack(
        crisis_id=parts[0],
        action=kind,
        person=person,
        slack_user=user,
        at=now,
        promise_until=promise,
        item=item,
        request_id=f"{request_id}:{action.get('action_id')}:{action_ts}",
    )


def _block_actions(
    payload: Mapping[str, Any], roster: Mapping[str, str], now: datetime, lang: str, rid: str
) -> Interaction:
    user = str((payload.get("user") or {}).get("id", ""))
    person = roster.get(user)
    acks = [_ack_from_action(a, user, person, now, rid) for a in payload.get("actions") or []]
    found = tuple(a for a in acks if a is not None)
    container = payload.get("container") or {}
    channel = (payload.get("channel") or {}).get("id") or container.get("channel_id")
    message_ts = (payload.get("message") or {}).get("ts") or container.get("message_ts")
    common: dict[str, Any] = {
        "kind": "block_actions",
        "slack_user": user,
        "person": person,
        "request_id": rid,
        "response_url": payload.get("response_url"),
        "channel": channel,
        "message_ts": message_ts,
    }
    if person is None:
        return Interaction(**common, unauthorised=found, refusal=refusal_text(lang))
    return Interaction(**common, acks=found)


def parse_interaction(
    request: VerifiedRequest,
    *,
    roster: Mapping[str, str],
    lang: str = "de",
    tz: str | ZoneInfo = "Europe/Berlin",
) -> Interaction:
    """Parse a verified interactive payload or slash command (``at`` = time received).

    ``roster`` maps Slack user ids to person ids; ``lang`` is the language of a
    refusal and ``tz`` the zone in which "21:15" in a slash command is read.
    """
    form = _form(request.body)
    now = request.received_at
    rid = request_key(request)
    if "payload" in form:
        try:
            payload = json.loads(form["payload"])
        except json.JSONDecodeError:
            return Interaction("other", "", None, request_id=rid)
        if not isinstance(payload, dict) or payload.get("type") != "block_actions":
            user = str(
                ((payload if isinstance(payload, dict) else {}).get("user") or {}).get("id", "")
            )
            return Interaction("other", user, roster.get(user), request_id=rid)
        return _block_actions(payload, roster, now, lang, rid)
    if "command" in form:
        user = form.get("user_id", "")
        person = roster.get(user)
        command = parse_command(form, person=person, now=now, tz=tz, request_id=rid)
        common: dict[str, Any] = {
            "kind": "slash_command",
            "slack_user": user,
            "person": person,
            "command": command,
            "request_id": rid,
            "response_url": form.get("response_url"),
            "channel": form.get("channel_id"),
        }
        acks = (command.ack,) if command.ack is not None else ()
        if person is None:
            return Interaction(**common, unauthorised=acks, refusal=refusal_text(lang))
        return Interaction(**common, acks=acks)
    return Interaction("other", "", None, request_id=rid)


class RetryDeduplicator:
    """Remembers request keys for ``ttl`` seconds so that a Slack retry is seen once.

    >>> from datetime import datetime, timedelta, timezone
    >>> t = datetime(2026, 3, 28, 19, 41, tzinfo=timezone.utc)
    >>> d = RetryDeduplicator(ttl=600)
    >>> d.first_time("k", t), d.first_time("k", t + timedelta(seconds=30))
    (True, False)
    >>> d.first_time("k", t + timedelta(minutes=11))
    True
    """

    def __init__(self, ttl: float = 600.0, max_entries: int = 10_000) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._seen: OrderedDict[str, datetime] = OrderedDict()

    def first_time(self, key: str, now: datetime) -> bool:
        """True the first time ``key`` is seen within ``ttl``; records it."""
        while self._seen:
            oldest_key, expires = next(iter(self._seen.items()))
            if expires > now and len(self._seen) < self.max_entries:
                break
            self._seen.pop(oldest_key)
        seen_until = self._seen.get(key)
        if seen_until is not None and seen_until > now:
            return False
        self._seen[key] = now + timedelta(seconds=self.ttl)
        self._seen.move_to_end(key)
        return True
