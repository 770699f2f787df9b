"""Who is on call: a pure function of the configuration and an instant.

>>> from datetime import UTC, datetime
>>> config = load_texts({"c.yaml": '''
... people:
...   anna: {name: Anna Becker, email: anna@lumina.example}
...   ben: {name: Ben Roth, email: ben@lumina.example}
... rotations:
...   weekend: {members: [anna, ben], start: 2026-01-02, handoff: "18:00", length: 7d,
...             timezone: Europe/Berlin}
... schedules:
...   duty:
...     timezone: Europe/Berlin
...     layers:
...       - {name: weekend, rotation: weekend, rules: [{days: [sat, sun], from: "08:00", to: "23:00"}]}
... '''})
>>> who = who_is_on_call(config, "duty", datetime(2026, 3, 28, 19, 30, tzinfo=UTC))
>>> who.people
('anna',)
>>> who_is_on_call(config, "duty", datetime(2026, 3, 30, 19, 30, tzinfo=UTC)).reasons
('no layer is active',)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime

from warning.clock import ensure_utc
from warning.errors import UsageError
from warning.playbook.compiled import Config
from warning.playbook.config import load_texts
from warning.playbook.schedule import OnCall
from warning.playbook.timerules import did_you_mean

__all__ = ["OnCall", "WindowValues", "load_texts", "who_is_on_call"]


def who_is_on_call(config: Config, schedule: str, at: datetime) -> OnCall:
    """People on call in ``schedule`` at ``at``, the reasons, and the piece of time it holds."""
    found = config.schedules.get(schedule)
    if found is None:
        hint = did_you_mean(schedule, config.schedules)
        raise UsageError(f"undefined schedule '{schedule}'{hint}")
    return found.on_call(ensure_utc(at))


class WindowValues(Mapping[str, object]):
    """Alert fields plus window names (open or not at ``at``), computed on access."""

    def __init__(self, config: Config, fields: Mapping[str, object], at: datetime) -> None:
        self.config = config
        self.fields = fields
        self.at = at

    def __getitem__(self, key: str) -> object:
        if key in self.fields:
            return self.fields[key]
        window = self.config.windows.get(key)
        if window is None:
            raise KeyError(key)
        return window.is_open(self.at)

    def __iter__(self) -> Iterator[str]:
        yield from self.fields
        yield from self.config.windows

    def __len__(self) -> int:
        return len(self.fields) + len(self.config.windows)
