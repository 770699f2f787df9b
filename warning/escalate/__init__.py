"""Escalate: the durable escalation runtime (timers, pages, acknowledgements).

The public API, imported lazily (nothing heavy happens on ``import warning.escalate``):

* :class:`Escalator` — ``on_alert``, ``on_ack``, ``escalate``, ``tick``, ``drain``,
  ``recover``; :class:`AlertOutcome`, :class:`AckOutcome`;
* :func:`playbook_version` — the content hash frozen into every crisis;
* :class:`ScaledClock` — a faster wall clock for the demo and crash tests;
* ``python -m warning.escalate.runner`` — the loop (see :mod:`warning.escalate.runner`).

>>> import warning.escalate as escalate
>>> escalate.Escalator.__module__
'warning.escalate.escalator'
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "AckOutcome",
    "AlertOutcome",
    "Escalator",
    "ScaledClock",
    "playbook_version",
    "texts_version",
]

_WHERE = {
    "AckOutcome": "answers",
    "AlertOutcome": "lifecycle",
    "Escalator": "escalator",
    "ScaledClock": "scaledclock",
    "playbook_version": "version",
    "texts_version": "version",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'warning.escalate' has no attribute {name!r}")
    return getattr(importlib.import_module(f"warning.escalate.{module}"), name)
