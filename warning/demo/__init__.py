"""The Saturday-evening demo: a bundled storm replayed through the whole pipeline.

:func:`run_demo` replays the bundled incident with exactly the live detection
code, routes the alert to its playbook, pages the person on call through a local
Slack stand-in (the loopback fake Web API, spoken to by slack-sdk's real client),
escalates when nobody acknowledges, and writes a chart and an HTML report.
"""

from warning.demo.run import DemoResult, run_demo

__all__ = ["DemoResult", "run_demo"]
