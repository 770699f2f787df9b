"""HTTP ingest throughput: ``POST /v1/mentions`` on a real uvicorn server on loopback.

Run: python benchmarks/bench_http_ingest.py [--seconds 8] [--clients 8] [--batch 100]
                                            [--format ndjson|json]

* **Load**: the service runs in a child process (``--serve``: the real app on a real
  store and queue, a thread draining the queue as the runtime would); this process
  runs ``--clients`` concurrent httpx clients, each posting batches of ``--batch``
  new mentions back to back for ``--seconds``. Printed: sustained mentions/s,
  requests/s, request latency p50/p99, 429s.
* **Where the time goes**: the same bodies through the stages in this process, one at
  a time: JSON decode and re-encode (``json`` bodies only), reading + validating
  (:func:`warning.service.intake.parse_batch`), queue offer (de-duplication); the
  rest of the HTTP time is the server (uvicorn, FastAPI, threads).
* **Baseline**: the same rows through file ingest (``warning.ingest.read_mentions`` on
  a JSONL file), as mentions/s and the HTTP/file ratio.

Figures are printed and written to reports/bench_http_ingest.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "bench-token"
T0 = datetime(2026, 3, 28, 19, 30, tzinfo=UTC)
WORDS = [
    "Nie",
    "wieder",
    "Lumina",
    "#boykott",
    "Wallbox",
    "brennt",
    "Rückruf",
    "jetzt",
    "sofort",
    "Skandal",
]


def make_rows(start: int, count: int) -> list[dict[str, Any]]:
    """``count`` realistic mention rows with ids from ``start`` on."""
    out = []
    for i in range(start, start + count):
        out.append(
            {
                "id": f"m{i}",
                "timestamp": (T0 + timedelta(milliseconds=137 * i)).isoformat(),
                "text": " ".join(WORDS[(i + k) % len(WORDS)] for k in range(8)) + f" {i}",
                "brand": "Lumina",
                "author": f"user{i % 5000}",
                "platform": ("x", "tiktok", "instagram")[i % 3],
                "lang": "de",
                "reach": (i * 7919) % 100_000,
                "kind": ("post", "repost", "reply")[i % 3],
            }
        )
    return out


def encode(rows: list[dict[str, Any]], fmt: str) -> tuple[bytes, str]:
    if fmt == "ndjson":
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        return body.encode(), "application/x-ndjson"
    return json.dumps(rows, ensure_ascii=False).encode(), "application/json"


# ---------------------------------------------------------------------- the server side
def serve(port_file: Path) -> None:
    """Child process: the real app on uvicorn, the queue drained by a thread."""
    from warning.clock import SystemClock
    from warning.escalate.escalator import Escalator
    from warning.notify.recording import RecordingNotifier
    from warning.playbook.config import load_config
    from warning.service.app import create_app
    from warning.service.background import BackgroundServer
    from warning.service.metrics import Metrics
    from warning.service.queue import MentionQueue
    from warning.store.db import Store

    state = Path(tempfile.mkdtemp(prefix="bench-http-"))
    store = Store(f"sqlite:///{state / 'state.db'}")
    store.migrate()
    config = load_config(ROOT / "playbooks")

    class Runtime:
        def __init__(self) -> None:
            self.queue = MentionQueue(200_000, dedup_size=2_000_000)
            self.metrics = Metrics()
            self.store = store
            self.clock = SystemClock()
            self.tz = "Europe/Berlin"
            self.escalator = Escalator(store, config, self.clock, notifier=RecordingNotifier())

        def health(self) -> dict[str, Any]:
            return {"status": "ok", "checks": {}}

        def playbooks(self) -> Any:
            return config

        def refresh_metrics(self) -> None:
            self.metrics.queue_depth.set(self.queue.depth())

    runtime = Runtime()

    def drain() -> None:
        while True:
            runtime.queue.take(5000, timeout=0.5)

    threading.Thread(target=drain, daemon=True).start()
    app = create_app(runtime, ingest_tokens=[TOKEN], signing_secret=None)
    with BackgroundServer(app) as server:
        port_file.write_text(str(server.port))
        while True:
            time.sleep(3600)


# ---------------------------------------------------------------------- the client side
async def load(
    url: str, seconds: float, clients: int, batch: int, fmt: str, first_id: int = 0
) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    accepted = 0
    refused = 0
    counter = iter(range(10**9))
    bodies: list[tuple[bytes, str]] = []  # prepared up front: the client must not be the limit
    for _ in range(max(50, min(2000, 400_000 // batch))):  # enough for ~8 s at any size
        start = first_id + next(counter) * batch
        bodies.append(encode(make_rows(start, batch), fmt))
    index = iter(range(len(bodies)))
    stop_at = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal accepted, refused
        headers = {"Authorization": f"Bearer {TOKEN}"}
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            while time.perf_counter() < stop_at:
                try:
                    body, kind = bodies[next(index)]
                except (StopIteration, IndexError):
                    return
                began = time.perf_counter()
                answer = await http.post(
                    "/v1/mentions", content=body, headers={**headers, "Content-Type": kind}
                )
                latencies.append(time.perf_counter() - began)
                if answer.status_code == 429:
                    refused += 1
                    continue
                accepted += answer.json()["accepted"]

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "seconds": round(elapsed, 2),
        "requests": len(latencies),
        "mentions_accepted": accepted,
        "mentions_per_s": round(accepted / elapsed),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(latencies), 1),
        "p99_ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 1),
        "http_429": refused,
    }


def stages(batch: int, fmt: str, rounds: int = 200) -> dict[str, Any]:
    """Per-batch time of each stage, in this process, without HTTP."""
    from warning.service.intake import parse_batch
    from warning.service.queue import MentionQueue

    queue = MentionQueue(10**7, dedup_size=10**7)
    parse = validate = offer = 0.0
    decode = 0.0
    for r in range(rounds):
        body, kind = encode(make_rows(r * batch, batch), fmt)
        if fmt == "json":
            t = time.perf_counter()
            json.loads(body)
            decode += time.perf_counter() - t
        found = parse_batch(body, kind)
        parse += found.timings["parse"]
        validate += found.timings["validate"]
        t = time.perf_counter()
        queue.offer(found.frame)
        offer += time.perf_counter() - t
    per = 1000 / rounds
    return {
        "json_decode_ms": round(decode * per, 3),
        "to_lines_ms (decode + re-encode)": round(parse * per, 3),
        "read_and_validate_ms": round(validate * per, 3),
        "queue_offer_ms": round(offer * per, 3),
        "in_process_mentions_per_s": round(rounds * batch / (parse + validate + offer)),
    }


def file_baseline(rows: int) -> dict[str, Any]:
    from warning.ingest import read_mentions

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mentions.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for start in range(0, rows, 10_000):
                for row in make_rows(start, min(10_000, rows - start)):
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
        began = time.perf_counter()
        stream = read_mentions(path)
        count = sum(len(frame) for frame in stream)
        elapsed = time.perf_counter() - began
    return {"rows": count, "seconds": round(elapsed, 3), "mentions_per_s": round(count / elapsed)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--format", choices=("ndjson", "json"), default="json")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve)
        return
    with tempfile.TemporaryDirectory() as tmp:
        port_file = Path(tmp) / "port"
        child = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(port_file)],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        try:
            deadline = time.monotonic() + 60
            while not port_file.exists() or not port_file.read_text():
                if child.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the benchmark server did not start")
                time.sleep(0.05)
            url = f"http://127.0.0.1:{port_file.read_text()}"
            # warm-up, then the measured run
            asyncio.run(load(url, 1.0, 2, args.batch, args.format, first_id=10**9))
            http = asyncio.run(load(url, args.seconds, args.clients, args.batch, args.format))
        finally:
            child.terminate()
            child.wait(10)
    result = {
        "setup": {
            "clients": args.clients,
            "batch": args.batch,
            "format": args.format,
            "cpus": os.cpu_count(),
        },
        "http": http,
        "stages_per_batch": stages(args.batch, args.format),
        "file_ingest": file_baseline(max(http["mentions_accepted"], 100_000)),
    }
    result["http_vs_file"] = round(
        result["http"]["mentions_per_s"] / result["file_ingest"]["mentions_per_s"], 3
    )
    print(json.dumps(result, indent=2, ensure_ascii=False))
    out = ROOT / "reports" / "bench_http_ingest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
