"""The service on a real uvicorn server (port 0): ingest over the network, and the incident
page in headless Chromium from Debian's packages (ticked, reloaded, still ticked)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest

from warning.service.app import create_app
from warning.service.background import BackgroundServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def test_ingest_health_and_metrics_over_a_real_server(runtime: Any, mention: Any) -> None:
    app = create_app(runtime, ingest_tokens=["t0k"], signing_secret=None)
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url) as http:
        headers = {"Authorization": "Bearer t0k"}
        answer = http.post("/v1/mentions", json=[mention(i) for i in range(50)], headers=headers)
        assert answer.status_code == 202 and answer.json()["accepted"] == 50
        assert http.get("/healthz").json()["status"] == "ok"
        assert "shitstorm_mentions_ingested_total 50.0" in http.get("/metrics").text
        assert http.post("/slack/commands", content=b"x").status_code == 503  # no secret set
    assert runtime.queue.depth() == 50


@pytest.fixture
def browser(tmp_path: Path) -> Any:
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip("headless Chromium is missing: apt-get install chromium chromium-driver")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(flag)
    # the driver path is given, so Selenium Manager never downloads anything
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)


def test_the_incident_page_in_chromium(runtime: Any, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    ref = runtime.open_crisis()
    app = create_app(runtime, ingest_tokens=["ingest"], signing_secret=None, page_tokens=["pg"])
    with BackgroundServer(app) as server:
        browser.get(f"{server.url}/incidents?token=pg")
        browser.find_element(By.LINK_TEXT, ref).click()
        assert browser.current_url.endswith(f"/incidents/{ref}")
        row = browser.find_element(By.ID, "item-item-1")
        assert row.get_attribute("data-done") == "no"
        Select(row.find_element(By.TAG_NAME, "select")).select_by_visible_text("Anna Becker")
        row.find_element(By.TAG_NAME, "button").click()
        assert "Fakten sammeln (Anna Becker)" in browser.find_element(By.ID, "notice").text
        browser.get(f"{server.url}/incidents/{ref}")  # reload: the tick is in the store
        row = browser.find_element(By.ID, "item-item-1")
        assert row.get_attribute("data-done") == "yes"
        assert "erledigt von Anna Becker" in row.text
        timeline = browser.find_element(By.ID, "timeline").text
        assert "crisis_opened" in timeline and "ack_received" in timeline
        chart = browser.find_element(By.ID, "chart")
        loaded = browser.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth", chart
        )
        assert loaded and loaded > 100  # the PNG was served and decoded
    with runtime.store.read() as tx:
        done = {c.item_key: c.done_by for c in tx.checklist(int(ref[2:]))}
    assert done["item-1"] == "anna"
