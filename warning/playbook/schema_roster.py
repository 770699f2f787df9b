"""Models of the roster sections: people, rotations, holidays, schedules, windows,
Slack channels and roles. Field descriptions double as editor hints in the JSON Schema.

>>> Person.model_validate({"name": "Anna", "email": "anna@example.org"}).name
'Anna'
>>> Rule.model_validate({"days": ["sat"], "from": "09:00", "to": "09:00"}).days
(5,)
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Self

from pydantic import (
    BeforeValidator,
    Field,
    SecretStr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from warning.playbook.schema_types import (
    Days,
    Duration,
    Id,
    LocalDateTime,
    Strict,
    Text,
    WallTime,
    WallTimeEnd,
    Weekday,
    Zone,
)
from warning.playbook.timerules import did_you_mean, format_duration

__all__ = [
    "ExtraHoliday",
    "HolidayCalendar",
    "Layer",
    "Override",
    "Person",
    "Role",
    "Rotation",
    "Rule",
    "Schedule",
    "SlackChannel",
    "TemporaryRoster",
    "Window",
]

_SLACK_USER = re.compile(r"[UW][A-Z0-9]{6,}")
_SLACK_CHANNEL = re.compile(r"[CG][A-Z0-9]{6,}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_LANGUAGE = re.compile(r"[a-z]{2}")


def _pattern(regex: re.Pattern[str], what: str, example: str) -> BeforeValidator:
    def check(value: object) -> object:
        if isinstance(value, str) and not regex.fullmatch(value):
            raise ValueError(f"'{value}' is not {what} (like '{example}')")
        return value

    return BeforeValidator(check)


SlackUserId = Annotated[str, _pattern(_SLACK_USER, "a Slack user id", "U04ABCD1234")]
SlackChannelId = Annotated[str, _pattern(_SLACK_CHANNEL, "a Slack channel id", "C04ABCD1234")]
Email = Annotated[str, _pattern(_EMAIL, "an e-mail address", "anna@example.org")]
Language = Annotated[str, _pattern(_LANGUAGE, "a two-letter language code", "de")]


def _https(value: object) -> object:
    if isinstance(value, str) and not value.startswith("https://"):
        raise ValueError("a webhook must be an https:// address (value hidden)")
    return value


class Person(Strict):
    """Somebody who can be paged."""

    name: Text = Field(description="Full name as shown in pages and exports.")
    slack: SlackUserId | None = Field(None, description="Slack user id, e.g. U04ABCD1234.")
    email: Email | None = Field(None, description="E-mail address (fallback channel).")
    timezone: Zone | None = Field(None, description="IANA zone the person lives in.")
    languages: list[Language] = Field(
        default_factory=list, description="Languages for statements, e.g. [de, en]."
    )

    @model_validator(mode="after")
    def _contact(self) -> Self:
        if self.slack is None and self.email is None:
            raise ValueError("no way to reach this person: give 'slack' or 'email'")
        return self


class Rotation(Strict):
    """Members take turns; each turn starts at the handoff wall-clock time."""

    members: list[Id] = Field(min_length=1, description="People in turn order.")
    start: dt.date = Field(description="Local date of the first handoff (first member's turn).")
    handoff: WallTime = Field(540, description="Wall-clock time of every handoff.")
    length: Duration = Field(
        dt.timedelta(days=7), description="Length of one turn in whole days or weeks."
    )
    timezone: Zone = Field(description="IANA zone of the handoff time.")

    @model_validator(mode="after")
    def _whole_days(self) -> Self:
        if self.length.days < 1 or self.length.seconds:
            raise ValueError(
                "the length of a turn must be whole days ('1d', '7d', '2w'); "
                f"got '{format_duration(self.length)}'"
            )
        return self


class ExtraHoliday(Strict):
    """A company day off that the public calendar does not know."""

    date: dt.date = Field(description="The date, e.g. 2026-12-24.")
    name: Text = Field(description="Name shown in reasons and exports.")


class HolidayCalendar(Strict):
    """Public holidays of a region from the ``holidays`` package, plus extra days."""

    country: Text = Field(description="ISO 3166 country code, e.g. DE.")
    subdivision: Text | None = Field(None, description="State or province, e.g. NW or BY.")
    language: Text | None = Field(None, description="Language of the holiday names, e.g. de.")
    extra: list[ExtraHoliday] = Field(default_factory=list, description="Extra days off.")

    @field_validator("country")
    @classmethod
    def _country(cls, country: str) -> str:
        import holidays

        countries = holidays.list_supported_countries()
        if country not in countries:
            raise ValueError(
                f"unknown holiday country '{country}'{did_you_mean(country, countries)}"
            )
        return country

    @field_validator("subdivision")
    @classmethod
    def _subdivision(cls, subdivision: str | None, info: ValidationInfo) -> str | None:
        import holidays

        country = info.data.get("country")
        known = holidays.list_supported_countries().get(str(country))
        if subdivision is None or known is None or subdivision in known:
            return subdivision
        hint = did_you_mean(subdivision, known) or (
            f" (known: {', '.join(known)})" if known else ""
        )
        raise ValueError(f"unknown subdivision '{subdivision}' of {country}{hint}")

    @field_validator("language")
    @classmethod
    def _language(cls, language: str | None, info: ValidationInfo) -> str | None:
        import holidays

        country = str(info.data.get("country"))
        if language is None or country not in holidays.list_supported_countries():
            return language
        languages = holidays.list_localized_countries().get(country, [])
        if language not in languages:
            raise ValueError(
                f"holiday names of {country} are not available in '{language}'"
                f"{did_you_mean(language, languages)}"
            )
        return language


class Rule(Strict):
    """A weekly window: on each listed day, from a wall-clock time to another.

    ``to`` at or before ``from`` ends on the next day; ``from`` equal to ``to``
    means 24 hours. The fields of one rule are ANDed; the rules of a list are ORed.
    """

    days: Days = Field(
        (0, 1, 2, 3, 4, 5, 6), description="Days the window starts on, e.g. [mon-fri, sun]."
    )
    from_: WallTime = Field(0, alias="from", description="Wall-clock start, e.g. 09:00.")
    to: WallTimeEnd = Field(1440, description="Wall-clock end, e.g. 18:00 (24:00 = midnight).")

    @model_validator(mode="after")
    def _start(self) -> Self:
        if self.from_ >= 1440:
            raise ValueError("'from' must be before 24:00")
        return self


class Layer(Strict):
    """Who is on call while any of the rules holds: a rotation or fixed people."""

    name: Text = Field(description="Name shown in reasons, unique in the schedule.")
    rotation: Id | None = Field(None, description="Rotation whose current member is on call.")
    people: list[Id] | None = Field(None, description="Fixed people, all on call together.")
    rules: list[Rule] = Field(
        default_factory=list, description="When the layer is active (ORed); none: always."
    )

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.rotation is None) == (self.people is None):
            raise ValueError("a layer needs exactly one of 'rotation' or 'people'")
        return self


class Override(Strict):
    """For a period, ``person`` takes over the schedule (or only ``replaces``' turns)."""

    from_: LocalDateTime = Field(alias="from", description="Start, local to the schedule.")
    to: LocalDateTime = Field(description="End, local to the schedule.")
    person: Id = Field(description="Who is on call instead.")
    replaces: Id | None = Field(None, description="Only in place of this person.")
    note: Text | None = Field(None, description="Why, shown in reasons.")


class TemporaryRoster(Strict):
    """Layers that replace the regular layers of the schedule for a period."""

    name: Text = Field(description="Name shown in reasons.")
    from_: LocalDateTime = Field(alias="from", description="Start, local to the schedule.")
    to: LocalDateTime = Field(description="End, local to the schedule.")
    layers: list[Layer] = Field(min_length=1, description="The layers in force meanwhile.")


class Schedule(Strict):
    """Layers of rules in one zone; the last active layer with somebody wins."""

    timezone: Zone = Field(description="IANA zone of all rules of the schedule.")
    description: Text | None = Field(None, description="Free text.")
    holidays: Id | None = Field(None, description="Holiday calendar to apply.")
    holiday_as: Weekday = Field(6, description="Weekday a holiday counts as (default sun).")
    layers: list[Layer] = Field(min_length=1, description="Bottom first; later layers win.")
    overrides: list[Override] = Field(default_factory=list, description="Overrides on top.")
    temporary: list[TemporaryRoster] = Field(
        default_factory=list, description="Temporary rosters replacing the layers."
    )


class Window(Strict):
    """A named set of weekly windows (e.g. working hours) used by conditions and waits."""

    timezone: Zone = Field(description="IANA zone of the rules.")
    description: Text | None = Field(None, description="Free text.")
    holidays: Id | None = Field(None, description="Holiday calendar to apply.")
    holiday_as: Weekday = Field(6, description="Weekday a holiday counts as (default sun).")
    rules: list[Rule] = Field(min_length=1, description="When the window is open (ORed).")


class SlackChannel(Strict):
    """A Slack channel that escalation levels can notify."""

    name: Text = Field(description="Channel name, e.g. #krisenstab.")
    id: SlackChannelId | None = Field(None, description="Slack channel id, e.g. C04ABCD1234.")
    webhook: Annotated[SecretStr | None, BeforeValidator(_https)] = Field(
        None, description="Incoming-webhook address (secret; masked when printed)."
    )


class Role(Strict):
    """A crisis-team role that owns checklist items."""

    title: Text = Field(description="Title shown in checklists.")
    people: list[Id] = Field(default_factory=list, description="People holding the role.")
    schedule: Id | None = Field(None, description="Schedule whose on-call holds the role.")
