"""One test per validation rule, asserting the exact message and position.

Each case adds one file (``case.yaml``) to a small valid configuration
(``base.yaml``) and must produce exactly the listed findings, all at once.
"""

from __future__ import annotations

import pytest

from warning.errors import ConfigError
from warning.playbook.config import load_texts

BASE = """\
people:
  anna: {name: Anna, email: anna@example.org}
  ben: {name: Ben, slack: U0BEN0001}
rotations:
  duty: {members: [anna, ben], start: 2026-01-05, handoff: "09:00", length: 1w, timezone: Europe/Berlin}
holidays:
  nw: {country: DE, subdivision: NW}
windows:
  office_hours:
    timezone: Europe/Berlin
    holidays: nw
    rules: [{days: [mon-fri], from: "09:00", to: "18:00"}]
schedules:
  duty:
    timezone: Europe/Berlin
    holidays: nw
    layers: [{name: all, rotation: duty}]
slack_channels:
  crisis: {name: "#crisis"}
roles:
  lead: {title: Lead, people: [anna]}
paths:
  main:
    levels:
      - targets: [{schedule: duty}]
        ack: 10m
    fallback: anna
playbooks:
  general:
    title: General
    escalation: {critical: main}
settings:
  default_playbook: general
"""


def findings(case: str, *, base: str = BASE) -> list[str]:
    try:
        load_texts({"base.yaml": base, "case.yaml": case})
    except ConfigError as err:
        return err.findings
    return []


def test_base_is_valid() -> None:
    config = load_texts({"base.yaml": BASE})
    assert sorted(config.people) == ["anna", "ben"]


