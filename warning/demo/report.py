"""The demo's outputs: a PNG chart and a self-contained HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pandas as pd
from jinja2 import Environment, select_autoescape

if TYPE_CHECKING:
    from warning.demo.run import DemoResult

__all__ = ["local", "write_report"]

_TZ = ZoneInfo("Europe/Berlin")

_TEMPLATE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8">
<title>shitstorm demo: {{ d.incident }}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; color: #222; }
table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #ddd;
padding: .3rem .5rem; text-align: left; vertical-align: top; }
.critical { color: #b00020; font-weight: bold; } .warning { color: #c65d00; font-weight: bold; }
.watch { color: #555; } img { max-width: 100%; } blockquote { background: #f6f6f6; padding: .5rem 1rem; }
</style></head><body>
<h1>Storm warning: {{ d.truth.brand }} — Saturday evening replay</h1>
<p>{{ d.mentions }} mentions replayed with the live detection code.
Truth: storm onset {{ onset }} ({{ d.truth.crisis_type }}).</p>
<img src="chart.png" alt="Volume and negative share against the seasonal baseline">
<h2>Alerts</h2>
<table><tr><th>fired (Berlin)</th><th>severity</th><th>volume / expected</th>
<th>negative share / expected</th><th>top terms</th></tr>
{% for a in d.alerts %}<tr><td>{{ local(a.fired_at) }}</td>
<td class="{{ a.severity.value }}">{{ a.severity.value }}</td>
<td>{{ "%.0f"|format(a.metrics.volume) }} / {{ "%.1f"|format(a.metrics.expected_volume) }}
(×{{ "%.1f"|format(a.metrics.volume_ratio) }})</td>
<td>{{ pct(a.metrics.negative_share) }} / {{ pct(a.metrics.expected_negative_share) }}</td>
<td>{{ (a.drivers.top_terms[:6] if a.drivers else [])|join(", ") }}</td></tr>{% endfor %}
</table>
<h2>Playbook and escalation</h2>
<p>Playbook <b>{{ d.playbook }}</b>, path <b>{{ d.path }}</b>: {{ d.route_reasons|join("; ") }}</p>
<table><tr><th>level</th><th>paged at (Berlin)</th><th>who</th><th>why</th><th>Slack</th></tr>
{% for p in d.pages %}<tr><td>{{ p.level }} {{ p.label }}</td><td>{{ local(p.at) }}</td>
<td>{{ p.people|join(", ") }}</td><td>{{ p.reasons|join("; ") }}</td>
<td>{{ p.delivered|join("; ") }}</td></tr>{% endfor %}
{% for p in d.later_levels %}<tr><td>{{ p.level }} {{ p.label }}</td><td>{{ local(p.at) }}</td>
<td>{{ p.people|join(", ") }}</td><td>{{ p.reasons|join("; ") }}</td>
<td>only if nobody acknowledges</td></tr>{% endfor %}
</table>
<h2>Checklist</h2>
<table><tr><th>due (Berlin)</th><th>role</th><th>task</th></tr>
{% for due, role, task in d.checklist %}<tr><td>{{ local(due) }}</td><td>{{ role }}</td>
<td>{{ task }}</td></tr>{% endfor %}</table>
<h2>Holding statements (drafts, need two approvals)</h2>
{% for sid, lang, text, n, limit in d.statements %}<h3>{{ sid }} ({{ lang }}), {{ n }}{% if limit %}
of {{ limit }}{% endif %} characters</h3><blockquote>{{ text }}</blockquote>{% endfor %}
</body></html>
"""


def local(instant: object) -> str:
    """An instant as Berlin wall-clock time, e.g. ``Sa 28.03. 20:10``."""
    stamp = pd.Timestamp(instant).tz_convert(_TZ)  # type: ignore[arg-type]
    days = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
    return f"{days[stamp.weekday()]} {stamp:%d.%m. %H:%M}"


def _pct(value: float | None) -> str:
    return "–" if value is None or value != value else f"{100 * value:.0f} %"


def write_report(demo: DemoResult, frame: pd.DataFrame, out_dir: Path) -> dict[str, Path]:
    """Write ``chart.png`` (the storm's days) and ``report.html``; return their paths."""
    from warning.notify.chart import render_chart

    onset = pd.Timestamp(demo.truth["onset"])
    window = frame.loc[onset - pd.Timedelta(hours=30) : onset + pd.Timedelta(hours=18)]
    chart = out_dir / "chart.png"
    render_chart(
        window,
        change_points=[a.change_point_at for a in demo.alerts if a.change_point_at],
        alerts=[a.fired_at for a in demo.alerts],
        title=f"{demo.truth['brand']}: Samstagabend, 28.03.2026",
        path=chart,
    )
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    html = env.from_string(_TEMPLATE).render(d=demo, local=local, pct=_pct, onset=local(onset))
    report = out_dir / "report.html"
    report.write_text(html, encoding="utf-8")
    return {"chart": chart, "report": report}
