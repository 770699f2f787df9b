"""Ingestion throughput and peak memory on a generated mention CSV (default 10 million rows).

    python benchmarks/bench_ingest.py                 # 10M rows in a temp dir, deleted after
    python benchmarks/bench_ingest.py --rows 1000000  # smaller
    python benchmarks/bench_ingest.py --path /tmp/m.csv --keep

The file has tweet-length German and English texts for several brands, ISO 8601
times with Berlin offsets, and about 0.1 % bad rows (naive or unparsable times,
empty text, reach="many", a field too many, broken bytes) plus 0.3 % duplicate
ids. Each measurement runs in a fresh subprocess, so generating the file does not
count towards peak RSS: ``shitstorm`` ingest (:func:`warning.ingest.read_mentions`,
frames consumed and dropped) against a baseline of plain ``pandas.read_csv`` with
``chunksize`` over the same file (``on_bad_lines="skip"`` and
``encoding_errors="replace"`` so that it survives the bad rows at all).
Figures go to stdout and ``reports/bench_ingest.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BLOCK = 100_000

BRANDS = ["acme", "globex", "initech", "umbrella", "hooli", "stark"]
PLATFORMS = ["twitter", "facebook", "instagram", "tiktok", "reddit", "news", "youtube"]
KINDS = ["post", "repost", "reply", "quote"]
DE_OPEN = [
    "Ehrlich jetzt,",
    "Unfassbar:",
    "Hat noch jemand Probleme mit",
    "Schon wieder Ärger mit",
    "Danke an",
    "Kann mir jemand erklären, warum",
    "Ich hab's satt mit",
    "Gerade gelesen:",
    "Kurze Frage an",
    "Wow,",
    "Mal ehrlich,",
    "Super Aktion von",
]
DE_BODY = [
    "der Kundenservice antwortet seit drei Wochen nicht",
    "die Lieferung ist schon wieder zu spät",
    "das neue Update hat alles kaputt gemacht",
    "die Preise sind einfach Abzocke",
    "der Rückruf kommt viel zu spät",
    "die Werbung ist echt gelungen",
    "die Hotline hat mir schnell geholfen",
    "das Datenleck ist ein Skandal",
    "ich kündige jetzt meinen Vertrag",
    "die Filiale war heute super freundlich",
    "Greenwashing vom Feinsten",
    "der Boykott ist längst überfällig",
]
EN_OPEN = [
    "Honestly,",
    "Unbelievable:",
    "Anyone else having issues with",
    "Again trouble with",
    "Shout-out to",
    "Can someone explain why",
    "I'm so done with",
    "Just read:",
    "Quick question for",
    "Wow,",
]
EN_BODY = [
    "customer service hasn't replied in three weeks",
    "the delivery is late again",
    "the new update broke everything",
    "these prices are a rip-off",
    "the recall comes way too late",
    "the new ad is actually great",
    "support fixed my problem in minutes",
    "this data leak is a scandal",
    "cancelling my subscription today",
    "never buying from them again",
]
TAGS = ["#boykott", "#shitstorm", "#fail", "#danke", "#kundenservice", "", "", "#recall", "#scam"]
EMOJI = ["😡", "🙄", "👍", "😂", "🤔", "💩", "❤️", "", "", ""]


def _texts(rng: Any, n: int) -> tuple[list[str], Any]:
    import numpy as np

    german = rng.random(n) < 0.65
    parts = [rng.integers(0, 1 << 30, n) for _ in range(5)]
    texts = []
    for i in range(n):
        opener, body = (DE_OPEN, DE_BODY) if german[i] else (EN_OPEN, EN_BODY)
        brand = BRANDS[parts[4][i] % len(BRANDS)]
        texts.append(
            f"{opener[parts[0][i] % len(opener)]} @{brand} {body[parts[1][i] % len(body)]}"
            f" {TAGS[parts[2][i] % len(TAGS)]} {EMOJI[parts[3][i] % len(EMOJI)]}".rstrip()
        )
    return texts, np.where(german, "de", "en")


def _times(rng: Any, start: int, n: int, span: int) -> list[str]:
    import numpy as np

    seconds = start + np.sort(rng.integers(0, span, n))
    dst = seconds >= 1774746000  # 2026-03-29T01:00:00Z, Berlin switches to +02:00
    offsets = np.where(dst, 7200, 3600)
    local = (seconds + offsets).astype("datetime64[s]")
    text = np.datetime_as_string(local, unit="s")
    suffix = np.where(dst, "+02:00", "+01:00")
    return [t + s for t, s in zip(text.tolist(), suffix.tolist(), strict=True)]


def _block(rng: Any, first: int, n: int, start: int) -> tuple[Any, bytes]:
    import numpy as np
    import pyarrow as pa

    ids = np.arange(first, first + n)
    dup = rng.random(n) < 0.003
    ids[dup] = rng.integers(max(0, first - 50_000), first + 1, int(dup.sum()))
    texts, lang = _texts(rng, n)
    authors = [f"user{k}" for k in rng.zipf(1.3, n) % 2_000_000]
    cols = {
        "id": [f"m{k}" for k in ids],
        "timestamp": _times(rng, start, n, 3600),
        "text": texts,
        "brand": [BRANDS[k] for k in rng.integers(0, len(BRANDS), n)],
        "author": authors,
        "platform": [PLATFORMS[k] for k in rng.integers(0, len(PLATFORMS), n)],
        "lang": lang.tolist(),
        "reach": [str(k) for k in rng.lognormal(5, 2, n).astype(np.int64)],
        "kind": [KINDS[k] for k in rng.integers(0, len(KINDS), n)],
        "url": [
            f"https://social.example/{a}/status/{k}" for a, k in zip(authors, ids, strict=True)
        ],
    }
    bad = np.flatnonzero(rng.random(n) < 0.0008)
    for j, i in enumerate(bad.tolist()):
        what = j % 4
        if what == 0:
            cols["timestamp"][i] = cols["timestamp"][i][:19]  # naive
        elif what == 1:
            cols["timestamp"][i] = "gestern"
        elif what == 2:
            cols["text"][i] = "  "
        else:
            cols["reach"][i] = "many"
    extra = b""
    for k in range(int(rng.integers(0, 3))):  # a field too many, broken bytes
        extra += (
            b'x%d,2026-03-28T20:00:00+01:00,"too many",acme,u,twitter,de,1,post,url,EXTRA\n' % k
        )
        extra += b"b%d,2026-03-28T20:00:00+01:00,K\xe4se kaputt,acme,u,twitter,de,1,post,url\n" % k
    return pa.table(cols), extra


def generate(path: Path, rows: int, seed: int = 7) -> None:
    import numpy as np
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    start = 1774652400  # 2026-03-28T00:00:00+01:00
    with path.open("wb") as handle:
        for first in range(0, rows, BLOCK):
            n = min(BLOCK, rows - first)
            table, extra = _block(rng, first, n, start + (first // BLOCK) * 3600)
            buffer = io.BytesIO()
            options = pacsv.WriteOptions(include_header=first == 0)
            pacsv.write_csv(table, buffer, write_options=options)
            handle.write(buffer.getvalue())
            handle.write(extra)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def phase_ours(path: Path, chunk_rows: int) -> dict[str, object]:
    from warning.ingest import read_mentions

    baseline_mb = _peak_mb()
    began = time.perf_counter()
    stream = read_mentions(path, chunk_rows=chunk_rows)
    for _ in stream:
        pass
    seconds = time.perf_counter() - began
    report = stream.report
    return {
        "seconds": seconds,
        "rows": report.rows_read,
        "accepted": report.accepted,
        "quarantined": report.quarantined,
        "duplicates": report.duplicates,
        "by_reason": dict(report.quarantined_by_reason),
        "balanced": report.balanced,
        "peak_rss_mb": _peak_mb(),
        "rss_after_imports_mb": baseline_mb,
    }


def phase_baseline(path: Path, chunk_rows: int) -> dict[str, object]:
    import pandas as pd

    baseline_mb = _peak_mb()
    began = time.perf_counter()
    rows = 0
    reader = pd.read_csv(path, chunksize=chunk_rows, on_bad_lines="skip", encoding_errors="replace")
    with reader:
        for frame in reader:
            rows += len(frame)
    seconds = time.perf_counter() - began
    return {
        "seconds": seconds,
        "rows": rows,
        "peak_rss_mb": _peak_mb(),
        "rss_after_imports_mb": baseline_mb,
    }


def _run_phase(phase: str, path: Path, chunk_rows: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", phase, "--path", str(path)]
    command += ["--chunk-rows", str(chunk_rows)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--path", type=Path, help="CSV to write (kept only with --keep)")
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    parser.add_argument("--reuse", action="store_true", help="reuse --path if it exists")
    parser.add_argument("--chunk-rows", type=int, default=100_000)
    parser.add_argument("--phase", choices=["generate", "ours", "baseline"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "generate":
        generate(args.path, args.rows)
        return
    if args.phase:
        run = phase_ours if args.phase == "ours" else phase_baseline
        print(json.dumps(run(args.path, args.chunk_rows)))
        return
    # This process stays small (no numpy/pandas/pyarrow here): a child's ru_maxrss
    # starts from its parent's resident size at the moment it is started.
    tmp = tempfile.TemporaryDirectory(prefix="bench_ingest_", dir="/tmp")
    path = args.path or Path(tmp.name) / "mentions.csv"
    try:
        began = time.perf_counter()
        if not (args.reuse and path.exists()):
            command = [sys.executable, __file__, "--phase", "generate", "--path", str(path)]
            subprocess.run([*command, "--rows", str(args.rows)], check=True, cwd=ROOT)
        generated = time.perf_counter() - began
        size_mb = path.stat().st_size / 1e6
        print(
            f"file: {path} ({size_mb:,.0f} MB, {args.rows:,} rows, generated in {generated:.0f} s)"
        )
        base = _run_phase("baseline", path, args.chunk_rows)
        ours = _run_phase("ours", path, args.chunk_rows)
    finally:
        if not args.keep:
            path.unlink(missing_ok=True)
        tmp.cleanup()
    ours_rate = float(ours["rows"]) / float(ours["seconds"])
    base_rate = float(base["rows"]) / float(base["seconds"])
    result = {
        "rows": args.rows,
        "file_mb": round(size_mb, 1),
        "chunk_rows": args.chunk_rows,
        "ingest": ours,
        "ingest_rows_per_s": round(ours_rate),
        "baseline_read_csv": base,
        "baseline_rows_per_s": round(base_rate),
        "speed_ratio_vs_read_csv": round(ours_rate / base_rate, 3),
    }
    print(f"shitstorm ingest : {ours_rate:>12,.0f} rows/s  peak RSS {ours['peak_rss_mb']:,.0f} MB")
    print(f"pandas.read_csv  : {base_rate:>12,.0f} rows/s  peak RSS {base['peak_rss_mb']:,.0f} MB")
    print(f"ratio (ours / read_csv): {ours_rate / base_rate:.2f}")
    print(
        f"accepted {ours['accepted']:,}  quarantined {ours['quarantined']:,}  "
        f"duplicates {ours['duplicates']:,}  balanced {ours['balanced']}"
    )
    out = ROOT / "reports" / "bench_ingest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
