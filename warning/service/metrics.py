"""Prometheus metrics of the service, on a registry of their own.

Every :class:`Metrics` owns a fresh :class:`~prometheus_client.CollectorRegistry`
(never the process-global one), so several services or tests never collide. All
names start with ``shitstorm_``; the attributes carry the names without the
prefix (``metrics.queue_depth.set(3)``).

>>> m = Metrics()
>>> m.mentions_ingested_total.inc(3)
>>> m.alerts_total.labels(severity="critical").inc()
>>> m.config_version_info.labels(version="4f2a9c").set(1)
>>> body, content_type = m.render()
>>> content_type.split(";")[0]
'text/plain'
>>> [line for line in body.decode().splitlines() if line.startswith("shitstorm_mentions_ingested_total")]
['shitstorm_mentions_ingested_total 3.0']
>>> m.value("alerts_total", severity="critical")
1.0
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["PREFIX", "Metrics"]

PREFIX = "shitstorm_"


class Metrics:
    """The service's counters and gauges (see the module docstring)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry(auto_describe=True)
        reg = self.registry

        def counter(name: str, doc: str, labels: tuple[str, ...] = ()) -> Counter:
            return Counter(PREFIX + name, doc, labels, registry=reg)

        def gauge(name: str, doc: str, labels: tuple[str, ...] = ()) -> Gauge:
            return Gauge(PREFIX + name, doc, labels, registry=reg)

        self.mentions_ingested_total = counter(
            "mentions_ingested_total", "Mentions accepted into the queue."
        )
        self.mentions_quarantined_total = counter(
            "mentions_quarantined_total", "Mentions rejected by validation (bad rows)."
        )
        self.mentions_duplicate_total = counter(
            "mentions_duplicate_total", "Mentions whose id was seen before (not queued)."
        )
        self.mentions_late_total = counter(
            "mentions_late_total",
            "Mentions for a bucket already decided (counted, not re-decided).",
        )
        self.alerts_total = counter("alerts_total", "Alerts raised.", ("severity",))
        self.pages_total = counter("pages_total", "Pages handed to a channel.", ("kind",))
        self.slack_errors_total = counter(
            "slack_errors_total", "Errors answered by Slack.", ("error",)
        )
        self.http_429_total = counter(
            "http_429_total", "Ingest requests refused because the queue was full."
        )
        self.slack_requests_total = counter(
            "slack_requests_total",
            "Slack interactions and commands received, by outcome.",
            ("outcome",),
        )
        self.config_reload_failures_total = counter(
            "config_reload_failures_total", "Playbook or detector reloads that failed validation."
        )
        self.outbox_depth = gauge("outbox_depth", "Notifications waiting in the outbox.")
        self.queue_depth = gauge("queue_depth", "Mentions waiting in the ingest queue.")
        self.detector_lag_seconds = gauge(
            "detector_lag_seconds", "Now minus the end of the last decided bucket."
        )
        self.feeds_silent = gauge("feeds_silent", "Brands whose feed is silent right now.")
        self.config_version_info = gauge(
            "config_version_info", "The playbook version live now (value 1).", ("version",)
        )

    def value(self, name: str, **labels: str) -> float | None:
        """The current value of a sample, by its name without the prefix (tests, status)."""
        return self.registry.get_sample_value(PREFIX + name, labels or None)

    def render(self) -> tuple[bytes, str]:
        """The Prometheus text exposition and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
