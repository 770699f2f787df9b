"""The evidence chart, and the notifiers without a network (recording, console, routing)."""

from __future__ import annotations

import io
import struct
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from warning.errors import InputError
from warning.notify.blocks import page_message
from warning.notify.chart import render_chart
from warning.notify.recording import ConsoleNotifier, RecordingNotifier, RoutingNotifier
from warning.notify.result import DeliveryResult, DeliveryStatus, Notifier
from warning.records import Notification


def storm_frame() -> pd.DataFrame:
    idx = pd.date_range("2026-03-28 15:00", periods=72, freq="5min", tz="UTC")
    rng = np.random.default_rng(0)
    volume = np.r_[rng.poisson(12, 56), np.linspace(30, 340, 16)].astype(float)
    share = np.r_[rng.uniform(0.1, 0.25, 56), np.linspace(0.4, 0.7, 16)]
    return pd.DataFrame(
        {
            "volume": volume,
            "expected_volume": 12.0,
            "negative_share": share,
            "expected_negative_share": 0.18,
        },
        index=idx,
    )


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def test_chart_is_a_deterministic_png(tmp_path: Path) -> None:
    frame = storm_frame()
    kw: dict[str, Any] = {
        "change_points": [frame.index[56]],
        "alerts": [frame.index[58]],
        "title": "Lumina",
    }
    path = tmp_path / "chart.png"
    png = render_chart(frame, path=path, **kw)
    assert png_size(png) == (800, 450) and path.read_bytes() == png
    assert render_chart(frame, **kw) == png  # same input, same bytes
    assert render_chart(frame, lang="en", **kw) != png  # labels differ


def test_chart_works_for_volume_only_series_in_threads() -> None:
    frame = storm_frame()[["volume"]]
    results: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: results.append(render_chart(frame))) for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1 and png_size(results[0]) == (800, 450)


def test_chart_input_errors_are_named() -> None:
    with pytest.raises(InputError, match="'volume' column"):
        render_chart(
            pd.DataFrame({"x": [1.0]}, index=pd.date_range("2026-01-01", periods=1, tz="UTC"))
        )
    with pytest.raises(InputError, match="UTC bucket starts"):
        render_chart(pd.DataFrame({"volume": [1.0]}))


def test_recording_notifier_keeps_each_key_once_and_can_script_trouble() -> None:
    trouble = {"k2": DeliveryResult.retry_after_seconds(3)}
    rec = RecordingNotifier(answer=lambda n: trouble.pop(n.idempotency_key, None))
    assert isinstance(rec, Notifier)
    a = Notification("k1", "page_dm", "U1", "page")
    b = Notification("k2", "fyi", "C1", "fyi")
    assert rec.deliver(a).ok
    assert rec.deliver(b).status is DeliveryStatus.RETRY_AFTER
    assert rec.deliver(b).ok and rec.deliver(a).ts == "rec-000001"
    assert [n.idempotency_key for n in rec.notifications] == ["k1", "k2"]
    assert rec.by_kind("fyi") == [b] and rec.to("U1") == [a] and rec.duplicates == 1
    assert len(rec.attempts) == 3


def test_console_notifier_prints_a_readable_page(alert_factory: Any) -> None:
    msg = page_message(alert_factory(), crisis_id="c-7", lang="en", level=1)
    out = io.StringIO()
    n = Notification(
        "k",
        "page_dm",
        "U04LUM0AB01",
        msg.text,
        blocks=msg.blocks,
        attachments={"chart": "/tmp/c.png"},
    )
    assert ConsoleNotifier(out).deliver(n).ok
    printed = out.getvalue()
    assert "page_dm → U04LUM0AB01" in printed and "Storm warning: Lumina — critical" in printed
    assert "[Escalate] [Resolve] [False alarm]" in printed and "[chart: /tmp/c.png]" in printed
    assert "&lt;" not in printed


def test_routing_notifier_sends_email_to_the_email_deliverer() -> None:
    chat, mail = RecordingNotifier(), RecordingNotifier()
    router = RoutingNotifier(chat, mail)
    router.deliver(Notification("a", "page_dm", "U1", "x"))
    router.deliver(Notification("b", "email", "a@b.c", "x"))
    assert [n.idempotency_key for n in chat.notifications] == ["a"]
    assert [n.idempotency_key for n in mail.notifications] == ["b"]
