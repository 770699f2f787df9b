"""Words and number formats of the messages, in German and English (the person's language).

>>> label("de", "headline", brand="Lumina", severity=severity_name("de", "critical"))
'Sturmwarnung: Lumina — kritisch'
>>> number("de", 1240.0), number("en", 1240.0), percent("de", 0.623), ratio("de", 6.89)
('1.240', '1,240', '62 %', '×6,9')
>>> from datetime import datetime, timezone
>>> slot("en", datetime(2026, 3, 28, 19, 30, tzinfo=timezone.utc), "Europe/Berlin")
'a Saturday at 20:30'
"""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

__all__ = [
    "LANGUAGES",
    "clock_time",
    "label",
    "language",
    "number",
    "percent",
    "ratio",
    "severity_name",
    "slot",
]

LANGUAGES = ("de", "en")

_LABELS: dict[str, dict[str, str]] = {
    "de": {
        "headline": "Sturmwarnung: {brand} — {severity}",
        "paged": "Du wirst alarmiert (Stufe {level}){reason}.",
        "volume": "*Volumen*\n{volume} Erwähnungen, normal für {slot}: {expected} ({ratio})",
        "negative": "*Negativ-Anteil*\n{share} (erwartet {expected})",
        "new_authors": "*Neue Autor:innen*\n{share}{expected}",
        "expected_suffix": " (erwartet {expected})",
        "platforms": "*Plattformen*\n{platforms}",
        "since": "*Seit*\n{time} (Wendepunkt)",
        "doubling": "*Verdopplung*\nalle {minutes} min",
        "top_posts": "*Die negativsten Beiträge*",
        "top_authors": "*Autor:innen mit der größten Reichweite*",
        "reach": "Reichweite",
        "mentions": "Erwähnungen",
        "chart_alt": "Volumen und Negativ-Anteil gegen die Erwartung",
        "ack_placeholder": "Übernehmen – nächstes Update in …",
        "ack_option": "Übernehmen, Update in {minutes} min",
        "escalate": "Eskalieren",
        "resolve": "Erledigt",
        "false_alarm": "Fehlalarm",
        "confirm_title": "Sicher?",
        "confirm_false_alarm": "Als Fehlalarm markieren? Das geht als Rückmeldung an den Detektor.",
        "confirm_yes": "Ja",
        "confirm_no": "Abbrechen",
        "footer": "Krise {crisis} · {detector} · ausgelöst {time}",
        "acked": "✅ Übernommen von {who} um {time}, nächstes Update bis {until}",
        "acked_plain": "✅ Übernommen von {who} um {time}",
        "escalated": "⏫ Eskaliert auf Stufe {level} ({who}) um {time}",
        "resolved": "☑️ Erledigt von {who} um {time}",
        "false_alarmed": "🚫 Fehlalarm laut {who} um {time}",
        "missed": "⚠️ Kein Update bis {until} — eskaliert auf Stufe {level}",
        "channel_paged": "Alarmiert: {who} (Stufe {level})",
        "checklist_title": "Checkliste: {playbook}",
        "checklist_item": "*{title}*\n{role} · fällig {due}",
        "checklist_done": "erledigt",
        "checklist_done_by": "erledigt von {who}",
        "checklist_more": "Checkliste (Teil {part} von {parts})",
        "statement_title": "Entwurf Stellungnahme ({language}): {title}",
        "approve": "Freigeben",
        "approvals_none": "Noch keine Freigabe; zwei verschiedene Personen müssen freigeben.",
        "approvals_one": "Freigegeben von {first}; eine zweite, andere Person muss noch freigeben.",
        "approvals_done": "✅ Freigegeben von {names}",
        "refusal": (
            "Entschuldige, dich kenne ich noch nicht: dein Slack-Konto steht in keinem "
            "Dienstplan. Bitte wende dich an das Kommunikationsteam, damit du eingetragen wirst."
        ),
    },
    "en": {
        "headline": "Storm warning: {brand} — {severity}",
        "paged": "You are being paged (level {level}){reason}.",
        "volume": "*Volume*\n{volume} mentions, normal for {slot}: {expected} ({ratio})",
        "negative": "*Negative share*\n{share} (expected {expected})",
        "new_authors": "*New authors*\n{share}{expected}",
        "expected_suffix": " (expected {expected})",
        "platforms": "*Platforms*\n{platforms}",
        "since": "*Since*\n{time} (change point)",
        "doubling": "*Doubling*\nevery {minutes} min",
        "top_posts": "*Most negative posts*",
        "top_authors": "*Authors with the largest reach*",
        "reach": "reach",
        "mentions": "mentions",
        "chart_alt": "Volume and negative share against what is expected",
        "ack_placeholder": "Acknowledge – next update in …",
        "ack_option": "Acknowledge, update in {minutes} min",
        "escalate": "Escalate",
        "resolve": "Resolve",
        "false_alarm": "False alarm",
        "confirm_title": "Are you sure?",
        "confirm_false_alarm": "Mark as a false alarm? This goes back to the detector as feedback.",
        "confirm_yes": "Yes",
        "confirm_no": "Cancel",
        "footer": "Crisis {crisis} · {detector} · fired {time}",
        "acked": "✅ Acknowledged by {who} at {time}, next update by {until}",
        "acked_plain": "✅ Acknowledged by {who} at {time}",
        "escalated": "⏫ Escalated to level {level} ({who}) at {time}",
        "resolved": "☑️ Resolved by {who} at {time}",
        "false_alarmed": "🚫 False alarm according to {who} at {time}",
        "missed": "⚠️ No update by {until} — escalated to level {level}",
        "channel_paged": "Paged: {who} (level {level})",
        "checklist_title": "Checklist: {playbook}",
        "checklist_item": "*{title}*\n{role} · due {due}",
        "checklist_done": "done",
        "checklist_done_by": "done by {who}",
        "checklist_more": "Checklist (part {part} of {parts})",
        "statement_title": "Draft statement ({language}): {title}",
        "approve": "Approve",
        "approvals_none": "Not approved yet; two different people must approve.",
        "approvals_one": "Approved by {first}; a second, different person must still approve.",
        "approvals_done": "✅ Approved by {names}",
        "refusal": (
            "Sorry, I don't know you yet: your Slack account is not on any roster. "
            "Please ask the communications team to add you."
        ),
    },
}

