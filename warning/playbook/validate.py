"""Turning model errors into ``file:line:col: where: message`` findings.

Pydantic reports a location inside the data (``layers[0].rules[1].from``); the
strict YAML loader kept the position of every such location, so each error lands
on the line an admin has to change. Unknown keys get a "did you mean".

>>> from warning.playbook.schema_roster import Person
>>> from warning.playbook.yamlload import load_yaml
>>> doc, _ = load_yaml("people:\\n  anna:\\n    nmae: Anna\\n    email: a@b.de\\n", "p.yaml")
>>> from pydantic import ValidationError
>>> try:
...     Person.model_validate(doc.data["people"]["anna"])
... except ValidationError as err:
...     for f in model_findings(doc, ("people", "anna"), err, Person): print(f)
p.yaml:2:3: people.anna: missing required key 'name'
p.yaml:3:5: people.anna: unknown key 'nmae' (did you mean 'name'?)
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from warning.playbook.timerules import did_you_mean
from warning.playbook.yamlload import Document, Finding, Location

__all__ = ["allowed_keys", "describe", "dotted", "model_findings"]


def dotted(loc: Location) -> str:
    """``('a', 'b', 0, 'c')`` to ``'a.b[0].c'``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def describe(value: object) -> str:
    """How an offending value is named in messages."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def _unwrap(tp: Any) -> Any:
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            options = [a for a in get_args(tp) if a is not type(None)]
            tp = options[0] if options else tp
            if len(options) <= 1:
                continue
            return tp
        else:
            return tp


def _field(model: type[BaseModel], key: str) -> Any:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info.annotation
    return None


def allowed_keys(model: type[BaseModel], loc: Location) -> list[str]:
    """Keys a mapping at ``loc`` (relative to ``model``) may hold."""
    tp: Any = model
    for part in loc:
        tp = _unwrap(tp)
        origin = get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            tp = _field(tp, str(part))
        elif origin in (list, tuple):
            tp = get_args(tp)[0]
        elif origin is dict:
            tp = get_args(tp)[1]
        else:
            return []
        if tp is None:
            return []
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [info.alias or name for name, info in tp.model_fields.items()]
    return []


def _message(error: Any) -> str:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {describe(value)}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {describe(value)}"
    if kind in ("string_type", "string_too_short"):
        return f"expected text, got {describe(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {describe(value)}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list, got {describe(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping, got {describe(value)}"
    if kind == "too_short":
        return "must not be empty"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = ctx.get("ge", ctx.get("le"))
        word = "at least" if kind == "greater_than_equal" else "at most"
        return f"must be {word} {bound}, got {describe(value)}"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"expected a date like 2026-01-05, got {describe(value)}"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "")
        options = [o.strip() for o in expected.replace(" or ", ",").split(",") if o.strip()]
        return f"must be one of {', '.join(options)}; got {describe(value)}" + (
            did_you_mean(str(value), options) if isinstance(value, str) else ""
        )
    text = str(error["msg"])
    return text[:1].lower() + text[1:]


def model_findings(
    doc: Document, prefix: Location, err: ValidationError, model: type[BaseModel]
) -> list[Finding]:
    """Findings for every error of ``err``; ``prefix`` locates the validated entry."""
    out: list[Finding] = []
    for error in err.errors(include_url=False):
        loc: Location = tuple(error["loc"])
        full = (*prefix, *loc)
        if error["type"] == "missing":
            where = full[:-1]
            message = f"{dotted(where)}: missing required key '{loc[-1]}'"
            out.append(doc.finding(where, message, at_key=True))
        elif error["type"] == "extra_forbidden":
            key = str(loc[-1])
            hint = did_you_mean(key, allowed_keys(model, loc[:-1]))
            out.append(
                doc.finding(full, f"{dotted(full[:-1])}: unknown key '{key}'{hint}", at_key=True)
            )
        else:
            at_key = not loc or isinstance(error.get("input"), (dict, list))
            out.append(doc.finding(full, f"{dotted(full)}: {_message(error)}", at_key=at_key))
    return out