CASES = [
    pytest.param(
        "people:\n  cara:\n    nmae: Cara\n    email: cara@example.org\n",
        [
            "case.yaml:2:3: people.cara: missing required key 'name'",
            "case.yaml:3:5: people.cara: unknown key 'nmae' (did you mean 'name'?)",
        ],
        id="unknown_key",
    ),
    pytest.param(
        "peopel:\n  cara: {name: Cara}\n",
        ["case.yaml:1:1: unknown section 'peopel' (did you mean 'people'?)"],
        id="unknown_section",
    ),
    pytest.param(
        "people:\n  cara:\n    name: Cara\n    name: Carla\n    email: c@example.org\n",
        ["case.yaml:4:5: duplicate key 'name' (first defined at line 3)"],
        id="duplicate_key",
    ),
    pytest.param(
        "windows:\n  night:\n    timezone: Europe/Berlin\n    rules:\n      - on: [sat]\n",
        ["case.yaml:5:9: key 'on' is read as a boolean by YAML 1.1; quote it ('on')"],
        id="yaml11_bool_key",
    ),
    pytest.param(
        "holidays:\n  nordics:\n    country: NO\n",
        [
            "case.yaml:3:14: 'NO' is a YAML 1.1 boolean; write true or false, or quote it ('NO') if you mean text"
        ],
        id="yaml11_bool_value",
    ),
    pytest.param(
        "people:\n  cara: {name: Cara, email: c@example.org, timezone: Europe/Berln}\n",
        [
            "case.yaml:2:54: people.cara.timezone: unknown time zone 'Europe/Berln' (did you mean 'Europe/Berlin'?)"
        ],
        id="bad_zone",
    ),
    pytest.param(
        "rotations:\n  late: {members: [anna], start: 2026-01-05, handoff: '25:00', timezone: UTC}\n",
        [
            "case.yaml:2:55: rotations.late.handoff: a time of day must look like '09:00' (00:00 to '23:59'); got '25:00'"
        ],
        id="bad_time",
    ),
    pytest.param(
        "paths:\n  quick:\n    levels:\n      - targets: [{person: anna}]\n        ack: 10\n    fallback: anna\n",
        [
            "case.yaml:5:14: paths.quick.levels[0].ack: a duration must look like '10m', '1h30m', '7d' or '2w'; got 10"
        ],
        id="bad_duration",
    ),
    pytest.param(
        "windows:\n  evening:\n    timezone: Europe/Berlin\n    rules: [{days: [thur], from: '18:00', to: '22:00'}]\n",
        ["case.yaml:4:14: windows.evening.rules[0].days: unknown day 'thur' (did you mean 'thu'?)"],
        id="bad_day",
    ),
    pytest.param(
        "rotations:\n  late: {members: [anna, anan], start: 2026-01-05, timezone: UTC}\n",
        [
            "case.yaml:2:26: rotations.late.members[1]: undefined person 'anan' (did you mean 'anna'?)"
        ],
        id="undefined_person",
    ),
    pytest.param(
        "paths:\n  quick:\n    levels:\n      - targets: [{schedule: dutty}]\n    fallback: anna\n",
        [
            "case.yaml:4:30: paths.quick.levels[0].targets[0].schedule: undefined schedule 'dutty' (did you mean 'duty'?)"
        ],
        id="undefined_schedule",
    ),
    pytest.param(
        "playbooks:\n  leak:\n    title: Leak\n    escalation: {critical: mian}\n",
        [
            "case.yaml:4:28: playbooks.leak.escalation.critical: undefined escalation path 'mian' (did you mean 'main'?)"
        ],
        id="undefined_path",
    ),
    pytest.param(
        "paths:\n  later:\n    levels:\n      - targets: [{person: ben}]\n        wait_until: office_hour\n    fallback: anna\n",
        [
            "case.yaml:5:21: paths.later.levels[0].wait_until: undefined window 'office_hour' (did you mean 'office_hours'?)"
        ],
        id="undefined_window",
    ),
    pytest.param(
        "playbooks:\n  leak:\n    title: Leak\n    escalation: {critical: main}\n    checklist:\n      - {task: Call, role: leed, due: 10m}\n",
        [
            "case.yaml:6:28: playbooks.leak.checklist[0].role: undefined role 'leed' (did you mean 'lead'?)"
        ],
        id="undefined_role",
    ),
    pytest.param(
        "schedules:\n  other:\n    timezone: Europe/Berlin\n    holidays: de-nw\n    layers: [{name: all, people: [anna]}]\n",
        ["case.yaml:4:15: schedules.other.holidays: undefined holiday calendar 'de-nw'"],
        id="undefined_calendar",
    ),
    pytest.param(
        "schedules:\n  other:\n    timezone: Europe/Berlin\n    layers: [{name: all, rotation: dutty}]\n",
        [
            "case.yaml:4:36: schedules.other.layers[0].rotation: undefined rotation 'dutty' (did you mean 'duty'?)"
        ],
        id="undefined_rotation",
    ),
    pytest.param(
        "paths:\n  loud:\n    levels:\n      - targets: [{slack_channel: crisis-room}]\n    fallback: anna\n",
        [
            "case.yaml:4:35: paths.loud.levels[0].targets[0].slack_channel: undefined Slack channel 'crisis-room' (did you mean 'crisis'?)"
        ],
        id="undefined_channel",
    ),
    pytest.param(
        "paths:\n  loud:\n    levels:\n      - targets: [{person: ben}]\n    fallback: anne\n",
        ["case.yaml:5:15: paths.loud.fallback: undefined person 'anne' (did you mean 'anna'?)"],
        id="undefined_fallback",
    ),
    pytest.param(
        "paths:\n  branchy:\n    levels:\n      - if: negativ_share > 0.4\n        then: [{targets: [{person: ben}]}]\n    fallback: anna\n",
        [
            "case.yaml:4:13: paths.branchy.levels[0].if: unknown name 'negativ_share' (did you mean 'negative_share'?)"
        ],
        id="condition_unknown_name",
    ),
    pytest.param(
        "paths:\n  branchy:\n    levels:\n      - if: \"volume > 3 and __import__('os')\"\n        then: [{targets: [{person: ben}]}]\n    fallback: anna\n",
        ["case.yaml:4:29: paths.branchy.levels[0].if: function calls are not allowed"],
        id="condition_call",
    ),
    pytest.param(
        "paths:\n  branchy:\n    levels:\n      - if: volume >\n        then: [{targets: [{person: ben}]}]\n    fallback: anna\n",
        ["case.yaml:4:13: paths.branchy.levels[0].if: invalid condition: invalid syntax"],
        id="condition_syntax",
    ),
    pytest.param(
        "playbooks:\n  loud:\n    title: Loud\n    escalation: {critical: main}\n    triggers:\n      - when: severity >= 'critcal'\n",
        [
            "case.yaml:6:27: playbooks.loud.triggers[0].when: unknown severity 'critcal' (did you mean 'critical'?)"
        ],
        id="condition_severity",
    ),
    pytest.param(
        "paths:\n  quick:\n    levels:\n      - targets: [{person: ben}]\n",
        ["case.yaml:2:3: paths.quick: missing required key 'fallback'"],
        id="missing_key",
    ),
    pytest.param(
        "people:\n  anna: {name: Anna Zwei, email: a2@example.org}\n",
        ["case.yaml:2:3: people.anna: person 'anna' is already defined at base.yaml:2:3"],
        id="duplicate_entry",
    ),
    pytest.param(
        "people:\n  Anna B: {name: Anna B, email: ab@example.org}\n",
        [
            "case.yaml:2:3: people.Anna B: 'Anna B' is not a valid name: use lowercase letters, digits, '-' and '_'"
        ],
        id="invalid_name",
    ),
    pytest.param(
        "people:\n  cara: {name: Cara}\n",
        ["case.yaml:2:3: people.cara: no way to reach this person: give 'slack' or 'email'"],
        id="no_contact",
    ),
    pytest.param(
        "schedules:\n  other:\n    timezone: UTC\n    layers: [{name: x, rotation: duty, people: [anna]}]\n",
        [
            "case.yaml:4:14: schedules.other.layers[0]: a layer needs exactly one of 'rotation' or 'people'"
        ],
        id="layer_both",
    ),
    pytest.param(
        "schedules:\n  other:\n    timezone: Europe/Berlin\n    layers: [{name: all, people: [anna]}]\n    overrides:\n      - {from: '2026-04-10 18:00', to: '2026-04-10 09:00', person: ben}\n",
        ["case.yaml:6:40: schedules.other.overrides[0].to: must be after 'from'"],
        id="override_order",
    ),
    pytest.param(
        "rotations:\n  half: {members: [anna], start: 2026-01-05, length: 12h, timezone: UTC}\n",
        [
            "case.yaml:2:3: rotations.half: the length of a turn must be whole days ('1d', '7d', '2w'); got '12h'"
        ],
        id="rotation_hours",
    ),
    pytest.param(
        'playbooks:\n  loud:\n    title: Loud\n    escalation: {critical: main}\n    statements:\n      - id: tweet\n        channel: x\n        en: "{{ topic }} xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"\n',
        [
            "case.yaml:8:13: playbooks.loud.statements[0].en: renders to 300 characters with the sample values, more than the 280 allowed on x"
        ],
        id="statement_too_long",
    ),
    pytest.param(
        "playbooks:\n  loud:\n    title: Loud\n    escalation: {critical: main}\n    statements:\n      - {id: tweet, channel: x, de: 'Wir prüfen {{ topik }}.'}\n",
        [
            "case.yaml:6:37: playbooks.loud.statements[0].de: unknown template variable 'topik' (did you mean 'topic'?)"
        ],
        id="statement_variable",
    ),
    pytest.param(
        "playbooks:\n  loud:\n    title: Loud\n    escalation: {critical: main}\n    statements:\n      - {id: tweet, channel: x, en: 'We are {{ on it'}\n",
        [
            "case.yaml:6:37: playbooks.loud.statements[0].en: template error on its line 1: expected token 'end of print statement', got 'it'"
        ],
        id="statement_syntax",
    ),
    pytest.param(
        "playbooks:\n  loud:\n    title: Loud\n    escalation: {critical: main}\n    statements:\n      - {id: tweet, channel: twiter, en: Hello}\n",
        [
            "case.yaml:6:30: playbooks.loud.statements[0].channel: unknown publication channel 'twiter' (did you mean 'x'?)"
        ],
        id="statement_channel",
    ),
    pytest.param(
        "playbooks:\n  loud:\n    title: Loud\n    escalation: {critical: main}\n    statements:\n      - {id: tweet, channel: x, en: '{{ topic.__class__.__mro__ }}'}\n",
        [
            "case.yaml:6:37: playbooks.loud.statements[0].en: template cannot be rendered: access to attribute '__class__' of 'str' object is unsafe."
        ],
        id="statement_sandbox",
    ),
    pytest.param(
        "playbooks:\n  loud:\n    title: Loud\n    escalation: {critical: main}\n    triggers: [{crisis_type: data_leek}]\n",
        [
            "case.yaml:5:30: playbooks.loud.triggers[0].crisis_type[0]: unknown crisis type 'data_leek' (did you mean 'data_leak'?)"
        ],
        id="crisis_type",
    ),
    pytest.param(
        "playbooks:\n  mild:\n    title: Mild\n    escalation: {watch: main}\n",
        ["case.yaml:4:5: playbooks.mild.escalation: no path for critical alerts"],
        id="no_critical_path",
    ),
    pytest.param(
        "people:\n  cara: &c {name: Cara, email: c@example.org}\n  dora:\n    <<: *c\n    name: Dora\n",
        [
            "case.yaml:3:3: people.dora: no way to reach this person: give 'slack' or 'email'",
            "case.yaml:4:5: merge keys ('<<') are not supported; repeat the values instead",
        ],
        id="merge_key",
    ),
    pytest.param(
        "people: {}\n---\nrotations: {}\n",
        ["case.yaml:3:1: a file must hold one YAML document, found more"],
        id="two_documents",
    ),
    pytest.param(
        "people:\n  cara: {name: Cara\n",
        [
            "case.yaml:3:1: invalid YAML: while parsing a flow mapping expected ',' or '}', but got '<stream end>'"
        ],
        id="invalid_yaml",
    ),
    pytest.param(
        "holidays:\n  x: {country: DX}\n",
        ["case.yaml:2:16: holidays.x.country: unknown holiday country 'DX'"],
        id="holiday_country",
    ),
    pytest.param(
        "holidays:\n  x: {country: DE, subdivision: NRW}\n",
        [
            "case.yaml:2:33: holidays.x.subdivision: unknown subdivision 'NRW' of DE (did you mean 'NW'?)"
        ],
        id="holiday_subdivision",
    ),
    pytest.param(
        "settings:\n  default_playbook: generl\n",
        [
            "case.yaml:2:21: settings.default_playbook: undefined playbook 'generl' (did you mean 'general'?)"
        ],
        id="default_playbook",
    ),
    pytest.param(
        "windows:\n  office-hours:\n    timezone: UTC\n    rules: [{days: [mon]}]\n",
        [
            "case.yaml:2:3: windows.office-hours: window name 'office-hours' cannot be used in conditions: use lowercase letters, digits and '_'"
        ],
        id="window_name",
    ),
    pytest.param(
        "schedules:\n  other:\n    timezone: Europe/Berlin\n    layers: [{name: all, people: [anna]}]\n    temporary:\n      - {name: one, from: '2026-05-01 00:00', to: '2026-05-05 00:00', layers: [{name: t, people: [ben]}]}\n      - {name: two, from: '2026-05-04 00:00', to: '2026-05-06 00:00', layers: [{name: t, people: [ben]}]}\n",
        ["case.yaml:7:9: schedules.other.temporary[1]: overlaps the temporary roster 'one'"],
        id="temporary_overlap",
    ),
    pytest.param(
        "people:\n  cara: {name: Cara, slack: cara}\n",
        ["case.yaml:2:29: people.cara.slack: 'cara' is not a Slack user id (like 'U04ABCD1234')"],
        id="slack_id",
    ),
    pytest.param(
        "slack_channels:\n  hooks: {name: '#hooks', webhook: 'http://hooks.example/T000/B000/secret-token'}\n",
        [
            "case.yaml:2:36: slack_channels.hooks.webhook: a webhook must be an https:// address (value hidden)"
        ],
        id="webhook",
    ),
    pytest.param(
        "schedules:\n  other:\n    timezone: UTC\n    layers: [{name: all, people: [anna]}, {name: all, people: [ben]}]\n",
        ["case.yaml:4:50: schedules.other.layers[1].name: duplicate layer name 'all'"],
        id="duplicate_layer",
    ),
    pytest.param(
        "paths:\n  odd:\n    levels:\n      - then: [{targets: [{person: ben}]}]\n    fallback: anna\n",
        ["case.yaml:4:9: paths.odd.levels[0]: 'then' and 'else' need an 'if'"],
        id="then_without_if",
    ),
    pytest.param(
        "paths:\n  many:\n    levels: [{targets: [{person: ben}]}]\n    repeat: 9\n    fallback: anna\n",
        ["case.yaml:4:13: paths.many.repeat: must be at most 5, got the number 9"],
        id="repeat_bound",
    ),
    pytest.param(
        "paths:\n  odd:\n    levels: [{targets: [{person: ben, schedule: duty}]}]\n    fallback: anna\n",
        [
            "case.yaml:3:25: paths.odd.levels[0].targets[0]: a target needs exactly one of 'person', 'schedule', 'slack_channel'"
        ],
        id="target_two_kinds",
    ),
    pytest.param(
        "settings:\n  timezone: UTC\n",
        ["case.yaml:1:1: settings: defined again (first at base.yaml:32:1)"],
        id="settings_twice",
    ),
    pytest.param(
        "paths:\n  none:\n    levels: []\n    fallback: anna\n",
        ["case.yaml:3:5: paths.none.levels: must not be empty"],
        id="empty_levels",
    ),
    pytest.param(
        "holidays:\n  x: {country: DE, language: dee}\n",
        [
            "case.yaml:2:30: holidays.x.language: holiday names of DE are not available in 'dee' (did you mean 'de'?)"
        ],
        id="holiday_language",
    ),
    pytest.param(
        "people:\n  cara: {name: yes, email: c@example.org}\n",
        [
            "case.yaml:2:16: 'yes' is a YAML 1.1 boolean; write true or false, or quote it ('yes') if you mean text"
        ],
        id="yaml11_yes_value",
    ),
    pytest.param(
        "people:\n  cara: !include cara.yaml\n",
        [
            "case.yaml:2:3: people.cara: expected a mapping, got nothing (null)",
            "case.yaml:2:9: unsupported YAML tag '!include'",
        ],
        id="unknown_tag",
    ),
    pytest.param(
        "- people\n- rotations\n",
        ["case.yaml:1:1: the top level of a file must be a mapping of sections"],
        id="top_level_list",
    ),
    pytest.param(
        "people: [anna, ben]\n",
        ["case.yaml:1:9: people: expected a mapping of names to entries, got a list"],
        id="section_not_mapping",
    ),
    pytest.param(
        "people:\n  ~: {name: Cara, email: c@example.org}\n",
        ["case.yaml:2:3: a key must not be empty or null"],
        id="null_key",
    ),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_validation_rule(case: str, expected: list[str]) -> None:
    base = BASE
    if "default_playbook" in case:
        base = BASE.replace("settings:\n  default_playbook: general\n", "")
    assert findings(case, base=base) == expected


def test_all_errors_at_once_sorted_by_file_and_line() -> None:
    case = (
        "people:\n"
        "  cara: {name: Cara, email: c@example.org, timezone: Mars/Olympus}\n"
        "rotations:\n"
        "  late: {members: [cara, dora], start: 2026-01-05, timezone: UTC}\n"
        "paths:\n"
        "  quick:\n"
        "    levels: [{targets: [{schedule: nope}]}]\n"
        "    fallback: anna\n"
    )
    got = findings(case)
    assert got == [
        "case.yaml:2:54: people.cara.timezone: unknown time zone 'Mars/Olympus'",
        "case.yaml:4:26: rotations.late.members[1]: undefined person 'dora'",
        "case.yaml:7:36: paths.quick.levels[0].targets[0].schedule: undefined schedule 'nope'",
    ]


def test_error_is_config_error_with_one_line_per_finding() -> None:
    with pytest.raises(ConfigError) as caught:
        load_texts({"base.yaml": BASE, "a.yaml": "peopel: {}\n", "b.yaml": "rotatoins: {}\n"})
    assert str(caught.value).splitlines() == [
        "a.yaml:1:1: unknown section 'peopel' (did you mean 'people'?)",
        "b.yaml:1:1: unknown section 'rotatoins' (did you mean 'rotations'?)",
    ]


def test_secret_webhook_is_masked() -> None:
    secret = "https://hooks.slack.com/services/T000/B000/very-secret-token"
    config = load_texts(
        {
            "base.yaml": BASE,
            "hook.yaml": f"slack_channels:\n  hook: {{name: '#h', webhook: '{secret}'}}\n",
        }
    )
    channel = config.slack_channels["hook"]
    assert "very-secret-token" not in repr(channel)
    assert "very-secret-token" not in str(channel)
    assert "very-secret-token" not in repr(config)
    assert channel.webhook is not None and channel.webhook.get_secret_value() == secret
    bad = secret.replace("https", "http")
    got = findings(f"slack_channels:\n  hook: {{name: '#h', webhook: '{bad}'}}\n")
    assert got and all("very-secret-token" not in line for line in got)


def test_missing_directory_and_empty_directory(tmp_path) -> None:
    from warning.playbook.config import load_config

    with pytest.raises(ConfigError, match="no such file or directory"):
        load_config(tmp_path / "missing")
    with pytest.raises(ConfigError, match=r"no \.yaml files in this directory"):
        load_config(tmp_path)
    (tmp_path / "bad.yaml").write_bytes(b"people: \xff\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml:1:1: not UTF-8 text"):
        load_config(tmp_path)


def test_a_bad_reload_keeps_the_last_good_config(tmp_path) -> None:
    from warning.playbook.config import reload_config

    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    good, problems = reload_config(tmp_path, None)
    assert good is not None and problems == []
    (tmp_path / "base.yaml").write_text(
        BASE.replace("fallback: anna", "fallback: anne"), encoding="utf-8"
    )
    kept, problems = reload_config(tmp_path, good)
    assert kept is good
    assert problems == [
        f"{tmp_path / 'base.yaml'}:27:15: paths.main.fallback: undefined person 'anne' "
        "(did you mean 'anna'?)"
    ]
