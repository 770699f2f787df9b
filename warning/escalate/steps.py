"""The steps of an escalation, each done inside one store transaction.

A step re-reads the crisis and its escalation state under the crisis lock, so it
is idempotent and safe with several workers: a level timer of an old episode, of
an acknowledged or of a closed crisis does nothing; pages and posts are queued
under idempotency keys, so deciding them twice queues them once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from warning.escalate.pages import StepContext, page_level, post_status
from warning.escalate.snapshot import due_at, plan_levels
from warning.store.tx import Tx
from warning.store.views import CrisisView, StateView, TimerView

__all__ = [
    "fire_level",
    "fire_promise",
    "promise_deadline",
    "reenter",
    "schedule_level",
    "stop_escalation",
]


def level_timer_key(crisis: CrisisView, episode: int, index: int) -> str:
    return f"{crisis.ref}:e{episode}:i{index}"


def schedule_level(
    tx: Tx,
    crisis: CrisisView,
    state: StateView,
    index: int,
    *,
    at: datetime,
    skip_paged: bool = False,
) -> datetime | None:
    """Schedule the level timer at ``index`` of the episode in ``state``; returns its due time."""
    levels = plan_levels(crisis.snapshot, state.severity)
    if not 0 <= index < len(levels):
        return None
    due = due_at(crisis.opened_at, levels[index], state.shift_seconds)
    tx.schedule_timer(
        key=level_timer_key(crisis, state.episode, index),
        kind="level",
        due_at=due,
        crisis_id=crisis.id,
        episode=state.episode,
        payload={"index": index, "severity": state.severity, "skip_paged": skip_paged},
        at=at,
    )
    return due


def fire_level(tx: Tx, ctx: StepContext, timer: TimerView) -> str:
    """A level timer is due: page the level (or skip it) and schedule the next one."""
    assert timer.crisis_id is not None
    state = tx.get_state(timer.crisis_id, lock=True)
    crisis = tx.get_crisis(timer.crisis_id)
    if not crisis.is_open:
        return "crisis closed"
    if timer.episode != state.episode:
        return "superseded by a later episode"
    if state.acked:
        return "acknowledged"
    index = int(timer.payload["index"])
    levels = plan_levels(crisis.snapshot, state.severity)
    level = levels[index]
    state = replace(state, level_index=index, updated_at=ctx.now)
    tx.save_state(state)
    data: dict[str, Any] = {"level": level.number, "round": level.round, "label": level.label}
    late = (ctx.now - timer.due_at).total_seconds()
    if level.skipped:
        why = level.reasons[-1] if level.reasons else "nobody to acknowledge"
        tx.audit("level_skipped", crisis.id, at=ctx.now, why=why, reasons=level.reasons, **data)
        page_level(tx, ctx, crisis, state, level)
    else:
        skip = (
            frozenset(tx.paged_people(crisis.id))
            if timer.payload.get("skip_paged")
            else frozenset()
        )
        tx.audit(
            "level_started",
            crisis.id,
            at=ctx.now,
            people=level.people,
            reasons=level.reasons,
            fallback=level.fallback,
            late_seconds=round(late, 3),
            **data,
        )
        people = page_level(tx, ctx, crisis, state, level, skip=skip)
        if index > 0 and people:  # the earlier pages say that (and to whom) it escalated
            contacts = crisis.snapshot.get("contacts") or {}
            names = ", ".join(str((contacts.get(p) or {}).get("name", p)) for p in people)
            post_status(
                tx,
                ctx,
                crisis,
                "escalated",
                f"lvl{state.episode}-{index}",
                who=names,
                level=level.number,
            )
    schedule_level(tx, crisis, state, index + 1, at=ctx.now)
    return f"level {level.number} {'skipped' if level.skipped else 'paged'}"


def stop_escalation(
    tx: Tx, ctx: StepContext, crisis: CrisisView, *, why: str, actor: str | None
) -> int:
    """Cancel every pending level timer and page of a crisis at once (no ack leaks)."""
    timers = tx.cancel_timers(crisis.id, at=ctx.now, reason=why, kinds=("level", "promise"))
    pages = tx.cancel_pages(crisis.id, at=ctx.now, reason=why)
    if timers or pages:
        tx.audit(
            "pages_cancelled",
            crisis.id,
            at=ctx.now,
            actor=actor,
            count=len(pages),
            timers=timers,
            keys=[p.key for p in pages],
            why=why,
        )
    return len(pages)


def reenter(
    tx: Tx,
    ctx: StepContext,
    crisis: CrisisView,
    state: StateView,
    index: int,
    *,
    why: str,
    actor: str | None,
    severity: str | None = None,
    skip_paged: bool = False,
) -> StateView:
    """Start a new episode at level ``index`` now (beyond the last level: the last again)."""
    severity = severity or state.severity
    levels = plan_levels(crisis.snapshot, severity)
    stop_escalation(tx, ctx, crisis, why=why, actor=actor)
    if not levels:
        state = replace(state, severity=severity, episode=state.episode + 1, updated_at=ctx.now)
        tx.save_state(state)
        tx.audit(
            "escalated",
            crisis.id,
            at=ctx.now,
            actor=actor,
            level=None,
            why=f"{why}; nobody to page",
        )
        return state
    index = max(0, min(index, len(levels) - 1))
    planned = crisis.opened_at + levels[index].offset
    state = replace(
        state,
        severity=severity,
        episode=state.episode + 1,
        level_index=index - 1,
        shift_seconds=(ctx.now - planned).total_seconds(),
        acked_by=None,
        acked_at=None,
        promise_until=None,
        ack_id=None,
        updated_at=ctx.now,
    )
    tx.save_state(state)
    schedule_level(tx, crisis, state, index, at=ctx.now, skip_paged=skip_paged)
    tx.audit(
        "escalated",
        crisis.id,
        at=ctx.now,
        actor=actor,
        level=levels[index].number,
        label=levels[index].label,
        episode=state.episode,
        why=why,
    )
    return state


def fire_promise(tx: Tx, ctx: StepContext, timer: TimerView) -> str:
    """A promised update is due and none came: escalate to the next level."""
    assert timer.crisis_id is not None
    state = tx.get_state(timer.crisis_id, lock=True)
    crisis = tx.get_crisis(timer.crisis_id)
    if not crisis.is_open:
        return "crisis closed"
    if state.ack_id != timer.payload.get("ack_id") or state.episode != timer.episode:
        return "superseded"
    tx.audit(
        "promise_missed",
        crisis.id,
        at=ctx.now,
        acked_by=state.acked_by,
        promise_until=state.promise_until,
    )
    reenter(tx, ctx, crisis, state, state.level_index + 1, why="promised update missed", actor=None)
    post_status(tx, ctx, crisis, "missed", f"missed{timer.id}", until=state.promise_until)
    return "escalated after a missed promise"


def promise_deadline(
    at: datetime, promise: datetime | None, default: timedelta | None
) -> datetime | None:
    if promise is not None:
        return promise
    return None if default is None else at + default
