"""The escalation runner: fire due timers and drain the outbox, forever, until SIGTERM.

Run it as ``python -m warning.escalate.runner --db URL --playbooks DIR --slack-url URL
--token T``. Each loop fires every due timer and drains the outbox once; when there
was nothing to do it waits ``--poll`` seconds. On start it registers itself and
reconciles sends that a dead runner left in flight (Slack is asked by idempotency
key before anything is sent again). SIGTERM or SIGINT end the loop after the
current step; the exit code is 0. ``--speed`` with ``--clock-origin`` and
``--wall-origin`` runs on a faster clock (demo and crash tests).

Settings not given as options come from the environment: ``SHITSTORM_DATABASE_URL``,
``SHITSTORM_PLAYBOOKS``, ``SHITSTORM_SLACK_API_URL``, ``SHITSTORM_SLACK_BOT_TOKEN``,
and ``SHITSTORM_SMTP_HOST`` / ``SHITSTORM_SMTP_SENDER`` (+ port, user, password) for
the e-mail fallback.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial
from types import FrameType

from warning.clock import Clock, SystemClock
from warning.errors import ShitstormError, UsageError

__all__ = ["build_parser", "main", "run"]


def build_parser() -> argparse.ArgumentParser:
    env = os.environ
    p = argparse.ArgumentParser(
        prog="python -m warning.escalate.runner",
        description="Fire escalation timers and drain the outbox until SIGTERM.",
    )
    p.add_argument("--db", default=env.get("SHITSTORM_DATABASE_URL"), help="database URL")
    p.add_argument("--playbooks", default=env.get("SHITSTORM_PLAYBOOKS"), help="playbook dir")
    p.add_argument("--slack-url", default=env.get("SHITSTORM_SLACK_API_URL"))
    p.add_argument("--token", default=env.get("SHITSTORM_SLACK_BOT_TOKEN"))
    p.add_argument("--slack-timeout", type=float, default=10.0, help="seconds per Slack call")
    p.add_argument("--poll", type=float, default=0.2, help="seconds to wait when idle")
    p.add_argument("--recover-every", type=float, default=10.0, help="seconds between checks")
    p.add_argument("--rate", type=float, default=1.0, help="messages per second per channel")
    p.add_argument("--burst", type=int, default=3, help="burst per channel")
    p.add_argument("--batch", type=int, default=5, help="sends per pass between timer checks")
    p.add_argument("--fallback-after", type=float, default=120.0, help="seconds to e-mail")
    p.add_argument("--lang", default="de", choices=("de", "en"))
    p.add_argument("--tz", default=None, help="zone of times in messages")
    p.add_argument("--default-promise", type=float, default=None, help="minutes")
    p.add_argument("--worker", default=None, help="worker id (default host:pid:random)")
    p.add_argument("--speed", type=float, default=1.0, help="clock speed (demo, tests)")
    p.add_argument("--clock-origin", default=None, help="ISO instant the fast clock starts at")
    p.add_argument("--wall-origin", type=float, default=None, help="Unix time of that start")
    p.add_argument("--once", action="store_true", help="one pass, then exit")
    return p


def _clock(args: argparse.Namespace) -> Clock:
    if args.speed == 1.0 and args.clock_origin is None:
        return SystemClock()
    from warning.escalate.scaledclock import ScaledClock

    origin = (
        datetime.fromisoformat(args.clock_origin.replace("Z", "+00:00"))
        if args.clock_origin
        else SystemClock().now()
    )
    return ScaledClock(origin, speed=args.speed, wall_origin=args.wall_origin)


def run(args: argparse.Namespace, stop: threading.Event) -> int:
    """Build everything from ``args`` and loop until ``stop`` is set."""
    from warning.escalate.escalator import Escalator
    from warning.escalate.version import playbook_version
    from warning.notify.email import EmailDelivery
    from warning.notify.outbox import OutboxScheduler
    from warning.notify.settings import EmailSettings
    from warning.notify.slack import SlackDelivery
    from warning.playbook.config import load_config
    from warning.store.db import Store

    for name in ("db", "playbooks", "token"):
        if not getattr(args, name):
            raise UsageError(f"runner: --{name} (or its environment variable) is required.")
    store = Store(args.db)
    store.migrate()
    config = load_config(args.playbooks)
    slack = SlackDelivery(
        args.token,
        args.slack_url or "https://slack.com/api/",
        timeout=args.slack_timeout,
    )
    email = None
    if os.environ.get("SHITSTORM_SMTP_HOST"):
        email = EmailDelivery.from_settings(EmailSettings.from_env(os.environ))
    escalator = Escalator(
        store,
        config,
        _clock(args),
        playbook_version=playbook_version(args.playbooks),
        notifier=slack,
        email=email,
        scheduler=partial(
            OutboxScheduler, rate=args.rate, burst=args.burst, fallback_after=args.fallback_after
        ),
        worker=args.worker,
        batch=args.batch,
        lang=args.lang,
        tz=args.tz,
        default_promise=(
            None if args.default_promise is None else timedelta(minutes=args.default_promise)
        ),
    )
    escalator.register()
    try:
        escalator.tick()  # timers first (they only queue), then the stranded sends
        escalator.recover()
        last_check = time.monotonic()
        while not stop.is_set():
            work = escalator.run_once()
            if time.monotonic() - last_check >= args.recover_every:
                escalator.heartbeat()
                escalator.recover()
                last_check = time.monotonic()
            if args.once:
                break
            if work == 0:
                stop.wait(args.poll)
    finally:
        escalator.unregister()
        store.dispose()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    stop = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        return run(args, stop)
    except ShitstormError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code


if __name__ == "__main__":
    sys.exit(main())
