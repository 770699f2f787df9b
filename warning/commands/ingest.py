"""`shitstorm ingest`: read a mention export, validate it, quarantine bad rows, score it.

Exit codes (DESIGN.md §4.1): 0 when the file was read, even with quarantined
rows; 2 when it cannot be read at all (missing, unknown format, no ``text`` or
``timestamp`` column) or an option is wrong.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from warning.errors import ModelError

if TYPE_CHECKING:
    from warning.ingest import IngestReport

__all__ = ["COMMANDS", "format_summary", "ingest"]


def _load_model() -> Any:
    """The negativity model of :mod:`warning.score`, imported only when scoring is asked for."""
    load_model = getattr(importlib.import_module("warning.score"), "load_model", None)
    if load_model is None:
        raise ModelError(
            "The negativity model is not available in this installation "
            "(warning.score.load_model is missing); use --no-score to ingest without scores."
        )
    return load_model()


def _count(value: int) -> str:
    return f"{value:,}"


def format_summary(report: IngestReport, outputs: dict[str, Any]) -> str:
    """The human-readable summary printed by ``shitstorm ingest``."""
    dialect = f", delimiter {report.delimiter!r}" if report.delimiter else ""
    encoding = f", {report.encoding}" if report.encoding else ""
    lines = [
        f"Read {report.source} ({report.fmt}{dialect}{encoding}): {_count(report.rows_read)} rows",
        f"  accepted     {_count(report.accepted):>12}",
        f"  quarantined  {_count(report.quarantined):>12}",
    ]
    for code, count in report.quarantined_by_reason.most_common():
        lines.append(f"    {code:<24}{_count(count):>9}")
    lines.append(
        f"  duplicates   {_count(report.duplicates):>12}  (same id seen before, kept once)"
    )
    if report.derived_ids:
        lines.append(f"  derived ids  {_count(report.derived_ids):>12}  (no id column value)")
    renamed = [f"{src} → {dst}" for src, dst in report.columns.items() if src != dst]
    if renamed:
        lines.append("  columns: " + ", ".join(renamed))
    if report.ignored_columns:
        lines.append("  ignored columns: " + ", ".join(report.ignored_columns[:20]))
    if report.brands or report.unbranded:
        brands = [f"{name} {_count(n)}" for name, n in report.brands.most_common(10)]
        if report.unbranded:
            brands.append(f"(no brand) {_count(report.unbranded)}")
        lines.append("  brands: " + ", ".join(brands))
    summary = report.to_dict()
    if summary["first_timestamp"]:
        lines.append(f"  time range: {summary['first_timestamp']} .. {summary['last_timestamp']}")
    if outputs.get("negative") is not None:
        share = outputs["negative"] / report.accepted if report.accepted else 0.0
        lines.append(f"  negative: {_count(outputs['negative'])} ({share:.1%} of accepted)")
    if report.quarantine_path:
        lines.append(f"  quarantine written to {report.quarantine_path}")
    elif report.examples:
        lines.append("  first quarantined rows (give --quarantine FILE to keep them all):")
        lines.extend(f"    row {row.row}: {row.reason}" for row in report.examples)
    if outputs.get("output"):
        what = "mentions with negativity" if outputs.get("scored") else "mentions"
        lines.append(f"  {what} written to {outputs['output']}")
    return "\n".join(lines)


@click.command("ingest")
@click.argument("input_path", metavar="INPUT")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl", "parquet"]),
    help="Input format when the file name does not say (standard input is sniffed).",
)
@click.option("--assume-tz", metavar="ZONE", help="IANA zone for times without an offset.")
@click.option("--brand", metavar="NAME", help="Brand of rows that do not name one.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write accepted mentions here (.csv, .jsonl or .parquet).",
)
@click.option(
    "--quarantine",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write bad rows here with row number and reason (.csv or .jsonl).",
)
@click.option("--encoding", metavar="NAME", help="Text encoding, when detection is wrong.")
@click.option(
    "--chunk-rows", type=click.IntRange(min=1), default=100_000, show_default=True, hidden=True
)
@click.option("--score/--no-score", default=True, help="Add the negativity score (default on).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def ingest(
    input_path: str,
    fmt: str | None,
    assume_tz: str | None,
    brand: str | None,
    out: Path | None,
    quarantine: Path | None,
    encoding: str | None,
    chunk_rows: int,
    score: bool,
    as_json: bool,
) -> None:
    """Read mentions from INPUT (CSV, JSON Lines or Parquet; - for standard input).

    Times are normalised to UTC; rows that cannot be used (no text, unparsable
    or naive time, wrong types, broken encoding, malformed lines) are counted
    and go to the quarantine file with their row number and reason, while the
    good rows carry on. Duplicate ids count once.
    """
    from warning.ingest import MentionWriter, read_mentions
    from warning.records import NEGATIVE_THRESHOLD

    model = _load_model() if score else None
    extra = {"negativity": "float64"} if model is not None else None
    writer = MentionWriter(out, extra_columns=extra) if out is not None else None
    source = input_path if input_path == "-" else Path(input_path)
    stream = read_mentions(
        sys.stdin.buffer if input_path == "-" else source,
        fmt=fmt,
        assume_tz=assume_tz,
        chunk_rows=chunk_rows,
        quarantine=quarantine,
        brand=brand,
        encoding=encoding,
    )
    negative = 0
    try:
        for frame in stream:
            if model is not None:
                negativity = model.score_frame(frame).to_numpy(dtype="float64")
                negative += int((negativity >= NEGATIVE_THRESHOLD).sum())
                frame = frame.assign(negativity=negativity)
            if writer is not None:
                writer.write(frame)
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    if writer is not None:
        writer.close()
    outputs: dict[str, Any] = {
        "output": str(out) if out is not None else None,
        "scored": model is not None,
        "negative": negative if model is not None else None,
    }
    if as_json:
        click.echo(json.dumps({**stream.report.to_dict(), **outputs}, ensure_ascii=False, indent=2))
    else:
        click.echo(format_summary(stream.report, outputs))


COMMANDS: list[click.Command] = [ingest]
