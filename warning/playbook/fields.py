"""Alert fields that triggers and conditions can use, and their normalisation.

An alert reaches the playbook room either as a :class:`warning.records.Alert` or as
a mapping of fields (``route-test`` builds one from ``FIELD=VALUE`` pairs; an
alert's JSON line works too, nested ``metrics`` and ``drivers`` included).

>>> fields = alert_fields({"severity": "Critical", "metrics": {"volume_ratio": 4.2},
...                        "terms": "rückruf, akku"})
>>> fields["severity"], fields["volume_ratio"], fields["terms"]
('critical', 4.2, ['rückruf', 'akku'])
>>> parse_field("negative_share", "0.45")
0.45
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from warning.playbook.timerules import did_you_mean
from warning.records import Alert, Drivers, Severity

__all__ = [
    "CRISIS_TYPES",
    "LIST_FIELDS",
    "NUMBER_FIELDS",
    "STRING_FIELDS",
    "alert_fields",
    "known_fields",
    "parse_field",
]

STRING_FIELDS: tuple[str, ...] = ("brand", "severity", "crisis_type", "detector")
LIST_FIELDS: tuple[str, ...] = ("terms", "platforms")
NUMBER_FIELDS: tuple[str, ...] = (
    "volume",
    "expected_volume",
    "volume_ratio",
    "negative_share",
    "expected_negative_share",
    "negative",
    "authors",
    "new_authors",
    "new_author_share",
    "reach",
    "reposts",
    "quotes",
    "repost_share",
    "quote_share",
)
#: Crisis types a trigger may name (``settings.crisis_types`` adds more).
CRISIS_TYPES: tuple[str, ...] = (
    "product_safety",
    "data_leak",
    "executive_misconduct",
    "service_failure",
    "campaign_backlash",
    "misinformation",
    "boycott_call",
    "other",
)


def known_fields(extra: Collection[str] = ()) -> tuple[str, ...]:
    """Every field name usable in conditions and ``route-test``."""
    return (*STRING_FIELDS, *LIST_FIELDS, *NUMBER_FIELDS, *extra)


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [p.strip() for p in value.split(",") if p.strip()]
    if isinstance(value, Mapping):
        return [str(k) for k in value]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [str(v) for v in value]
    return [str(value)]


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


_WORD = re.compile(r"[^\W\d_][\w-]{2,}", re.UNICODE)


def _post_words(drivers: Drivers) -> list[str]:
    """Words of the alert's top negative posts: early in a storm the few posts driving it
    say more about the kind of crisis than the top terms of a handful of mentions."""
    words: dict[str, None] = {}
    for post in drivers.top_negative_posts:
        for word in _WORD.findall(str(post.get("text", "")).casefold()):
            words.setdefault(word, None)
    return list(words)


def alert_fields(alert: Alert | Mapping[str, Any]) -> dict[str, object]:
    """Flat fields of an alert: text fields, lists (``terms``, ``platforms``), numbers."""
    if isinstance(alert, Alert):
        raw: dict[str, Any] = {
            "brand": alert.brand,
            "severity": alert.severity.value,
            "detector": alert.detector.name,
            "crisis_type": getattr(alert, "crisis_type", None),
            **alert.metrics.to_dict(),
        }
        if alert.drivers is not None:
            raw["terms"] = [*alert.drivers.top_terms, *_post_words(alert.drivers)]
            raw["platforms"] = list(alert.drivers.platforms)
            raw["new_author_share"] = alert.drivers.new_author_share
    else:
        raw = dict(alert)
        for nested in ("metrics", "drivers"):
            inner = raw.pop(nested, None)
            if isinstance(inner, Mapping):
                for key, value in inner.items():
                    raw.setdefault(key, value)
        if "top_terms" in raw:
            raw.setdefault("terms", raw.pop("top_terms"))
        if isinstance(raw.get("detector"), Mapping):
            raw["detector"] = raw["detector"].get("name")
    out: dict[str, object] = {}
    for key, value in raw.items():
        if key == "severity":
            try:
                out[key] = Severity.parse(value).value if value is not None else None
            except ValueError:
                out[key] = None
        elif key in STRING_FIELDS:
            out[key] = None if value is None else str(value)
        elif key in LIST_FIELDS:
            out[key] = _as_list(value)
        else:
            out[key] = _number(value)
    return out


def parse_field(name: str, text: str, extra: Collection[str] = ()) -> object:
    """One ``FIELD=VALUE`` pair's value; ``ValueError`` names the problem."""
    names = known_fields(extra)
    if name not in names:
        raise ValueError(f"unknown alert field '{name}'{did_you_mean(name, names)}")
    if name == "severity":
        return Severity.parse(text).value
    if name in STRING_FIELDS:
        return text
    if name in LIST_FIELDS:
        return _as_list(text)
    value = _number(text)
    if value is None:
        raise ValueError(f"the alert field '{name}' must be a number. Got {text!r} instead.")
    return value
