"""playbooks/REFERENCE.md documents every field of every model, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from warning.playbook import schema, schema_roster
from warning.playbook.fields import known_fields
from warning.playbook.statements import CHANNEL_LIMITS, RUNTIME_SAMPLES

REFERENCE = (Path(__file__).resolve().parents[2] / "playbooks" / "REFERENCE.md").read_text(
    encoding="utf-8"
)
MODELS: list[type[BaseModel]] = [
    schema_roster.Person,
    schema_roster.Role,
    schema_roster.Rotation,
    schema_roster.HolidayCalendar,
    schema_roster.ExtraHoliday,
    schema_roster.Window,
    schema_roster.Rule,
    schema_roster.Schedule,
    schema_roster.Layer,
    schema_roster.Override,
    schema_roster.TemporaryRoster,
    schema_roster.SlackChannel,
    schema.EscalationPath,
    schema.Step,
    schema.Target,
    schema.Playbook,
    schema.Trigger,
    schema.EscalationMap,
    schema.ChecklistItem,
    schema.Statement,
    schema.Settings,
]


def _section(title: str) -> str:
    match = re.search(rf"^### {title}\n(.*?)(?=^##)", REFERENCE, flags=re.S | re.M)
    assert match, f"REFERENCE.md has no section '### {title}'"
    return match.group(1)


def test_every_model_reachable_from_a_file_is_listed() -> None:
    seen: set[type[BaseModel]] = set()

    def walk(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for info in model.model_fields.values():
            for candidate in re.findall(r"\w+", repr(info.annotation)):
                found = getattr(schema, candidate, None) or getattr(schema_roster, candidate, None)
                if isinstance(found, type) and issubclass(found, BaseModel):
                    walk(found)

    for model in [*schema.SECTIONS.values(), schema.Settings]:
        walk(model)
    assert seen == set(MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_is_documented(model: type[BaseModel]) -> None:
    text = _section(model.__name__)
    documented = re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.M)
    fields = [info.alias or name for name, info in model.model_fields.items()]
    assert sorted(documented) == sorted(fields)


def test_sections_condition_names_and_channels_are_documented() -> None:
    for section in [*schema.SECTIONS, "settings"]:
        assert f"| `{section}` |" in REFERENCE
    for name in known_fields():
        assert f"`{name}`" in REFERENCE
    for channel, limit in CHANNEL_LIMITS.items():
        assert f"`{channel}`" + (f" {limit}" if limit else "") in REFERENCE
    for variable, sample in RUNTIME_SAMPLES.items():
        assert f"| `{variable}` | `{sample}` |" in REFERENCE
