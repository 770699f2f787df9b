"""Models of escalation paths, playbooks and settings, and the file-level model.

A configuration directory holds YAML files; each file is a mapping of sections
(:data:`SECTIONS` plus ``settings``) and each section maps names to entries.
:func:`json_schema` exports the schema of one such file for editors.

>>> Step.model_validate({"targets": [{"person": "anna"}], "ack": "10m"}).ack
datetime.timedelta(seconds=600)
>>> sorted(SECTIONS)[:3]
['holidays', 'paths', 'people']
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Self

from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema, model_validator

from warning.playbook.schema_roster import (
    HolidayCalendar,
    Person,
    Role,
    Rotation,
    Schedule,
    SlackChannel,
    Window,
)
from warning.playbook.schema_types import ID_PATTERN, Duration, Id, SeverityName, Strict, Text, Zone

__all__ = [
    "SECTIONS",
    "ChecklistItem",
    "EscalationMap",
    "EscalationPath",
    "Playbook",
    "PlaybookFile",
    "Settings",
    "Statement",
    "Step",
    "Target",
    "Trigger",
    "json_schema",
]


def _as_list(value: object) -> object:
    return [value] if isinstance(value, str) else value


_TEXT_SCHEMA = {"type": "string", "minLength": 1}
TextList = Annotated[
    list[Text],
    BeforeValidator(_as_list),
    WithJsonSchema({"anyOf": [_TEXT_SCHEMA, {"type": "array", "items": _TEXT_SCHEMA}]}),
]


class Target(Strict):
    """Whom a level pages: exactly one of person, schedule or Slack channel."""

    person: Id | None = Field(None, description="A person, paged directly.")
    schedule: Id | None = Field(None, description="A schedule: whoever is on call then.")
    slack_channel: Id | None = Field(None, description="A Slack channel, notified.")

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        given = [k for k in ("person", "schedule", "slack_channel") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError("a target needs exactly one of 'person', 'schedule', 'slack_channel'")
        return self


class Step(Strict):
    """A level (``targets`` ...) or a branch (``if`` with ``then`` and ``else``)."""

    name: Text | None = Field(None, description="Label shown in plans.")
    targets: list[Target] | None = Field(None, min_length=1, description="Who is paged.")
    ack: Duration | None = Field(None, description="Time to acknowledge (default 15m).")
    delay: Duration | None = Field(None, description="Wait before paging (default 0m).")
    wait_until: Id | None = Field(None, description="Window that must be open to page.")
    if_: Text | None = Field(None, alias="if", description="Condition, e.g. 'not office_hours'.")
    then: list[Step] | None = Field(None, description="Steps when the condition holds.")
    else_: list[Step] | None = Field(None, alias="else", description="Steps otherwise.")

    @model_validator(mode="after")
    def _level_or_branch(self) -> Self:
        level_keys = [
            k for k in ("targets", "ack", "delay", "wait_until") if getattr(self, k) is not None
        ]
        if self.if_ is not None:
            if self.then is None:
                raise ValueError("a branch ('if') needs 'then'")
            if level_keys:
                raise ValueError(
                    f"a branch ('if') cannot have '{level_keys[0]}'; "
                    "put levels under 'then' and 'else'"
                )
        elif self.then is not None or self.else_ is not None:
            raise ValueError("'then' and 'else' need an 'if'")
        elif self.targets is None:
            raise ValueError("a level needs 'targets' (or 'if' and 'then' for a branch)")
        return self

    @property
    def ack_or_default(self) -> timedelta:
        return self.ack if self.ack is not None else timedelta(minutes=15)

    @property
    def delay_or_default(self) -> timedelta:
        return self.delay if self.delay is not None else timedelta(0)


class EscalationPath(Strict):
    """Ordered levels, bounded repeats and a final fallback person."""

    description: Text | None = Field(None, description="Free text.")
    levels: list[Step] = Field(min_length=1, description="Levels and branches, in order.")
    repeat: int = Field(0, ge=0, le=5, description="Extra rounds if nobody acknowledges.")
    fallback: Id = Field(description="Person paged when all rounds are exhausted.")


class Trigger(Strict):
    """Conditions on alert fields; all of them must hold (AND)."""

    crisis_type: TextList | None = Field(None, description="Crisis type hint, any of.")
    brand: TextList | None = Field(None, description="Brand, any of.")
    terms_any: TextList | None = Field(None, description="Any top term contains any of these.")
    platforms_any: TextList | None = Field(None, description="Any platform among these.")
    min_severity: SeverityName | None = Field(None, description="Severity at least this.")
    when: Text | None = Field(None, description="Condition on alert values.")


class EscalationMap(Strict):
    """Escalation path per severity; a severity without a path pages nobody."""

    watch: Id | None = Field(None, description="Path for watch alerts.")
    warning: Id | None = Field(None, description="Path for warning alerts.")
    critical: Id | None = Field(None, description="Path for critical alerts.")


class ChecklistItem(Strict):
    """A task with an owning role and a deadline relative to the crisis start."""

    task: Text = Field(description="What to do.")
    role: Id = Field(description="Role that owns the task.")
    due: Duration = Field(description="Deadline after the start, e.g. 30m.")


class Statement(Strict):
    """Holding-statement templates (Jinja2, sandboxed) for one publication channel."""

    id: Id = Field(description="Name of the statement, unique in the playbook.")
    channel: Id = Field(description="Publication channel, e.g. x, linkedin, press.")
    de: Text | None = Field(None, description="German template.")
    en: Text | None = Field(None, description="English template.")

    @model_validator(mode="after")
    def _some_language(self) -> Self:
        if self.de is None and self.en is None:
            raise ValueError("a statement needs a template in 'de' or 'en'")
        return self


class Playbook(Strict):
    """What to do for one crisis type: triggers, paths, checklist, statements."""

    title: Text = Field(description="Title shown in pages.")
    description: Text | None = Field(None, description="Free text.")
    priority: int = Field(0, description="Higher wins when several playbooks match.")
    triggers: list[Trigger] = Field(
        default_factory=list, description="Trigger matchers (ORed; fields inside ANDed)."
    )
    escalation: EscalationMap = Field(description="Escalation path per severity.")
    checklist: list[ChecklistItem] = Field(default_factory=list, description="Tasks.")
    statements: list[Statement] = Field(default_factory=list, description="Holding statements.")
    variables: dict[str, Text] = Field(
        default_factory=dict, description="Fixed values for the statement templates."
    )


class Settings(Strict):
    """Settings for the whole configuration (at most one ``settings`` section)."""

    timezone: Zone = Field("UTC", description="Zone used to print times.")
    default_playbook: Id | None = Field(None, description="Playbook when no trigger matches.")
    channel_limits: dict[str, int] = Field(
        default_factory=dict, description="Characters per publication channel."
    )
    sample_values: dict[str, Text] = Field(
        default_factory=dict, description="Values used to length-check statements."
    )
    crisis_types: list[Id] = Field(default_factory=list, description="Extra crisis types.")
    extra_fields: list[Text] = Field(
        default_factory=list, description="Extra numeric alert fields for conditions."
    )


#: Section name to the model of its entries.
SECTIONS: dict[str, type[Strict]] = {
    "people": Person,
    "rotations": Rotation,
    "holidays": HolidayCalendar,
    "schedules": Schedule,
    "windows": Window,
    "slack_channels": SlackChannel,
    "roles": Role,
    "paths": EscalationPath,
    "playbooks": Playbook,
}


class PlaybookFile(BaseModel):
    """One YAML file of the configuration: any of the sections."""

    people: dict[str, Person] | None = None
    rotations: dict[str, Rotation] | None = None
    holidays: dict[str, HolidayCalendar] | None = None
    schedules: dict[str, Schedule] | None = None
    windows: dict[str, Window] | None = None
    slack_channels: dict[str, SlackChannel] | None = None
    roles: dict[str, Role] | None = None
    paths: dict[str, EscalationPath] | None = None
    playbooks: dict[str, Playbook] | None = None
    settings: Settings | None = None


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of one configuration file, for editors."""
    schema = PlaybookFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "shitstorm playbook configuration file"
    schema["additionalProperties"] = False
    for name, prop in schema.get("properties", {}).items():
        for option in prop.get("anyOf", []):
            if option.get("type") == "object" and name != "settings":
                option["propertyNames"] = {"pattern": ID_PATTERN}
    return schema
