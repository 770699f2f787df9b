"""Holding-statement templates: Jinja2 in a sandbox, strict variables, length limits.

Templates see only plain text variables: the playbook's ``variables``, and the
values known when a crisis starts (:data:`RUNTIME_SAMPLES` lists them with the
sample values used to length-check at load time; ``settings.sample_values`` adds
or replaces some). An unknown variable is a load error; a missing value at render
time is an error too (``StrictUndefined``), never an empty string.

>>> from warning.playbook.schema import Statement
>>> env = make_environment()
>>> stmt, problems = compile_statement(
...     env, Statement(id="holding", channel="x", en="{{ company }} is looking into {{ topic }}."),
...     {"company": "Lumina"}, {}, {})
>>> problems
[]
>>> render_statement(stmt, "en", {"topic": "the outage"}).text
'Lumina is looking into the outage.'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, meta
from jinja2.environment import Template
from jinja2.sandbox import SandboxedEnvironment

from warning.errors import ConfigError
from warning.playbook.schema import Statement
from warning.playbook.timerules import did_you_mean

__all__ = [
    "CHANNEL_LIMITS",
    "RUNTIME_SAMPLES",
    "CompiledStatement",
    "RenderedStatement",
    "compile_statement",
    "make_environment",
    "render_statement",
]

Language = Literal["de", "en"]
LANGUAGES: tuple[Language, ...] = ("de", "en")

#: Characters allowed per publication channel (``None``: no limit).
CHANNEL_LIMITS: dict[str, int | None] = {
    "x": 280,
    "bluesky": 300,
    "mastodon": 500,
    "threads": 500,
    "instagram": 2200,
    "linkedin": 3000,
    "facebook": 63206,
    "website": None,
    "press": None,
    "email": None,
    "intranet": None,
}

#: Names people try for a channel, to suggest the right one.
_ALIASES = {"twitter": "x", "tweet": "x", "presse": "press", "webseite": "website"}

#: Variables filled in when a crisis starts, with the samples used by ``check``.
RUNTIME_SAMPLES: dict[str, str] = {
    "brand": "Lumina Energie",
    "topic": "the reports circulating on social media",
    "date": "2026-03-28",
    "time": "20:30",
    "next_update": "21:15",
    "severity": "critical",
    "crisis_type": "product_safety",
}


@dataclass(frozen=True, slots=True)
class CompiledStatement:
    """A statement's templates per language, its channel limit and fixed variables."""

    id: str
    channel: str
    limit: int | None
    templates: Mapping[str, Template]
    fixed: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RenderedStatement:
    """A rendered statement with its length against the channel's limit."""

    text: str
    length: int
    limit: int | None

    @property
    def fits(self) -> bool:
        return self.limit is None or self.length <= self.limit


def make_environment() -> SandboxedEnvironment:
    """The sandbox every statement renders in."""
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


def channel_limits(overrides: Mapping[str, int]) -> dict[str, int | None]:
    limits = dict(CHANNEL_LIMITS)
    limits.update({k: (v if v > 0 else None) for k, v in overrides.items()})
    return limits


def compile_statement(
    env: SandboxedEnvironment,
    spec: Statement,
    fixed: Mapping[str, str],
    limit_overrides: Mapping[str, int],
    samples: Mapping[str, str],
) -> tuple[CompiledStatement | None, list[tuple[str, str]]]:
    """Compile and check ``spec``; problems are ``(key, message)`` pairs, key is a field."""
    problems: list[tuple[str, str]] = []
    limits = channel_limits(limit_overrides)
    if spec.channel not in limits:
        hint = did_you_mean(spec.channel, [*limits, *_ALIASES])
        for alias, name in _ALIASES.items():
            hint = hint.replace(f"'{alias}'", f"'{name}'")
        problems.append(("channel", f"unknown publication channel '{spec.channel}'{hint}"))
        return None, problems
    limit = limits[spec.channel]
    allowed = {**RUNTIME_SAMPLES, **samples, **fixed}
    templates: dict[str, Template] = {}
    for language in LANGUAGES:
        source = getattr(spec, language)
        if source is None:
            continue
        try:
            parsed = env.parse(source)
        except TemplateSyntaxError as err:
            problems.append((language, f"template error on its line {err.lineno}: {err.message}"))
            continue
        unknown = sorted(meta.find_undeclared_variables(parsed) - set(allowed))
        if unknown:
            name = unknown[0]
            problems.append(
                (language, f"unknown template variable '{name}'{did_you_mean(name, allowed)}")
            )
            continue
        template = env.from_string(source)
        templates[language] = template
        try:
            text = template.render(**allowed).strip()
        except TemplateError as err:
            problems.append((language, f"template cannot be rendered: {err}"))
            continue
        except Exception as err:  # a template may divide by zero and the like
            problems.append((language, f"template cannot be rendered: {type(err).__name__}"))
            continue
        if limit is not None and len(text) > limit:
            problems.append(
                (
                    language,
                    f"renders to {len(text)} characters with the sample values, "
                    f"more than the {limit} allowed on {spec.channel}",
                )
            )
    return CompiledStatement(spec.id, spec.channel, limit, templates, dict(fixed)), problems


def render_statement(
    statement: CompiledStatement, language: str, variables: Mapping[str, str]
) -> RenderedStatement:
    """Render one language of ``statement``; every variable it uses must have a value."""
    template = statement.templates.get(language)
    if template is None:
        raise ConfigError(f"statement '{statement.id}' has no template in '{language}'")
    try:
        text = template.render(**{**statement.fixed, **variables}).strip()
    except TemplateError as err:
        message = f"statement '{statement.id}' ({language}) cannot be rendered: {err}"
        raise ConfigError(message) from None
    return RenderedStatement(text, len(text), statement.limit)
