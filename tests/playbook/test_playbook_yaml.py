"""The strict YAML loader: YAML 1.1 surprises, positions, and a fuzz test.

The fuzz test feeds random text, mutated example files and random structures
to the whole loader and asserts that it either loads or raises ConfigError.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warning.errors import ConfigError
from warning.playbook.config import load_texts
from warning.playbook.yamlload import load_yaml

EXAMPLE = Path(__file__).resolve().parents[2] / "playbooks"
EXAMPLE_TEXTS = {p.name: p.read_text(encoding="utf-8") for p in sorted(EXAMPLE.rglob("*.yaml"))}


def test_times_and_numbers_stay_as_written() -> None:
    doc, findings = load_yaml(
        "a: 18:00\nb: 010\nc: 1_000\nd: 2026-01-05\ne: 3\nf: 0.4\ng: true\nh: '18:00'\n", "x"
    )
    assert findings == []
    assert doc is not None
    assert doc.data == {
        "a": "18:00",
        "b": "010",
        "c": "1_000",
        "d": "2026-01-05",
        "e": 3,
        "f": 0.4,
        "g": True,
        "h": "18:00",
    }


def test_positions_of_keys_and_values() -> None:
    doc, _ = load_yaml("people:\n  anna:\n    name: Anna\n", "p.yaml")
    assert doc is not None
    assert doc.mark(("people", "anna", "name")) == ("p.yaml", 3, 11)
    assert doc.key_mark(("people", "anna", "name")) == ("p.yaml", 3, 5)
    assert doc.mark(("people", "anna", "missing", 3)) == ("p.yaml", 3, 5)


def test_every_yaml11_boolean_spelling_is_an_error() -> None:
    for word in ["on", "On", "ON", "off", "yes", "Yes", "no", "NO", "True", "FALSE"]:
        _, findings = load_yaml(f"k: {word}\n", "x")
        assert [f.message for f in findings] == [
            f"'{word}' is a YAML 1.1 boolean; write true or false, "
            f"or quote it ('{word}') if you mean text"
        ]
    _, quoted = load_yaml("k: 'NO'\n", "x")
    assert quoted == []


def test_alias_bombs_and_deep_nesting_are_findings() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefgh":
        prev = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    doc, findings = load_yaml(bomb, "bomb.yaml")
    assert doc is None
    assert "more than 200000 values" in findings[0].message
    doc, findings = load_yaml("a: " + "[" * 100 + "]" * 100 + "\n", "deep.yaml")
    assert doc is None
    assert "nested deeper than 64 levels" in findings[0].message


def _only_config_errors(texts: dict[str, str]) -> None:
    try:
        load_texts(texts)
    except ConfigError as err:
        assert err.findings
        assert all(isinstance(f, str) and f for f in err.findings)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("ab:- \n\t{}[],'\"&*!|>#%@`~?0129.x<")), max_size=300))
def test_fuzz_random_text_raises_only_config_error(text: str) -> None:
    _only_config_errors({"fuzz.yaml": text})


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(EXAMPLE_TEXTS)),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=40),
    st.sampled_from(
        ["", "x", ": ", "\n  - ", "on", "NO", "'", "{", "]", "\t", "&a", "*a", "<<: ", "24:00", "0"]
    ),
)
def test_fuzz_mutated_example_raises_only_config_error(
    name: str, position: int, cut: int, insert: str
) -> None:
    texts = dict(EXAMPLE_TEXTS)
    text = texts[name]
    at = position % (len(text) + 1)
    texts[name] = text[:at] + insert + text[at + cut :]
    _only_config_errors(texts)


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 2000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["anna", "duty", "Europe/Berlin", "09:00", "24:00", "mon-fri", "10m", "x", ""]),
    st.text(max_size=12),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "name",
                    "email",
                    "members",
                    "start",
                    "timezone",
                    "layers",
                    "rules",
                    "days",
                    "from",
                    "to",
                    "targets",
                    "levels",
                    "fallback",
                    "if",
                    "then",
                    "escalation",
                    "person",
                    "schedule",
                    "title",
                    "x",
                ]
            ),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=20,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "people",
                "rotations",
                "holidays",
                "schedules",
                "windows",
                "slack_channels",
                "roles",
                "paths",
                "playbooks",
                "settings",
                "other",
            ]
        ),
        st.dictionaries(
            st.sampled_from(["anna", "duty", "main", "x", "Bad Name"]), _VALUES, max_size=3
        ),
        max_size=4,
    )
)
def test_fuzz_random_structures_raise_only_config_error(data: dict[str, object]) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    _only_config_errors({"people.yaml": EXAMPLE_TEXTS["people.yaml"], "fuzz.yaml": text})


def test_json_schema_accepts_the_example_and_rejects_unknown_keys() -> None:
    jsonschema = __import__("pytest").importorskip("jsonschema")
    from warning.playbook.schema import json_schema

    validator = jsonschema.Draft202012Validator(json_schema())
    for name, text in EXAMPLE_TEXTS.items():
        doc, findings = load_yaml(text, name)
        assert doc is not None and findings == []
        errors = [e.message for e in validator.iter_errors(doc.data)]
        assert errors == [], name
    doc, _ = load_yaml("people:\n  anna: {nmae: Anna}\n", "bad.yaml")
    assert doc is not None
    assert not validator.is_valid(doc.data)
