"""The ``shitstorm`` command line (also ``python -m warning``).

Each command lives in :mod:`warning.commands`; this module only assembles them
and turns our own errors into one readable line on stderr with the exit codes
of DESIGN.md §4.1: 0 ok, 1 findings, 2 usage or input error.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from warning.errors import ShitstormError

__all__ = ["cli", "main"]


class _Group(click.Group):
    """A click group that reports :class:`ShitstormError` as one line, no traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ShitstormError as err:
            for line in str(err).splitlines() or [type(err).__name__]:
                click.echo(f"error: {line}", err=True)
            ctx.exit(err.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="shitstorm", prog_name="shitstorm")
def cli() -> None:
    """Early warning for social-media storms, and the crisis playbook that follows.

    Start with `shitstorm demo`: a Saturday-evening storm replayed through the
    whole pipeline on embedded defaults.
    """


def _register() -> None:
    from warning.commands import demo, evaluate, ingest, model, oncall, playbooks, replay, serve

    for module in (demo, evaluate, ingest, model, oncall, playbooks, replay, serve):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point; returns the exit code."""
    try:
        result = cli.main(args=argv, prog_name="shitstorm", standalone_mode=False)
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.ClickException as err:
        err.show()
        return 2
    except click.Abort:
        click.echo("Aborted.", err=True)
        return 130
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
