"""An alert opens the one open crisis of its brand and crisis type, or joins it.

The crisis type is the playbook the alert's fields route to. Opening freezes the
playbook version and the escalation plans (every severity), creates the checklist
and schedules the first level. Joining records the alert; a rise in severity
re-enters escalation at the level the new severity's plan is at by now (see
:func:`warning.escalate.snapshot.entry_for_elapsed`): the earlier first-round levels
are caught up, and nobody who was already paged in this crisis is paged again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from warning.escalate.pages import StepContext, page_level
from warning.escalate.snapshot import build_snapshot, entry_for_elapsed, plan_levels
from warning.escalate.steps import reenter, schedule_level
from warning.playbook.compiled import Config
from warning.playbook.fields import alert_fields
from warning.playbook.routing import route
from warning.records import Alert, Severity
from warning.store.db import StoreConflict
from warning.store.tx import Tx
from warning.store.views import CrisisView

__all__ = ["AlertOutcome", "open_or_join"]


@dataclass(frozen=True, slots=True)
class AlertOutcome:
    """What an alert did: which crisis, opened or joined, raised, or a duplicate."""

    crisis: str | None
    playbook: str | None
    severity: str
    opened: bool = False
    raised: bool = False
    duplicate: bool = False


def _alert_summary(alert: Alert) -> dict[str, Any]:
    return {
        "brand": alert.brand,
        "severity": alert.severity.value,
        "fired_at": alert.fired_at,
        "dedup_key": alert.dedup_key,
        "detector": alert.detector.name,
        "metrics": alert.metrics.to_dict(),
        "volume_ratio": round(alert.metrics.volume_ratio, 2),
        "negative_share": alert.metrics.negative_share,
    }


def open_or_join(
    tx: Tx, ctx: StepContext, config: Config, alert: Alert, *, version: str
) -> AlertOutcome:
    """Open or join the crisis of ``alert`` (inside the caller's transaction).

    An alert stored before (same dedup key, severity and bucket) is a duplicate even
    when its crisis has been resolved since: a replayed or re-sent alert never opens
    a second crisis and never pages anybody again.
    """
    seen = tx.find_alert(alert.dedup_key, alert.severity.value, alert.fired_at)
    if seen is not None:
        if seen.crisis_id is None:
            return AlertOutcome(None, None, seen.severity, duplicate=True)
        earlier = tx.get_crisis(seen.crisis_id)
        return AlertOutcome(earlier.ref, earlier.crisis_type, earlier.severity, duplicate=True)
    fields = alert_fields(alert)
    chosen = route(config, fields, ctx.now)
    severity = alert.severity.value
    brand = alert.brand.strip().casefold()
    payload = alert.to_dict()
    summary = _alert_summary(alert)
    stored: dict[str, Any] = {
        "payload": payload,
        "dedup_key": alert.dedup_key,
        "brand": brand,
        "severity": severity,
        "fired_at": alert.fired_at,
        "received_at": ctx.now,
    }
    if chosen.playbook is None:
        alert_id = tx.add_alert(crisis_id=None, **stored)
        if alert_id is not None:
            tx.audit("alert_received", None, at=ctx.now, routed=list(chosen.reasons), **summary)
        return AlertOutcome(None, None, severity, duplicate=alert_id is None)
    found = tx.find_open_crisis(brand, chosen.playbook, lock=False)
    if found is None:
        return _open(
            tx,
            ctx,
            config,
            alert,
            chosen.playbook,
            fields,
            stored,
            summary,
            version,
            chosen.reasons,
        )
    # lock order everywhere: escalation state first, then the crisis row
    tx.get_state(found.id, lock=True)
    crisis = tx.get_crisis(found.id)
    if not crisis.is_open:  # resolved a moment ago: open a new crisis on the next try
        raise StoreConflict(f"crisis {crisis.ref}: closed concurrently, retry")
    alert_id = tx.add_alert(crisis_id=crisis.id, **stored)
    if alert_id is None:
        return AlertOutcome(crisis.ref, crisis.crisis_type, crisis.severity, duplicate=True)
    tx.audit("alert_received", crisis.id, at=ctx.now, alert_id=alert_id, **summary)
    tx.audit("alert_joined", crisis.id, at=ctx.now, alert_id=alert_id, severity=severity)
    if Severity.parse(severity) <= Severity.parse(crisis.severity):
        return AlertOutcome(crisis.ref, crisis.crisis_type, crisis.severity)
    _raise(tx, ctx, crisis, severity)
    return AlertOutcome(crisis.ref, crisis.crisis_type, severity, raised=True)


def _open(
    tx: Tx,
    ctx: StepContext,
    config: Config,
    alert: Alert,
    playbook: str,
    fields: dict[str, object],
    stored: dict[str, Any],
    summary: dict[str, Any],
    version: str,
    routed: Sequence[str],
) -> AlertOutcome:
    snapshot = build_snapshot(config, fields, ctx.now, playbook)
    snapshot["routed"] = list(routed)  # why this playbook: the trigger that matched
    severity = alert.severity.value
    crisis = tx.create_crisis(
        brand=stored["brand"],
        crisis_type=playbook,
        title=f"{snapshot['title']}: {alert.brand}",
        severity=severity,
        opened_at=ctx.now,
        playbook_version=version,
        snapshot=snapshot,
    )
    if crisis is None:  # another worker opened it a moment ago: retry and join
        raise StoreConflict(f"crisis of {alert.brand} / {playbook}: opened concurrently, retry")
    alert_id = tx.add_alert(crisis_id=crisis.id, **stored)
    tx.audit("alert_received", crisis.id, at=ctx.now, alert_id=alert_id, **summary)
    tx.audit(
        "crisis_opened",
        crisis.id,
        at=ctx.now,
        brand=alert.brand,
        playbook=playbook,
        severity=severity,
        title=crisis.title,
        routed=list(routed),
    )
    tx.audit(
        "plan_snapshot",
        crisis.id,
        at=ctx.now,
        playbook_version=version,
        paths={s: p["path"] for s, p in snapshot["plans"].items()},
        route=snapshot["plans"][severity]["route"],
        levels=[
            {k: lv[k] for k in ("number", "label", "people", "channels", "skipped", "offset")}
            for lv in snapshot["plans"][severity]["levels"]
        ],
    )
    for item in snapshot["checklist"]:
        tx.add_checklist_item(
            crisis.id,
            item_key=item["key"],
            task=item["task"],
            role=item["role"],
            owners=item["owners"],
            due_at=ctx.now + timedelta(seconds=item["due"]),
        )
    state = tx.create_state(crisis.id, severity, ctx.now)
    schedule_level(tx, crisis, state, 0, at=ctx.now)
    return AlertOutcome(crisis.ref, playbook, severity, opened=True)


def _raise(tx: Tx, ctx: StepContext, crisis: CrisisView, severity: str) -> None:
    old = crisis.severity
    tx.set_crisis_severity(crisis.id, severity)
    state = tx.get_state(crisis.id, lock=True)
    levels = plan_levels(crisis.snapshot, severity)
    if not levels:
        tx.audit("severity_raised", crisis.id, at=ctx.now, to=severity, level=None, **{"from": old})
        tx.save_state(replace(state, severity=severity, updated_at=ctx.now))
        return
    entry = entry_for_elapsed(levels, ctx.now - crisis.opened_at)
    tx.audit(
        "severity_raised",
        crisis.id,
        at=ctx.now,
        to=severity,
        level=levels[entry].number,
        label=levels[entry].label,
        **{"from": old},
    )
    crisis = replace(crisis, severity=severity)
    state = reenter(
        tx,
        ctx,
        crisis,
        state,
        entry,
        why=f"severity raised from {old} to {severity}",
        actor=None,
        severity=severity,
        skip_paged=True,
    )
    already = frozenset(tx.paged_people(crisis.id))
    for level in levels[:entry]:  # catch up the earlier first-round levels
        page_level(tx, ctx, crisis, state, level, skip=already)
