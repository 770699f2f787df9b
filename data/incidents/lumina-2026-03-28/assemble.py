"""Assemble the Lumina demo incident from its hand-written posts.

Reads ``posts.jsonl`` (one written post per line, with its phase) and writes, next to it,
``mentions.jsonl`` (the mention stream ``shitstorm demo`` replays), ``truth.json`` and
``expected_spikes.yaml``, then prints a check of the result. Run from the repository root::

    python data/incidents/lumina-2026-03-28/assemble.py

Standard library only and deterministic: one seeded ``random.Random`` drives everything, so
the same posts always give byte-identical files. The timeline lives in ``lumina_story.py``,
the authors in ``lumina_people.py`` and the sampling in ``lumina_stream.py``.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

sys.dont_write_bytecode = True  # this folder ships as package data: keep __pycache__ out of it

from lumina_people import AuthorBook  # noqa: E402
from lumina_story import (  # noqa: E402
    BERLIN,
    BUCKETS,
    DERBY,
    END,
    SPIKE,
    START,
    STEP,
    STORM_PHASES,
    WINDOWS,
    background_rates,
    bucket_mid,
    derby_extra,
    iso_utc,
    spot_extra,
    storm_phase,
    storm_rates,
    utc,
)
from lumina_stream import Component, Mention, Post, Stream, read_posts  # noqa: E402

HERE = Path(__file__).resolve().parent
SEED = 20260328
BRAND = "lumina"
STATEMENT = "In der Lumina App und im Kundenportal"
UPDATE = "Update zur fehlerhaften Jahresabrechnung"
OFFSET = re.compile(r"(Z|[+-]\d\d:\d\d)$")


def build() -> tuple[list[Mention], dict[str, list[Post]]]:
    rng = random.Random(SEED)
    phases = read_posts(HERE / "posts.jsonl")
    book = AuthorBook(rng)
    platforms = Counter(p.platform for p in phases["background"])
    total = sum(platforms.values())
    book.build_pool({p: max(20, round(1500 * c / total)) for p, c in sorted(platforms.items())})
    bg = background_rates(rng)
    spot = [r * spot_extra(bucket_mid(b)) for b, r in enumerate(bg)]
    derby = [r * derby_extra(bucket_mid(b)) for b, r in enumerate(bg)]
    components = (
        Component("background", ("background",), bg, lambda t: "background", 1.0, 1.0),
        Component("campaign", ("campaign",), spot, lambda t: "campaign", 0.5, 0.5),
        Component("busy_saturday", ("busy_saturday",), derby, lambda t: "busy_saturday", 0.55, 0.5),
        Component("storm", STORM_PHASES, storm_rates(), storm_phase, 0.25, 0.15),
    )
    stream = Stream(rng, book, WINDOWS)
    for component in components:
        stream.run(component, phases)
    return sorted(stream.mentions, key=lambda m: (m.at, m.ident)), phases


def per_bucket(mentions: Sequence[Mention]) -> Counter[int]:
    return Counter(int((m.at - START) // STEP) for m in mentions)


def peak_bucket(volume: Counter[int]) -> tuple[int, int]:
    """The busiest 5-minute bucket inside the busiest half hour, and that half hour's volume.

    Robust to a lone noisy bucket elsewhere on the plateau.
    """
    halves = [sum(volume[b + k] for k in range(6)) for b in range(BUCKETS - 5)]
    first = halves.index(max(halves))
    inside = [volume[first + k] for k in range(6)]
    return first + inside.index(max(inside)), max(halves)


def write_outputs(mentions: Sequence[Mention]) -> dict[str, object]:
    with (HERE / "mentions.jsonl").open("w", encoding="utf-8", newline="\n") as out:
        for m in mentions:
            out.write(json.dumps(m.row(BRAND), ensure_ascii=False) + "\n")
    storm = [m for m in mentions if m.phase.startswith("storm")]
    volume = per_bucket(mentions)
    peak, half = peak_bucket(volume)
    statement = next(m.at for m in storm if m.text.startswith(STATEMENT))
    update = next(m.at for m in storm if m.text.startswith(UPDATE))
    kinds = Counter(m.kind for m in storm)
    truth: dict[str, object] = {
        "brand": BRAND,
        "crisis_type": "service_failure",
        "onset": iso_utc(storm[0].at),
        "peak": iso_utc(START + peak * STEP),
        "expected_spikes": [
            {"start": iso_utc(SPIKE[0]), "end": iso_utc(SPIKE[1]), "reason": "TV spot green tariff"}
        ],
        "normal_busy": [
            {
                "start": iso_utc(DERBY[0]),
                "end": iso_utc(DERBY[1]),
                "reason": "Derby in the sponsored Lumina-Arena: a lively, normal Saturday evening",
            }
        ],
        "notes": (
            "Service failure going viral: from 19:40 Europe/Berlin on Saturday 2026-03-28 the "
            "Lumina app and portal show thousands of customers an annual bill with a monthly "
            "instalment four times too high; the hotline is closed until Monday. `peak` is the "
            f"start of the busiest 5-minute bucket ({volume[peak]} mentions) within the busiest "
            f"half hour ({half} mentions); the busiest bucket of all holds "
            f"{max(volume.values())}. First holding statement "
            f"{iso_utc(statement)}; cause, apology and credit {iso_utc(update)} (clocks went "
            f"forward at 01:00 UTC in between). Storm: {len(storm)} mentions, {kinds['repost']} "
            f"reposts, {kinds['quote']} quotes, {kinds['reply']} replies. An alert is due "
            "between onset and peak; the TV spot (expected spike) and the derby (normal busy "
            "evening) must not raise one."
        ),
    }
    text = json.dumps(truth, ensure_ascii=False, indent=2) + "\n"
    (HERE / "truth.json").write_text(text, encoding="utf-8")
    start, end = (datetime.fromtimestamp(t, BERLIN).isoformat() for t in SPIKE)
    (HERE / "expected_spikes.yaml").write_text(
        "# Expected spikes of the Lumina demo incident (written by assemble.py), in the\n"
        "# detection configuration format: shitstorm replay data/incidents/lumina-2026-03-28/\n"
        "# mentions.jsonl --config data/incidents/lumina-2026-03-28/expected_spikes.yaml\n"
        "# `name` is the reason; inside the window the expected volume is multiplied by `factor`.\n"
        "expected_spikes:\n"
        "  - name: TV spot green tariff\n"
        f"    brand: {BRAND}\n"
        f'    start: "{start}"\n'
        f'    end: "{end}"\n'
        "    factor: 4\n",
        encoding="utf-8",
    )
    return truth


def ratio_to_other_weeks(volume: Counter[int], lo: float, hi: float) -> tuple[int, float]:
    """Mentions in [lo, hi) and how many times the same hours a week before or after hold."""

    def count(a: float, b: float) -> int:
        return sum(volume[k] for k in range(int((a - START) // STEP), int((b - START) // STEP)))

    storm = WINDOWS["storm_early"][0]
    weeks = [d * 86400 for d in (-7, 7) if lo + d * 86400 >= START and hi + d * 86400 < storm]
    others = [count(lo + d, hi + d) for d in weeks]
    inside = count(lo, hi)
    return inside, inside / max(1e-9, sum(others) / max(1, len(others)))


def check(
    mentions: Sequence[Mention], phases: dict[str, list[Post]], truth: dict[str, object]
) -> None:
    rows = [m.row(BRAND) for m in mentions]
    ids = [str(r["id"]) for r in rows]
    offsets = all(OFFSET.search(str(r["timestamp"])) for r in rows)
    print(f"mentions: {len(rows)}  unique ids: {len(set(ids)) == len(ids)}  offsets: {offsets}")
    print(
        f"authors: {len({r['author'] for r in rows})}  onset {truth['onset']}  peak {truth['peak']}"
    )
    by_phase = Counter(m.phase for m in mentions)
    for name, group in phases.items():
        kinds = dict(sorted(Counter(m.kind for m in mentions if m.phase == name).items()))
        print(f"  {name:15} written {len(group):4}  mentions {by_phase[name]:5}  {kinds}")
    unused = [p.text[:50] for group in phases.values() for p in group if p.uses == 0]
    print(f"written posts never used: {len(unused)} {unused[:3]}")
    print(f"by platform: {dict(Counter(str(r['platform']) for r in rows).most_common())}")
    print(f"by lang: {dict(Counter(str(r['lang']) for r in rows))}")
    volume = per_bucket(mentions)
    quiet = [
        b
        for b in range(BUCKETS)
        if all(not lo - 3600 <= START + b * STEP < hi + 3600 for lo, hi in (SPIKE, DERBY))
    ]
    quiet = [b for b in quiet if START + b * STEP < WINDOWS["storm_early"][0]]
    print(f"mean per bucket outside the events: {sum(volume[b] for b in quiet) / len(quiet):.3f}")
    for label, (lo, hi) in (("TV spot", SPIKE), ("derby", DERBY)):
        inside, ratio = ratio_to_other_weeks(volume, lo, hi)
        print(f"{label}: {inside} mentions in the window, {ratio:.1f}x the same hours a week off")
    print("storm by hour (Europe/Berlin): mentions, busiest 5-minute bucket")
    t = utc("2026-03-28T16:00:00Z")
    while t < END:
        hour = [volume[int((t - START) // STEP) + k] for k in range(12)]
        wall = datetime.fromtimestamp(t, BERLIN).strftime("%a %H:%M%z")
        print(f"  {wall}  {sum(hour):5}  max {max(hour):3}  {'#' * round(sum(hour) / 15)}")
        t += 3600
    for name in ("mentions.jsonl", "posts.jsonl", "truth.json", "expected_spikes.yaml"):
        print(f"{name}: {(HERE / name).stat().st_size / 1e6:.2f} MB")


def main() -> None:
    mentions, phases = build()
    truth = write_outputs(mentions)
    check(mentions, phases, truth)


if __name__ == "__main__":
    main()
