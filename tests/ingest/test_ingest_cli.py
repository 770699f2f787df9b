"""`shitstorm ingest`: summary, output and quarantine files, JSON, standard input, exit codes.

Scoring is exercised with ``--no-score`` here; the negativity model has its own tests.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from warning.cli import cli
from warning.ingest import read_mentions

ROOT = Path(__file__).resolve().parents[2]


def _invoke(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["ingest", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_summary_and_files(fixtures: Path, tmp_path: Path) -> None:
    out, bad = tmp_path / "mentions.parquet", tmp_path / "bad.csv"
    code, stdout, _ = _invoke(
        str(fixtures / "messy_export.csv"),
        "--no-score",
        "--out",
        str(out),
        "--quarantine",
        str(bad),
    )
    assert code == 0
    assert "14 rows" in stdout and "delimiter ';'" in stdout
    for needle in (
        "accepted",
        "quarantined",
        "invalid_reach",
        "duplicates",
        "Datum → timestamp",
        "ignored columns: Retweets",
        "ACME 4",
        f"quarantine written to {bad}",
        f"mentions written to {out}",
    ):
        assert needle in stdout
    written = pd.read_parquet(out)
    assert len(written) == 5 and list(written.columns)[:3] == ["id", "timestamp", "text"]
    assert "negativity" not in written.columns
    with bad.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(r["row"]) for r in rows] == [5, 6, 7, 8, 9, 11, 12, 13]


def test_json_summary(fixtures: Path) -> None:
    code, stdout, _ = _invoke(str(fixtures / "messy_export.csv"), "--no-score", "--json")
    assert code == 0
    summary = json.loads(stdout)
    assert summary["rows_read"] == 14 and summary["accepted"] == 5
    assert summary["quarantined"] == 8 and summary["duplicates"] == 1
    assert summary["quarantined_by_reason"]["wrong_field_count"] == 1
    assert summary["columns"]["Inhalt"] == "text"
    assert summary["first_timestamp"] == "2026-03-28T19:30:00Z"
    assert summary["scored"] is False and summary["output"] is None
    assert summary["examples"][0] == {
        "row": 5,
        "code": "naive_timestamp",
        "reason": "column 'timestamp' has no UTC offset and no zone was assumed (--assume-tz). "
        "Got '2026-03-28 20:33' instead.",
    }


def test_without_quarantine_file_the_first_bad_rows_are_shown(fixtures: Path) -> None:
    code, stdout, _ = _invoke(str(fixtures / "messy_export.csv"), "--no-score")
    assert code == 0
    assert "give --quarantine FILE to keep them all" in stdout
    assert (
        "row 7: column 'reach' must be a non-negative whole number. Got 'viele' instead." in stdout
    )


def test_standard_input(fixtures: Path, tmp_path: Path) -> None:
    out = tmp_path / "from_stdin.jsonl"
    data = (fixtures / "messy_export.csv").read_bytes()
    code, stdout, _ = _invoke("-", "--no-score", "--out", str(out), "--json", stdin=data)
    assert code == 0
    assert json.loads(stdout)["source"] == "<stdin>"
    from_file = pd.concat(list(read_mentions(fixtures / "messy_export.csv")), ignore_index=True)
    from_stdin = pd.concat(list(read_mentions(out)), ignore_index=True)
    pd.testing.assert_frame_equal(from_stdin, from_file)


def test_assume_tz_and_brand(tmp_path: Path) -> None:
    source = tmp_path / "naive.csv"
    source.write_text("time,content\n2026-03-29 02:30:00,hallo\n", encoding="utf-8")
    out = tmp_path / "m.csv"
    code, _, _ = _invoke(
        str(source),
        "--no-score",
        "--assume-tz",
        "Europe/Berlin",
        "--brand",
        "acme",
        "--out",
        str(out),
    )
    assert code == 0
    written = out.read_text(encoding="utf-8").splitlines()
    assert written[0].startswith("id,timestamp,text,brand")
    assert ",2026-03-29T01:00:00Z,hallo,acme," in written[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "error: missing.csv: no such file"),
        (["{messy}", "--assume-tz", "Mars/Olympus"], "error: The 'assume_tz' option must be"),
        (
            ["{messy}", "--out", "x.xlsx"],
            "error: The output file must end in .csv, .jsonl or .parquet",
        ),
        (
            ["{messy}", "--quarantine", "q.txt"],
            "error: The quarantine file must end in .csv or .jsonl",
        ),
        (["{no_text}"], "no 'text' column in the header"),
        (["{messy}", "--format", "xml"], "Invalid value for '--format'"),
        (["{messy}", "--encoding", "klingon"], "error: The 'encoding' option must name"),
    ],
)
def test_errors_exit_2_with_one_line(
    fixtures: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    no_text = tmp_path / "no_text.csv"
    no_text.write_text("timestamp,author\n", encoding="utf-8")
    paths = {"messy": str(fixtures / "messy_export.csv"), "no_text": str(no_text)}
    code, stdout, stderr = _invoke(*[a.format(**paths) for a in args], "--no-score")
    assert code == 2
    assert message in stderr
    if message.startswith("error:"):
        assert len(stderr.strip().splitlines()) == 1
    assert "Traceback" not in stderr + stdout


def test_console_entry_point_reads_standard_input(fixtures: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "warning", "ingest", "-", "--no-score", "--json"],
        input=(fixtures / "twitter_v1.jsonl").read_bytes(),
        capture_output=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["format"], summary["accepted"], summary["quarantined"]) == ("jsonl", 3, 2)


def test_scoring_adds_negativity(
    fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from warning.score import NegativityModel, save_model

    texts = [
        "Nie wieder, totale Abzocke",
        "Schlechtester Service ever",
        "Boykott jetzt!",
        "Datenleck, Skandal",
        "Danke für die schnelle Hilfe",
        "Tolles Produkt",
        "Super Aktion",
        "Wann öffnet die Filiale?",
    ]
    model = NegativityModel(min_df=1, calibration=None, cv=2).fit(
        texts, ["negative"] * 4 + ["other"] * 4
    )
    path = save_model(
        model,
        tmp_path / "model",
        trained_at=datetime(2026, 3, 28, tzinfo=UTC),
        metrics={},
        data={},
    )
    monkeypatch.setenv("SHITSTORM_MODEL", str(path))
    out = tmp_path / "scored.parquet"
    code, stdout, stderr = _invoke(str(fixtures / "messy_export.csv"), "--out", str(out), "--json")
    assert code == 0, stderr
    summary = json.loads(stdout)
    assert summary["scored"] is True and 0 <= summary["negative"] <= summary["accepted"]
    written = pd.read_parquet(out)
    assert len(written) == 5
    assert written["negativity"].between(0.0, 1.0).all()
    upstream = written[written["sentiment"] == -1.0]["negativity"]
    assert (upstream > 0.5).all()  # an upstream "negativ" is honoured


def test_missing_model_is_one_line_error_exit_2(
    fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHITSTORM_MODEL", str(tmp_path / "nothing.skops"))
    code, _, stderr = _invoke(str(fixtures / "messy_export.csv"))
    assert code == 2
    assert stderr.startswith("error: ") and len(stderr.strip().splitlines()) == 1
