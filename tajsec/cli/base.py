"""What every command shares: finding the project, and the one error boundary that turns
errors (tajsec.core.errors.TajsecError) into their exit code."""
from __future__ import annotations

import sys
from typing import Any

import click

from tajsec.core.errors import TajsecError
from tajsec.core.project import Project, ProjectNotFound


class CannotRun(TajsecError):
    """The command cannot do its work (an unreadable input, a refused connection, a port in use):
    the boundary prints `error: MESSAGE` and exits 2."""


def find_project() -> Project:
    try:
        return Project.find()
    except ProjectNotFound as e:
        raise click.UsageError(str(e)) from None


class Guarded(click.Group):
    """The error boundary: no traceback reaches the user. A load error or CannotRun becomes
    `error: MESSAGE` and exit 2; any other exception a one-line error and exit 2 (`tajsec --debug
    ...` shows its traceback). Commands raise; they never exit 2 themselves."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except TajsecError as e:
            click.echo(f"error: {e}", err=True)
            sys.exit(e.exit_code)
        except Exception as e:  # the boundary where tracebacks stop
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"error: {type(e).__name__}: {e} (run with --debug for the traceback)", err=True)
            sys.exit(2)
