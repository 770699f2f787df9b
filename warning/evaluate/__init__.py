"""Evaluate: score replayed alerts against labelled streams.

- :mod:`warning.evaluate.nab` — the NAB score, exactly as NAB 1.x computes it
  (probation, scaled sigmoid, three profiles, files summed, then normalised);
- :mod:`warning.evaluate.onsets` — spike onsets caught, minutes from onset to alert,
  false-alarm events per stream-week;
- :func:`evaluate_streams` — both, on streams in memory (notebooks, synthetic data;
  :func:`synthetic_input` builds the input from a synthetic stream's truth);
- :func:`evaluate_dir` — both, on ``<stream>.alerts.jsonl`` files and NAB label files
  (the ``shitstorm evaluate`` command).
"""

from __future__ import annotations

from warning.evaluate.directory import ALERTS_SUFFIX, evaluate_dir
from warning.evaluate.files import (
    read_alert_flags,
    read_label_file,
    read_window_file,
    windows_from_labels,
)
from warning.evaluate.nab import (
    PROFILES,
    CostProfile,
    NabCorpusScore,
    NabStream,
    ThresholdScore,
    optimise_threshold,
    score_corpus,
)
from warning.evaluate.onsets import AlertStats, OnsetOutcome, alert_stats, spike_onsets
from warning.evaluate.report import EvaluationReport, NabFigures, StreamEvaluation
from warning.evaluate.streams import StreamInput, evaluate_streams
from warning.evaluate.synthetic import campaign_flags, synthetic_input

__all__ = [
    "ALERTS_SUFFIX",
    "PROFILES",
    "AlertStats",
    "CostProfile",
    "EvaluationReport",
    "NabCorpusScore",
    "NabFigures",
    "NabStream",
    "OnsetOutcome",
    "StreamEvaluation",
    "StreamInput",
    "ThresholdScore",
    "alert_stats",
    "campaign_flags",
    "evaluate_dir",
    "evaluate_streams",
    "optimise_threshold",
    "read_alert_flags",
    "read_label_file",
    "read_window_file",
    "score_corpus",
    "spike_onsets",
    "synthetic_input",
    "windows_from_labels",
]
