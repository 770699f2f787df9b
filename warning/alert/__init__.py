"""Alert: turning detector decisions into alerts with severity, drivers and dedup keys.

- :func:`build_alert` — a :class:`~warning.detect.Decision` that raised an alert
  becomes the :class:`~warning.records.Alert` of DESIGN.md §4.3;
- :func:`explain` — the drivers (top terms by lift, top negative posts by
  negativity × reach, top authors by reach, platforms, new-author share);
- :func:`tokens`, :func:`top_terms` — the small DE/EN tokenizer behind the terms.
"""

from __future__ import annotations

from warning.alert.build import build_alert, dedup_key
from warning.alert.drivers import explain, negativity_of
from warning.alert.terms import STOP_WORDS, tokens, top_terms

__all__ = [
    "STOP_WORDS",
    "build_alert",
    "dedup_key",
    "explain",
    "negativity_of",
    "tokens",
    "top_terms",
]
