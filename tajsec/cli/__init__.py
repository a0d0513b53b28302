"""The `tajsec` command line. Each command parses options, calls one function, maps its result
to an exit code: 0 all good, 1 findings, 2 cannot run (usage, parse or load error). Errors are
raised to the one boundary, `base.Guarded`; the text a command prints is made in `render`."""
from __future__ import annotations

import click

from tajsec import __version__
from tajsec.cli import dev, docs, exchange, query, serve, validate
from tajsec.cli.base import Guarded


@click.group(cls=Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for unexpected errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """tajsec: a knowledge graph of Tajikistan's security sector, built from one paper.

    Exit codes: 0 all good, 1 findings (violations, failed checks, wrong answers), 2 cannot run
    (usage, parse or load error)."""
    ctx.obj = {"debug": debug}


for _module in (validate, query, docs, serve, exchange, dev):
    for _command in _module.COMMANDS:
        main.add_command(_command)
