"""Run the app on a real uvicorn server in a background thread (tests, benchmarks, the demo).

>>> from fastapi import FastAPI
>>> import httpx
>>> app = FastAPI()
>>> @app.get("/ping")
... def ping() -> dict[str, str]:
...     return {"pong": "yes"}
>>> with BackgroundServer(app) as server:
...     httpx.get(server.url + "/ping").json()
{'pong': 'yes'}
"""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

__all__ = ["BackgroundServer"]


class BackgroundServer:
    """uvicorn on ``host`` and a free port (``port=0``), started and stopped as a context."""

    def __init__(
        self, app: Any, *, host: str = "127.0.0.1", port: int = 0, log_level: str = "warning"
    ) -> None:
        config = uvicorn.Config(
            app, host=host, port=port, log_level=log_level, access_log=False, lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.host = host
        self.port = port
        self._thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start on {self.host} within {timeout} s")
            time.sleep(0.01)
        sockets = [s for server in self.server.servers for s in server.sockets]
        self.port = int(sockets[0].getsockname()[1])
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self._thread.join(timeout)

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
