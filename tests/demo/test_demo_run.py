"""The demo replays the bundled Saturday-evening storm end to end."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from warning.cli import main
from warning.demo import run_demo
from warning.demo.run import DemoResult
from warning.records import Severity


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return run_demo(tmp_path_factory.mktemp("demo"))


def test_storm_is_paged_between_onset_and_peak(demo: DemoResult) -> None:
    onset = pd.Timestamp(demo.truth["onset"]).to_pydatetime()
    peak = pd.Timestamp(demo.truth["peak"]).to_pydatetime()
    paged = demo.paged_alert
    assert paged is not None
    assert paged.severity >= Severity.WARNING
    assert onset < paged.fired_at <= peak
    assert paged.brand == "lumina"


def test_campaign_and_busy_saturday_do_not_page(demo: DemoResult) -> None:
    onset = pd.Timestamp(demo.truth["onset"]).to_pydatetime()
    before = [a for a in demo.alerts if a.fired_at < onset]
    assert all(a.severity == Severity.WATCH for a in before), [a.to_dict() for a in before]


def test_page_reaches_weekend_duty_then_escalates(demo: DemoResult) -> None:
    assert demo.playbook == "service-failure"
    assert len(demo.pages) == 2
    first, second = demo.pages
    assert first.people == ("mira",)  # the weekend rotation's turn on Saturday 28 March
    assert second.at > first.at
    delivered = [answer for page in demo.pages for answer in page.delivered]
    assert delivered and all("sent ts=" in answer for answer in delivered)
    people = sum(len(page.people) for page in demo.pages)
    assert demo.slack_requests["chat.postMessage"] == people
    assert demo.later_levels[-1].label == "fallback"


def test_checklist_and_statement(demo: DemoResult) -> None:
    assert demo.paged_alert is not None
    start = demo.paged_alert.fired_at
    dues = [due for due, _role, _task in demo.checklist]
    assert dues == sorted(dues)
    assert all(start < due <= start + timedelta(hours=2) for due in dues)
    langs = {lang for _sid, lang, _text, _n, _limit in demo.statements}
    assert langs == {"de", "en"}
    for _sid, _lang, text, n, limit in demo.statements:
        assert "{{" not in text
        assert limit is None or n <= limit


def test_outputs_written(demo: DemoResult) -> None:
    chart = demo.outputs["chart"].read_bytes()
    assert chart.startswith(b"\x89PNG")
    html = demo.outputs["report"].read_text(encoding="utf-8")
    assert "service-failure" in html
    assert "mira" in html  # the person paged at level 1
    rows = [json.loads(line) for line in demo.outputs["alerts"].read_text().splitlines()]
    assert len(rows) == len(demo.alerts)
    assert {"brand", "fired_at", "severity", "metrics", "dedup_key"} <= set(rows[0])


def test_demo_command_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "level 1" in out and "Slack: Mira Schulz: sent" in out
    assert (tmp_path / "report.html").is_file()