_SEVERITY = {
    "de": {"watch": "beobachten", "warning": "Warnung", "critical": "kritisch"},
    "en": {"watch": "watch", "warning": "warning", "critical": "critical"},
}
_WEEKDAYS = {
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_SLOT = {"de": "einen {weekday} um {time}", "en": "a {weekday} at {time}"}


def language(lang: str | None) -> str:
    """The supported language closest to ``lang`` (``de-DE`` → ``de``; unknown → ``de``)."""
    code = (lang or "de").split("-")[0].split("_")[0].lower()
    return code if code in _LABELS else "de"


def label(lang: str | None, key: str, **values: object) -> str:
    """The text ``key`` in ``lang`` with ``values`` filled in."""
    return _LABELS[language(lang)][key].format(**values)


def severity_name(lang: str | None, severity: str) -> str:
    return _SEVERITY[language(lang)].get(severity, severity)


def number(lang: str | None, value: float | None, digits: int = 0) -> str:
    """A number with the language's thousands and decimal separators."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{digits}f}"
    if language(lang) == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def percent(lang: str | None, share: float | None) -> str:
    """A share in [0, 1] as a whole percentage (German puts a space before %)."""
    if share is None or math.isnan(share):
        return "–"
    return f"{round(100 * share)} %" if language(lang) == "de" else f"{round(100 * share)}%"


def ratio(lang: str | None, value: float | None) -> str:
    return "–" if value is None or math.isnan(value) else "×" + number(lang, value, 1)


def clock_time(instant: datetime, tz: str | ZoneInfo) -> str:
    """``HH:MM`` on the wall clock of ``tz``."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return instant.astimezone(zone).strftime("%H:%M")


def slot(lang: str | None, instant: datetime, tz: str | ZoneInfo) -> str:
    """ "a Saturday at 20:30": the weekday and time the seasonal baseline is for."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    local = instant.astimezone(zone)
    code = language(lang)
    return _SLOT[code].format(
        weekday=_WEEKDAYS[code][local.weekday()], time=local.strftime("%H:%M")
    )
