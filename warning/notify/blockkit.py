"""Small Block Kit constructors that never exceed Slack's limits, and a limit checker.

Every text that comes from the outside (posts, names) is escaped (``&``, ``<``, ``>``),
so a post reading ``<!channel>`` cannot ping a whole channel, and clipped to the
limit of the field it goes into.

>>> section("a" * 5000)["text"]["text"][-3:], len(section("a" * 5000)["text"]["text"])
('aa…', 3000)
>>> escape("<!channel> & co")
'&lt;!channel&gt; &amp; co'
>>> decode_value(encode_value("crisis|7", "30"))
('crisis|7', '30')
>>> check_limits([divider()] * 51)
['51 blocks (Slack allows 50)']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

__all__ = [
    "MAX_BLOCKS",
    "MAX_TEXT",
    "Message",
    "actions",
    "button",
    "check_limits",
    "checkbox",
    "clip",
    "context",
    "decode_value",
    "divider",
    "encode_value",
    "escape",
    "fields_section",
    "header",
    "image",
    "option",
    "section",
    "static_select",
]

MAX_BLOCKS = 50
MAX_TEXT = 3000
MAX_FIELD = 2000
MAX_FIELDS = 10
MAX_HEADER = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTION_ELEMENTS = 25
MAX_BUTTON_TEXT = 75
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_VALUE = 2000
MAX_ID = 255

Block = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Message:
    """A Slack message: the notification ``text`` (also shown in push alerts) and blocks."""

    text: str
    blocks: tuple[Mapping[str, Any], ...]


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def encode_value(*parts: str) -> str:
    """An action value ``v1|part|part`` (parts percent-encoded)."""
    return "|".join(["v1", *(quote(str(p), safe="") for p in parts)])


def decode_value(value: str) -> tuple[str, ...]:
    """The parts of an :func:`encode_value` value (empty tuple if not ours)."""
    pieces = value.split("|")
    if len(pieces) < 2 or pieces[0] != "v1":
        return ()
    return tuple(unquote(p) for p in pieces[1:])


def _text(text: str, limit: int, kind: str = "mrkdwn") -> dict[str, Any]:
    return {"type": kind, "text": clip(text, limit)} | (
        {"emoji": True} if kind == "plain_text" else {}
    )


def header(text: str) -> Block:
    return {"type": "header", "text": _text(text, MAX_HEADER, "plain_text")}


def section(
    text: str, *, accessory: Mapping[str, Any] | None = None, block_id: str | None = None
) -> Block:
    block: Block = {"type": "section", "text": _text(text, MAX_TEXT)}
    if accessory is not None:
        block["accessory"] = dict(accessory)
    if block_id is not None:
        block["block_id"] = clip(block_id, MAX_ID)
    return block


def fields_section(fields: Sequence[str]) -> Block:
    return {"type": "section", "fields": [_text(f, MAX_FIELD) for f in fields[:MAX_FIELDS]]}


def context(texts: Sequence[str]) -> Block:
    return {
        "type": "context",
        "elements": [_text(t, MAX_FIELD) for t in texts[:MAX_CONTEXT_ELEMENTS]],
    }


def divider() -> Block:
    return {"type": "divider"}


def image(alt_text: str, *, url: str | None = None, file_id: str | None = None) -> Block:
    """An image from a URL or from a file uploaded to Slack (``slack_file``)."""
    block: Block = {"type": "image", "alt_text": clip(alt_text, MAX_FIELD)}
    if file_id is not None:
        block["slack_file"] = {"id": file_id}
    elif url is not None:
        block["image_url"] = url
    else:
        raise ValueError("image() needs url or file_id")
    return block


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": _text(text, MAX_OPTION_TEXT, "plain_text"), "value": value[:MAX_OPTION_VALUE]}


def button(
    text: str,
    action_id: str,
    value: str,
    *,
    style: str | None = None,
    confirm: Mapping[str, Any] | None = None,
) -> Block:
    element: Block = {
        "type": "button",
        "text": _text(text, MAX_BUTTON_TEXT, "plain_text"),
        "action_id": action_id[:MAX_ID],
        "value": value[:MAX_VALUE],
    }
    if style is not None:
        element["style"] = style
    if confirm is not None:
        element["confirm"] = dict(confirm)
    return element


def confirm_dialog(title: str, text: str, yes: str, no: str) -> dict[str, Any]:
    return {
        "title": _text(title, 100, "plain_text"),
        "text": _text(text, 300, "plain_text"),
        "confirm": _text(yes, 30, "plain_text"),
        "deny": _text(no, 30, "plain_text"),
    }


def static_select(placeholder: str, action_id: str, options: Sequence[Mapping[str, Any]]) -> Block:
    return {
        "type": "static_select",
        "placeholder": _text(placeholder, 150, "plain_text"),
        "action_id": action_id[:MAX_ID],
        "options": [dict(o) for o in options[:100]],
    }


def checkbox(action_id: str, opt: Mapping[str, Any], *, checked: bool) -> Block:
    element: Block = {"type": "checkboxes", "action_id": action_id[:MAX_ID], "options": [dict(opt)]}
    if checked:
        element["initial_options"] = [dict(opt)]
    return element


def actions(elements: Sequence[Mapping[str, Any]], *, block_id: str | None = None) -> Block:
    block: Block = {
        "type": "actions",
        "elements": [dict(e) for e in elements[:MAX_ACTION_ELEMENTS]],
    }
    if block_id is not None:
        block["block_id"] = clip(block_id, MAX_ID)
    return block


# ---------------------------------------------------------------------- checking
def _len(obj: Any) -> int:
    return len(str((obj or {}).get("text", ""))) if isinstance(obj, Mapping) else 0


def _element_problems(i: int, element: Mapping[str, Any]) -> list[str]:
    out = []
    if element.get("type") == "button" and _len(element.get("text")) > MAX_BUTTON_TEXT:
        out.append(f"block {i}: button text over {MAX_BUTTON_TEXT}")
    if len(str(element.get("value", ""))) > MAX_VALUE:
        out.append(f"block {i}: value over {MAX_VALUE}")
    if len(str(element.get("action_id", ""))) > MAX_ID:
        out.append(f"block {i}: action_id over {MAX_ID}")
    for opt in element.get("options", []):
        if _len(opt.get("text")) > MAX_OPTION_TEXT or len(opt.get("value", "")) > MAX_OPTION_VALUE:
            out.append(f"block {i}: option over {MAX_OPTION_TEXT}/{MAX_OPTION_VALUE}")
    return out


def check_limits(blocks: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every Block Kit limit the blocks break (empty list when they are fine)."""
    problems = [] if len(blocks) <= MAX_BLOCKS else [f"{len(blocks)} blocks (Slack allows 50)"]
    for i, block in enumerate(blocks):
        kind = block.get("type")
        limit = MAX_HEADER if kind == "header" else MAX_TEXT
        if _len(block.get("text")) > limit:
            problems.append(f"block {i}: {kind} text over {limit}")
        fields = block.get("fields") or []
        if len(fields) > MAX_FIELDS or any(_len(f) > MAX_FIELD for f in fields):
            problems.append(f"block {i}: fields over {MAX_FIELDS} or {MAX_FIELD} characters")
        elements = block.get("elements") or []
        if kind == "context" and len(elements) > MAX_CONTEXT_ELEMENTS:
            problems.append(f"block {i}: context over {MAX_CONTEXT_ELEMENTS} elements")
        if kind == "actions" and len(elements) > MAX_ACTION_ELEMENTS:
            problems.append(f"block {i}: actions over {MAX_ACTION_ELEMENTS} elements")
        for element in [*elements, *([block["accessory"]] if "accessory" in block else [])]:
            problems += _element_problems(i, element)
        if len(str(block.get("block_id", ""))) > MAX_ID:
            problems.append(f"block {i}: block_id over {MAX_ID}")
    return problems
