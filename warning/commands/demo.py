"""`shitstorm demo`: the Saturday-evening storm, end to end, on embedded defaults."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import click

__all__ = ["COMMANDS", "demo"]


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("shitstorm-demo"),
    show_default=True,
    help="Folder for report.html, chart.png, alerts.jsonl and timeline.md.",
)
@click.option(
    "--state-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the store (SQLite) and the local Slack stand-in's workspace; "
    "default: a fresh temporary folder (printed). Run again on the same folder: nobody "
    "is paged twice.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary instead of text.")
def demo(out_dir: Path, state_dir: Path | None, as_json: bool) -> None:
    """Replay a bundled Saturday-evening storm through the whole pipeline.

    The mentions run on a simulated clock through the live detection code; the
    alert opens a crisis in the durable escalation runtime (SQLite store, example
    playbooks); nobody acknowledges, so the page climbs the escalation levels;
    the crisis channel gets the post, the checklist and holding-statement drafts
    in its thread; the next morning the crisis is resolved and every page is
    updated in place. Messages go to a local Slack stand-in unless
    SHITSTORM_SLACK_API_URL and SHITSTORM_SLACK_BOT_TOKEN are set.
    """
    from warning.demo import run_demo

    started = time.perf_counter()
    result = run_demo(
        out_dir,
        state_dir=state_dir,
        slack_url=os.environ.get("SHITSTORM_SLACK_API_URL") or None,
        slack_token=os.environ.get("SHITSTORM_SLACK_BOT_TOKEN") or None,
        progress=lambda msg: click.echo(f"… {msg}", err=True),
    )
    if as_json:
        summary = result.summary()
        summary["wall_seconds"] = round(time.perf_counter() - started, 3)
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    _print(result)
    spent = ", ".join(f"{name} {sec:.1f} s" for name, sec in result.timings.items())
    click.echo(f"Done in {time.perf_counter() - started:.1f} s ({spent}).")
    if result.crisis:
        click.echo(
            "The incident page of this run (chart, checklist, timeline): "
            f"shitstorm serve --state-dir {result.state_dir} --insecure-no-auth, "
            f"then open http://127.0.0.1:8000/incidents/{result.crisis}"
        )


def _print(result: Any) -> None:
    import pandas as pd

    from warning.demo.story import stamp

    echo = click.echo
    truth = result.truth
    onset = pd.Timestamp(truth["onset"]).to_pydatetime()
    echo(
        f"\nStorm replay: {truth['brand']} ({truth['crisis_type']}), {result.mentions} mentions, "
        f"{result.buckets} five-minute buckets on a simulated clock"
    )
    echo(f"Truth: storm onset {stamp(onset)}")
    echo(f"State: {result.state_dir} (store {result.store_url})")
    echo(f"Slack: {result.slack}\n")
    echo("What fired:")
    for a in result.alerts:
        m = a.metrics
        share = "–" if m.negative_share is None else f"{100 * m.negative_share:.0f} %"
        usual = (
            "–" if m.expected_negative_share is None else f"{100 * m.expected_negative_share:.0f} %"
        )
        echo(
            f"  {stamp(a.fired_at)}  {a.severity.value:<8} volume {m.volume:.0f} vs "
            f"{m.expected_volume:.1f} expected (×{m.volume_ratio:.1f}), negative {share} vs {usual}"
        )
        if a.drivers is not None:
            d = a.drivers
            platforms = ", ".join(f"{p} {n}" for p, n in d.platforms.items())
            new = "" if d.new_author_share is None else f"; new authors {d.new_author_share:.0%}"
            echo(f"      drivers: {', '.join(d.top_terms[:6])} ({platforms}{new})")
    if not result.alerts:
        echo("  nothing")
    paged = result.paged_alert
    if paged is not None:
        lead = (paged.fired_at - onset).total_seconds() / 60
        echo(f"  the paging alert fired {lead:.0f} minutes after the onset")
    story = result.story
    if story is None:
        echo("\nNo alert opened a crisis: nobody was paged.")
    else:
        _print_crisis(result, story)
    echo("")
    for name, path in result.outputs.items():
        echo(f"{name:>9}: {path}")


def _print_crisis(result: Any, story: Any) -> None:
    from warning.demo.story import local, stamp

    echo = click.echo
    crisis = story.crisis
    echo(
        f"\nCrisis {crisis.ref}: playbook {crisis.crisis_type} → path {story.path} "
        f"(playbook version {crisis.playbook_version[:12]})"
    )
    for reason in result.route_reasons or story.route:
        echo(f"  because {reason}")
    echo("\nEscalation, nobody acknowledges (from the store's audit log and outbox):")
    for event in story.events:
        if event.kind == "statement_drafted":
            continue
        echo(f"  {stamp(event.at)}  {event.text}")
        if event.kind == "level_started":
            for page in story.pages:
                if page.level != event.data.get("level"):
                    continue
                sent = "not sent" if page.sent_at is None else f"sent {local(page.sent_at)[3:]}"
                ack = "" if not page.ack else f", {page.ack.total_seconds() / 60:.0f} min to ack"
                echo(f"      → {page.name}: {page.kind} {sent} ({page.status}{ack})")
    posts = [m for m in story.slack if m.kind == "channel_post"]
    replies = sum(len(m.replies) for m in posts)
    updated = sum(1 for m in story.slack if m.updates)
    calls = ", ".join(f"{method} ×{n}" for method, n in sorted(result.slack_calls.items()))
    echo(
        f"\nSlack: {len(story.slack)} messages ({len(posts)} crisis-channel posts, "
        f"{replies} thread replies), {updated} updated in place"
        + (f"; the stand-in received {calls}" if calls else "")
    )
    echo("\nChecklist (thread of the first crisis-channel post):")
    for item in story.checklist:
        owners = ", ".join(item.owners) or "nobody"
        echo(f"  by {stamp(item.due)}  [{item.role}: {owners}] {item.task}")
    for s in result.statements:
        if s.lang == "de":
            cap = f"/{s.limit}" if s.limit else ""
            echo(f"\nHolding statement draft {s.id} ({s.channel}, de, {s.length}{cap} chars):")
            echo(f"  {s.text}")
            break
    a = story.audit
    verdict = "verified" if a.chain_ok else "BROKEN: " + "; ".join(a.problems)
    echo(
        f"\nAudit log: {a.events} events ({a.crisis_events} of {crisis.ref}), "
        f"hash chain {verdict} (head {a.head_hash[:12]}…)"
    )


COMMANDS: list[click.Command] = [demo]
