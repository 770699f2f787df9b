"""The ids of our Block Kit actions and what each one stands for.

Action ids are ``shitstorm.<action>``; their values carry the crisis id (and the
promise minutes, checklist item or statement id), see
:func:`~warning.notify.blockkit.encode_value`.

>>> ACTIONS["shitstorm.ack"]
'acknowledge'
"""

from __future__ import annotations

from warning.records import AckAction

__all__ = [
    "ACTIONS",
    "ACTIONS_BLOCK_ID",
    "ACTION_ACK",
    "ACTION_APPROVE",
    "ACTION_CHECKLIST",
    "ACTION_ESCALATE",
    "ACTION_FALSE_ALARM",
    "ACTION_RESOLVE",
    "STATUS_BLOCK_ID",
]

ACTION_ACK = "shitstorm.ack"
ACTION_ESCALATE = "shitstorm.escalate"
ACTION_RESOLVE = "shitstorm.resolve"
ACTION_FALSE_ALARM = "shitstorm.false_alarm"
ACTION_CHECKLIST = "shitstorm.checklist"
ACTION_APPROVE = "shitstorm.approve"
#: Slack action id → the acknowledgement action it stands for.
ACTIONS: dict[str, AckAction] = {
    ACTION_ACK: "acknowledge",
    ACTION_ESCALATE: "escalate",
    ACTION_RESOLVE: "resolve",
    ACTION_FALSE_ALARM: "false_alarm",
    ACTION_CHECKLIST: "checklist_done",
    ACTION_APPROVE: "approve_statement",
}
STATUS_BLOCK_ID = "shitstorm.status"
ACTIONS_BLOCK_ID = "shitstorm.actions"
