"""The Saturday-evening demo: a bundled storm replayed through the whole pipeline.

:func:`run_demo` replays the bundled incident on a simulated clock with exactly the
live detection code, hands the alert to the durable escalation runtime (an SQLite
store, the example playbooks), lets the escalation timers fire on the same clock
while nobody acknowledges, delivers pages, the crisis-channel post, the checklist
and holding-statement drafts through the outbox to Slack (a local stand-in, spoken
to by slack-sdk's real client), and writes a chart and an HTML report from what the
store recorded.
"""

from warning.demo.run import DemoResult, run_demo

__all__ = ["DemoResult", "run_demo"]
