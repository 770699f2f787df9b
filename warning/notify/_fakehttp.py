"""The HTTP side of the fake Slack: parse a request, apply a scenario or the workspace."""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from warning.notify._fakescenario import RecordedRequest, Scenario
from warning.notify._fakestate import ApiError

if TYPE_CHECKING:
    from warning.notify.fakeslack import FakeSlack

__all__ = ["FakeSlackHandler"]

_NO_AUTH = frozenset({"upload"})


def _parse_params(content_type: str, body: bytes, query: str) -> dict[str, Any]:
    params: dict[str, Any] = {k: v[-1] for k, v in parse_qs(query).items()}
    if not body:
        return params
    if content_type.startswith("application/json"):
        try:
            loaded = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ApiError("invalid_json") from None
        if not isinstance(loaded, dict):
            raise ApiError("invalid_json")
        params.update(loaded)
    elif content_type.startswith("application/x-www-form-urlencoded"):
        text = body.decode("utf-8", errors="replace")
        params.update({k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()})
    else:
        raise ApiError("invalid_form_data")
    return params


class FakeSlackHandler(BaseHTTPRequestHandler):
    """One request to the fake: ``POST /api/<method>`` or ``POST /upload/v1/<file id>``."""

    protocol_version = "HTTP/1.1"
    server_version = "FakeSlack/1"

    @property
    def fake(self) -> FakeSlack:
        return self.server.fake  # type: ignore[attr-defined, no-any-return]

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def do_GET(self) -> None:
        self.do_POST()

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items()}
        if parts.path.startswith("/upload/v1/"):
            method, file_id = "upload", parts.path.rsplit("/", 1)[-1]
            params: dict[str, Any] = {"file_id": file_id, "length": len(body)}
            parse_error = None
        elif parts.path.startswith("/api/"):
            method, file_id = parts.path[len("/api/") :], ""
            try:
                params = _parse_params(headers.get("Content-Type", ""), body, parts.query)
                parse_error = None
            except ApiError as err:
                params, parse_error = {}, err.code
        else:
            self._send_raw(404, b"not found", "text/plain", None)
            return
        request = self.fake.record(method, params, headers)
        scenario = self.fake.pick_scenario(request)
        while scenario is not None and scenario.kind == "slow":
            request.scenario = "slow"
            if self.fake.stopping.wait(scenario.delay):
                return
            scenario = scenario.then
        if scenario is not None and scenario.kind != "ok":
            request.scenario = scenario.kind
            self._answer_scenario(request, scenario)
            return
        if parse_error is not None:
            self._send_json(request, 200, {"ok": False, "error": parse_error})
            return
        if method not in _NO_AUTH:
            auth_error = self._auth_error(params)
            if auth_error is not None:
                self._send_json(request, 200, {"ok": False, "error": auth_error})
                return
        self._answer_normally(request, method, params, body, file_id)

    # ------------------------------------------------------------------ helpers
    def _auth_error(self, params: dict[str, Any]) -> str | None:
        header = self.headers.get("Authorization", "")
        token = header[len("Bearer ") :].strip() if header.startswith("Bearer ") else None
        token = token or params.pop("token", None)
        if not token:
            return "not_authed"
        return None if token == self.fake.token else "invalid_auth"

    def _answer_scenario(self, request: RecordedRequest, scenario: Scenario) -> None:
        if scenario.kind == "disconnect":
            self.close_connection = True
            request.error = "disconnect"
            return
        if scenario.kind == "server_error":
            request.status, request.error = scenario.status, "server_error"
            self._send_raw(scenario.status, b"upstream connect error", "text/plain", None)
            return
        extra = {} if scenario.retry_after is None else {"Retry-After": str(scenario.retry_after)}
        status = 429 if scenario.kind == "http_429" else 200
        body = {"ok": False, "error": scenario.code or scenario.kind}
        self._send_json(request, status, body, extra)

    def _answer_normally(
        self, request: RecordedRequest, method: str, params: dict[str, Any], body: bytes, fid: str
    ) -> None:
        fake = self.fake
        if method == "chat.postMessage" and fake.gate is not None:
            with fake.lock:
                try:
                    channel = fake.workspace.resolve(params.get("channel"), auto_users=True)
                except ApiError:
                    channel = str(params.get("channel"))
            wait = fake.gate.admit(channel, time.monotonic())
            if wait is not None:
                payload = {"ok": False, "error": "ratelimited"}
                self._send_json(request, 429, payload, {"Retry-After": str(wait)})
                return
        try:
            with fake.lock:
                if method == "upload":
                    fake.workspace.receive_upload(fid, body)
                    answer: Any = None
                else:
                    answer = fake.workspace.call(
                        method, params, base_url=fake.base_url, auto_users=fake.auto_users
                    )
                if method in ("chat.postMessage", "chat.update") and isinstance(answer, dict):
                    request.extra["ts"] = answer.get("ts")
                    request.extra["channel"] = answer.get("channel")
                fake.persist()
        except ApiError as err:
            self._send_json(request, 200, {"ok": False, "error": err.code})
            return
        if method == "upload":
            request.status = 200
            self._send_raw(200, f"OK - {len(body)}".encode(), "text/plain", None)
            return
        self._send_json(request, 200, {"ok": True, **answer})

    def _send_json(
        self,
        request: RecordedRequest,
        status: int,
        payload: dict[str, Any],
        extra_headers: dict[str, str] | None = None,
    ) -> None:
        request.status = status
        if payload.get("ok") is False:
            request.error = str(payload.get("error"))
        data = json.dumps(payload).encode("utf-8")
        self._send_raw(status, data, "application/json; charset=utf-8", extra_headers)

    def _send_raw(
        self, status: int, data: bytes, content_type: str, extra_headers: dict[str, str] | None
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for key, value in (extra_headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            self.close_connection = True
