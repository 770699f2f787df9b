"""POST /v1/mentions: validation like file ingest, idempotency, backpressure, limits."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd


def _taken(runtime: Any) -> pd.DataFrame:
    frames = runtime.queue.take(100_000, timeout=0)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def test_good_rows_are_queued_and_bad_rows_listed_with_the_file_ingest_reason(
    client: Any, runtime: Any, auth: dict[str, str], mention: Any
) -> None:
    rows = [
        mention(0),
        {"id": "naive", "timestamp": "2026-03-28T20:31:00", "text": "keine Zone"},
        mention(2),
        {"id": "empty", "timestamp": "2026-03-28T20:31:00+01:00", "text": "  "},
        "not an object",
        mention(5, reach="viele"),
    ]
    answer = client.post("/v1/mentions", json=rows, headers=auth)
    assert answer.status_code == 202
    body = answer.json()
    assert body["accepted"] == 2 and body["duplicates"] == 0
    assert [(q["row"], q["code"]) for q in body["quarantined"]] == [
        (1, "naive_timestamp"),
        (3, "missing_text"),
        (4, "not_an_object"),
        (5, "invalid_reach"),
    ]
    assert "reach" in body["quarantined"][3]["reason"]
    frame = _taken(runtime)
    assert frame["id"].tolist() == ["m-0", "m-2"]
    assert str(frame["timestamp"].dtype) == "datetime64[ns, UTC]"
    assert frame["timestamp"].iloc[0] == pd.Timestamp("2026-03-28T19:30:00Z")
    assert runtime.metrics.value("mentions_ingested_total") == 2
    assert runtime.metrics.value("mentions_quarantined_total") == 4


def test_the_three_body_shapes_give_the_same_mentions(
    runtime: Any, auth: dict[str, str], mention: Any, make_client: Any
) -> None:
    rows = [mention(i) for i in range(3)]
    shapes = [
        ("application/json", json.dumps(rows).encode()),
        ("application/json", json.dumps({"mentions": rows}).encode()),
        ("application/x-ndjson", "\n".join(json.dumps(r) for r in rows).encode() + b"\n"),
    ]
    seen = []
    for kind, body in shapes:
        runtime.queue = type(runtime.queue)()  # a fresh queue: no memory of the ids
        with make_client(runtime) as client:
            answer = client.post(
                "/v1/mentions", content=body, headers={**auth, "Content-Type": kind}
            )
        assert answer.status_code == 202, answer.text
        seen.append(_taken(runtime).to_dict("records"))
    assert seen[0] == seen[1] == seen[2]
    assert [r["id"] for r in seen[0]] == ["m-0", "m-1", "m-2"]


def test_ndjson_rows_are_numbered_by_line_and_brand_and_zone_options_apply(
    client: Any, runtime: Any, auth: dict[str, str], mention: Any
) -> None:
    body = (
        b'{"id": "a", "created_at": "2026-03-28 20:30:00", "content": "hallo"}\n'
        b"{broken\n"
        b'{"id": "b", "created_at": "2026-03-28 20:31:00", "content": "tsch\\u00fcss"}\n'
    )
    answer = client.post(
        "/v1/mentions?brand=Lumina&assume_tz=Europe/Berlin",
        content=body,
        headers={**auth, "Content-Type": "application/x-ndjson"},
    )
    assert answer.status_code == 202
    assert [(q["row"], q["code"]) for q in answer.json()["quarantined"]] == [(1, "malformed_json")]
    frame = _taken(runtime)
    assert frame["brand"].tolist() == ["Lumina", "Lumina"]
    assert frame["text"].tolist() == ["hallo", "tschüss"]
    assert frame["timestamp"].iloc[0] == pd.Timestamp("2026-03-28T19:30:00Z")


def test_a_repost_is_harmless_and_answers_200_with_duplicates(
    client: Any, runtime: Any, auth: dict[str, str], mention: Any
) -> None:
    rows = [mention(i) for i in range(5)]
    first = client.post("/v1/mentions", json=[*rows, mention(0)], headers=auth)
    assert first.status_code == 202
    assert first.json()["accepted"] == 5 and first.json()["duplicates"] == 1
    again = client.post("/v1/mentions", json=rows, headers=auth)
    assert again.status_code == 200
    assert again.json() == {"accepted": 0, "duplicates": 5, "quarantined": []}
    assert runtime.queue.depth() == 5
    assert runtime.metrics.value("mentions_duplicate_total") == 6


def test_without_the_right_token_nothing_is_read(
    client: Any, runtime: Any, mention: Any, auth: dict[str, str]
) -> None:
    basic = auth["Authorization"].replace("Bearer", "Basic")
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": basic}):
        answer = client.post("/v1/mentions", json=[mention(0)], headers=headers)
        assert answer.status_code == 401
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
        assert "ingest token" in answer.json()["error"]
    assert runtime.queue.depth() == 0


def test_a_full_queue_answers_429_with_retry_after_and_takes_nothing(
    make_runtime: Any, make_client: Any, mention: Any, auth: dict[str, str]
) -> None:
    runtime = make_runtime(queue_size=10)
    with make_client(runtime) as client:
        assert (
            client.post(
                "/v1/mentions", json=[mention(i) for i in range(8)], headers=auth
            ).status_code
            == 202
        )
        batch = [mention(i) for i in range(100, 105)]
        full = client.post("/v1/mentions", json=batch, headers=auth)
        assert full.status_code == 429
        assert 1 <= int(full.headers["Retry-After"]) <= 60
        assert runtime.queue.depth() == 8  # nothing of the batch was half-taken
        assert runtime.metrics.value("http_429_total") == 1
        runtime.queue.take(8, timeout=0)  # the runtime drains ...
        retried = client.post("/v1/mentions", json=batch, headers=auth)  # ... the same batch fits
        assert retried.status_code == 202 and retried.json()["accepted"] == 5


def test_limits_content_types_and_unreadable_bodies(
    runtime: Any, auth: dict[str, str], mention: Any, make_client: Any
) -> None:
    with make_client(runtime, max_body=2_000) as client:
        big = client.post("/v1/mentions", json=[mention(i) for i in range(40)], headers=auth)
        assert big.status_code == 413 and "2000 bytes" in big.json()["error"]
        csv = client.post(
            "/v1/mentions", content=b"a,b\n", headers={**auth, "Content-Type": "text/csv"}
        )
        assert csv.status_code == 415 and "text/csv" in csv.json()["error"]
        broken = client.post(
            "/v1/mentions", content=b"[{", headers={**auth, "Content-Type": "application/json"}
        )
        assert broken.status_code == 422 and "not valid JSON" in broken.json()["error"]
        nothing = client.post("/v1/mentions", json=[{"foo": 1}], headers=auth)
        assert nothing.status_code == 422 and "timestamp" in nothing.json()["error"]
        zone = client.post("/v1/mentions?assume_tz=Mars/Base", json=[mention(0)], headers=auth)
        assert zone.status_code == 422 and "Mars/Base" in zone.json()["error"]
    assert runtime.queue.depth() == 0


def test_healthz_metrics_and_shutdown(
    client: Any, runtime: Any, auth: dict[str, str], mention: Any
) -> None:
    client.post("/v1/mentions", json=[mention(0), mention(1)], headers=auth)
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    metrics = client.get("/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    lines = metrics.text.splitlines()
    assert "shitstorm_mentions_ingested_total 2.0" in lines
    assert "shitstorm_queue_depth 2.0" in lines
    runtime.problem = "playbooks/x.yaml:3:5: unknown key 'nmae'"
    degraded = client.get("/healthz")
    assert degraded.status_code == 503 and degraded.json()["status"] == "degraded"
    runtime.queue.close()
    closing = client.post("/v1/mentions", json=[mention(9)], headers=auth)
    assert closing.status_code == 503 and closing.headers["Retry-After"]
