"""The evidence chart of a page and a report: volume and negative share against what is
expected, with the change point and the alerts marked.

Drawn with matplotlib's object API on the Agg canvas (no display, no global pyplot
state, safe in threads); the PNG carries no timestamp, so equal input gives equal bytes.

>>> import pandas as pd
>>> idx = pd.date_range("2026-03-28 17:00", periods=48, freq="5min", tz="UTC")
>>> frame = pd.DataFrame({"volume": [10.0] * 40 + [80.0] * 8, "expected_volume": 10.0,
...                       "negative_share": [0.2] * 40 + [0.7] * 8,
...                       "expected_negative_share": 0.2}, index=idx)
>>> png = render_chart(frame, change_points=[idx[40]], alerts=[idx[42]], title="Lumina")
>>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from warning.errors import InputError

__all__ = ["render_chart"]

_WORDS = {
    "de": {
        "volume": "Volumen",
        "expected": "erwartet",
        "negative": "Negativ-Anteil",
        "change": "Wendepunkt",
        "alert": "Alarm",
    },
    "en": {
        "volume": "Volume",
        "expected": "expected",
        "negative": "Negative share",
        "change": "change point",
        "alert": "alert",
    },
}
_DAYS = {
    "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def render_chart(
    frame: pd.DataFrame,
    *,
    change_points: Sequence[datetime] = (),
    alerts: Sequence[datetime] = (),
    title: str = "",
    lang: str = "de",
    tz: str = "Europe/Berlin",
    path: str | Path | None = None,
    size: tuple[float, float] = (8.0, 4.5),
    dpi: int = 100,
) -> bytes:
    """PNG bytes of the chart (also written to ``path`` if given).

    ``frame`` is indexed by bucket start (UTC) with a ``volume`` column and optionally
    ``expected_volume``, ``negative_share`` and ``expected_negative_share``.
    """
    from matplotlib import dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    if "volume" not in frame.columns:
        raise InputError("chart: the series frame must have a 'volume' column.")
    if not isinstance(frame.index, pd.DatetimeIndex) or frame.index.tz is None:
        raise InputError("chart: the series frame must be indexed by UTC bucket starts.")
    words = _WORDS.get(lang, _WORDS["en"])
    zone = ZoneInfo(tz)
    x = frame.index.tz_convert(zone).to_pydatetime()
    has_share = "negative_share" in frame.columns and frame["negative_share"].notna().any()
    fig = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(fig)
    axes = fig.subplots(2 if has_share else 1, 1, sharex=True, squeeze=False)[:, 0]
    top = axes[0]
    top.plot(
        x, frame["volume"].to_numpy(dtype=float), color="#c0392b", lw=1.6, label=words["volume"]
    )
    if "expected_volume" in frame.columns:
        expected = frame["expected_volume"].to_numpy(dtype=float)
        top.plot(x, expected, color="#7f8c8d", lw=1.2, ls="--", label=words["expected"])
    top.set_ylabel(words["volume"])
    if has_share:
        low = axes[1]
        share = 100 * frame["negative_share"].to_numpy(dtype=float)
        low.plot(x, share, color="#8e44ad", lw=1.4, label=words["negative"])
        if "expected_negative_share" in frame.columns:
            exp_share = 100 * frame["expected_negative_share"].to_numpy(dtype=float)
            low.plot(x, exp_share, color="#7f8c8d", lw=1.0, ls="--", label=words["expected"])
        low.set_ylabel(words["negative"] + " %")
        low.set_ylim(0, 100)
    for ax in axes:
        for i, cp in enumerate(change_points):
            ax.axvline(
                cp, color="#2c3e50", ls=":", lw=1.2, label=words["change"] if i == 0 else None
            )
        for i, at in enumerate(alerts):
            ax.axvline(at, color="#e67e22", lw=1.6, label=words["alert"] if i == 0 else None)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=8, frameon=False)
    days = _DAYS.get(lang, _DAYS["en"])

    def tick(value: float, _pos: int | None = None) -> str:
        local = mdates.num2date(value, tz=zone)  # type: ignore[no-untyped-call]
        return f"{days[local.weekday()]} {local:%H:%M}"

    axes[-1].xaxis.set_major_formatter(FuncFormatter(tick))
    if title:
        fig.suptitle(title)
    fig.autofmt_xdate()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    png = buffer.getvalue()
    if path is not None:
        Path(path).write_bytes(png)
    return png
