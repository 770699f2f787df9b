"""Evaluate a directory of replayed alerts against NAB-style labels (``shitstorm evaluate``).

The directory holds one ``<stream>.alerts.jsonl`` per replayed stream (as written by
``shitstorm replay --out``); the stream's series is the CSV the labels name
(``<stream>.csv``), looked up in ``data_dir`` (default: the alerts directory).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from pathlib import Path

import pandas as pd

from warning.errors import InputError
from warning.evaluate.files import (
    read_alert_flags,
    read_label_file,
    read_window_file,
    windows_from_labels,
)
from warning.evaluate.onsets import Window
from warning.evaluate.report import EvaluationReport
from warning.evaluate.streams import StreamInput, evaluate_streams
from warning.records import Severity
from warning.series import read_series

__all__ = ["ALERTS_SUFFIX", "evaluate_dir"]

#: Alert files are named ``<stream>.alerts.jsonl``.
ALERTS_SUFFIX = ".alerts.jsonl"

Labels = Mapping[str, Sequence[pd.Timestamp]]


def _alert_files(alerts: Path) -> dict[str, Path]:
    if alerts.is_file():
        files = [alerts]
    elif alerts.is_dir():
        files = sorted(alerts.glob(f"*{ALERTS_SUFFIX}"))
    else:
        raise InputError(f"{alerts}: no such alerts file or directory")
    out: dict[str, Path] = {}
    for path in files:
        if not path.name.endswith(ALERTS_SUFFIX):
            raise InputError(f"{path}: alert files must be named <stream>{ALERTS_SUFFIX}")
        out[path.name[: -len(ALERTS_SUFFIX)]] = path
    return out


def _series_path(data_dir: Path, stream: str) -> Path:
    path = data_dir / f"{stream}.csv"
    if not path.is_file():
        raise InputError(
            f"{path}: no series for labelled stream '{stream}' (point --data at the stream CSVs)"
        )
    return path


def evaluate_dir(
    alerts_dir_or_file: str | Path,
    labels: str | Path | Labels,
    windows: str | Path | Mapping[str, Sequence[Window]] | None = None,
    *,
    data_dir: str | Path | None = None,
    onsets: str | Path | Labels | None = None,
    min_severity: Severity | str = Severity.WATCH,
    late: timedelta = timedelta(hours=3),
    merge_gap: timedelta = timedelta(hours=1),
    probation_percent: float = 0.15,
    progress: Callable[[list[str]], Iterable[str]] = iter,
) -> EvaluationReport:
    """Score every labelled stream that has an alerts file; see :mod:`warning.evaluate`.

    ``labels``/``windows``/``onsets`` are NAB-style JSON files (or already-read
    mappings keyed by stream name). Without ``windows`` they come from the labels by
    NAB's rule. ``onsets`` (exact truth, e.g. synthetic storms) replace the onsets
    derived from the labels. Streams with labels but no alerts file, and alert files
    without labels, are listed in ``report.skipped``. ``progress`` wraps the list of
    streams (the command passes a progress bar).
    """
    source = Path(alerts_dir_or_file)
    files = _alert_files(source)
    base = source.parent if source.is_file() else source
    data = Path(data_dir) if data_dir is not None else base
    floor = Severity.parse(min_severity)
    label_map = read_label_file(labels) if isinstance(labels, str | Path) else dict(labels)
    window_map = read_window_file(windows) if isinstance(windows, str | Path) else windows
    onset_map = read_label_file(onsets, "onsets") if isinstance(onsets, str | Path) else onsets
    skipped = [
        f"{name}: labelled, but no {name}{ALERTS_SUFFIX}" for name in label_map if name not in files
    ]
    skipped += [f"{name}: alerts, but no labels" for name in files if name not in label_map]
    streams: list[StreamInput] = []
    for name in progress(sorted(n for n in files if n in label_map)):
        series = read_series(_series_path(data, name))
        index = pd.DatetimeIndex(series.index)
        step = pd.Timedelta(index.freq) if index.freq is not None else pd.Timedelta("5min")
        alerts = read_alert_flags(files[name], step=step, min_severity=floor)
        if len(alerts.brands) > 1:
            raise InputError(
                f"{files[name]}: alerts of {len(alerts.brands)} brands ({', '.join(alerts.brands)}); "
                "evaluate needs one stream per alerts file"
            )
        labelled = list(label_map[name])
        if window_map is None:
            stream_windows = windows_from_labels(
                index, labelled, probation_percent=probation_percent
            )
        elif name in window_map:
            stream_windows = list(window_map[name])
        else:
            where = windows if isinstance(windows, str | Path) else "windows"
            raise InputError(f"{where}: no windows for the labelled stream '{name}'")
        truth = None if onset_map is None or name not in onset_map else tuple(onset_map[name])
        streams.append(
            StreamInput(
                name=name,
                volume=series["volume"],
                flagged=alerts.flagged,
                windows=tuple(stream_windows),
                labels=tuple(labelled),
                onsets=truth,
                alerts=alerts.alerts,
            )
        )
    if not streams:
        raise InputError(
            f"{source}: no <stream>{ALERTS_SUFFIX} file matches a labelled stream "
            f"(labelled: {', '.join(sorted(label_map)) or 'none'})"
        )
    return evaluate_streams(
        streams,
        late=late,
        merge_gap=merge_gap,
        probation_percent=probation_percent,
        skipped=skipped,
        settings={"min_severity": floor.value, "windows": "file" if windows else "from labels"},
    )
