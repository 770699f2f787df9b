"""``POST /slack/actions`` and ``POST /slack/commands``: verified, de-duplicated, dispatched.

Order of work for every request: read the raw body (at most 1 MB), verify the
signature and timestamp with :class:`~warning.notify.signature.SlackRequestVerifier`
(401 and nothing parsed on failure), drop a Slack retry of a request already
handled (:class:`~warning.notify.interact.RetryDeduplicator`, and the store's request
ids behind it), parse it (:func:`~warning.notify.interact.parse_interaction`) and hand
every answer to :meth:`Escalator.on_ack <warning.escalate.Escalator.on_ack>`. An unknown
Slack user gets the polite refusal, and what they tried is recorded as refused.
The answer is an ephemeral message in the person's language; work that takes
longer than :data:`ANSWER_WITHIN` seconds goes on in the background and Slack gets
"received" in time (Slack gives up after 3 s).
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from warning.errors import ShitstormError
from warning.notify.interact import Interaction, RetryDeduplicator, parse_interaction, request_key
from warning.notify.signature import Rejection, SlackRequestVerifier
from warning.playbook.compiled import Config
from warning.records import Ack
from warning.service.incident import help_text, open_crises, status_text
from warning.service.protocol import ServiceRuntime

__all__ = ["ANSWER_WITHIN", "MAX_SLACK_BODY", "SlackEndpoint", "slack_router"]

log = logging.getLogger("warning.service")

#: Seconds after which Slack gets a "received" answer while the work goes on.
ANSWER_WITHIN = 2.5
#: Slack's payloads are small; anything bigger is refused before verification.
MAX_SLACK_BODY = 1 << 20

_RECEIVED = {"de": "⏳ Angekommen, wird bearbeitet.", "en": "⏳ Received, working on it."}
_NOT_CONFIGURED = "Slack is not configured on this service (SHITSTORM_SLACK_SIGNING_SECRET)."


def roster(config: Config) -> dict[str, str]:
    """Slack user id → person id, from the live playbook set."""
    return {p.slack: pid for pid, p in config.people.items() if p.slack}


def person_language(config: Config, person: str | None) -> str:
    """The first language the person reads (German when none is given)."""
    found = config.people.get(person) if person else None
    if found is not None and found.languages:
        return "en" if str(found.languages[0]) == "en" else "de"
    return "de"


def _ephemeral(text: str) -> JSONResponse:
    return JSONResponse({"response_type": "ephemeral", "text": text})


class SlackEndpoint:
    """The state of the two Slack routes: verifier, retry memory, runtime."""

    def __init__(self, runtime: ServiceRuntime, signing_secret: str | None) -> None:
        self.runtime = runtime
        self.verifier = SlackRequestVerifier(signing_secret) if signing_secret else None
        self.retries = RetryDeduplicator()

    def _count(self, outcome: str) -> None:
        self.runtime.metrics.slack_requests_total.labels(outcome=outcome).inc()

    async def handle(self, request: Request) -> Response:
        if self.verifier is None:
            return JSONResponse({"error": _NOT_CONFIGURED}, status_code=503)
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > MAX_SLACK_BODY:
            return JSONResponse({"error": "request body too large"}, status_code=413)
        body = await request.body()
        if len(body) > MAX_SLACK_BODY:
            return JSONResponse({"error": "request body too large"}, status_code=413)
        now = self.runtime.clock.now()
        verified = self.verifier.verify(dict(request.headers), body, now)
        if isinstance(verified, Rejection):
            self._count("rejected")
            log.warning("slack: request refused (%s %s)", verified.reason, verified.detail)
            return JSONResponse({"error": verified.reason}, status_code=401)
        if not self.retries.first_time(request_key(verified), now):
            self._count("retry")
            return Response(status_code=200)
        config = self.runtime.playbooks()
        # an unknown user's refusal is in German, the product's default language
        interaction = parse_interaction(verified, roster=roster(config), tz=self.runtime.tz)
        lang = person_language(config, interaction.person)
        work = asyncio.ensure_future(run_in_threadpool(self.dispatch, interaction, lang))
        try:
            text = await asyncio.wait_for(asyncio.shield(work), ANSWER_WITHIN)
        except TimeoutError:
            self._count("slow")
            return _ephemeral(_RECEIVED.get(lang, _RECEIVED["de"]))
        if interaction.kind == "block_actions" and not interaction.refused:
            return Response(status_code=200)  # the message itself is updated via the outbox
        return _ephemeral(text)

    # ------------------------------------------------------------------ dispatch (a thread)
    def dispatch(self, interaction: Interaction, lang: str) -> str:
        """Apply what the request asks for; returns the line to show the person."""
        if interaction.refused:
            self._count("refused")
            for ack in interaction.unauthorised:
                self._apply(ack)  # recorded as refused in the audit log
            return str(interaction.refusal)
        command = interaction.command
        if command is not None:
            self._count("command")
            if command.error is not None:
                return command.error
            if command.verb == "help":
                return help_text(lang)
            if command.verb == "status":
                try:
                    crises = open_crises(
                        self.runtime.store, crisis=command.args[0] if command.args else None
                    )
                except ShitstormError as err:
                    return str(err)
                return status_text(crises, lang=lang, tz=self.runtime.tz)
        self._count("action" if command is None else "command_action")
        lines = [self._apply(ack) for ack in interaction.acks]
        return "\n".join(lines) if lines else help_text(lang)

    def _apply(self, ack: Ack) -> str:
        try:
            outcome = self.runtime.escalator.on_ack(ack)
        except ShitstormError as err:
            return str(err)
        return outcome.message


def slack_router(runtime: ServiceRuntime, signing_secret: str | None) -> APIRouter:
    """The two Slack routes on one :class:`SlackEndpoint`."""
    endpoint = SlackEndpoint(runtime, signing_secret)
    router = APIRouter()
    router.add_api_route("/slack/actions", endpoint.handle, methods=["POST"])
    router.add_api_route("/slack/commands", endpoint.handle, methods=["POST"])
    return router
