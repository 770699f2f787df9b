"""The evidence chart rides with every page and crisis-channel post of an alert."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from warning.escalate.escalator import Escalator
from warning.escalate.evidence import chart_path
from warning.notify.fakeslack import FakeSlack
from warning.notify.slack import SlackDelivery
from warning.records import Alert

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # the fake stores the bytes, it does not draw them


def _escalator(rig: Any, notifier: Any, charts: Path, evidence: Any) -> Escalator:
    return Escalator(
        rig.store,
        rig.config,
        rig.clock,
        notifier=notifier,
        tz="Europe/Berlin",
        worker="test-worker",
        evidence=evidence,
        charts=charts,
    )


def test_pages_and_posts_carry_the_chart(rig: Any, alert: Any, tmp_path: Path) -> None:
    drawn: list[str] = []

    def evidence(a: Alert) -> bytes:
        drawn.append(a.dedup_key)
        return PNG

    rig.escalator = _escalator(rig, rig.slack, tmp_path / "charts", evidence)
    first = alert()
    rig.escalator.on_alert(first)
    rig.escalator.on_alert(first)  # the same alert again: drawn once
    rig.advance(30)  # level 1, then the next levels: every page carries the chart
    chart = str(chart_path(tmp_path / "charts", first))
    sent = [n for n in rig.slack.notifications if n.kind in ("page_dm", "email", "channel_post")]
    assert {n.kind for n in sent} >= {"page_dm", "channel_post"}
    assert all(n.attachments == {"chart": chart} for n in sent), sent
    assert drawn == [first.dedup_key]
    assert Path(chart).read_bytes() == PNG


@pytest.mark.parametrize("failure", ["raises", "nothing"])
def test_a_chart_that_fails_never_holds_a_page_back(
    rig: Any, alert: Any, tmp_path: Path, failure: str
) -> None:
    def evidence(a: Alert) -> bytes | None:
        if failure == "raises":
            raise ValueError("no series for this brand")
        return None

    rig.escalator = _escalator(rig, rig.slack, tmp_path / "charts", evidence)
    rig.escalator.on_alert(alert())
    rig.run()
    pages = [n for n in rig.slack.notifications if n.kind == "page_dm"]
    assert len(pages) == 1 and pages[0].attachments == {}


def test_the_chart_is_uploaded_into_the_thread_of_the_page(
    rig: Any, alert: Any, tmp_path: Path
) -> None:
    with FakeSlack() as fake:
        fake.add_channel("krisenstab", "C0KRISEN001")
        slack = SlackDelivery(fake.token, fake.base_url, timeout=2.0)
        rig.escalator = _escalator(rig, slack, tmp_path / "charts", lambda a: PNG)
        rig.escalator.on_alert(alert())
        rig.run()
        completed = fake.requests("files.completeUploadExternal")
        assert len(completed) == 2  # the DM to anna and the post in #krisenstab
        assert all(r.params.get("thread_ts") for r in completed)
        file_ids = [f["id"] for r in completed for f in _files(r.params)]
        assert [fake.file_bytes(i) for i in file_ids] == [PNG, PNG]


def _files(params: dict[str, Any]) -> list[dict[str, Any]]:
    import json

    files = params.get("files")
    return json.loads(files) if isinstance(files, str) else list(files or [])
