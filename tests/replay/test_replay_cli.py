"""`shitstorm replay` on files and directories (DESIGN.md §4.1)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from warning.cli import cli


def _write_series(path: Path, frame: pd.DataFrame) -> None:
    out = pd.DataFrame(
        {
            "timestamp": frame.index.strftime("%Y-%m-%d %H:%M:%S"),
            "value": frame["volume"].astype(int),
        }
    )
    out.to_csv(path, index=False)


def test_replay_series_file_writes_alerts_and_scores(
    tmp_path: Path, volume_series: Callable[..., pd.DataFrame]
) -> None:
    frame = volume_series(days=3, spikes=(600,))
    source = tmp_path / "Twitter_volume_ACME.csv"
    _write_series(source, frame)
    result = CliRunner().invoke(
        cli,
        [
            "replay",
            str(source),
            "--out",
            str(tmp_path / "a.jsonl"),
            "--scores",
            str(tmp_path / "s.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert lines and lines[0]["brand"] == "Twitter_volume_ACME"
    assert lines[0]["bucket_start"] == "2026-03-04T02:00:00Z"  # bucket 600: 50 hours in
    scores = pd.read_csv(tmp_path / "s.csv")
    assert len(scores) == len(frame) and scores["score"].between(0, 1).all()
    assert "Twitter_volume_ACME.csv: 864 buckets of 1 brand(s)" in result.stderr


def test_replay_prints_jsonl_without_out(
    tmp_path: Path, volume_series: Callable[..., pd.DataFrame]
) -> None:
    source = tmp_path / "acme.csv"
    _write_series(source, volume_series(days=3, spikes=(600,)))
    result = CliRunner().invoke(cli, ["replay", str(source), "--brand", "acme"])
    assert result.exit_code == 0
    assert json.loads(result.stdout.splitlines()[0])["brand"] == "acme"


def test_replay_directory_writes_one_file_per_stream(
    tmp_path: Path, volume_series: Callable[..., pd.DataFrame]
) -> None:
    data = tmp_path / "streams"
    data.mkdir()
    _write_series(data / "Twitter_volume_A.csv", volume_series(days=3, spikes=(600,)))
    _write_series(data / "Twitter_volume_B.csv", volume_series(days=3, seed=2))
    (data / "labels.json").write_text("{}")
    out = tmp_path / "alerts"
    result = CliRunner().invoke(
        cli, ["replay", str(data), "--out", str(out), "--scores", str(tmp_path / "scores")]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "Twitter_volume_A.alerts.jsonl",
        "Twitter_volume_B.alerts.jsonl",
    ]
    assert (out / "Twitter_volume_A.alerts.jsonl").read_text().strip()
    assert (tmp_path / "scores" / "Twitter_volume_B.scores.csv").exists()


def test_directory_needs_an_out_directory(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["replay", str(tmp_path)])
    assert result.exit_code == 2
    assert "give --out DIR" in result.stderr


def test_bad_config_is_reported_with_its_place(
    tmp_path: Path, volume_series: Callable[..., pd.DataFrame]
) -> None:
    source = tmp_path / "acme.csv"
    _write_series(source, volume_series(days=1))
    config = tmp_path / "bad.yaml"
    config.write_text("detector:\n  thresold: 3\n")
    result = CliRunner().invoke(cli, ["replay", str(source), "--config", str(config)])
    assert result.exit_code == 2
    assert (
        f"error: {config}:2:3: unknown key 'thresold' (did you mean 'threshold'?)" in result.stderr
    )


def test_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["replay", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_mention_file_uses_the_shipped_model(
    tmp_path: Path, mentions: Callable[..., pd.DataFrame]
) -> None:
    import warning.score as score

    if not score.find_model().exists():
        pytest.skip("no negativity model shipped in this checkout yet")
    data = mentions(days=2).drop(columns=["negativity"])
    path = tmp_path / "mentions.jsonl"
    data.assign(timestamp=data["timestamp"].map(lambda t: t.isoformat())).to_json(
        path, orient="records", lines=True
    )
    result = CliRunner().invoke(cli, ["replay", str(path), "--out", str(tmp_path / "a.jsonl")])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("flag", "shown"), [("1", True), ("0", False)])
def test_directory_replay_shows_a_progress_bar_on_stderr_only(
    tmp_path: Path, volume_series: Callable[..., pd.DataFrame], flag: str, shown: bool
) -> None:
    data = tmp_path / "streams"
    data.mkdir()
    for name in ("A", "B", "C"):
        _write_series(data / f"Twitter_volume_{name}.csv", volume_series(days=3, seed=len(name)))
    result = CliRunner(env={"SHITSTORM_PROGRESS": flag}).invoke(
        cli, ["replay", str(data), "--out", str(tmp_path / "alerts")]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert ("replay:" in result.stderr and "stream" in result.stderr) is shown, result.stderr
    # the per-stream summaries survive the bar, one line each
    summaries = [line for line in result.stderr.splitlines() if "buckets of 1 brand(s)" in line]
    assert len(summaries) == 3, result.stderr
