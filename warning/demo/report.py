"""The demo's outputs: a PNG chart and a self-contained HTML report.

The report shows the chart, the alerts, the pages and the escalation as the
store's audit log tells them (with the hash chain's verdict), the checklist, the
holding-statement drafts and every Slack message as it stands after its updates.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from warning.demo.story import local, stamp

if TYPE_CHECKING:
    from warning.demo.run import DemoResult

__all__ = ["local", "write_report"]

_TEMPLATE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8">
<title>shitstorm demo: {{ d.incident }}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 64rem; margin: 2rem auto; color: #222; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; }
td, th { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
.critical { color: #b00020; font-weight: bold; } .warning { color: #c65d00; font-weight: bold; }
.watch { color: #555; } img { max-width: 100%; } .small { color: #666; font-size: .85rem; }
blockquote { background: #f6f6f6; padding: .5rem 1rem; margin: .3rem 0; }
.msg { border: 1px solid #ccc; border-radius: 6px; padding: .5rem 1rem; margin: .7rem 0; }
.msg .reply { margin-left: 2rem; border-left: 3px solid #ddd; padding-left: .8rem; }
.ok { color: #1b7f3b; font-weight: bold; } .bad { color: #b00020; font-weight: bold; }
</style></head><body>
<h1>Storm warning: {{ d.truth.brand }} — Saturday evening replay</h1>
<p>{{ d.mentions }} mentions replayed in time order on a simulated clock through the live
detection code and the durable escalation runtime. Truth: storm onset {{ onset }}
({{ d.truth.crisis_type }}).</p>
<p class="small">Store: {{ d.store_url }} · Slack: {{ d.slack }} · playbook version
{{ d.playbook_version[:12] }}</p>
<img src="chart.png" alt="Volume and negative share against the seasonal baseline">

<h2>Alerts</h2>
<table><tr><th>fired</th><th>severity</th><th>volume / expected</th>
<th>negative share / expected</th><th>drivers</th></tr>
{% for a in d.alerts %}<tr><td>{{ stamp(a.fired_at) }}</td>
<td class="{{ a.severity.value }}">{{ a.severity.value }}</td>
<td>{{ "%.0f"|format(a.metrics.volume) }} / {{ "%.1f"|format(a.metrics.expected_volume) }}
(×{{ "%.1f"|format(a.metrics.volume_ratio) }})</td>
<td>{{ pct(a.metrics.negative_share) }} / {{ pct(a.metrics.expected_negative_share) }}</td>
<td>{% if a.drivers %}{{ a.drivers.top_terms[:6]|join(", ") }}<br>
<span class="small">{% for p, n in a.drivers.platforms.items() %}{{ p }} {{ n }}{% if not loop.last %},
{% endif %}{% endfor %}{% if a.drivers.new_author_share is not none %}; new authors
{{ pct(a.drivers.new_author_share) }}{% endif %}</span>{% endif %}</td></tr>
{% else %}<tr><td colspan="5">no alert</td></tr>{% endfor %}
</table>
{% if s %}
<h2>Crisis {{ s.crisis.ref }}: playbook {{ s.crisis.crisis_type }}, path {{ s.path }}</h2>
<p>{{ s.crisis.title }} — opened {{ stamp(s.crisis.opened_at) }}{% if s.crisis.closed_at %},
{{ s.crisis.status }} {{ stamp(s.crisis.closed_at) }} by {{ s.crisis.closed_by }}{% endif %}.
Route: {{ (d.route_reasons or s.route)|join("; ") }}.</p>
<h3>Pages (from the outbox)</h3>
<table><tr><th>level</th><th>who</th><th>queued</th><th>sent</th><th>time to acknowledge</th>
<th>status</th></tr>
{% for p in s.pages %}<tr><td>{{ p.level }} {{ p.label }}{% if p.fallback %} (fallback){% endif %}</td>
<td>{{ p.name }} ({{ p.kind }} {{ p.channel }})</td><td>{{ stamp(p.queued_at) }}</td>
<td>{{ stamp(p.sent_at) if p.sent_at else "–" }}</td>
<td>{{ minutes(p.ack) }}</td><td>{{ p.status }}</td></tr>{% endfor %}
</table>
<h3>Escalation (from the audit log)</h3>
<table><tr><th>#</th><th>when</th><th>who</th><th>what</th></tr>
{% for e in s.events %}<tr><td>{{ e.seq }}</td><td>{{ stamp(e.at) }}</td><td>{{ e.actor or "" }}</td>
<td>{{ e.text }}</td></tr>{% endfor %}
</table>
<p>Audit log: {{ s.audit.events }} events, {{ s.audit.crisis_events }} of this crisis;
hash chain {% if s.audit.chain_ok %}<span class="ok">verified</span>{% else %}<span class="bad">BROKEN:
{{ s.audit.problems|join("; ") }}</span>{% endif %} (head {{ s.audit.head_hash[:16] }}…).</p>
<details><summary>Every event of the crisis</summary>
<table><tr><th>#</th><th>when</th><th>event</th><th>who</th><th>what</th></tr>
{% for e in s.timeline %}<tr><td>{{ e.seq }}</td><td>{{ stamp(e.at) }}</td><td>{{ e.kind }}</td>
<td>{{ e.actor or "" }}</td><td>{{ describe(e) }}</td></tr>{% endfor %}
</table></details>

<h2>Checklist</h2>
<table><tr><th>due</th><th>role</th><th>owners</th><th>task</th></tr>
{% for c in s.checklist %}<tr><td>{{ stamp(c.due) }}</td><td>{{ c.role }}</td>
<td>{{ c.owners|join(", ") }}</td><td>{{ c.task }}</td></tr>{% endfor %}</table>
{% endif %}
<h2>Holding statements (drafts, need two approvals)</h2>
{% for st in d.statements %}<h3>{{ st.id }} ({{ st.lang }}, {{ st.channel }}), {{ st.length }}{% if st.limit %}
of {{ st.limit }}{% endif %} characters</h3><blockquote>{{ st.text }}</blockquote>{% endfor %}
{% if s %}
<h2>Slack messages as they stand</h2>
{% for m in s.slack %}<div class="msg"><b>{{ m.where }}</b>
<span class="small">{{ m.kind }}, sent {{ stamp(m.sent_at) if m.sent_at else "–" }}
({{ m.status }}){% if m.updates %}, updated in place {{ m.updates }}×{% endif %}</span>
<div>{{ html(m.html) }}</div>
{% for r in m.replies %}<div class="reply"><span class="small">thread reply, sent
{{ stamp(r.sent_at) if r.sent_at else "–" }} ({{ r.status }})</span><div>{{ html(r.html) }}</div></div>
{% endfor %}</div>{% endfor %}
{% endif %}
</body></html>
"""


