"""`shitstorm replay`: run detection over history exactly as live (DESIGN.md §4.1)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from warning.errors import UsageError

COMMANDS: list[click.Command] = []


@click.command("replay")
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="Detection settings (YAML): detector parameters, per-brand overrides, expected spikes.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Alerts as JSON Lines (a directory when INPUT is one: <stream>.alerts.jsonl each).",
)
@click.option(
    "--scores",
    type=click.Path(path_type=Path),
    help="One CSV row per bucket with the score in [0, 1] (a directory when INPUT is one).",
)
@click.option("--brand", help="Brand name for mentions that name none (or for a volume series).")
@click.option("--freq", default="5min", show_default=True, help="Bucket length for mention files.")
@click.option("--assume-tz", help="Time zone for naive timestamps in mention files.")
def replay_command(
    input_path: Path,
    config_path: Path | None,
    out: Path | None,
    scores: Path | None,
    brand: str | None,
    freq: str,
    assume_tz: str | None,
) -> None:
    """Replay INPUT (a mention file, a volume series, or a directory of CSV files)
    through the live detection code on a simulated clock.

    Without --out the alerts are printed as JSON Lines. A summary goes to stderr.
    """
    from warning.pipeline import load_config

    config = load_config(config_path)
    if input_path.is_dir():
        _replay_directory(input_path, config, out, scores, brand=brand, freq=freq, tz=assume_tz)
        return
    if not input_path.exists():
        raise UsageError(f"{input_path}: no such file or directory")
    result = _run(input_path, config, brand=brand, freq=freq, tz=assume_tz)
    if out is None:
        for alert in result.alerts:
            click.echo(alert.to_json())
    else:
        result.write_alerts(out)
    if scores is not None:
        result.write_scores(scores)
    _summary(input_path.name, result)


def _run(path: Path, config: Any, *, brand: str | None, freq: str, tz: str | None) -> Any:
    from warning.replay import replay

    return replay(path, config=config, brand=brand, freq=freq, assume_tz=tz)


def _replay_directory(
    directory: Path,
    config: Any,
    out: Path | None,
    scores: Path | None,
    *,
    brand: str | None,
    freq: str,
    tz: str | None,
) -> None:
    if out is None:
        raise UsageError(
            f"{directory} is a directory: give --out DIR for the <stream>.alerts.jsonl files"
        )
    files = sorted(p for p in directory.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    if not files:
        raise UsageError(f"{directory}: no CSV files to replay")
    for target in (out, scores):
        if target is not None:
            if target.exists() and not target.is_dir():
                raise UsageError(f"{target}: must be a directory when INPUT is a directory")
            target.mkdir(parents=True, exist_ok=True)
    from warning.commands.progress import bar

    def write(line: str) -> None:
        streams.write(line, file=sys.stderr)

    with bar(files, desc="replay", unit="stream") as streams:
        for path in streams:
            streams.set_postfix_str(path.name)
            result = _run(path, config, brand=brand or path.stem, freq=freq, tz=tz)
            result.write_alerts(out / f"{path.stem}.alerts.jsonl")
            if scores is not None:
                result.write_scores(scores / f"{path.stem}.scores.csv")
            _summary(path.name, result, echo=write)


def _summary(name: str, result: Any, echo: Callable[[str], Any] | None = None) -> None:
    buckets = sum(len(f) for f in result.frames.values())
    by_severity: dict[str, int] = {}
    for alert in result.alerts:
        by_severity[alert.severity.value] = by_severity.get(alert.severity.value, 0) + 1
    counts = ", ".join(f"{n} {s}" for s, n in sorted(by_severity.items())) or "none"
    storms = len({a.dedup_key for a in result.alerts})
    line = (
        f"{name}: {buckets} buckets of {len(result.frames)} brand(s), "
        f"{storms} storm(s), {len(result.alerts)} alert line(s) ({counts})"
    )
    if echo is None:
        click.echo(line, err=True)
    else:
        echo(line)


COMMANDS.append(replay_command)
