"""The HTTP face of ``shitstorm serve``: :func:`create_app` builds the FastAPI application.

Routes:

``POST /v1/mentions``
    A batch of mentions: ``application/json`` (an array, or ``{"mentions": [...]}``) or
    ``application/x-ndjson``; ``Authorization: Bearer <token>`` (401 otherwise).
    Query options as for file ingest: ``brand`` (for rows without one) and
    ``assume_tz`` (for times without an offset). Every row is validated like a file
    row; bad rows are listed (``quarantined: [{"row", "code", "reason"}]``) and never
    hold back the good ones. Answers 202 ``{"accepted", "duplicates", "quarantined"}``
    (200 when nothing new was accepted, e.g. a re-post: ids are remembered), 429 with
    ``Retry-After`` when the queue is full (nothing of the batch is taken), 413 above
    ``max_body`` bytes, 415 for another content type, 422 when the body is not JSON or
    no row names ``timestamp``/``text``, 503 while shutting down.
``POST /slack/actions``, ``POST /slack/commands``
    See :mod:`warning.service.slackroutes`.
``GET /healthz``
    The runtime's health as JSON; 200 when ``ok``, 503 when ``degraded``.
``GET /metrics``
    Prometheus text format (the gauges are refreshed first).
``GET /incidents``, ``GET /incidents/{ref}`` (and its ``chart.png``, checklist ``POST``)
    See :mod:`warning.service.pages`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from warning.errors import InputError, ShitstormError
from warning.service.auth import Tokens, bearer
from warning.service.intake import JSON_TYPES, NDJSON_TYPES, Batch, media_type, parse_batch
from warning.service.pages import page_router
from warning.service.protocol import ServiceRuntime
from warning.service.queue import OfferResult, QueueClosed, QueueFull
from warning.service.slackroutes import slack_router

__all__ = ["DEFAULT_MAX_BODY", "create_app"]

log = logging.getLogger("warning.service")

#: Largest accepted ingest body in bytes (5 MB).
DEFAULT_MAX_BODY = 5 * 1024 * 1024


class _TooLarge(Exception):
    pass


async def _read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise _TooLarge
    parts: list[bytes] = []
    size = 0
    async for part in request.stream():
        size += len(part)
        if size > limit:
            raise _TooLarge
        parts.append(part)
    return b"".join(parts)


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    headers = extra.pop("headers", None)
    return JSONResponse({"error": message, **extra}, status_code=status, headers=headers)


class _Ingest:
    """``POST /v1/mentions``."""

    def __init__(self, runtime: ServiceRuntime, tokens: Tokens, max_body: int) -> None:
        self.runtime = runtime
        self.tokens = tokens
        self.max_body = max_body

    def _accept(
        self, body: bytes, kind: str, brand: str | None, zone: str | None
    ) -> tuple[Batch, OfferResult]:
        batch = parse_batch(body, kind, brand=brand, assume_tz=zone)
        result = self.runtime.queue.offer(batch.frame, quarantined=len(batch.problems))
        return batch, result

    async def __call__(self, request: Request) -> Response:
        metrics = self.runtime.metrics
        if not self.tokens.open and not self.tokens.accepts(
            bearer(request.headers.get("authorization"))
        ):
            return _error(
                401,
                "POST /v1/mentions needs 'Authorization: Bearer <token>' with an ingest token.",
                headers={"WWW-Authenticate": 'Bearer realm="shitstorm ingest"'},
            )
        kind = media_type(request.headers.get("content-type"))
        if kind not in JSON_TYPES | NDJSON_TYPES:
            return _error(
                415,
                "POST /v1/mentions takes application/json or application/x-ndjson. "
                f"Got {kind or 'no content type'!r} instead.",
            )
        if request.headers.get("content-encoding", "identity").lower() not in ("", "identity"):
            return _error(415, "POST /v1/mentions takes uncompressed bodies only.")
        if self.runtime.queue.closed:
            return _error(503, "The service is shutting down.", headers={"Retry-After": "30"})
        try:
            body = await _read_limited(request, self.max_body)
        except _TooLarge:
            return _error(
                413,
                f"The request body must be at most {self.max_body} bytes; send smaller batches.",
            )
        brand = request.query_params.get("brand")
        zone = request.query_params.get("assume_tz")
        try:
            batch, result = await run_in_threadpool(self._accept, body, kind, brand, zone)
        except QueueFull as err:
            metrics.http_429_total.inc()
            retry = max(1, round(err.retry_after))
            return _error(429, str(err), headers={"Retry-After": str(retry)})
        except QueueClosed as err:
            return _error(503, str(err), headers={"Retry-After": "30"})
        except InputError as err:
            return _error(422, str(err))
        except ShitstormError as err:  # a bad option (unknown zone) is the caller's fault
            return _error(422, str(err))
        duplicates = result.duplicates + batch.in_batch_duplicates
        metrics.mentions_ingested_total.inc(result.accepted)
        metrics.mentions_duplicate_total.inc(duplicates)
        metrics.mentions_quarantined_total.inc(len(batch.problems))
        metrics.queue_depth.set(self.runtime.queue.depth())
        answer = {
            "accepted": result.accepted,
            "duplicates": duplicates,
            "quarantined": [p.to_dict() for p in batch.problems],
        }
        return JSONResponse(answer, status_code=202 if result.accepted else 200)


def create_app(
    runtime: ServiceRuntime,
    *,
    ingest_tokens: Sequence[str],
    signing_secret: str | None,
    page_tokens: Sequence[str] | None = None,
    max_body: int = DEFAULT_MAX_BODY,
) -> FastAPI:
    """The service's FastAPI application on ``runtime`` (see the module docstring).

    ``ingest_tokens``: accepted bearer tokens for ``/v1/mentions`` (empty: open, for
    127.0.0.1 only). ``signing_secret``: Slack's signing secret (``None``: the Slack
    routes answer 503). ``page_tokens``: tokens for the incident pages (default: the
    ingest tokens). ``max_body``: the largest ingest body in bytes.
    """
    app = FastAPI(title="shitstorm", docs_url=None, redoc_url=None, openapi_url=None)
    ingest = _Ingest(runtime, Tokens(ingest_tokens), max_body)
    pages = Tokens(page_tokens if page_tokens else ingest_tokens)
    app.add_api_route("/v1/mentions", ingest, methods=["POST"])
    app.include_router(slack_router(runtime, signing_secret))
    app.include_router(page_router(runtime, pages))

    @app.get("/healthz")
    async def healthz() -> Response:
        try:
            health = await run_in_threadpool(runtime.health)
        except Exception as err:  # a health check must answer, whatever broke
            health = {"status": "degraded", "checks": {"runtime": {"ok": False, "error": str(err)}}}
        status = 200 if health.get("status") == "ok" else 503
        return JSONResponse(health, status_code=status)

    @app.get("/metrics")
    async def metrics() -> Response:
        try:
            await run_in_threadpool(runtime.refresh_metrics)
        except Exception as err:  # stale gauges are better than no metrics
            log.warning("metrics: refresh failed: %s", err)
        body, content_type = runtime.metrics.render()
        return Response(body, headers={"Content-Type": content_type})

    return app
