"""The counts section of ``data/corpus/DATACARD.md``, computed from the corpus itself.

Regenerate after the corpus changes (a test fails while the card is stale)::

    python -m warning.score.datacard

>>> import pandas as pd
>>> frame = pd.DataFrame({"text": ["Nie wieder!", "Danke"], "label": ["negative", "other"],
...     "lang": ["de", "de"], "crisis_type": ["boycott_call", "everyday"],
...     "industry": ["rail", "rail"], "style": ["complaint", "praise"],
...     "platform": ["x", "x"], "id": ["a", "b"]})
>>> print(count_tables(frame).splitlines()[4])
| de | 1 | 1 | 2 |
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from warning.score.data import read_corpus

__all__ = ["END", "START", "count_tables", "update_datacard"]

START = "<!-- counts:start (python -m warning.score.datacard) -->"
END = "<!-- counts:end -->"


def _table(frame: pd.DataFrame, by: str) -> list[str]:
    counts = pd.crosstab(frame[by], frame["label"]).reindex(columns=["negative", "other"])
    counts = counts.fillna(0).astype(int)
    lines = [f"| {by} | negative | other | total |", "|---|---|---|---|"]
    for key, row in counts.iterrows():
        lines.append(f"| {key} | {row['negative']} | {row['other']} | {row.sum()} |")
    total = counts.sum()
    lines.append(f"| **all** | {total['negative']} | {total['other']} | {total.sum()} |")
    return lines


def count_tables(frame: pd.DataFrame) -> str:
    """Markdown tables: posts by language, crisis type, industry, style and platform × label."""
    lengths = frame["text"].str.len()
    lines = [
        f"{len(frame)} posts; text length {lengths.min()}-{lengths.max()} characters "
        f"(median {lengths.median():.0f}).",
        "",
    ]
    for by in ("lang", "crisis_type", "industry", "style", "platform"):
        lines += [*_table(frame, by), ""]
    by_lang = pd.crosstab(frame["crisis_type"], frame["lang"])
    lines += [
        "Crisis type by language:",
        "",
        "| crisis_type | " + " | ".join(by_lang.columns) + " |",
    ]
    lines.append("|---|" + "---|" * len(by_lang.columns))
    for key, row in by_lang.iterrows():
        lines.append(f"| {key} | " + " | ".join(str(v) for v in row.tolist()) + " |")
    return "\n".join(lines).rstrip() + "\n"


def update_datacard(card: Path, frame: pd.DataFrame) -> bool:
    """Replace the counts section of ``card``; returns whether anything changed."""
    text = card.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    updated = f"{head}{START}\n{count_tables(frame)}{END}{tail}"
    if updated == text:
        return False
    card.write_text(updated, encoding="utf-8")
    return True


def main() -> int:
    root = Path(__file__).resolve().parents[2] / "data" / "corpus"
    frame = read_corpus(sorted(root.glob("*.jsonl")))
    changed = update_datacard(root / "DATACARD.md", frame)
    print(f"{root / 'DATACARD.md'}: {'updated' if changed else 'already up to date'}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
