"""The demo against a Slack endpoint given by the environment, and the same alerts as replay."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from warning.assets import asset_dir
from warning.cli import main
from warning.demo.run import INCIDENT, _detection_config
from warning.demo.slackside import seed_workspace
from warning.notify.fakeslack import FakeSlack
from warning.playbook.config import load_config
from warning.replay import replay


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeSlack, Path, str]]:
    """One `shitstorm demo` run with SHITSTORM_SLACK_API_URL pointing at a test-owned fake."""
    root = tmp_path_factory.mktemp("endpoint")
    with FakeSlack(token="xoxb-test-workspace") as fake, pytest.MonkeyPatch.context() as mp:
        seed_workspace(fake, load_config(asset_dir("playbooks")))
        mp.setenv("SHITSTORM_SLACK_API_URL", fake.base_url)
        mp.setenv("SHITSTORM_SLACK_BOT_TOKEN", fake.token)
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            code = main(["demo", "--out", str(root / "out"), "--state-dir", str(root / "state")])
        assert code == 0
        yield fake, root, buffer.getvalue()


def test_the_demo_talks_to_the_configured_endpoint(
    endpoint: tuple[FakeSlack, Path, str],
) -> None:
    fake, root, out = endpoint
    assert f"Slack: Slack Web API at {fake.base_url} (SHITSTORM_SLACK_API_URL)" in out
    assert "local Slack stand-in" not in out
    assert not (root / "state" / "slack-workspace.json").exists()  # no stand-in was started
    config = load_config(asset_dir("playbooks"))
    mira = fake.messages(str(config.people["mira"].slack))
    assert mira and "c-1:e1:l1:r1:mira" in json.dumps(mira[0]["metadata"])
    assert fake.count("chat.update") >= 1
    # every Web API call carries the token; the chart's bytes go to the pre-signed upload URL
    assert {r.headers.get("Authorization") for r in fake.requests() if r.method != "upload"} == {
        "Bearer xoxb-test-workspace"
    }
    assert fake.count("files.completeUploadExternal") >= 1


def test_a_url_without_a_token_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SHITSTORM_SLACK_API_URL", "http://127.0.0.1:9/api/")
    monkeypatch.delenv("SHITSTORM_SLACK_BOT_TOKEN", raising=False)
    assert main(["demo", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "SHITSTORM_SLACK_BOT_TOKEN is not" in err[0]
    assert not (tmp_path / "report.html").exists()


def test_the_demo_alerts_are_exactly_the_replay_alerts(
    endpoint: tuple[FakeSlack, Path, str],
) -> None:
    _fake, root, _out = endpoint
    folder = asset_dir("incidents") / INCIDENT
    expected = replay(folder / "mentions.jsonl", config=_detection_config(folder))
    got = (root / "out" / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
    assert got == [a.to_json() for a in expected.alerts]
