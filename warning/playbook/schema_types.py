"""Field types shared by the configuration models: durations, times, days, zones, ids.

Each type validates the text an admin writes and carries the JSON Schema an editor
needs to autocomplete it.

>>> from pydantic import TypeAdapter
>>> TypeAdapter(Duration).validate_python("1h30m")
datetime.timedelta(seconds=5400)
>>> TypeAdapter(Days).validate_python(["mon-fri"])
(0, 1, 2, 3, 4)
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, WithJsonSchema

from warning.playbook.timerules import (
    DAY_NAMES,
    DURATION_PATTERN,
    WALL_TIME_PATTERN,
    get_zone,
    parse_days,
    parse_duration,
    parse_local_datetime,
    parse_wall_time,
)

__all__ = [
    "ID_PATTERN",
    "Days",
    "Duration",
    "Id",
    "LocalDateTime",
    "SeverityName",
    "Strict",
    "Text",
    "WallTime",
    "WallTimeEnd",
    "Weekday",
    "Zone",
]

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"


class Strict(BaseModel):
    """Base of every configuration model: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_by_alias=True)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {_describe(value)}")
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _describe(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}; quote it if you mean text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _zone(value: object) -> str:
    get_zone(_text(value))
    return str(value)


def _id(value: object) -> str:
    text = _text(value)
    if not re.fullmatch(ID_PATTERN, text):
        raise ValueError(
            f"'{text}' is not a valid name: use lowercase letters, digits, '-' and '_'"
        )
    return text


def _weekday(value: object) -> int:
    days = parse_days([value] if isinstance(value, str) else value)
    if len(days) != 1:
        raise ValueError(f"expected one day, got {value!r}")
    return days[0]


Text = Annotated[str, BeforeValidator(_text), WithJsonSchema({"type": "string", "minLength": 1})]
Id = Annotated[str, BeforeValidator(_id), WithJsonSchema({"type": "string", "pattern": ID_PATTERN})]
Zone = Annotated[
    str,
    BeforeValidator(_zone),
    WithJsonSchema({"type": "string", "examples": ["Europe/Berlin", "America/New_York"]}),
]
Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {"type": "string", "pattern": DURATION_PATTERN, "examples": ["10m", "1h30m", "7d"]}
    ),
]
WallTime = Annotated[
    int,
    BeforeValidator(parse_wall_time),
    WithJsonSchema({"type": "string", "pattern": WALL_TIME_PATTERN, "examples": ["09:00"]}),
]
WallTimeEnd = Annotated[
    int,
    BeforeValidator(lambda v: parse_wall_time(v, allow_24=True)),
    WithJsonSchema({"type": "string", "pattern": WALL_TIME_PATTERN, "examples": ["18:00"]}),
]
_DAY_SCHEMA = {
    "type": "string",
    "pattern": r"^(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?$",
    "examples": ["mon-fri", "sat", "sun"],
}
Days = Annotated[
    tuple[int, ...],
    BeforeValidator(parse_days),
    WithJsonSchema({"type": "array", "items": _DAY_SCHEMA, "minItems": 1}),
]
Weekday = Annotated[
    int,
    BeforeValidator(_weekday),
    WithJsonSchema({"type": "string", "enum": list(DAY_NAMES)}),
]
LocalDateTime = Annotated[
    datetime,
    BeforeValidator(parse_local_datetime),
    WithJsonSchema({"type": "string", "examples": ["2026-04-10 18:00", "2026-04-10T18:00+02:00"]}),
]
SeverityName = Literal["watch", "warning", "critical"]
