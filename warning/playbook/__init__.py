"""Playbook: strict YAML loading of people, rotations, schedules, escalation paths and
playbooks; on-call resolution, escalation plans and the coverage proof.

The public API, imported lazily (nothing heavy happens on ``import warning.playbook``):

* :func:`load_config`, :func:`load_texts`, :func:`reload_config` and :class:`Config`;
* :func:`who_is_on_call` → :class:`OnCall`;
* :func:`escalation_plan` → :class:`Plan`, :func:`route` → :class:`Route`;
* :func:`sweep` (the coverage proof), :func:`export_ical`, :func:`render_statement`;
* :func:`json_schema`.

>>> import warning.playbook as playbook
>>> playbook.who_is_on_call.__module__
'warning.playbook.resolve'
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "Config",
    "OnCall",
    "Plan",
    "Route",
    "escalation_plan",
    "export_ical",
    "json_schema",
    "load_config",
    "load_texts",
    "reload_config",
    "render_statement",
    "route",
    "sweep",
    "who_is_on_call",
]

_WHERE = {
    "Config": "compiled",
    "OnCall": "schedule",
    "Plan": "plan",
    "Route": "routing",
    "escalation_plan": "plan",
    "export_ical": "ical",
    "json_schema": "schema",
    "load_config": "config",
    "load_texts": "config",
    "reload_config": "config",
    "render_statement": "statements",
    "route": "routing",
    "sweep": "coverage",
    "who_is_on_call": "resolve",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'warning.playbook' has no attribute {name!r}")
    return getattr(importlib.import_module(f"warning.playbook.{module}"), name)
