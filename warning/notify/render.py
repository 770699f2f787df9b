"""Block Kit as plain text and as simple HTML, for e-mail and the console.

>>> blocks = [{"type": "header", "text": {"type": "plain_text", "text": "Storm warning"}},
...           {"type": "section", "text": {"type": "mrkdwn", "text": "*Volume* &lt;3\\n> a post"}}]
>>> print(blocks_to_text(blocks))
Storm warning
=============
Volume <3
  │ a post
>>> blocks_to_html(blocks)
'<h2>Storm warning</h2>\\n<p><b>Volume</b> &lt;3<br>\\n<blockquote>a post</blockquote></p>'
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["blocks_to_html", "blocks_to_text", "mrkdwn_to_html", "mrkdwn_to_text"]

_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)\|([^>]+)>")
_BARE_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)>")
_MENTION = re.compile(r"<@([A-Z0-9]+)>")
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])")


def mrkdwn_to_text(text: str) -> str:
    """Slack mrkdwn (already entity-escaped) as readable plain text."""
    text = _LINK.sub(r"\2 (\1)", text)
    text = _BARE_LINK.sub(r"\1", text)
    text = _MENTION.sub(r"@\1", text)
    text = _BOLD.sub(r"\1", text)
    text = _ITALIC.sub(r"\1", text)
    lines = [("  │ " + line[2:]) if line.startswith("> ") else line for line in text.split("\n")]
    return html.unescape("\n".join(lines))


def mrkdwn_to_html(text: str) -> str:
    """Slack mrkdwn as HTML; the text is entity-escaped already, only links are rebuilt."""
    out = []
    for line in text.split("\n"):
        quoted = line.startswith("&gt; ") or line.startswith("> ")
        if quoted:
            line = line.split(" ", 1)[1]
        line = _LINK.sub(lambda m: f'<a href="{html.escape(m.group(1))}">{m.group(2)}</a>', line)
        line = _BARE_LINK.sub(
            lambda m: f'<a href="{html.escape(m.group(1))}">{m.group(1)}</a>', line
        )
        line = _MENTION.sub(r"@\1", line)
        line = _BOLD.sub(r"<b>\1</b>", line)
        line = _ITALIC.sub(r"<i>\1</i>", line)
        out.append(f"<blockquote>{line}</blockquote>" if quoted else line)
    return "<br>\n".join(out)


def _text_of(obj: Any) -> tuple[str, str]:
    if isinstance(obj, Mapping):
        return str(obj.get("text", "")), str(obj.get("type", "mrkdwn"))
    return "", "mrkdwn"


def _element_labels(block: Mapping[str, Any]) -> list[str]:
    labels = []
    for element in block.get("elements", []):
        text, _ = _text_of(element.get("text") or element.get("placeholder"))
        if text:
            labels.append(f"[{text}]")
    return labels


def blocks_to_text(blocks: Sequence[Mapping[str, Any]]) -> str:
    """A plain-text rendering (buttons shown as ``[label]``)."""
    out: list[str] = []
    for block in blocks:
        kind = block.get("type")
        text, text_type = _text_of(block.get("text"))
        if kind == "header":
            out += [text, "=" * len(text)]
        elif kind == "divider":
            out.append("-" * 40)
        elif kind == "image":
            out.append(f"[image: {block.get('alt_text', '')}]")
        elif kind == "actions":
            out.append(" ".join(_element_labels(block)))
        elif kind == "context":
            out.append(
                " · ".join(mrkdwn_to_text(_text_of(e)[0]) for e in block.get("elements", []))
            )
        else:
            if text:
                out.append(mrkdwn_to_text(text) if text_type == "mrkdwn" else text)
            for f in block.get("fields", []):
                out.append(mrkdwn_to_text(_text_of(f)[0]).replace("\n", ": ", 1))
            accessory = block.get("accessory")
            if isinstance(accessory, Mapping) and accessory.get("type") == "checkboxes":
                mark = "x" if accessory.get("initial_options") else " "
                out[-1] = f"[{mark}] {out[-1]}" if out else f"[{mark}]"
    return "\n".join(out)


def blocks_to_html(blocks: Sequence[Mapping[str, Any]]) -> str:
    """A simple HTML rendering for the e-mail fallback (no buttons: they need Slack)."""
    out: list[str] = []
    for block in blocks:
        kind = block.get("type")
        text, text_type = _text_of(block.get("text"))
        if kind == "header":
            out.append(f"<h2>{html.escape(text)}</h2>")
        elif kind == "divider":
            out.append("<hr>")
        elif kind == "image":
            out.append(f"<p><i>[{html.escape(str(block.get('alt_text', '')))}]</i></p>")
        elif kind == "context":
            parts = [mrkdwn_to_html(_text_of(e)[0]) for e in block.get("elements", [])]
            out.append(f"<p><small>{' · '.join(parts)}</small></p>")
        elif kind == "section":
            if text:
                body = mrkdwn_to_html(text) if text_type == "mrkdwn" else html.escape(text)
                out.append(f"<p>{body}</p>")
            fields = [mrkdwn_to_html(_text_of(f)[0]) for f in block.get("fields", [])]
            if fields:
                out.append("<ul>" + "".join(f"<li>{f}</li>" for f in fields) + "</ul>")
    return "\n".join(out)