def _pct(value: float | None) -> str:
    return "–" if value is None or value != value else f"{100 * value:.0f} %"


def _minutes(value: object) -> str:
    seconds = getattr(value, "total_seconds", None)
    return "–" if seconds is None else f"{seconds() / 60:.0f} min"


def write_report(demo: DemoResult, frame: pd.DataFrame, out_dir: Path) -> dict[str, Path]:
    """Write ``chart.png`` (the storm's days) and ``report.html``; return their paths."""
    from zoneinfo import ZoneInfo

    from warning.notify.chart import render_chart
    from warning.store.timeline import describe

    onset = pd.Timestamp(demo.truth["onset"])
    window = frame.loc[onset - pd.Timedelta(hours=30) : onset + pd.Timedelta(hours=18)]
    chart = out_dir / "chart.png"
    render_chart(
        window,
        change_points=[c for c in demo.change_points if window.index[0] <= c <= window.index[-1]],
        alerts=[a.fired_at for a in demo.alerts],
        title=f"{demo.truth['brand']}: Samstagabend, {local(onset.to_pydatetime())[3:9]}",
        path=chart,
    )
    zone = ZoneInfo("Europe/Berlin")
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    html = env.from_string(_TEMPLATE).render(
        d=demo,
        s=demo.story,
        stamp=stamp,
        pct=_pct,
        minutes=_minutes,
        describe=lambda e: describe(e, zone),
        html=Markup,  # Block Kit rendered by warning.notify.render (entity-escaped already)
        onset=stamp(onset.to_pydatetime()),
    )
    report = out_dir / "report.html"
    report.write_text(html, encoding="utf-8")
    return {"chart": chart, "report": report}
