"""Which playbook an alert takes, and which escalation path for its severity.

Triggers of one playbook are ORed; the conditions inside one trigger are ANDed.
When several playbooks match, the highest ``priority`` wins, then the name in
alphabetical order; when none matches, ``settings.default_playbook`` takes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from warning.errors import UsageError
from warning.playbook.compiled import CompiledTrigger, Config
from warning.playbook.resolve import WindowValues
from warning.playbook.timerules import did_you_mean

__all__ = ["Route", "match_trigger", "route"]

_RANK = {"watch": 0, "warning": 1, "critical": 2}


@dataclass(frozen=True, slots=True)
class Route:
    """The playbook and path an alert takes (``None`` when nobody is paged), and why."""

    playbook: str | None
    severity: str
    path: str | None
    reasons: tuple[str, ...]


def _fold(values: object) -> list[str]:
    if isinstance(values, str):
        return [values.casefold()]
    if isinstance(values, (list, tuple)):
        return [str(v).casefold() for v in values]
    return []


def match_trigger(trigger: CompiledTrigger, values: Mapping[str, object]) -> tuple[bool, list[str]]:
    """Whether every condition of ``trigger`` holds, with one explanation per condition."""
    spec, why = trigger.spec, []
    for field, wanted in (("crisis_type", spec.crisis_type), ("brand", spec.brand)):
        if wanted is None:
            continue
        have = _fold(values.get(field))
        if not set(have) & {w.casefold() for w in wanted}:
            return False, [f"{field} is not {' or '.join(wanted)}"]
        why.append(f"{field} {have[0]}")
    if spec.terms_any is not None:
        terms = _fold(values.get("terms"))
        hits = [(w, t) for w in spec.terms_any for t in terms if w.casefold() in t]
        if not hits:
            return False, ["no top term contains " + ", ".join(spec.terms_any)]
        why.append(f"term '{hits[0][1]}' contains '{hits[0][0]}'")
    if spec.platforms_any is not None:
        platforms = set(_fold(values.get("platforms")))
        hit = [p for p in spec.platforms_any if p.casefold() in platforms]
        if not hit:
            return False, ["no platform among " + ", ".join(spec.platforms_any)]
        why.append(f"platform {hit[0]}")
    if spec.min_severity is not None:
        rank = _RANK.get(str(values.get("severity")), -1)
        if rank < _RANK[spec.min_severity]:
            return False, [f"severity below {spec.min_severity}"]
        why.append(f"severity at least {spec.min_severity}")
    if trigger.when is not None:
        if not trigger.when(values):
            return False, [f"'{trigger.when.source}' is false"]
        why.append(f"'{trigger.when.source}' holds")
    return True, why or ["matches every alert"]


def route(
    config: Config,
    fields: Mapping[str, object],
    at: datetime,
    *,
    playbook: str | None = None,
) -> Route:
    """The route of an alert with ``fields`` at ``at`` (``playbook`` forces one)."""
    severity = str(fields.get("severity") or "")
    reasons: list[str] = []
    if severity not in _RANK:
        severity = "critical"
        reasons.append("no severity given: planning for critical")
    values = WindowValues(config, fields, at)
    chosen: str | None = None
    if playbook is not None:
        if playbook not in config.playbooks:
            hint = did_you_mean(playbook, config.playbooks)
            raise UsageError(f"undefined playbook '{playbook}'{hint}")
        chosen = playbook
        reasons.append(f"playbook '{playbook}' chosen by hand")
    else:
        ranked = sorted(config.playbooks.values(), key=lambda p: (-p.spec.priority, p.name))
        for candidate in ranked:
            for number, trigger in enumerate(candidate.triggers, start=1):
                matched, why = match_trigger(trigger, values)
                if matched:
                    chosen = candidate.name
                    reasons.append(
                        f"playbook '{candidate.name}' (priority {candidate.spec.priority}), "
                        f"trigger {number}: " + ", ".join(why)
                    )
                    break
            if chosen is not None:
                break
        if chosen is None and config.settings.default_playbook is not None:
            chosen = config.settings.default_playbook
            reasons.append(f"no trigger matched: default playbook '{chosen}'")
    if chosen is None:
        reasons.append("no trigger matched and there is no default playbook: nobody is paged")
        return Route(None, severity, None, tuple(reasons))
    path = getattr(config.playbooks[chosen].spec.escalation, severity)
    if path is None:
        reasons.append(f"playbook '{chosen}' has no path for {severity} alerts: nobody is paged")
    else:
        reasons.append(f"severity {severity} → path '{path}'")
    return Route(chosen, severity, path, tuple(reasons))
