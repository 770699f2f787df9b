"""Slack delivery on slack-sdk's real ``WebClient``: one try per call, an answer, no sleeping.

Every method returns a :class:`~warning.notify.result.DeliveryResult`. Rate limits
come back as "retry after N seconds" for the outbox to schedule; the client's own
retry handlers are off, so one call is one HTTP request (three for a file upload).
Each message carries its idempotency key as Slack message metadata, so after a crash
:meth:`SlackDelivery.find_sent` can tell whether an in-flight send went out.

>>> from warning.notify.fakeslack import FakeSlack
>>> from warning.records import Notification
>>> with FakeSlack() as fake:
...     slack = SlackDelivery(fake.token, fake.base_url)
...     page = Notification("c1:l1:r0:anna", "page_dm", "U04LUM0AB01", "Storm warning")
...     first = slack.deliver(page)
...     again = slack.deliver(page, reconcile=True)
...     (first.ok, first.requests, again.ts == first.ts, fake.count("chat.postMessage"))
(True, 2, True, 1)
"""

from __future__ import annotations

from typing import Any

from warning.notify.result import DeliveryResult, DeliveryStatus
from warning.notify.settings import SlackSettings
from warning.notify.slackcalls import EVENT_TYPE, MessageRef, SlackCalls
from warning.records import Notification

__all__ = ["EVENT_TYPE", "MessageRef", "SlackDelivery"]


class SlackDelivery(SlackCalls):
    """Delivers outbox notifications to Slack (see :class:`~warning.notify.slackcalls.SlackCalls`
    for the single calls and the constructor's parameters).

    ``token`` and ``base_url`` come from :class:`~warning.notify.settings.SlackSettings`
    (``SHITSTORM_SLACK_BOT_TOKEN``, ``SHITSTORM_SLACK_API_URL``).
    """

    @classmethod
    def from_settings(cls, settings: SlackSettings, **kwargs: Any) -> SlackDelivery:
        return cls(settings.token, settings.base_url, timeout=settings.timeout, **kwargs)

    def __repr__(self) -> str:
        return f"SlackDelivery(base_url={self.base_url!r})"

    # ------------------------------------------------------------------ the notifier interface
    def deliver(
        self,
        notification: Notification,
        *,
        reconcile: bool = False,
        parent: MessageRef | None = None,
    ) -> DeliveryResult:
        """Deliver one outbox notification (see :mod:`warning.notify` for the kinds).

        ``reconcile=True`` first searches for an earlier send under the same key (use
        it for sends that were in flight when the process stopped, or whose last answer
        was :attr:`~warning.notify.result.DeliveryResult.ambiguous`). Within one process
        this happens by itself after an ambiguous answer. For ``update`` and
        ``thread_reply``, ``parent`` (or ``notification.thread_of``) names the message.
        """
        n = notification
        known = self._sent.get(n.idempotency_key)
        if known is not None and n.kind != "update":  # this process sent it already
            return DeliveryResult.sent(known.channel, known.ts, method="cache")
        if n.kind == "email":
            return DeliveryResult.permanent(
                "unsupported_kind", detail="e-mail goes to EmailDelivery"
            )
        used = [0]
        if n.kind in ("update", "thread_reply"):
            target = parent or self._parent(n)
            if isinstance(target, DeliveryResult):
                return target
            if n.kind == "update":
                return self.update(target.channel, target.ts, n.text, n.blocks)
            channel, thread_ts = target.channel, target.ts
        else:
            channel, thread_ts = n.channel, None
            if n.kind == "page_dm" or channel[:1] in "UW":
                opened = self.open_dm(channel, _used=used)
                if not opened.ok or opened.channel is None:
                    return opened
                channel = opened.channel
        if reconcile or n.idempotency_key in self._uncertain:
            found = self.find_sent(channel, n.idempotency_key, thread_ts=thread_ts)
            if found.status is not DeliveryStatus.NOT_FOUND:
                return found
        result = self.post(
            channel,
            n.text,
            n.blocks,
            thread_ts=thread_ts,
            idempotency_key=n.idempotency_key,
            crisis_id=n.crisis_id,
            kind=n.kind,
            _used=used,
        )
        if result.ambiguous:  # it may be in Slack anyway: look before posting again
            self._uncertain.add(n.idempotency_key)
        else:
            self._uncertain.discard(n.idempotency_key)
        chart = n.attachments.get("chart")
        if result.ok and chart and result.ts:
            shared = self.upload_chart(
                chart, channel=result.channel, thread_ts=result.ts, title=n.text[:80]
            )
            extra = (
                {"chart_file_id": shared.file_id or ""}
                if shared.ok
                else {"chart_error": shared.error or "?"}
            )
            return DeliveryResult(
                DeliveryStatus.SENT,
                channel=result.channel,
                ts=result.ts,
                requests=result.requests + shared.requests,
                method=result.method,
                file_id=shared.file_id,
                extra=extra,
            )
        return result

    def _parent(self, n: Notification) -> MessageRef | DeliveryResult:
        if not n.thread_of:
            return DeliveryResult.permanent("no_parent", detail=f"{n.kind} needs thread_of")
        found = self.find_sent(n.channel, n.thread_of)
        if found.status is DeliveryStatus.NOT_FOUND:
            # the parent is not (yet) in Slack: try again later, it may still be queued
            return DeliveryResult.transient("parent_not_sent", requests=found.requests)
        if not found.ok or found.channel is None or found.ts is None:
            return found
        return MessageRef(found.channel, found.ts)
