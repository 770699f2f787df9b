"""One exception root for everything the product raises on purpose.

Every error a user can cause (a bad file, a bad playbook, a stale model) is a
:class:`ShitstormError`. The command line turns it into one readable line on
stderr and exit code 2 (1 for findings such as a failed check); no traceback.
Messages name the place, the rule and the offending value, following one
template: ``"The 'x' parameter of Y must be Z. Got V instead."`` for parameters
and ``"file:line:col: message"`` for configuration.

The tree::

    ShitstormError
    ├── UsageError              wrong flags or arguments on the command line
    ├── InputError              a mention file or series that cannot be read at all
    │   └── TimestampError      naive or unparsable time where a zone is required
    ├── ConfigError             playbooks, rosters, settings (carries every finding)
    ├── ModelError              negativity model missing, unreadable or unsafe
    │   └── ModelVersionError   model card does not match installed libraries
    ├── DetectorError           detector parameters or state are invalid
    ├── StoreError              the database cannot be reached or migrated
    └── DeliveryError           a page could not be handed to any channel yet
        └── SlackError          Slack answered with an error we cannot retry

>>> issubclass(ModelVersionError, ShitstormError)
True
>>> str(InputError("data.csv:12: column 'timestamp' is missing"))
"data.csv:12: column 'timestamp' is missing"
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "ConfigError",
    "DeliveryError",
    "DetectorError",
    "InputError",
    "ModelError",
    "ModelVersionError",
    "ShitstormError",
    "SlackError",
    "StoreError",
    "TimestampError",
    "UsageError",
]


class ShitstormError(Exception):
    """Root of every error the product raises on purpose."""

    exit_code: int = 2


class UsageError(ShitstormError):
    """Wrong flags or arguments on the command line."""


class InputError(ShitstormError):
    """A mention file or series that cannot be read at all."""


class TimestampError(InputError):
    """A naive or unparsable time where an instant with a zone is required."""


class ConfigError(ShitstormError):
    """Configuration (playbooks, rosters, settings) is invalid.

    Carries every finding, already formatted as ``file:line:col: message``.

    >>> err = ConfigError(["a.yaml:3:5: unknown key 'nmae' (did you mean 'name'?)"])
    >>> print(err)
    a.yaml:3:5: unknown key 'nmae' (did you mean 'name'?)
    >>> err.findings
    ["a.yaml:3:5: unknown key 'nmae' (did you mean 'name'?)"]
    """

    def __init__(self, findings: Sequence[str] | str) -> None:
        self.findings: list[str] = [findings] if isinstance(findings, str) else list(findings)
        super().__init__("\n".join(self.findings))


class ModelError(ShitstormError):
    """The negativity model is missing, unreadable or unsafe to load."""


class ModelVersionError(ModelError):
    """The model card does not match the installed library versions."""


class DetectorError(ShitstormError):
    """Detector parameters or state are invalid."""


class StoreError(ShitstormError):
    """The database cannot be reached, migrated or written."""


class DeliveryError(ShitstormError):
    """A page could not be handed to any channel yet (it stays queued)."""


class SlackError(DeliveryError):
    """Slack answered with an error that retrying will not fix."""
