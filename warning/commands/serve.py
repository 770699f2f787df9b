"""`shitstorm serve`: the HTTP service and the live runtime in one process."""

from __future__ import annotations

import logging
import signal
import socket
import sys
from pathlib import Path
from types import FrameType
from typing import Any

import click

__all__ = ["COMMANDS", "serve"]


def _source(ctx: click.Context, name: str, envvar: str | None = None) -> str:
    found = ctx.get_parameter_source(name)
    if found is click.core.ParameterSource.COMMANDLINE:
        return f"--{name.replace('_', '-')}"
    if found is click.core.ParameterSource.ENVIRONMENT and envvar:
        return envvar
    return "default"


def _duration(value: str | None, what: str) -> Any:
    if value is None or value.strip() == "":
        return None
    import pandas as pd

    from warning.errors import UsageError

    try:
        delta = pd.Timedelta(value.strip())
    except ValueError:
        delta = None
    if delta is None or pd.isna(delta) or delta <= pd.Timedelta(0):
        raise UsageError(f"serve: {what} must be a positive duration such as 2h. Got {value!r}.")
    return delta.to_pytimedelta()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--db",
    envvar="SHITSTORM_DATABASE_URL",
    default=None,
    help="Database URL [env SHITSTORM_DATABASE_URL; default: SQLite in the state dir].",
)
@click.option(
    "--state-dir",
    envvar="SHITSTORM_STATE_DIR",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="State directory: SQLite file, spool [env SHITSTORM_STATE_DIR].",
)
@click.option(
    "--playbooks",
    envvar="SHITSTORM_PLAYBOOKS",
    default=None,
    type=click.Path(exists=True, path_type=Path),
    help="Playbook directory [env SHITSTORM_PLAYBOOKS; default: the bundled example].",
)
@click.option(
    "--detector-config",
    envvar="SHITSTORM_DETECTOR_CONFIG",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Detection configuration YAML [env SHITSTORM_DETECTOR_CONFIG].",
)
@click.option(
    "--tz",
    envvar="SHITSTORM_TZ",
    default=None,
    help="Zone of times in messages [env SHITSTORM_TZ; default: playbook settings].",
)
@click.option("--lang", type=click.Choice(["de", "en"]), default="de", show_default=True)
@click.option(
    "--feed-silence",
    envvar="SHITSTORM_FEED_SILENCE",
    default=None,
    help="Fixed limit for a silent feed, e.g. 2h, on top of the seasonal rule "
    "[env SHITSTORM_FEED_SILENCE; default: off].",
)
@click.option(
    "--feed-silence-p",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=1e-4,
    show_default=True,
    help="A feed is silent when P(no mention | expected volume) falls below this.",
)
@click.option(
    "--reload-every",
    type=float,
    default=5.0,
    show_default=True,
    help="Seconds between checks of the config files (0: SIGHUP only).",
)
@click.option(
    "--allowed-lateness",
    default="2min",
    show_default=True,
    help="How long a bucket waits for late mentions before it is decided.",
)
@click.option("--queue-size", type=click.IntRange(1), default=50_000, show_default=True)
@click.option(
    "--insecure-no-auth", is_flag=True, help="Accept mentions without a token (127.0.0.1 only)."
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="info",
    show_default=True,
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    db: str | None,
    state_dir: Path | None,
    playbooks: Path | None,
    detector_config: Path | None,
    tz: str | None,
    lang: str,
    feed_silence: str | None,
    feed_silence_p: float,
    reload_every: float,
    allowed_lateness: str,
    queue_size: int,
    insecure_no_auth: bool,
    log_level: str,
) -> int:
    """Run the service: ingest, detection on the clock, escalation, Slack, the incident page.

    Secrets come from the environment only: SHITSTORM_INGEST_TOKENS (comma-separated
    bearer tokens for POST /v1/mentions), SHITSTORM_SLACK_BOT_TOKEN,
    SHITSTORM_SLACK_SIGNING_SECRET, SHITSTORM_SMTP_PASSWORD. SIGHUP reloads the
    playbooks and the detector configuration; SIGTERM or SIGINT stop gracefully.
    """
    import uvicorn

    from warning.assets import asset_dir
    from warning.clock import SystemClock
    from warning.escalate.escalator import Escalator
    from warning.service.app import create_app
    from warning.service.feeds import FeedSilenceRule
    from warning.service.metrics import Metrics
    from warning.service.queue import MentionQueue
    from warning.service.runtime import ConfigSources, LiveRuntime, RuntimeOptions
    from warning.service.settings import (
        Setting,
        build_delivery,
        check_auth,
        default_state_dir,
        environ,
        parse_tokens,
    )
    from warning.store.db import Store, mask_url, normalise_url

    env = environ()
    logging.basicConfig(
        level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLogger().level))
    tokens = parse_tokens(env.get("SHITSTORM_INGEST_TOKENS"))
    check_auth(tokens, host=host, insecure_no_auth=insecure_no_auth)
    lines: list[Setting] = []
    state = state_dir or default_state_dir(env)
    lines.append(Setting("state dir", str(state), _source(ctx, "state_dir", "SHITSTORM_STATE_DIR")))
    state.mkdir(parents=True, exist_ok=True)
    url = normalise_url(db) if db else normalise_url(str(state / "shitstorm.db"))
    lines.append(
        Setting(
            "database",
            mask_url(url),
            _source(ctx, "db", "SHITSTORM_DATABASE_URL") if db else "default: the state dir",
        )
    )
    book_dir = playbooks or asset_dir("playbooks")
    lines.append(
        Setting(
            "playbooks",
            str(book_dir),
            _source(ctx, "playbooks", "SHITSTORM_PLAYBOOKS") if playbooks else "default: bundled",
        )
    )
    lines.append(
        Setting(
            "detector",
            str(detector_config) if detector_config else "built-in defaults",
            _source(ctx, "detector_config", "SHITSTORM_DETECTOR_CONFIG"),
        )
    )
    lateness = _duration(allowed_lateness, "--allowed-lateness")
    fixed = _duration(feed_silence, "--feed-silence")
    rule = FeedSilenceRule(p=feed_silence_p, max_silence=fixed)
    lines.append(
        Setting(
            "feeds",
            f"silent when P(no mention) < {feed_silence_p:g}"
            + (f" or after {feed_silence}" if fixed else ""),
            _source(ctx, "feed_silence", "SHITSTORM_FEED_SILENCE"),
        )
    )
    notifier, email, delivery = build_delivery(env)
    lines.extend(delivery)
    ingest_source = "SHITSTORM_INGEST_TOKENS" if tokens else "--insecure-no-auth"
    lines.append(
        Setting(
            "ingest",
            f"{len(tokens)} token(s)" if tokens else "NO AUTHENTICATION (loopback only)",
            ingest_source,
        )
    )
    signing = env.get("SHITSTORM_SLACK_SIGNING_SECRET", "").strip() or None
    lines.append(
        Setting(
            "slack in",
            "buttons and /shitstorm verified" if signing else "buttons and commands refused",
            "SHITSTORM_SLACK_SIGNING_SECRET" + ("" if signing else " not set"),
        )
    )

    store = Store(url)
    store.migrate()
    clock = SystemClock()
    sources = ConfigSources(Path(book_dir), detector_config)
    from warning.playbook.config import load_config

    escalator = Escalator(
        store, load_config(book_dir), clock, notifier=notifier, email=email, lang=lang, tz=tz
    )
    lines.append(
        Setting(
            "time zone",
            escalator.tz,
            _source(ctx, "tz", "SHITSTORM_TZ") if tz else "playbook settings",
        )
    )
    queue = MentionQueue(queue_size)
    metrics = Metrics()
    runtime = LiveRuntime(
        queue=queue,
        metrics=metrics,
        store=store,
        escalator=escalator,
        clock=clock,
        tz=escalator.tz,
        sources=sources,
        state_dir=state,
        options=RuntimeOptions(
            allowed_lateness=lateness,
            reload_every=reload_every if reload_every > 0 else None,
            feed_rule=rule,
        ),
    )
    # every page and crisis-channel post carries the chart of the series the runtime saw
    escalator.evidence = runtime.evidence
    escalator.charts = state / "charts"
    page_tokens = parse_tokens(env.get("SHITSTORM_PAGE_TOKEN"))
    app = create_app(
        runtime, ingest_tokens=tokens, signing_secret=signing, page_tokens=page_tokens or None
    )

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        from warning.errors import UsageError

        raise UsageError(f"serve: cannot listen on {host}:{port} ({err.strerror})") from None
    bound = sock.getsockname()[1]
    base = f"http://{host if ':' not in host else f'[{host}]'}:{bound}"
    echo = click.echo
    echo("shitstorm serve: settings")
    for line in lines:
        echo(line.line())
    echo(f"  {'version':<10} playbooks {runtime.playbook_version[:12]}")
    echo(f"listening on {base}  (ingest POST {base}/v1/mentions)")
    echo(f"incident page: {base}/incidents   health: {base}/healthz   metrics: {base}/metrics")
    sys.stdout.flush()

    class _Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            runtime.stop_accepting()  # ingest answers 503 while in-flight requests finish
            super().handle_exit(sig, frame)

    def _noted(sig: int, _frame: FrameType | None) -> None:
        """Takes the signal uvicorn re-raises after its graceful stop (exit code stays 0)."""

    def _hup(_sig: int, _frame: FrameType | None) -> None:
        runtime.request_reload()

    signal.signal(signal.SIGTERM, _noted)
    signal.signal(signal.SIGINT, _noted)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, _hup)
    config = uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="on")
    server = _Server(config)
    runtime.start()
    try:
        server.run(sockets=[sock])
    finally:
        spooled = runtime.shutdown()
        sock.close()
    echo(
        "shitstorm serve: stopped"
        + (f"; {spooled} undecided mention(s) spooled to {runtime.spool_path}" if spooled else "")
    )
    return 0


COMMANDS: list[click.Command] = [serve]
