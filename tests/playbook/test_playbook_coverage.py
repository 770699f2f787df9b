"""The coverage sweep: the example is covered; gaps are found, merged and named."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from warning.playbook.compiled import Config
from warning.playbook.config import load_texts
from warning.playbook.coverage import sweep


def z(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize(
    "start",
    [
        "2026-03-02T00:00Z",  # spring forward, Good Friday, Easter Monday
        "2026-05-11T00:00Z",  # Ascension, Whit Monday, Corpus Christi
        "2026-10-12T00:00Z",  # fall back, All Saints
        "2026-12-07T00:00Z",  # Christmas, the override and the temporary roster
    ],
)
def test_example_reaches_a_person_at_every_step(example: Config, start: str) -> None:
    result = sweep(example, z(start))
    assert result.steps == 8 * 7 * 24 * 12
    assert result.ok, [g.describe(example) for g in result.gaps] + list(result.problems)
    assert result.notes == ()


GAPPY = """
people:
  a: {name: Anna, email: a@example.org}
  boss: {name: Boss, email: boss@example.org}
windows:
  daytime: {timezone: Europe/Berlin, rules: [{from: "07:00", to: "22:00"}]}
schedules:
  weekend:
    timezone: Europe/Berlin
    layers: [{name: sat, people: [a], rules: [{days: [sat], from: "08:00", to: "22:00"}]}]
paths:
  only-weekend:
    levels: [{targets: [{schedule: weekend}]}]
    fallback: boss
  branchy:
    levels:
      - if: negative_share > 0.5
        then: [{targets: [{person: boss}]}]
        else: [{targets: [{schedule: weekend}]}]
    fallback: boss
  waiting:
    levels: [{targets: [{person: a}], wait_until: daytime}]
    fallback: boss
playbooks:
  sat:
    title: Saturday only
    triggers: [{crisis_type: boycott_call}]
    escalation: {critical: only-weekend}
  values:
    title: Depends on values
    escalation: {warning: branchy, critical: waiting}
settings:
  timezone: Europe/Berlin
"""


def test_gaps_are_merged_and_named() -> None:
    config = load_texts({"gappy.yaml": GAPPY})
    result = sweep(config, z("2026-03-23T00:00Z"), weeks=1)
    assert not result.ok
    assert result.problems == (
        "an alert that matches no trigger reaches nobody: set settings.default_playbook "
        "or give one playbook an empty trigger ({})",
    )
    by_playbook: dict[tuple[str, str], list[tuple[datetime, datetime]]] = {}
    for gap in result.gaps:
        by_playbook.setdefault((gap.playbook, gap.severity), []).append((gap.start, gap.end))
    # Saturday 08:00-22:00 Berlin is covered; everything else of the week is not.
    assert by_playbook[("sat", "critical")] == [
        (z("2026-03-23T00:00Z"), z("2026-03-28T07:00Z")),
        (z("2026-03-28T21:00Z"), z("2026-03-30T00:00Z")),
    ]
    # A branch on alert values must reach someone on both sides.
    assert by_playbook[("values", "warning")] == by_playbook[("sat", "critical")]
    # Waiting for a window still reaches a person.
    assert ("values", "critical") not in by_playbook
    assert [n.describe(config) for n in result.notes if n.path == "only-weekend"] == [
        "path 'only-weekend': level 1 reaches nobody from Mon 2026-03-23 01:00 to "
        "Sat 2026-03-28 08:00 Europe/Berlin; pages start at the next level",
        "path 'only-weekend': level 1 reaches nobody from Sat 2026-03-28 22:00 to "
        "Mon 2026-03-30 02:00 Europe/Berlin; pages start at the next level",
    ]
    assert result.gaps[0].describe(config) == (
        "playbook 'sat' (critical, path 'only-weekend') reaches nobody from "
        "Mon 2026-03-23 01:00 to Sat 2026-03-28 08:00 Europe/Berlin; "
        "only the fallback Boss would be paged"
    )


def test_sweep_start_is_floored_to_the_step(example: Config) -> None:
    result = sweep(example, z("2026-03-23T10:07:31Z"), weeks=1, step=timedelta(minutes=15))
    assert result.start == z("2026-03-23T10:00Z")
    assert result.steps == 7 * 24 * 4
