"""Block Kit for the crisis team: the playbook checklist (a thread message with
checkboxes) and holding-statement drafts with approve buttons (four eyes).

>>> from datetime import datetime, timezone
>>> due = datetime(2026, 3, 28, 20, 0, tzinfo=timezone.utc)
>>> items = [ChecklistEntry("i1", "Holding statement on X", "press", due),
...          ChecklistEntry("i2", "Brief the CEO", "lead", due, done=True, done_by="Anna")]
>>> [m.blocks[-1]["accessory"]["initial_options"][0]["text"]["text"]
...  for m in checklist_messages("c-7", items, playbook="Data leak", lang="en")]
['done by Anna']
>>> draft = StatementDraft("s1", "de", "X", "Wir prüfen die Berichte.")
>>> blocks = statement_message("c-7", draft, approvals=["Anna"], lang="en").blocks
>>> blocks[-2]["text"]["text"]
'Approved by Anna; a second, different person must still approve.'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from warning.notify import blockkit as bk
from warning.notify.actions import ACTION_APPROVE, ACTION_CHECKLIST
from warning.notify.labels import clock_time, label

__all__ = ["ChecklistEntry", "StatementDraft", "checklist_messages", "statement_message"]

ITEMS_PER_MESSAGE = 45


@dataclass(frozen=True, slots=True)
class ChecklistEntry:
    """One checklist task as shown in Slack."""

    item_id: str
    title: str
    role: str
    due_at: datetime
    done: bool = False
    done_by: str | None = None


@dataclass(frozen=True, slots=True)
class StatementDraft:
    """A holding-statement draft in one language."""

    statement_id: str
    lang: str
    title: str
    text: str


def _item_block(
    crisis_id: str, item: ChecklistEntry, lang: str, tz: str | ZoneInfo
) -> dict[str, Any]:
    text = label(
        lang,
        "checklist_item",
        title=bk.escape(item.title),
        role=bk.escape(item.role),
        due=clock_time(item.due_at, tz),
    )
    done_text = label(lang, "checklist_done")
    if item.done and item.done_by:
        done_text = label(lang, "checklist_done_by", who=item.done_by)
    opt = bk.option(done_text, bk.encode_value(crisis_id, item.item_id))
    box = bk.checkbox(ACTION_CHECKLIST, opt, checked=item.done)
    return bk.section(text, accessory=box, block_id=f"shitstorm.item:{item.item_id}")


def checklist_messages(
    crisis_id: str,
    items: Sequence[ChecklistEntry],
    *,
    playbook: str,
    lang: str = "de",
    tz: str | ZoneInfo = "Europe/Berlin",
) -> list[bk.Message]:
    """The checklist as one thread message per 45 items (Slack allows 50 blocks)."""
    chunks = [items[i : i + ITEMS_PER_MESSAGE] for i in range(0, len(items), ITEMS_PER_MESSAGE)]
    chunks = chunks or [items]
    title = label(lang, "checklist_title", playbook=bk.escape(playbook))
    out = []
    for part, chunk in enumerate(chunks, start=1):
        head = title
        if len(chunks) > 1:
            head = f"{title} — {label(lang, 'checklist_more', part=part, parts=len(chunks))}"
        blocks = [bk.section(f"*{head}*")]
        blocks += [_item_block(crisis_id, item, lang, tz) for item in chunk]
        out.append(bk.Message(bk.clip(head, bk.MAX_TEXT), tuple(blocks)))
    return out


def _paragraph_chunks(text: str, limit: int) -> list[str]:
    chunks: list[str] = []
    current = ""
    for para in text.split("\n"):
        candidate = f"{current}\n{para}" if current else para
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        while len(para) > limit:
            chunks.append(para[:limit])
            para = para[limit:]
        current = para
    if current or not chunks:
        chunks.append(current)
    return chunks


def statement_message(
    crisis_id: str,
    draft: StatementDraft,
    *,
    approvals: Sequence[str] = (),
    required: int = 2,
    lang: str = "de",
) -> bk.Message:
    """A statement draft with its approvals; the button stays until ``required`` people
    (distinct; the store enforces that) have approved."""
    title = label(
        lang, "statement_title", language=draft.lang.upper(), title=bk.escape(draft.title)
    )
    blocks: list[dict[str, Any]] = [bk.section(f"*{title}*")]
    body = bk.escape(draft.text)
    for chunk in _paragraph_chunks(body, bk.MAX_TEXT - 100)[: bk.MAX_BLOCKS - 4]:
        blocks.append(bk.section(chunk or " "))
    names = list(dict.fromkeys(approvals))
    if len(names) >= required:
        blocks.append(bk.section(label(lang, "approvals_done", names=", ".join(names))))
    else:
        key = "approvals_one" if names else "approvals_none"
        blocks.append(bk.section(label(lang, key, first=", ".join(names))))
        value = bk.encode_value(crisis_id, draft.statement_id)
        button = bk.button(label(lang, "approve"), ACTION_APPROVE, value, style="primary")
        blocks.append(bk.actions([button], block_id=f"shitstorm.statement:{draft.statement_id}"))
    return bk.Message(bk.clip(title, bk.MAX_TEXT), tuple(blocks))
