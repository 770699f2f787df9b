"""`shitstorm model train` and `shitstorm model eval`: the negativity model."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from warning.commands.progress import bar
from warning.errors import UsageError

COMMANDS: list[click.Command] = []


@click.group("model")
def model_group() -> None:
    """Train and evaluate the negativity model."""


@model_group.command("train")
@click.option(
    "--data",
    "data_files",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Labelled corpus file (JSON Lines, see data/corpus/DATACARD.md); repeatable. "
    "Default: data/corpus/*.jsonl of the checkout.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder for negativity.skops and its model cards. Default: the checkout's models/.",
)
@click.option(
    "--vader/--no-vader",
    default=False,
    show_default=True,
    help="Add VADER's 4,200 rated English tweets (fetched with pip, cached) at weight 0.25. "
    "Off by default: they lower the held-out scores on our corpus.",
)
@click.option(
    "--crisis-terms",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Crisis-term list (TSV). Default: data/lexicon/crisis_terms.tsv of the checkout.",
)
def train_command(
    data_files: tuple[Path, ...], out: Path | None, vader: bool, crisis_terms: Path | None
) -> None:
    """Train the negativity model and write it with its model card.

    Needs the training extra (pip install 'shitstorm[train]') for the lexicons;
    with --vader the VADER tweets are fetched once with pip and cached in
    ~/.cache/shitstorm.
    """
    from warning.clock import SystemClock
    from warning.score.artifact import save_model
    from warning.score.sources import CHECKOUT, training_lexicon
    from warning.score.training import train

    files = list(data_files) or sorted((CHECKOUT / "data" / "corpus").glob("*.jsonl"))
    for path in files:
        if not path.is_file():
            raise UsageError(f"--data {path}: no such file")
    if not files and not vader:
        raise UsageError("model train: no --data given and no data/corpus/*.jsonl found")
    target = out or (CHECKOUT / "models" if (CHECKOUT / "models").is_dir() else Path("models"))
    started = time.perf_counter()
    stages = bar(desc="train", unit="stage")

    def progress(message: str) -> None:
        stages.update(1)
        stages.set_postfix_str(message[:40])
        stages.write(f"[{time.perf_counter() - started:6.1f}s] {message}", file=sys.stderr)

    progress("reading lexicons")
    lexicon = training_lexicon(crisis_terms)
    progress(f"lexicon: {len(lexicon)} polar terms, {len(lexicon.crisis_terms())} crisis terms")
    result = train(files, lexicon=lexicon, use_vader=vader, progress=progress)
    path = save_model(
        result.model,
        target,
        trained_at=SystemClock().now().replace(microsecond=0),
        metrics=result.metrics,
        data=result.data,
    )
    progress(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB) and its model card")
    stages.close()
    for name, metrics in result.metrics.items():
        click.echo(
            f"{name}: n={metrics['n']} macro_f1={metrics['macro_f1']:.3f} "
            f"negative_pr_auc={metrics['negative_pr_auc']:.3f}"
        )


@model_group.command("eval")
@click.option(
    "--data",
    "data_file",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="CSV or JSON Lines with columns text and label (negative or other).",
)
@click.option(
    "--model",
    "model_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Model file. Default: $SHITSTORM_MODEL, else the bundled model.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
def eval_command(data_file: Path, model_path: Path | None, as_json: bool) -> None:
    """Score labelled posts and report macro-F1 and negative-class PR-AUC."""
    from warning.score.artifact import load_model
    from warning.score.data import read_labelled
    from warning.score.training import evaluate

    frame = read_labelled(data_file)
    if frame.empty:
        raise UsageError(f"--data {data_file}: no rows to evaluate")
    model = load_model(model_path)
    metrics = evaluate(model.negativity(frame["text"].tolist()), frame["label"].to_numpy())
    if as_json:
        click.echo(json.dumps(metrics, sort_keys=False))
        return
    for key, value in metrics.items():
        click.echo(f"{key:16} {value:.4f}" if isinstance(value, float) else f"{key:16} {value}")


COMMANDS.append(model_group)
