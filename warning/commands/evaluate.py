"""`shitstorm evaluate`: score replayed alerts against labels (NAB scores and alert metrics)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import click

COMMANDS: list[click.Command] = []


@click.command("evaluate")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--labels",
    "labels",
    required=True,
    type=click.Path(path_type=Path),
    help="NAB-style labels JSON: stream CSV file name -> label timestamps (spike peaks).",
)
@click.option(
    "--windows",
    "windows",
    type=click.Path(path_type=Path),
    help="NAB-style windows JSON: file name -> [start, end] pairs. Default: NAB's rule on labels.",
)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path),
    help="Directory holding the stream CSVs (<stream>.csv). Default: DIRECTORY itself.",
)
@click.option(
    "--onsets",
    "onsets",
    type=click.Path(path_type=Path),
    help="Known onsets (same format as labels) instead of onsets derived from the labels.",
)
@click.option(
    "--min-severity",
    type=click.Choice(["watch", "warning", "critical"]),
    default="watch",
    show_default=True,
    help="Only alerts at or above this severity count as flags.",
)
@click.option(
    "--late-hours",
    type=click.FloatRange(min=0),
    default=3.0,
    show_default=True,
    help="An alert up to this long after an onset still catches it (besides its window).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def evaluate(
    directory: Path,
    labels: Path,
    windows: Path | None,
    data_dir: Path | None,
    onsets: Path | None,
    min_severity: str,
    late_hours: float,
    as_json: bool,
) -> None:
    """Score the alerts in DIRECTORY (<stream>.alerts.jsonl) against labelled streams.

    Prints, per stream and in total: NAB standard, low-FP and low-FN scores (each
    alert flags the bucket it fired on), spike onsets caught, median and 90th
    percentile minutes from onset to alert, and false-alarm events per stream-week.
    """
    from warning.commands.progress import bar
    from warning.evaluate import evaluate_dir

    report = evaluate_dir(
        directory,
        labels,
        windows,
        data_dir=data_dir,
        onsets=onsets,
        min_severity=min_severity,
        late=timedelta(hours=late_hours),
        progress=lambda names: bar(names, desc="evaluate", unit="stream"),
    )
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(report.table())


COMMANDS.append(evaluate)
