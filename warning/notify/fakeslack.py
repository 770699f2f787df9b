"""A loopback fake of Slack's Web API that speaks the real HTTP contract.

It is a real HTTP server on ``127.0.0.1`` (port 0 by default), so slack-sdk's real
``WebClient`` talks to it exactly as it talks to Slack: form or JSON bodies, a
``Bearer`` token (a wrong one gets ``invalid_auth``), HTTP 429 with ``Retry-After``.
Tests script answers per method (:meth:`FakeSlack.queue` for a one-off sequence,
:meth:`FakeSlack.set_rule` for a standing rule), read back every request, and can
switch on Slack's per-channel posting limit (about one message per second). The demo
uses it as a local Slack stand-in; with ``state_path`` the workspace survives a
restart of either side.

>>> from slack_sdk import WebClient
>>> with FakeSlack() as slack:
...     cid = slack.add_channel("crisis")
...     client = WebClient(token=slack.token, base_url=slack.base_url, retry_handlers=[])
...     ts = client.chat_postMessage(channel="#crisis", text="Storm warning")["ts"]
...     (slack.count("chat.postMessage"), slack.messages(cid)[0]["text"])
(1, 'Storm warning')
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Sequence
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from warning.notify._fakehttp import FakeSlackHandler
from warning.notify._fakescenario import RateGate, RecordedRequest, Rule, Scenario
from warning.notify._fakestate import Workspace

__all__ = ["FakeSlack", "RecordedRequest", "Scenario"]

#: Methods that write to the workspace (state is saved after each of them).
MUTATING = frozenset(
    {
        "chat.postMessage",
        "chat.update",
        "conversations.open",
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
        "upload",
    }
)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeSlack


class FakeSlack:
    """A fake Slack workspace served over loopback HTTP; use it as a context manager.

    ``channel_rate`` (messages per second per channel, ``None`` = unlimited) and
    ``channel_burst`` switch on Slack's posting limit for ``chat.postMessage``: a post
    over the limit gets HTTP 429 with ``Retry-After``. ``auto_users`` makes any
    well-formed user id (``U…``) a member of the workspace.
    """

    def __init__(
        self,
        *,
        token: str = "xoxb-shitstorm-fake",
        host: str = "127.0.0.1",
        port: int = 0,
        state_path: str | Path | None = None,
        channel_rate: float | None = None,
        channel_burst: int = 1,
        auto_users: bool = True,
    ) -> None:
        self.token = token
        self.host = host
        self.port = port
        self.state_path = Path(state_path) if state_path is not None else None
        self.auto_users = auto_users
        self.gate = RateGate(channel_rate, channel_burst) if channel_rate else None
        self.lock = threading.RLock()
        self.stopping = threading.Event()
        if self.state_path is not None and self.state_path.exists():
            self.workspace = Workspace.load(self.state_path)
        else:
            self.workspace = Workspace()
        self._queues: dict[str, deque[Scenario]] = {}
        self._rules: dict[str, Rule] = {}
        self._requests: list[RecordedRequest] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> FakeSlack:
        """Bind and serve in a background thread (idempotent)."""
        if self._server is not None:
            return self
        self.stopping.clear()
        server = _Server((self.host, self.port), FakeSlackHandler)
        server.fake = self
        self.port = int(server.server_address[1])
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port; slow answers are cut short."""
        if self._server is None:
            return
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server, self._thread = None, None
        self.persist()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """The Web API base URL to give the client (``SHITSTORM_SLACK_API_URL``)."""
        return f"http://{self.host}:{self.port}/api/"

    # ------------------------------------------------------------------ workspace
    def add_user(
        self,
        user_id: str,
        name: str | None = None,
        *,
        email: str | None = None,
        tz: str = "Europe/Berlin",
        locale: str = "de-DE",
    ) -> str:
        with self.lock:
            self.workspace.add_user(user_id, name, email=email, tz=tz, locale=locale)
            self.persist()
        return user_id

    def add_channel(self, name: str, channel_id: str | None = None, *, member: bool = True) -> str:
        """Create a channel (``member=False``: the bot is not in it) and return its id."""
        with self.lock:
            cid = self.workspace.add_channel(name, channel_id, member=member)
            self.persist()
        return cid

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Messages of a channel (id, ``#name`` or user id for the DM), oldest first."""
        with self.lock:
            cid = self.workspace.resolve(channel, auto_users=self.auto_users)
            return [dict(m) for m in self.workspace.messages[cid]]

    def all_messages(self) -> dict[str, list[dict[str, Any]]]:
        with self.lock:
            return {c: [dict(m) for m in ms] for c, ms in self.workspace.messages.items()}

    def file_bytes(self, file_id: str) -> bytes:
        with self.lock:
            return self.workspace.file_data[file_id]

    def persist(self) -> None:
        if self.state_path is not None:
            with self.lock:
                self.workspace.save(self.state_path)

    # ------------------------------------------------------------------ scenarios
    def queue(self, method: str, *scenarios: Scenario) -> None:
        """Answer the next requests to ``method`` (``"*"`` = any) with these, in order."""
        with self.lock:
            self._queues.setdefault(method, deque()).extend(scenarios)

    def set_rule(self, method: str, rule: Rule | Scenario | None) -> None:
        """A standing answer for ``method`` (a scenario, or a function of the request)."""
        with self.lock:
            if rule is None:
                self._rules.pop(method, None)
            elif isinstance(rule, Scenario):
                fixed = rule
                self._rules[method] = lambda _req: fixed
            else:
                self._rules[method] = rule

    def clear_scenarios(self) -> None:
        with self.lock:
            self._queues.clear()
            self._rules.clear()

    def pick_scenario(self, request: RecordedRequest) -> Scenario | None:
        with self.lock:
            for key in (request.method, "*"):
                pending = self._queues.get(key)
                if pending:
                    return pending.popleft()
            for key in (request.method, "*"):
                rule = self._rules.get(key)
                if rule is not None:
                    picked = rule(request)
                    if picked is not None:
                        return picked
        return None

    # ------------------------------------------------------------------ recording
    def record(
        self, method: str, params: dict[str, Any], headers: dict[str, str]
    ) -> RecordedRequest:
        req = RecordedRequest(method, params, headers, time.monotonic(), datetime.now(UTC))
        with self.lock:
            self._requests.append(req)
        return req

    def requests(self, method: str | None = None) -> list[RecordedRequest]:
        """Every request received so far (of one method, if given), in arrival order."""
        with self.lock:
            return [r for r in self._requests if method is None or r.method == method]

    def count(self, method: str | None = None) -> int:
        return len(self.requests(method))

    def assert_count(self, method: str | None, expected: int) -> None:
        """Fail with the full request log when the count is not ``expected``."""
        seen = self.requests(method)
        if len(seen) != expected:
            log = ", ".join(
                f"{r.method}→{r.status}{'/' + r.error if r.error else ''}" for r in seen
            )
            raise AssertionError(
                f"expected {expected} request(s) to {method or 'any method'}, got {len(seen)}: "
                f"[{log}]"
            )

    def clear_requests(self) -> None:
        with self.lock:
            self._requests.clear()

    def wait_for(self, method: str | None, count: int, timeout: float = 5.0) -> bool:
        """Block until ``count`` requests to ``method`` arrived (or ``timeout`` passed)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count(method) >= count:
                return True
            time.sleep(0.005)
        return self.count(method) >= count

    def seed(self, users: Sequence[str] = (), channels: Sequence[str] = ()) -> None:
        """Add several users (ids) and channels (names) at once."""
        for user in users:
            self.add_user(user)
        for channel in channels:
            self.add_channel(channel)
