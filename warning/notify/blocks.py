"""Block Kit for the page, the crisis-channel post and their in-place updates.

The page says what is happening in the words of the person paged (German or English):
volume against the seasonal baseline for this weekday and hour, negative share
against what is expected, the posts and authors driving it, platforms, the share of
new authors, the chart, and the buttons: acknowledge with a promise ("next update in
30 min"), escalate, resolve, false alarm. Action ids are ``shitstorm.<action>``; the
values carry the crisis id (:func:`~warning.notify.blockkit.encode_value`).

>>> from datetime import datetime, timezone
>>> from warning.records import Alert, AlertMetrics, DetectorInfo, Severity
>>> t = datetime(2026, 3, 28, 19, 30, tzinfo=timezone.utc)
>>> alert = Alert("Lumina", t, t, Severity.CRITICAL, t, AlertMetrics(1240, 180, 6.89, 0.62, 0.18),
...               DetectorInfo("storm"), "lumina:1")
>>> msg = page_message(alert, crisis_id="c-7", lang="en", level=1)
>>> msg.blocks[0]["text"]["text"]
'Storm warning: Lumina — critical'
>>> [e["action_id"] for e in msg.blocks[-2]["elements"]]
['shitstorm.ack', 'shitstorm.escalate', 'shitstorm.resolve', 'shitstorm.false_alarm']
>>> line = status_line("acknowledged", lang="en", tz="Europe/Berlin", who="Anna", at=t,
...                    until=datetime(2026, 3, 28, 20, 15, tzinfo=timezone.utc))
>>> line
'✅ Acknowledged by Anna at 20:30, next update by 21:15'
>>> [e["action_id"] for e in with_status(msg.blocks, line)[-2]["elements"]]
['shitstorm.escalate', 'shitstorm.resolve', 'shitstorm.false_alarm']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from warning.notify import blockkit as bk
from warning.notify.actions import (
    ACTION_ACK,
    ACTION_APPROVE,
    ACTION_CHECKLIST,
    ACTION_ESCALATE,
    ACTION_FALSE_ALARM,
    ACTION_RESOLVE,
    ACTIONS,
    ACTIONS_BLOCK_ID,
    STATUS_BLOCK_ID,
)
from warning.notify.labels import (
    clock_time,
    label,
    number,
    percent,
    ratio,
    severity_name,
    slot,
)
from warning.notify.status import KEEP_AFTER, status_line, with_status
from warning.records import Alert

__all__ = [
    "ACTIONS",
    "ACTION_ACK",
    "ACTION_APPROVE",
    "ACTION_CHECKLIST",
    "ACTION_ESCALATE",
    "ACTION_FALSE_ALARM",
    "ACTION_RESOLVE",
    "KEEP_AFTER",
    "STATUS_BLOCK_ID",
    "alert_fields",
    "channel_message",
    "mention",
    "page_message",
    "status_line",
    "with_status",
]

POST_CHARS = 500


def mention(slack_user: str) -> str:
    """A Slack mention of a user id (``<@U…>``)."""
    return f"<@{slack_user}>"


def _extra(alert: Alert, key: str) -> float | None:
    value = alert.metrics.extra.get(key)
    return None if value is None else float(value)


def alert_fields(alert: Alert, *, lang: str, tz: str | ZoneInfo) -> list[str]:
    """The metric fields of a page: volume, negative share, new authors, platforms, …"""
    m = alert.metrics
    fields = [
        label(
            lang,
            "volume",
            volume=number(lang, m.volume),
            slot=slot(lang, alert.bucket_start, tz),
            expected=number(lang, m.expected_volume),
            ratio=ratio(lang, m.volume_ratio),
        )
    ]
    if m.negative_share is not None:
        expected = percent(lang, m.expected_negative_share)
        fields.append(
            label(lang, "negative", share=percent(lang, m.negative_share), expected=expected)
        )
    drivers = alert.drivers
    new_share = drivers.new_author_share if drivers else None
    new_share = new_share if new_share is not None else _extra(alert, "new_author_share")
    if new_share is not None:
        exp = _extra(alert, "expected_new_author_share")
        suffix = "" if exp is None else label(lang, "expected_suffix", expected=percent(lang, exp))
        fields.append(label(lang, "new_authors", share=percent(lang, new_share), expected=suffix))
    if drivers and drivers.platforms:
        top = sorted(drivers.platforms.items(), key=lambda kv: -kv[1])[:6]
        text = " · ".join(f"{bk.escape(str(k))} {number(lang, float(v))}" for k, v in top)
        fields.append(label(lang, "platforms", platforms=text))
    if alert.change_point_at is not None:
        fields.append(label(lang, "since", time=clock_time(alert.change_point_at, tz)))
    doubling = _extra(alert, "doubling_minutes")
    if doubling is not None and doubling > 0:
        fields.append(label(lang, "doubling", minutes=number(lang, doubling)))
    return fields


def _post_block(post: Mapping[str, Any], lang: str) -> dict[str, Any]:
    text = bk.escape(bk.clip(" ".join(str(post.get("text") or "").split()), POST_CHARS))
    about = [bk.escape(str(post[k])) for k in ("author", "platform") if post.get(k)]
    if post.get("reach") is not None:
        about.append(f"{label(lang, 'reach')} {number(lang, float(post['reach']))}")
    url = str(post.get("url") or "")
    link = f" · <{url}|↗>" if url.startswith(("http://", "https://")) and "|" not in url else ""
    return bk.section(f"> {text}\n_{' · '.join(about)}_{link}")


def _authors_block(authors: Sequence[Mapping[str, Any]], lang: str) -> dict[str, Any]:
    lines = [label(lang, "top_authors")]
    for a in authors:
        reach = a.get("reach")
        parts = (
            [f"{label(lang, 'reach')} {number(lang, float(reach))}"] if reach is not None else []
        )
        if a.get("mentions") is not None:
            parts.append(f"{number(lang, float(a['mentions']))} {label(lang, 'mentions')}")
        lines.append(f"• {bk.escape(str(a.get('author', '?')))} — {', '.join(parts)}")
    return bk.section("\n".join(lines))


def _actions(crisis_id: str, lang: str, promise_minutes: Sequence[int]) -> dict[str, Any]:
    options = [
        bk.option(label(lang, "ack_option", minutes=m), bk.encode_value(crisis_id, str(m)))
        for m in promise_minutes
    ]
    value = bk.encode_value(crisis_id)
    confirm = bk.confirm_dialog(
        label(lang, "confirm_title"),
        label(lang, "confirm_false_alarm"),
        label(lang, "confirm_yes"),
        label(lang, "confirm_no"),
    )
    elements = [
        bk.static_select(label(lang, "ack_placeholder"), ACTION_ACK, options),
        bk.button(label(lang, "escalate"), ACTION_ESCALATE, value, style="danger"),
        bk.button(label(lang, "resolve"), ACTION_RESOLVE, value, style="primary"),
        bk.button(label(lang, "false_alarm"), ACTION_FALSE_ALARM, value, confirm=confirm),
    ]
    return bk.actions(elements, block_id=f"{ACTIONS_BLOCK_ID}:{crisis_id}")


def _evidence(
    alert: Alert,
    *,
    lang: str,
    tz: str | ZoneInfo,
    chart_url: str | None,
    chart_file_id: str | None,
    max_posts: int,
    max_authors: int,
) -> list[dict[str, Any]]:
    blocks = [bk.fields_section(alert_fields(alert, lang=lang, tz=tz))]
    if chart_url or chart_file_id:
        blocks.append(bk.image(label(lang, "chart_alt"), url=chart_url, file_id=chart_file_id))
    drivers = alert.drivers
    posts = list(drivers.top_negative_posts[: max(0, min(max_posts, 20))]) if drivers else []
    if posts:
        blocks.append(bk.section(label(lang, "top_posts")))
        blocks += [_post_block(p, lang) for p in posts]
    authors = list(drivers.top_authors[: max(0, min(max_authors, 20))]) if drivers else []
    if authors:
        blocks.append(_authors_block(authors, lang))
    return blocks


def _headline(alert: Alert, lang: str) -> str:
    return label(
        lang, "headline", brand=alert.brand, severity=severity_name(lang, alert.severity.value)
    )


def _summary(alert: Alert, lang: str) -> str:
    m = alert.metrics
    share = "" if m.negative_share is None else f", {percent(lang, m.negative_share)} negativ"
    if lang == "en" and share:
        share = f", {percent(lang, m.negative_share)} negative"
    return f"{_headline(alert, lang)} · {ratio(lang, m.volume_ratio)}{share}"


def _footer(alert: Alert, crisis_id: str, lang: str, tz: str | ZoneInfo) -> dict[str, Any]:
    return bk.context(
        [
            label(
                lang,
                "footer",
                crisis=bk.escape(crisis_id),
                detector=bk.escape(alert.detector.name),
                time=clock_time(alert.fired_at, tz),
            )
        ]
    )


def page_message(
    alert: Alert,
    *,
    crisis_id: str,
    lang: str = "de",
    tz: str | ZoneInfo = "Europe/Berlin",
    level: int | None = None,
    reason: str = "",
    chart_url: str | None = None,
    chart_file_id: str | None = None,
    promise_minutes: Sequence[int] = (15, 30, 60),
    max_posts: int = 5,
    max_authors: int = 5,
) -> bk.Message:
    """The DM that pages one person about ``alert`` (at most 50 blocks, always)."""
    blocks: list[dict[str, Any]] = [bk.header(_headline(alert, lang))]
    if level is not None:
        why = f": {bk.escape(reason)}" if reason else ""
        blocks.append(bk.section(label(lang, "paged", level=level, reason=why)))
    blocks += _evidence(
        alert,
        lang=lang,
        tz=tz,
        chart_url=chart_url,
        chart_file_id=chart_file_id,
        max_posts=max_posts,
        max_authors=max_authors,
    )
    blocks.append(bk.divider())
    blocks.append(_actions(crisis_id, lang, promise_minutes))
    blocks.append(_footer(alert, crisis_id, lang, tz))
    return bk.Message(bk.clip(_summary(alert, lang), bk.MAX_TEXT), tuple(blocks))


def channel_message(
    alert: Alert,
    *,
    crisis_id: str,
    lang: str = "de",
    tz: str | ZoneInfo = "Europe/Berlin",
    paged: Sequence[tuple[str, int]] = (),
    chart_url: str | None = None,
    chart_file_id: str | None = None,
    with_actions: bool = True,
    max_posts: int = 3,
) -> bk.Message:
    """The crisis-channel post: the same evidence, who was paged, optionally the buttons."""
    blocks: list[dict[str, Any]] = [bk.header(_headline(alert, lang))]
    blocks += _evidence(
        alert,
        lang=lang,
        tz=tz,
        chart_url=chart_url,
        chart_file_id=chart_file_id,
        max_posts=max_posts,
        max_authors=3,
    )
    if paged:
        who = ", ".join(label(lang, "channel_paged", who=mention(u), level=lvl) for u, lvl in paged)
        blocks.append(bk.section(who))
    if with_actions:
        blocks.append(_actions(crisis_id, lang, (15, 30, 60)))
    blocks.append(_footer(alert, crisis_id, lang, tz))
    return bk.Message(bk.clip(_summary(alert, lang), bk.MAX_TEXT), tuple(blocks))
