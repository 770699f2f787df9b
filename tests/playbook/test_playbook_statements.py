"""Holding statements: sandboxed, strict, length-checked; the example renders in DE and EN."""

from __future__ import annotations

import pytest

from warning.errors import ConfigError
from warning.playbook.compiled import Config
from warning.playbook.schema import Statement
from warning.playbook.statements import (
    RUNTIME_SAMPLES,
    compile_statement,
    make_environment,
    render_statement,
)


def test_every_example_statement_renders_within_its_limit(example: Config) -> None:
    values = {**RUNTIME_SAMPLES, **example.settings.sample_values}
    seen = 0
    for playbook in example.playbooks.values():
        assert playbook.statements, playbook.name
        for statement in playbook.statements:
            for language in ("de", "en"):
                rendered = render_statement(statement, language, values)
                assert rendered.fits, (playbook.name, statement.id, language, rendered.length)
                assert "{{" not in rendered.text
                seen += 1
    assert seen >= 2 * 2 * 7


def test_missing_value_at_render_time_is_an_error() -> None:
    statement, problems = compile_statement(
        make_environment(),
        Statement(id="h", channel="x", de="Update um {{ next_update }}."),
        {},
        {},
        {},
    )
    assert problems == [] and statement is not None
    with pytest.raises(ConfigError, match="'next_update' is undefined"):
        render_statement(statement, "de", {})
    with pytest.raises(ConfigError, match="statement 'h' has no template in 'en'"):
        render_statement(statement, "en", {"next_update": "21:15"})


def test_sandbox_blocks_attribute_escapes() -> None:
    _, problems = compile_statement(
        make_environment(),
        Statement(id="h", channel="press", en="{{ brand.__class__.__base__.__subclasses__() }}"),
        {},
        {},
        {},
    )
    assert problems == [
        (
            "en",
            "template cannot be rendered: access to attribute '__class__' of 'str' object is unsafe.",
        )
    ]


def test_limits_can_be_changed_in_settings() -> None:
    statement, problems = compile_statement(
        make_environment(), Statement(id="h", channel="x", en="x" * 100), {}, {"x": 50}, {}
    )
    assert problems == [
        ("en", "renders to 100 characters with the sample values, more than the 50 allowed on x")
    ]
    assert statement is not None and not render_statement(statement, "en", {}).fits
    _, none = compile_statement(
        make_environment(), Statement(id="h", channel="x", en="x" * 400), {}, {"x": 0}, {}
    )
    assert none == []
