"""The evidence chart of a page: rendered once per alert, attached to every page of it.

The caller (live runtime, demo) knows the series; the escalation runtime does not.
So :class:`~warning.escalate.escalator.Escalator` takes an ``evidence`` source, a
function from an alert to PNG bytes, and a ``charts`` folder. When an alert comes in
the chart is written to a path derived from the alert alone (its dedup key and
bucket), before the crisis transaction; the pages and crisis-channel posts queued
later (by timers, possibly in another process after a restart) attach the file if
it is there. A chart that cannot be rendered never holds a page back: the page goes
out without it and the failure is logged.

>>> from datetime import UTC, datetime
>>> from pathlib import Path
>>> from warning.records import Alert, AlertMetrics, DetectorInfo, Severity
>>> t = datetime(2026, 3, 28, 19, 0, tzinfo=UTC)
>>> alert = Alert("acme", t, t, Severity.CRITICAL, t, AlertMetrics(300, 40, 7.5, 0.6, 0.1),
...               DetectorInfo("seasonal-storm", {}), dedup_key="acme:1")
>>> chart_path(Path("/state/charts"), alert).name
'acme-1-20260328T1900Z.png'
>>> attachments_for(None, alert)
{}
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from pathlib import Path

from warning.records import Alert

__all__ = ["EvidenceSource", "attachments_for", "chart_path", "save_chart"]

log = logging.getLogger(__name__)

EvidenceSource = Callable[[Alert], bytes | None]
"""PNG bytes of the chart for an alert, or None when there is nothing to show."""

_UNSAFE = re.compile(r"[^A-Za-z0-9_.]+")


def chart_path(folder: Path, alert: Alert) -> Path:
    """Where the chart of ``alert`` lives: one file per storm and bucket."""
    stem = _UNSAFE.sub("-", alert.dedup_key).strip("-") or "alert"
    return folder / f"{stem}-{alert.bucket_start.strftime('%Y%m%dT%H%MZ')}.png"


def save_chart(folder: Path, alert: Alert, source: EvidenceSource) -> Path | None:
    """Render and store the chart of ``alert`` unless it is there already."""
    path = chart_path(folder, alert)
    if path.exists():
        return path
    try:
        png = source(alert)
    except Exception as err:  # a chart must never hold a page back
        log.warning("chart of %s: %s (the pages go out without it)", alert.dedup_key, err)
        return None
    if not png:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(png)
    tmp.replace(path)  # atomic: a reader sees the whole file or none
    return path


def attachments_for(folder: Path | None, alert: Alert) -> dict[str, str]:
    """The attachments of a page about ``alert``: its chart, if one was stored."""
    if folder is None:
        return {}
    path = chart_path(folder, alert)
    return {"chart": str(path)} if path.is_file() else {}
