"""`shitstorm demo`: the Saturday-evening storm, end to end, on embedded defaults."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click

__all__ = ["COMMANDS", "demo"]


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("shitstorm-demo"),
    show_default=True,
    help="Folder for alerts.jsonl, chart.png and report.html.",
)
def demo(out_dir: Path) -> None:
    """Replay a bundled Saturday-evening storm through the whole pipeline.

    Detection, the page to the person on call that evening, the escalation when
    nobody acknowledges, the checklist and a holding statement. Pages go to a local
    Slack stand-in unless SHITSTORM_SLACK_API_URL and SHITSTORM_SLACK_BOT_TOKEN are set.
    """
    from warning.demo import run_demo
    from warning.demo.report import local

    started = time.perf_counter()
    result = run_demo(
        out_dir,
        slack_url=os.environ.get("SHITSTORM_SLACK_API_URL") or None,
        slack_token=os.environ.get("SHITSTORM_SLACK_BOT_TOKEN") or None,
        progress=lambda msg: click.echo(f"… {msg}", err=True),
    )
    echo = click.echo
    truth = result.truth
    echo(f"\nStorm replay: {truth['brand']} ({truth['crisis_type']}), {result.mentions} mentions")
    echo(f"Truth: storm onset {local(truth['onset'])} (Europe/Berlin)\n")
    echo("Alerts:")
    for a in result.alerts:
        m = a.metrics
        share = "–" if m.negative_share is None else f"{100 * m.negative_share:.0f} %"
        expected = (
            "–" if m.expected_negative_share is None else f"{100 * m.expected_negative_share:.0f} %"
        )
        echo(
            f"  {local(a.fired_at)}  {a.severity.value:<8} volume {m.volume:.0f} vs "
            f"{m.expected_volume:.1f} expected (×{m.volume_ratio:.1f}), "
            f"negative {share} vs {expected}"
        )
    if result.paged_alert is None:
        echo("\nNo alert reached `warning`: nobody was paged.")
    else:
        onset = truth["onset"]
        import pandas as pd

        lead = (result.paged_alert.fired_at - pd.Timestamp(onset)).total_seconds() / 60
        echo(f"\nPaging alert fired {lead:.0f} minutes after the onset.")
        echo(f"Playbook: {result.playbook} → path {result.path}")
        for reason in result.route_reasons:
            echo(f"  because {reason}")
        echo("\nEscalation (nobody acknowledges):")
        for page in result.pages:
            echo(f"  {local(page.at)}  level {page.level} {page.label}: {', '.join(page.people)}")
            for why in page.reasons:
                echo(f"      {why}")
            for answer in page.delivered:
                echo(f"      Slack: {answer}")
        for page in result.later_levels:
            echo(
                f"  {local(page.at)}  then level {page.level} {page.label}: "
                f"{', '.join(page.people)} (if still unacknowledged)"
            )
        if result.slack_requests:
            counts = ", ".join(f"{k} ×{v}" for k, v in result.slack_requests.items())
            echo(f"  Local Slack stand-in received: {counts}")
        echo("\nChecklist:")
        for due, role, task in result.checklist:
            echo(f"  by {local(due)}  [{role}] {task}")
        for sid, lang, text, n, limit in result.statements[:2]:
            cap = f"/{limit}" if limit else ""
            echo(f"\nHolding statement draft {sid} ({lang}, {n}{cap} chars):\n  {text}")
    echo("")
    for name, path in result.outputs.items():
        echo(f"{name:>8}: {path}")
    echo(f"Done in {time.perf_counter() - started:.1f} s.")


COMMANDS: list[click.Command] = [demo]
