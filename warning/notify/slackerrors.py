"""Turn what slack-sdk raises into a :class:`~warning.notify.result.DeliveryResult`.

Slack says "slow down" three ways, and all three mean "retry after N seconds": HTTP 429
with ``Retry-After``, and HTTP 200 bodies ``{"ok": false, "error": "ratelimited"}`` or
``"message_limit_exceeded"`` (which slack-sdk's own 429 retry handler does not catch).
5xx answers, timeouts and dropped connections are transient; ``channel_not_found``,
``invalid_auth``, ``not_in_channel`` and the other request errors are permanent.

>>> classify_error_code("message_limit_exceeded", status=200, retry_after_header=None,
...                     default_retry_after=5.0).retry_after
5.0
>>> classify_error_code("internal_error", status=200, retry_after_header=None,
...                     default_retry_after=5.0).status.value
'transient'
>>> classify_error_code("not_in_channel", status=200, retry_after_header="3",
...                     default_retry_after=5.0).status.value
'permanent'
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
from collections.abc import Mapping
from typing import Any

from slack_sdk.errors import SlackApiError, SlackRequestError

from warning.notify.result import DeliveryResult

__all__ = [
    "PERMANENT_CODES",
    "RATE_LIMIT_CODES",
    "TRANSIENT_CODES",
    "classify_error_code",
    "classify_exception",
    "retry_after_value",
]

RATE_LIMIT_CODES = frozenset({"ratelimited", "rate_limited", "message_limit_exceeded"})
TRANSIENT_CODES = frozenset(
    {"internal_error", "fatal_error", "service_unavailable", "request_timeout", "timeout"}
)
#: Documented here for readers; any code that is neither rate limit nor transient is permanent.
PERMANENT_CODES = frozenset(
    {
        "channel_not_found",
        "invalid_auth",
        "not_authed",
        "not_in_channel",
        "account_inactive",
        "token_revoked",
        "is_archived",
        "msg_too_long",
        "no_text",
        "invalid_blocks",
        "user_not_found",
        "message_not_found",
        "cant_update_message",
        "missing_scope",
    }
)


def retry_after_value(headers: Mapping[str, Any] | None, default: float) -> float:
    """The ``Retry-After`` header in seconds (case-insensitive), else ``default``.

    >>> retry_after_value({"retry-after": ["7"]}, 1.0), retry_after_value({}, 1.0)
    (7.0, 1.0)
    """
    raw = _header(headers, "retry-after")
    if raw is None:
        return default
    try:
        return max(0.0, float(raw.strip()))
    except ValueError:
        return default


def classify_error_code(
    code: str,
    *,
    status: int,
    retry_after_header: str | None,
    default_retry_after: float,
    method: str | None = None,
    requests: int = 0,
) -> DeliveryResult:
    """The result for Slack's error ``code`` answered with HTTP ``status``."""
    if status == 429 or code in RATE_LIMIT_CODES:
        headers = {} if retry_after_header is None else {"Retry-After": retry_after_header}
        seconds = retry_after_value(headers, default_retry_after)
        error = code if code in RATE_LIMIT_CODES else "ratelimited"
        return DeliveryResult.retry_after_seconds(
            seconds, error=error, http_status=status, method=method, requests=requests
        )
    if status >= 500:
        return DeliveryResult.transient(
            f"http_{status}", http_status=status, method=method, requests=requests
        )
    if code in TRANSIENT_CODES:
        return DeliveryResult.transient(code, http_status=status, method=method, requests=requests)
    return DeliveryResult.permanent(code, http_status=status, method=method, requests=requests)


def _header(headers: Mapping[str, Any] | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return str(value[0] if isinstance(value, list | tuple) and value else value)
    return None


def classify_exception(
    exc: BaseException, *, method: str, default_retry_after: float, requests: int
) -> DeliveryResult | None:
    """The result for an exception from slack-sdk or the network; ``None`` if unknown."""
    if isinstance(exc, SlackApiError):
        response = exc.response
        status = int(getattr(response, "status_code", 200) or 200)
        data = getattr(response, "data", None)
        code = str(data.get("error", "")) if isinstance(data, dict) else ""
        if status >= 500 or not code:
            code = f"http_{status}"
        headers = getattr(response, "headers", None)
        return classify_error_code(
            code,
            status=status,
            retry_after_header=_header(headers, "retry-after"),
            default_retry_after=default_retry_after,
            method=method,
            requests=requests,
        )
    if isinstance(exc, urllib.error.HTTPError):  # the raw upload step of files_upload_v2
        return classify_error_code(
            f"http_{exc.code}",
            status=exc.code,
            retry_after_header=_header(dict(exc.headers.items()), "retry-after"),
            default_retry_after=default_retry_after,
            method=method,
            requests=requests,
        )
    timeout = isinstance(exc, TimeoutError | socket.timeout) or (
        isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, TimeoutError)
    )
    if timeout:
        return DeliveryResult.transient(
            "timeout", method=method, detail=str(exc) or "timed out", requests=requests
        )
    if isinstance(exc, urllib.error.URLError | OSError | http.client.HTTPException):
        return DeliveryResult.transient(
            "connection_error", method=method, detail=repr(exc), requests=requests
        )
    if isinstance(exc, SlackRequestError):
        return DeliveryResult.permanent(
            "request_error", method=method, detail=str(exc), requests=requests
        )
    return None
