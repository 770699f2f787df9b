"""On-call figures: the 8-week coverage sweep of the example and one who-is-on-call query.

Goals: sweep <= 2 s, one query <= 50 µs. The baseline in the same run is the
definition itself (``CompiledSchedule.direct``: rules and rotations evaluated
from scratch), so the ratio shows what the precomputed timeline buys.

Run: python benchmarks/bench_oncall.py   (writes reports/bench_oncall.json)
"""

from __future__ import annotations

import json
import random
import statistics
import time
import timeit
from datetime import UTC, datetime, timedelta
from pathlib import Path

from warning.playbook.config import load_config
from warning.playbook.coverage import sweep
from warning.playbook.plan import escalation_plan
from warning.playbook.resolve import who_is_on_call

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "playbooks"
START = datetime(2026, 3, 2, tzinfo=UTC)  # includes the DST change, Easter and Whit Monday


def _instants(count: int, seed: int = 7) -> list[datetime]:
    rng = random.Random(seed)
    return [START + timedelta(seconds=rng.randrange(8 * 7 * 86_400)) for _ in range(count)]


def main() -> dict[str, float]:
    t0 = time.perf_counter()
    load_config(EXAMPLE)
    load_s = time.perf_counter() - t0

    sweeps = []
    for _ in range(3):
        config = load_config(EXAMPLE)  # fresh caches: the sweep builds every timeline
        t0 = time.perf_counter()
        result = sweep(config, START)
        sweeps.append(time.perf_counter() - t0)
        assert result.ok
    warm_t0 = time.perf_counter()
    sweep(config, START)
    warm_sweep_s = time.perf_counter() - warm_t0

    instants = _instants(2000)
    schedule = config.schedules["social-duty"]
    for at in instants:  # warm the timeline over the 8 weeks, as a running service would
        who_is_on_call(config, "social-duty", at)
    n = len(instants)
    query_s = min(
        timeit.repeat(
            lambda: [who_is_on_call(config, "social-duty", at) for at in instants],
            number=5,
            repeat=5,
        )
    ) / (5 * n)
    direct_s = (
        min(timeit.repeat(lambda: [schedule.direct(at) for at in instants], number=1, repeat=3)) / n
    )
    plan_s = (
        min(
            timeit.repeat(
                lambda: [
                    escalation_plan(config, {"severity": "critical"}, at) for at in instants[:200]
                ],
                number=1,
                repeat=3,
            )
        )
        / 200
    )

    figures = {
        "load_example_s": round(load_s, 4),
        "sweep_8_weeks_cold_s_median": round(statistics.median(sweeps), 4),
        "sweep_8_weeks_cold_s_best": round(min(sweeps), 4),
        "sweep_8_weeks_warm_s": round(warm_sweep_s, 4),
        "sweep_steps": result.steps,
        "who_is_on_call_us": round(query_s * 1e6, 2),
        "baseline_direct_definition_us": round(direct_s * 1e6, 2),
        "speedup_vs_definition": round(direct_s / query_s, 1),
        "escalation_plan_us": round(plan_s * 1e6, 1),
    }
    for key, value in figures.items():
        print(f"{key:32s} {value}")
    print(
        f"goals: sweep <= 2 s -> {'met' if figures['sweep_8_weeks_cold_s_median'] <= 2 else 'MISSED'}; "
        f"query <= 50 us -> {'met' if figures['who_is_on_call_us'] <= 50 else 'MISSED'}"
    )
    out = ROOT / "reports" / "bench_oncall.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")
    return figures


if __name__ == "__main__":
    main()
