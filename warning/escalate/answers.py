"""What happens when a person answers: acknowledge (with a promise), escalate, resolve,
false alarm, tick a checklist item, approve a statement.

Every answer is recorded (a Slack retry with the same request id only once), and
checked: an unknown Slack user is refused politely, an answer to a closed crisis
changes nothing, a double press is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from warning.escalate.pages import StepContext, post_status
from warning.escalate.snapshot import plan_levels
from warning.escalate.steps import promise_deadline, reenter, stop_escalation
from warning.records import Ack
from warning.store.tx import Tx
from warning.store.views import CrisisView, StateView

__all__ = ["AckOutcome", "handle_ack"]

#: Approvals by distinct people that make a holding statement approved (four eyes).
APPROVALS_NEEDED = 2


@dataclass(frozen=True, slots=True)
class AckOutcome:
    """What became of an answer: ``status`` and a line to show the person."""

    crisis: str
    action: str
    status: str  # accepted, duplicate, already, refused, closed, unknown_item
    message: str

    @property
    def accepted(self) -> bool:
        return self.status == "accepted"


def _result(crisis: CrisisView, ack: Ack, status: str, message: str) -> AckOutcome:
    return AckOutcome(crisis.ref, ack.action, status, message)


def handle_ack(
    tx: Tx, ctx: StepContext, crisis_id: int, ack: Ack, *, default_promise: timedelta | None
) -> AckOutcome:
    """Apply one verified answer to the crisis (inside the caller's transaction)."""
    state = tx.get_state(crisis_id, lock=True)
    crisis = tx.get_crisis(crisis_id)
    base: dict[str, Any] = {
        "action": ack.action,
        "person": ack.person,
        "slack_user": ack.slack_user,
        "promise_until": ack.promise_until,
        "item": ack.item,
        "request_id": ack.request_id,
    }

    def outcome(status: str, message: str) -> AckOutcome:
        return _result(crisis, ack, status, message)

    if ack.request_id is not None and tx.find_request(ack.request_id) is not None:
        return outcome("duplicate", "This request was handled already.")
    if ack.person is None:
        tx.record_ack(crisis.id, ack, outcome="refused", note="unknown Slack user")
        tx.audit("ack_refused", crisis.id, at=ctx.now, why="not a known person", **base)
        return outcome("refused", "Sorry, your Slack account is not in the on-call roster.")
    if not crisis.is_open:
        tx.record_ack(crisis.id, ack, outcome="closed", note=crisis.status)
        tx.audit("ack_ignored", crisis.id, at=ctx.now, actor=ack.person, why=crisis.status, **base)
        return outcome("closed", f"Crisis {crisis.ref} is already closed ({crisis.status}).")
    if ack.action == "acknowledge":
        return _acknowledge(tx, ctx, crisis, state, ack, base, default_promise)
    ack_id = tx.record_ack(crisis.id, ack, outcome="accepted")
    tx.audit("ack_received", crisis.id, at=ctx.now, actor=ack.person, ack_id=ack_id, **base)
    who = str((crisis.snapshot.get("contacts") or {}).get(ack.person, {}).get("name", ack.person))
    if ack.action == "escalate":
        new = reenter(
            tx,
            ctx,
            crisis,
            state,
            state.level_index + 1,
            why=f"escalated by {who}",
            actor=ack.person,
        )
        levels = plan_levels(crisis.snapshot, new.severity)
        entry = new.level_index + 1  # the level the new episode starts with
        number = levels[entry].number if 0 <= entry < len(levels) else None
        post_status(tx, ctx, crisis, "escalated", f"esc{new.episode}", who=who, level=number)
        where = f"level {number}" if number is not None else "nobody (no path)"
        return outcome("accepted", f"Escalated {crisis.ref}: {where} is paged now.")
    if ack.action in ("resolve", "false_alarm"):
        status = "resolved" if ack.action == "resolve" else "false_alarm"
        stop_escalation(tx, ctx, crisis, why=status.replace("_", " "), actor=ack.person)
        tx.close_crisis(crisis.id, status=status, at=ctx.now, by=ack.person)
        extra = {}
        if status == "false_alarm":
            extra["feedback_rows"] = tx.add_feedback(
                crisis.id, verdict="false_alarm", marked_by=ack.person, at=ctx.now
            )
        tx.audit(
            "crisis_closed", crisis.id, at=ctx.now, actor=ack.person, status=status, by=who, **extra
        )
        post_status(tx, ctx, crisis, status, status, who=who)
        return outcome("accepted", f"Crisis {crisis.ref} closed: {status.replace('_', ' ')}.")
    if ack.action == "checklist_done":
        done = tx.complete_checklist_item(crisis.id, str(ack.item), by=ack.person, at=ctx.now)
        if done == "unknown":
            return outcome("unknown_item", f"No checklist item {ack.item!r} in {crisis.ref}.")
        return outcome(
            "accepted" if done == "done" else "already", f"Checklist item {ack.item}: done."
        )
    # approve_statement
    new_approval, approvers = tx.approve_statement(
        crisis.id, str(ack.item), person=ack.person, slack_user=ack.slack_user, at=ctx.now
    )
    if new_approval and len(approvers) == APPROVALS_NEEDED:
        tx.audit(
            "statement_approved", crisis.id, at=ctx.now, statement=ack.item, approvers=approvers
        )
    if not new_approval:
        return outcome("already", f"You approved statement {ack.item} already.")
    return outcome("accepted", f"Statement {ack.item}: {len(approvers)} approval(s).")


def _acknowledge(
    tx: Tx,
    ctx: StepContext,
    crisis: CrisisView,
    state: StateView,
    ack: Ack,
    base: dict[str, Any],
    default_promise: timedelta | None,
) -> AckOutcome:
    assert ack.person is not None
    promise = promise_deadline(ack.at, ack.promise_until, default_promise)
    if state.acked_by == ack.person and state.promise_until == promise:
        tx.record_ack(crisis.id, ack, outcome="already")
        return _result(crisis, ack, "already", f"You acknowledged {crisis.ref} already.")
    ack_id = tx.record_ack(crisis.id, ack, outcome="accepted")
    tx.audit("ack_received", crisis.id, at=ctx.now, actor=ack.person, ack_id=ack_id, **base)
    stop_escalation(tx, ctx, crisis, why=f"acknowledged by {ack.person}", actor=ack.person)
    state = replace(
        state,
        acked_by=ack.person,
        acked_at=ack.at,
        promise_until=promise,
        ack_id=ack_id,
        updated_at=ctx.now,
    )
    tx.save_state(state)
    if promise is not None:
        tx.schedule_timer(
            key=f"{crisis.ref}:promise:{ack_id}",
            kind="promise",
            due_at=promise,
            crisis_id=crisis.id,
            episode=state.episode,
            payload={"ack_id": ack_id},
            at=ctx.now,
        )
    who = str((crisis.snapshot.get("contacts") or {}).get(ack.person, {}).get("name", ack.person))
    post_status(tx, ctx, crisis, "acknowledged", f"ack{ack_id}", who=who, until=promise)
    return _result(crisis, ack, "accepted", f"Acknowledged {crisis.ref}.")
