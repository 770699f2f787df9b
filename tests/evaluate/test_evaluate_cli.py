"""`shitstorm evaluate` on alert files: table, JSON, severity floor, and one-line errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from warning.cli import cli, main
from warning.evaluate import evaluate_dir

NAB = Path(__file__).resolve().parents[3] / "shared" / "data" / "nab-realtweets"
pytestmark = pytest.mark.skipif(not NAB.is_dir(), reason="shared NAB streams not available")


def alert(bucket: str, severity: str = "warning", brand: str = "x") -> str:
    start = pd.Timestamp(bucket, tz="UTC")
    fired = start + pd.Timedelta(minutes=5)
    return json.dumps(
        {
            "brand": brand,
            "fired_at": fired.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "bucket_start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "severity": severity,
            "metrics": {"volume": 1},
        }
    )


def write_alerts(directory: Path, stream: str, lines: list[str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stream}.alerts.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_table_per_stream_and_total(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "alerts"
    write_alerts(out, "Twitter_volume_FB", [
        alert("2015-03-16 07:07:53"),  # labelled peak = onset: 0 minutes
        alert("2015-04-03 17:52:53", "watch"),  # 10 minutes after the onset at 17:42:53
        alert("2015-03-25 12:02:53", "watch"),  # a false alarm
        alert("2015-03-25 12:32:53", "critical"),  # same event (30 min later)
    ])  # fmt: skip
    write_alerts(out, "Twitter_volume_PFE", [])
    code = main(
        ["evaluate", str(out), "--labels", str(NAB / "labels.json"),
         "--windows", str(NAB / "windows.json"), "--data", str(NAB)]
    )  # fmt: skip
    text = capsys.readouterr().out
    assert code == 0
    lines = text.splitlines()
    assert lines[0].split() == [
        "stream", "NAB", "std", "low", "FP", "low", "FN", "onsets", "med", "min", "p90", "min",
        "FA/week",
    ]  # fmt: skip
    fb = next(line for line in lines if line.startswith("Twitter_volume_FB")).split()
    pfe = next(line for line in lines if line.startswith("Twitter_volume_PFE")).split()
    total = next(line for line in lines if line.startswith("total")).split()
    assert fb[4] == "2/2" and fb[5] == "5.0" and fb[6] == "9.0"
    assert pfe[1:5] == ["0.0", "0.0", "0.0", "0/4"]
    assert total[4] == "2/6"
    assert "skipped: Twitter_volume_AAPL: labelled, but no Twitter_volume_AAPL.alerts.jsonl" in text


def test_json_report_and_severity_floor(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "alerts"
    write_alerts(out, "Twitter_volume_FB", [alert("2015-03-16 07:07:53", "watch")])
    code = main(
        ["evaluate", str(out / "Twitter_volume_FB.alerts.jsonl"), "--labels",
         str(NAB / "labels.json"), "--data", str(NAB), "--min-severity", "warning", "--json"]
    )  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["total"]["onsets_caught"] == 0  # the watch alert is below the floor
    assert report["settings"]["min_severity"] == "warning"
    assert report["settings"]["windows"] == "from labels"
    (stream,) = report["streams"]
    assert stream["stream"] == "Twitter_volume_FB" and stream["alerts"] == 0
    assert set(stream["nab"]) == {"standard", "reward_low_FP_rate", "reward_low_FN_rate"}


def test_evaluate_dir_finds_series_next_to_alerts(tmp_path: Path) -> None:
    shutil.copy(NAB / "Twitter_volume_CRM.csv", tmp_path)
    write_alerts(tmp_path, "Twitter_volume_CRM", [alert("2015-03-19 23:02:53")])
    report = evaluate_dir(tmp_path, NAB / "labels.json", NAB / "windows.json")
    (stream,) = report.streams
    assert stream.stats.caught == 1 and stream.stats.delays == [0.0]
    assert report.nab["standard"].score == pytest.approx(stream.nab["standard"].score)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing-labels", r"nope\.json: no such labels file"),
        ("bad-labels", r"labels\.json:1:14: not valid JSON"),
        ("bad-alert", r"Twitter_volume_FB\.alerts\.jsonl:2: not valid JSON"),
        ("no-fired-at", r"Twitter_volume_FB\.alerts\.jsonl:1: an alert needs 'fired_at'"),
        ("two-brands", r"alerts of 2 brands \(a, b\)"),
        ("no-series", r"Twitter_volume_FB\.csv: no series for labelled stream"),
    ],
)
def test_errors_are_one_line(tmp_path: Path, setup: str, message: str) -> None:
    out = tmp_path / "alerts"
    labels = NAB / "labels.json"
    data = ["--data", str(NAB)]
    lines = [alert("2015-03-16 07:07:53")]
    if setup == "missing-labels":
        labels = tmp_path / "nope.json"
    elif setup == "bad-labels":
        labels = tmp_path / "labels.json"
        labels.write_text('{"a.csv": [1,,2]}')
    elif setup == "bad-alert":
        lines = [alert("2015-03-16 07:07:53"), "{oops"]
    elif setup == "no-fired-at":
        lines = ['{"brand": "x"}']
    elif setup == "two-brands":
        lines = [alert("2015-03-16 07:07:53", brand="a"), alert("2015-03-16 08:07:53", brand="b")]
    elif setup == "no-series":
        data = []
    write_alerts(out, "Twitter_volume_FB", lines)
    result = CliRunner().invoke(cli, ["evaluate", str(out), "--labels", str(labels), *data])
    err = result.stderr
    assert result.exit_code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("error: ")
    assert re.search(message, err), err
