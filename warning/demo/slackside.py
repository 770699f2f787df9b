"""Where the demo's Slack messages go: a local stand-in by default, or a real endpoint.

By default a :class:`~warning.notify.fakeslack.FakeSlack` is started on a free
loopback port with the configuration's people and channels registered; its
workspace is kept in the state folder, so a second run on the same state shows the
same messages. With ``SHITSTORM_SLACK_API_URL`` and ``SHITSTORM_SLACK_BOT_TOKEN``
set, the demo speaks to that endpoint instead. Either way the messages are sent by
:class:`~warning.notify.slack.SlackDelivery` (slack-sdk's real client).

>>> from warning.playbook.config import load_texts
>>> config = load_texts({"p.yaml": '''
... people: {anna: {name: Anna Becker, slack: U0ANNA00001}}
... slack_channels: {krisenstab: {name: "#krisenstab", id: C0KRISEN001}}
... '''})
>>> with FakeSlack() as fake:
...     seed_workspace(fake, config)
...     fake.workspace.users["U0ANNA00001"]["real_name"], fake.workspace.channels["C0KRISEN001"]["name"]
('Anna Becker', 'krisenstab')
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from warning.errors import UsageError
from warning.notify.fakeslack import FakeSlack
from warning.playbook.compiled import Config

__all__ = [
    "WORKSPACE_FILE",
    "SlackEndpoint",
    "check_credentials",
    "seed_workspace",
    "slack_endpoint",
]

#: The local stand-in's workspace, kept in the state folder.
WORKSPACE_FILE = "slack-workspace.json"


@dataclass(frozen=True, slots=True)
class SlackEndpoint:
    """The Web API the demo talks to, and the local stand-in when it is one."""

    url: str
    token: str
    fake: FakeSlack | None = None

    @property
    def local(self) -> bool:
        return self.fake is not None

    def describe(self) -> str:
        if self.fake is not None:
            return f"local Slack stand-in at {self.url} (no credentials needed)"
        return f"Slack Web API at {self.url} (SHITSTORM_SLACK_API_URL)"


def seed_workspace(fake: FakeSlack, config: Config) -> None:
    """Register every person with a Slack id and every Slack channel of ``config``."""
    for person_id, person in config.people.items():
        if person.slack:
            fake.add_user(
                person.slack,
                config.person_name(person_id),
                email=person.email,
                tz=person.timezone or config.settings.timezone,
            )
    for channel in config.slack_channels.values():
        fake.add_channel(channel.name, channel.id)


def check_credentials(url: str | None, token: str | None) -> None:
    """A Slack URL needs a token (one clear line if it is missing)."""
    if url and not token:
        raise UsageError(
            "demo: SHITSTORM_SLACK_API_URL is set but SHITSTORM_SLACK_BOT_TOKEN is not; "
            "set both to use that Slack endpoint, or neither for the local stand-in."
        )


@contextmanager
def slack_endpoint(
    config: Config, state_dir: Path, *, url: str | None, token: str | None
) -> Iterator[SlackEndpoint]:
    """The real endpoint when ``url`` is given (``token`` required), else a local stand-in."""
    check_credentials(url, token)
    if url:
        yield SlackEndpoint(url, str(token))
        return
    with FakeSlack(state_path=state_dir / WORKSPACE_FILE) as fake:
        seed_workspace(fake, config)
        yield SlackEndpoint(fake.base_url, fake.token, fake)
