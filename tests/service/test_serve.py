"""`shitstorm serve` as a real process: settings, ingest, health, metrics, SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from click.testing import CliRunner

from warning.cli import cli
from warning.notify.fakeslack import FakeSlack


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(base: str, proc: subprocess.Popen[str], timeout: float = 60.0) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited early with {proc.returncode}")
        try:
            answer = httpx.get(base + "/healthz", timeout=2.0)
            if answer.status_code == 200:
                return answer
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("serve did not become healthy")


def test_serve_ingests_reports_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with FakeSlack() as slack:
        env = {
            **os.environ,
            "SHITSTORM_STATE_DIR": str(tmp_path / "state"),
            "SHITSTORM_INGEST_TOKENS": "tok-1, tok-2",
            "SHITSTORM_SLACK_API_URL": slack.base_url,
            "SHITSTORM_SLACK_BOT_TOKEN": slack.token,
            "SHITSTORM_SLACK_SIGNING_SECRET": "s3cret",
        }
        env.pop("SHITSTORM_DATABASE_URL", None)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "warning",
                "serve",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            health = _wait_healthy(base, proc).json()
            assert health["status"] == "ok"
            now = datetime.now(UTC)
            rows = [
                {
                    "id": f"m{i}",
                    "timestamp": (now - timedelta(seconds=i)).isoformat(),
                    "text": "Warum ist mein Abschlag so hoch?",
                    "brand": "lumina",
                }
                for i in range(3)
            ]
            refused = httpx.post(base + "/v1/mentions", json={"mentions": rows})
            assert refused.status_code == 401
            answer = httpx.post(
                base + "/v1/mentions",
                json={"mentions": rows},
                headers={"Authorization": "Bearer tok-2"},
            )
            assert answer.status_code == 202, answer.text
            assert answer.json()["accepted"] == 3
            deadline = time.monotonic() + 10
            metrics = ""
            while time.monotonic() < deadline:
                metrics = httpx.get(base + "/metrics").text
                if "shitstorm_queue_depth 0.0" in metrics:
                    break
                time.sleep(0.1)
            assert "shitstorm_mentions_ingested_total 3.0" in metrics
            assert "shitstorm_queue_depth 0.0" in metrics, "the runtime took the mentions"
            assert "shitstorm_config_version_info{version=" in metrics
            started = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=15)
            took = time.monotonic() - started
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 0, err
    assert took < 10
    assert "(SHITSTORM_STATE_DIR)" in out
    assert "default: the state dir" in out and "shitstorm.db" in out
    assert slack.base_url in out and "SHITSTORM_SLACK_BOT_TOKEN" in out
    assert "2 token(s)  (SHITSTORM_INGEST_TOKENS)" in out
    assert f"incident page: {base}/incidents" in out
    assert "tok-1" not in out and "s3cret" not in out and slack.token not in out
    # the mentions' bucket was still open at SIGTERM: spooled, not lost
    spool = tmp_path / "state" / "spool.jsonl"
    assert "3 undecided mention(s) spooled" in out
    assert len(spool.read_text(encoding="utf-8").splitlines()) == 3


def test_serve_refuses_to_start_without_an_ingest_token(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"SHITSTORM_INGEST_TOKENS": "", "SHITSTORM_STATE_DIR": str(tmp_path)}
    result = runner.invoke(cli, ["serve"], env=env)
    assert result.exit_code == 2
    assert "SHITSTORM_INGEST_TOKENS" in result.output
    result = runner.invoke(cli, ["serve", "--insecure-no-auth", "--host", "0.0.0.0"], env=env)
    assert result.exit_code == 2
    assert "127.0.0.1 only" in result.output
