"""Labelled data for training and evaluation: our corpus, VADER's tweets, user files.

- :func:`read_corpus`: the project's JSON Lines corpus (``data/corpus/*.jsonl``).
- :func:`vader_tweets`: the ~4,200 human-rated tweets of Hutto and Gilbert
  (ICWSM 2014) from the ``vaderSentiment`` 3.3.2 source distribution, fetched
  with ``pip download`` at training time and cached under
  ``~/.cache/shitstorm/`` (``$SHITSTORM_CACHE_DIR`` overrides); never committed.
  Each tweet's label is ``negative`` when the mean of its ten ratings (scale
  -4..4) is below 0, else ``other``.
- :func:`read_labelled`: a user's CSV or JSON Lines file with ``text`` and
  ``label`` (``negative`` or ``other``) for ``shitstorm model eval``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from warning.errors import InputError, ModelError

__all__ = [
    "CORPUS_COLUMNS",
    "LABELS",
    "VADER_SDIST",
    "cache_dir",
    "file_sha256",
    "read_corpus",
    "read_labelled",
    "vader_tweets",
]

LABELS: tuple[str, str] = ("negative", "other")
CORPUS_COLUMNS: tuple[str, ...] = (
    "id",
    "text",
    "label",
    "lang",
    "crisis_type",
    "industry",
    "style",
    "platform",
)
VADER_SDIST = "vadersentiment==3.3.2"
_VADER_MEMBER = "hutto_ICWSM_2014/tweets_GroundTruth.txt"
_VADER_SHA256 = "dfbe7102e2f92579ed8b19df9a3822491880697c67adf712fb66e520cc05102f"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_dir() -> Path:
    """``$SHITSTORM_CACHE_DIR``, else ``$XDG_CACHE_HOME/shitstorm``, else ``~/.cache/shitstorm``."""
    override = os.environ.get("SHITSTORM_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "shitstorm"


def read_corpus(paths: Iterable[Path]) -> pd.DataFrame:
    """Our labelled corpus; every line is checked, a bad one is a one-line InputError."""
    rows: list[dict[str, str]] = []
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(f"{path}: cannot read the corpus file ({err})") from None
        for lineno, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise InputError(f"{path}:{lineno}: not a JSON object ({err.msg})") from None
            missing = [c for c in CORPUS_COLUMNS if not isinstance(row.get(c), str)]
            if missing:
                raise InputError(f"{path}:{lineno}: field {missing[0]!r} must be a string")
            if row["label"] not in LABELS:
                raise InputError(
                    f"{path}:{lineno}: label must be 'negative' or 'other'. "
                    f"Got {row['label']!r} instead."
                )
            rows.append({c: row[c] for c in CORPUS_COLUMNS})
    return pd.DataFrame(rows, columns=list(CORPUS_COLUMNS))


def _extract_tweets(sdist: Path) -> bytes:
    with tarfile.open(sdist, "r:gz") as outer:
        inner_info = next(
            (m for m in outer.getmembers() if m.name.endswith("hutto_ICWSM_2014.tar.gz")), None
        )
        inner_file = outer.extractfile(inner_info) if inner_info else None
        if inner_file is None:
            raise ModelError(f"{sdist.name}: hutto_ICWSM_2014.tar.gz is missing")
        with tarfile.open(fileobj=io.BytesIO(inner_file.read()), mode="r:gz") as inner:
            member = inner.extractfile(_VADER_MEMBER)
            if member is None:
                raise ModelError(f"{sdist.name}: {_VADER_MEMBER} is missing")
            return member.read()


def _fetch_vader(target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-binary", ":all:"]
        command += ["--no-deps", VADER_SDIST, "-d", tmp]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        sdists = sorted(Path(tmp).glob("*.tar.gz"))
        if done.returncode != 0 or not sdists:
            reason = (done.stderr.strip().splitlines() or ["no archive"])[-1]
            raise ModelError(f"pip download {VADER_SDIST} failed: {reason}")
        data = _extract_tweets(sdists[0])
    if hashlib.sha256(data).hexdigest() != _VADER_SHA256:
        raise ModelError(f"{VADER_SDIST}: {_VADER_MEMBER} does not have the expected SHA-256")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def vader_tweets(cache: Path | None = None) -> pd.DataFrame:
    """VADER's rated tweets: ``id``, ``text``, ``rating`` (mean, -4..4), ``label``."""
    path = (cache or cache_dir()) / "vader" / "tweets_GroundTruth.txt"
    if not path.is_file():
        _fetch_vader(path)
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t", 2)
        if len(parts) != 3:
            continue
        rating = float(parts[1])
        label = "negative" if rating < 0 else "other"
        rows.append({"id": f"vader-{parts[0]}", "text": parts[2], "rating": rating, "label": label})
    if len(rows) < 4000:
        raise ModelError(f"{path}: expected about 4,200 tweets, found {len(rows)}; delete it")
    return pd.DataFrame(rows)


def read_labelled(path: Path) -> pd.DataFrame:
    """``text`` and ``label`` from a CSV or JSON Lines file, labels checked row by row."""
    suffix = path.suffix.lower()
    try:
        if suffix in {".jsonl", ".ndjson", ".json"}:
            frame = pd.read_json(path, lines=True, dtype=False)
            first_row = 1
        elif suffix in {".csv", ".tsv"}:
            sep = "\t" if suffix == ".tsv" else ","
            frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)
            first_row = 2  # the header is line 1
        else:
            raise InputError(f"{path}: must be .csv, .tsv or .jsonl. Got {suffix or 'no suffix'!r}")
    except (OSError, ValueError) as err:
        if isinstance(err, InputError):
            raise
        raise InputError(f"{path}: cannot read labelled data ({err})") from None
    for column in ("text", "label"):
        if column not in frame.columns:
            raise InputError(f"{path}: column {column!r} is missing")
    for offset, label in enumerate(frame["label"].tolist()):
        if label not in LABELS:
            raise InputError(
                f"{path}:{offset + first_row}: label must be 'negative' or 'other'. "
                f"Got {label!r} instead."
            )
    texts = frame["text"].map(lambda t: "" if t is None else str(t))
    return pd.DataFrame({"text": texts, "label": frame["label"].astype(str)})
