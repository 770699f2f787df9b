"""Incident pages over the ASGI app: list, detail, chart, checklist ticks, tokens, languages."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def page(runtime: Any, make_client: Any) -> Any:
    client = make_client(runtime, ingest_tokens=["ingest"], page_tokens=["page-secret"])
    yield client
    client.close()


def test_pages_need_the_page_token_and_keep_it_as_a_strict_cookie(page: Any, runtime: Any) -> None:
    ref = runtime.open_crisis()
    for url in ("/incidents", f"/incidents/{ref}", f"/incidents/{ref}/chart.png"):
        refused = page.get(url)
        assert refused.status_code == 401 and "SHITSTORM_PAGE_TOKEN" in refused.text
    assert page.get("/incidents", headers={"Authorization": "Bearer ingest"}).status_code == 401
    opened = page.get("/incidents?token=page-secret")
    assert opened.status_code == 200
    cookie = opened.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert page.get(f"/incidents/{ref}").status_code == 200  # the cookie carries on


def test_list_and_detail_show_status_signal_checklist_statements_and_timeline(
    runtime: Any, make_client: Any
) -> None:
    ref = runtime.open_crisis()
    with make_client(runtime) as client:  # no page token: the ingest token guards the pages
        client.get("/incidents?token=ingest-token-1")
        listing = client.get("/incidents").text
        assert f'href="/incidents/{ref}"' in listing and "kritisch" in listing
        html = client.get(f"/incidents/{ref}").text
        assert "Sturmwarnung: lumina — kritisch" in html
        assert "Fakten sammeln" in html and "Vorstand informieren" in html
        assert "Lumina Energie AG prüft die Berichte über Wallboxen. Update bis 21:15 Uhr." in html
        assert 'id="timeline"' in html and "crisis_opened" in html
        assert "1.240" in html and "62 %" in html  # metrics against the baseline
        assert f'src="/incidents/{ref}/chart.png"' in html
        assert "<script src" not in html and "<link" not in html  # nothing from elsewhere
        english = client.get(f"/incidents/{ref}?lang=en").text
        assert "Storm warning: lumina — critical" in english and "Checklist" in english
        assert "Lumina Energie AG is looking into" in english
        png = client.get(f"/incidents/{ref}/chart.png")
        assert png.headers["content-type"] == "image/png" and png.content[:4] == b"\x89PNG"
        missing = client.get("/incidents/c-99")
        assert missing.status_code == 404 and "c-99" in missing.text


def test_ticking_an_item_records_who_in_the_audit_log(page: Any, runtime: Any) -> None:
    ref = runtime.open_crisis()
    page.get("/incidents?token=page-secret")
    ticked = page.post(f"/incidents/{ref}/checklist/item-2", data={"person": "katrin"})
    assert ticked.status_code == 303
    html = page.get(ticked.headers["location"]).text
    assert "Erledigt: Vorstand informieren (Katrin Meier)." in html
    assert 'id="item-item-2" data-done="yes"' in html and "erledigt von Katrin Meier" in html
    events = [e for e in runtime.store.timeline(ref) if e.kind == "ack_received"]
    assert [(e.actor, e.data["item"], e.data["slack_user"]) for e in events] == [
        ("katrin", "item-2", "page:katrin")
    ]
    again = page.post(
        f"/incidents/{ref}/checklist/item-2",
        data={"person": "anna"},
        headers={"Accept": "application/json"},
    )
    assert again.json()["status"] == "already"
    stranger = page.post(f"/incidents/{ref}/checklist/item-1", data={"person": "mallory"})
    assert stranger.status_code == 422 and "mallory" in stranger.json()["error"]
    unknown = page.post(f"/incidents/{ref}/checklist/item-9", data={"person": "anna"})
    assert unknown.status_code == 404


def test_text_from_the_data_is_escaped(runtime: Any, make_client: Any) -> None:
    ref = runtime.open_crisis(brand="<img src=x onerror=alert(1)>")
    with make_client(runtime, ingest_tokens=[]) as client:
        html = client.get(f"/incidents/{ref}").text
        listing = client.get("/incidents").text
    assert "<img src=x" not in html and "<img src=x" not in listing
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
