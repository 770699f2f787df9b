"""The Slack Web API calls the deliverer needs, each one try with an answer.

:class:`SlackCalls` wraps slack-sdk's real ``WebClient`` with its retry handlers off:
one call is one HTTP request (three for a file upload), and every outcome is a
:class:`~warning.notify.result.DeliveryResult` (see :mod:`warning.notify.slackerrors`).
Messages carry their idempotency key as Slack message metadata, which
:meth:`SlackCalls.find_sent` searches for after a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.web import SlackResponse

from warning.notify.result import DeliveryResult, DeliveryStatus
from warning.notify.settings import DEFAULT_SLACK_API_URL
from warning.notify.slackerrors import classify_exception

__all__ = ["EVENT_TYPE", "Blocks", "MessageRef", "SlackCalls"]

#: Slack message metadata event type that carries our idempotency keys.
EVENT_TYPE = "shitstorm_notification"

Blocks = Sequence[Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class MessageRef:
    """Where a sent message lives: the conversation id and the message ``ts``."""

    channel: str
    ts: str


class SlackCalls:
    """Pages, channel posts, updates, thread replies, charts and lookups on Slack.

    ``token`` and ``base_url`` come from :class:`~warning.notify.settings.SlackSettings`
    (``SHITSTORM_SLACK_BOT_TOKEN``, ``SHITSTORM_SLACK_API_URL``). ``default_retry_after``
    is used when Slack rate limits without a ``Retry-After`` header; ``history_pages``
    bounds the metadata search of :meth:`find_sent` (200 messages per page).
    """

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_SLACK_API_URL,
        *,
        timeout: float = 10.0,
        default_retry_after: float = 5.0,
        history_pages: int = 5,
        retry_handlers: Sequence[RetryHandler] = (),
    ) -> None:
        self.token = token
        self.base_url = base_url
        self.timeout = timeout
        self.default_retry_after = default_retry_after
        self.history_pages = history_pages
        self.client = WebClient(
            token=token,
            base_url=base_url,
            timeout=max(1, round(timeout)),
            retry_handlers=list(retry_handlers),
        )
        self._sent: dict[str, MessageRef] = {}
        self._dms: dict[str, str] = {}
        self._uncertain: set[str] = set()  # keys whose last post may have arrived anyway

    # ------------------------------------------------------------------ plumbing
    def _call(
        self, method: str, call: Callable[[], SlackResponse], used: list[int]
    ) -> SlackResponse | DeliveryResult:
        used[0] += 1
        try:
            return call()
        except Exception as exc:
            result = classify_exception(
                exc, method=method, default_retry_after=self.default_retry_after, requests=used[0]
            )
            if result is None:
                raise
            return result

    def remember(self, idempotency_key: str, ref: MessageRef) -> None:
        """Tell this deliverer where a message went (e.g. loaded from the store)."""
        self._sent[idempotency_key] = ref

    def sent_ref(self, idempotency_key: str) -> MessageRef | None:
        return self._sent.get(idempotency_key)

    @staticmethod
    def _metadata(key: str, crisis_id: str | None, kind: str) -> dict[str, Any]:
        payload = {"idempotency_key": key, "crisis_id": crisis_id or "", "kind": kind}
        return {"event_type": EVENT_TYPE, "event_payload": payload}

    # ------------------------------------------------------------------ basic calls
    def open_dm(self, user_id: str, *, _used: list[int] | None = None) -> DeliveryResult:
        """The DM conversation with a user (cached); ``channel`` of the result is its id."""
        used = _used if _used is not None else [0]
        if user_id[:1] in "CDG":  # already a conversation id
            return DeliveryResult.sent(user_id, None, requests=used[0])
        if user_id in self._dms:
            return DeliveryResult.sent(self._dms[user_id], None, requests=used[0])
        answer = self._call(
            "conversations.open", lambda: self.client.conversations_open(users=user_id), used
        )
        if isinstance(answer, DeliveryResult):
            return answer
        channel = str(answer["channel"]["id"])
        self._dms[user_id] = channel
        return DeliveryResult.sent(channel, None, requests=used[0], method="conversations.open")

    def post(
        self,
        channel: str,
        text: str,
        blocks: Blocks = (),
        *,
        thread_ts: str | None = None,
        idempotency_key: str | None = None,
        crisis_id: str | None = None,
        kind: str = "channel_post",
        _used: list[int] | None = None,
    ) -> DeliveryResult:
        """``chat.postMessage`` to a channel (id or ``#name``), a DM id, or into a thread."""
        used = _used if _used is not None else [0]
        args: dict[str, Any] = {"channel": channel, "text": text, "unfurl_links": False}
        if blocks:
            args["blocks"] = [dict(b) for b in blocks]
        if thread_ts:
            args["thread_ts"] = thread_ts
        if idempotency_key:
            args["metadata"] = self._metadata(idempotency_key, crisis_id, kind)
        answer = self._call("chat.postMessage", lambda: self.client.chat_postMessage(**args), used)
        if isinstance(answer, DeliveryResult):
            return answer
        ref = MessageRef(str(answer["channel"]), str(answer["ts"]))
        if idempotency_key:
            self._sent[idempotency_key] = ref
        return DeliveryResult.sent(ref.channel, ref.ts, requests=used[0], method="chat.postMessage")

    def post_dm(
        self,
        user_id: str,
        text: str,
        blocks: Blocks = (),
        *,
        idempotency_key: str | None = None,
        crisis_id: str | None = None,
    ) -> DeliveryResult:
        """Open the DM with ``user_id`` and post the page there."""
        used = [0]
        opened = self.open_dm(user_id, _used=used)
        if not opened.ok or opened.channel is None:
            return opened
        return self.post(
            opened.channel,
            text,
            blocks,
            idempotency_key=idempotency_key,
            crisis_id=crisis_id,
            kind="page_dm",
            _used=used,
        )

    def reply(
        self, channel: str, thread_ts: str, text: str, blocks: Blocks = (), **kw: Any
    ) -> DeliveryResult:
        """Post into the thread of ``thread_ts`` (checklist, chart, status notes)."""
        return self.post(channel, text, blocks, thread_ts=thread_ts, kind="thread_reply", **kw)

    def update(self, channel: str, ts: str, text: str, blocks: Blocks = ()) -> DeliveryResult:
        """``chat.update`` in place (after an acknowledgement or an escalation)."""
        used = [0]
        args: dict[str, Any] = {"channel": channel, "ts": ts, "text": text}
        args["blocks"] = [dict(b) for b in blocks] if blocks else []
        answer = self._call("chat.update", lambda: self.client.chat_update(**args), used)
        if isinstance(answer, DeliveryResult):
            return answer
        return DeliveryResult.sent(
            str(answer["channel"]), str(answer["ts"]), requests=used[0], method="chat.update"
        )

    def upload_chart(
        self,
        chart: str | Path | bytes,
        *,
        filename: str = "chart.png",
        title: str = "chart",
        alt_text: str = "chart",
        channel: str | None = None,
        thread_ts: str | None = None,
    ) -> DeliveryResult:
        """Upload a PNG with the current three-step file API (``files_upload_v2``).

        With ``channel`` (and ``thread_ts``) the file is shared there; without, it is
        uploaded privately and ``file_id`` can be used in an image block.
        """
        used = [0]
        data = chart if isinstance(chart, bytes) else Path(chart).read_bytes()

        def upload() -> SlackResponse:
            # getUploadURLExternal + the upload URL + completeUploadExternal
            used[0] += 2
            return self.client.files_upload_v2(
                file=data,
                filename=filename,
                title=title,
                alt_txt=alt_text,
                channel=channel,
                thread_ts=thread_ts,
            )

        answer = self._call("files_upload_v2", upload, used)
        if isinstance(answer, DeliveryResult):
            return answer
        file_id = str(answer["files"][0]["id"])
        return DeliveryResult(
            DeliveryStatus.SENT,
            channel=channel,
            ts=thread_ts,
            file_id=file_id,
            requests=used[0],
            method="files.completeUploadExternal",
        )

    # ------------------------------------------------------------------ reconciliation
    def find_sent(
        self,
        channel: str,
        idempotency_key: str,
        *,
        oldest: str | None = None,
        thread_ts: str | None = None,
    ) -> DeliveryResult:
        """Look for a message we sent under ``idempotency_key`` (metadata search).

        ``channel`` may be a user id (its DM is searched). ``SENT`` with ``ts`` if
        found, ``NOT_FOUND`` if not, or the error that stopped the search.
        """
        if idempotency_key in self._sent:
            ref = self._sent[idempotency_key]
            return DeliveryResult.sent(ref.channel, ref.ts, method="cache")
        used = [0]
        opened = self.open_dm(channel, _used=used) if channel[:1] in "UW" else None
        if opened is not None and (not opened.ok or opened.channel is None):
            return opened
        conv = opened.channel if opened is not None and opened.channel else channel
        cursor: str | None = None
        for _page in range(self.history_pages):
            args: dict[str, Any] = {"channel": conv, "include_all_metadata": True, "limit": 200}
            if cursor:
                args["cursor"] = cursor
            if thread_ts:
                method, fn = "conversations.replies", self.client.conversations_replies
                args["ts"] = thread_ts
            else:
                method, fn = "conversations.history", self.client.conversations_history
                if oldest:
                    args["oldest"] = oldest
            answer = self._call(method, lambda fn=fn, args=args: fn(**args), used)  # type: ignore[misc]
            if isinstance(answer, DeliveryResult):
                return answer
            for message in answer.get("messages") or []:
                payload = (message.get("metadata") or {}).get("event_payload") or {}
                if payload.get("idempotency_key") == idempotency_key:
                    ref = MessageRef(conv, str(message["ts"]))
                    self._sent[idempotency_key] = ref
                    return DeliveryResult.sent(ref.channel, ref.ts, requests=used[0], method=method)
            cursor = (answer.get("response_metadata") or {}).get("next_cursor") or None
            if not answer.get("has_more") or not cursor:
                break
        return DeliveryResult(
            DeliveryStatus.NOT_FOUND, channel=conv, requests=used[0], method="find_sent"
        )
