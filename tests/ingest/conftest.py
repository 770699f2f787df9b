"""Shared helpers for the ingest tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def make_file(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write text (UTF-8) or bytes to ``tmp_path / name`` and return the path."""

    def make(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return make


@pytest.fixture
def read_all() -> Callable[..., tuple[pd.DataFrame, object]]:
    """Read a whole source into one frame; returns (frame, report)."""
    from warning.ingest import empty_mentions, read_mentions

    def read(source: object, **options: object) -> tuple[pd.DataFrame, object]:
        stream = read_mentions(source, **options)  # type: ignore[arg-type]
        frames = list(stream)
        frame = pd.concat(frames, ignore_index=True) if frames else empty_mentions()
        return frame, stream.report

    return read
