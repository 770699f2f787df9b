"""What the HTTP app needs from the live runtime: :class:`ServiceRuntime`.

:func:`warning.service.app.create_app` codes against this protocol only, so the
app can be tested with a small runtime that has a queue, metrics, a store and an
escalator but no worker thread; :class:`warning.service.runtime.LiveRuntime` is the
real one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from warning.clock import Clock
    from warning.escalate.escalator import Escalator
    from warning.playbook.compiled import Config
    from warning.service.metrics import Metrics
    from warning.service.queue import MentionQueue
    from warning.store.db import Store

__all__ = ["ServiceRuntime"]


class ServiceRuntime(Protocol):
    """The live runtime as the HTTP app sees it.

    Attributes:
        queue: validated mentions go here (:class:`~warning.service.queue.MentionQueue`).
        metrics: the service's Prometheus metrics.
        store: the database (crises, timeline, audit log).
        escalator: acks, escalations, resolutions from Slack and the incident page.
        clock: where "now" comes from.
        tz: IANA zone for times shown to people.
    """

    # read-only members: a plain attribute of the same (or a narrower) type satisfies them

    @property
    def queue(self) -> MentionQueue: ...

    @property
    def metrics(self) -> Metrics: ...

    @property
    def store(self) -> Store: ...

    @property
    def escalator(self) -> Escalator: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def tz(self) -> str: ...

    def health(self) -> dict[str, Any]:
        """``{"status": "ok" | "degraded", "checks": {name: {"ok": bool, ...}}}``."""
        ...

    def playbooks(self) -> Config:
        """The playbook set live now (the last one that passed validation)."""
        ...

    def refresh_metrics(self) -> None:
        """Update the gauges (queue, outbox, lag, silent feeds) before /metrics renders."""
        ...
