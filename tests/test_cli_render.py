"""The command line's shared parts: the one error boundary (tajsec.cli.base) and the text the
commands print (tajsec.cli.render)."""
from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from tajsec.quality.check import CheckReport, CheckRow, Stage
from tajsec.cli import render
from tajsec.cli.base import CannotRun, Guarded
from tajsec.core.project import Project
from tajsec.core.errors import LoadError

ROOT = Path(__file__).resolve().parent.parent


def _group_raising(error: Exception) -> click.Group:
    @click.group(cls=Guarded)
    @click.option("--debug", is_flag=True)
    @click.pass_context
    def cli(ctx, debug):
        ctx.obj = {"debug": debug}

    @cli.command()
    def boom():
        raise error

    return cli


def test_boundary_maps_cannot_run_and_load_errors_to_exit_2():
    for error in (CannotRun("the port is taken"), LoadError("x.ttl", 3, 1, "bad")):
        res = CliRunner().invoke(_group_raising(error), ["boom"])
        assert res.exit_code == 2
        assert res.stderr == f"error: {error}\n"


def test_boundary_turns_an_unexpected_exception_into_one_line_unless_debug():
    cli = _group_raising(ZeroDivisionError("division by zero"))
    res = CliRunner().invoke(cli, ["boom"])
    assert res.exit_code == 2
    assert res.stderr == "error: ZeroDivisionError: division by zero (run with --debug for the traceback)\n"
    res = CliRunner().invoke(cli, ["--debug", "boom"])
    assert isinstance(res.exception, ZeroDivisionError)


def test_check_text_shows_twenty_details_of_a_failing_stage():
    report = CheckReport()
    report.add(Stage("parse", True, "2 files", seconds=0.5))
    report.add(Stage("checks", False, "14/15 pass",
                     [CheckRow("subclass-cycle", {"entity": f"ts:C{i}"}) for i in range(25)], 1.25))
    lines = render.check_text(report, Path("/somewhere")).splitlines()
    assert lines[:3] == ["tajsec check: /somewhere",
                         "  ok   parse      2 files  (0.50 s)",
                         "  FAIL checks     14/15 pass  (1.25 s)"]
    assert lines[3] == "         - subclass-cycle: entity=ts:C0"
    assert lines[22] == "         - subclass-cycle: entity=ts:C19"
    assert lines[23:] == ["         ... and 5 more (--format json lists all)", "result: FINDINGS"]


def test_example_query_is_the_first_question_without_its_prefixes(tmp_path):
    first = sorted((ROOT / "queries" / "questions").glob("*.rq"))[0].read_text(encoding="utf-8")
    example = render.example_query(Project(ROOT))
    assert "PREFIX" not in example and "SELECT" in example
    assert example.splitlines()[0] == first.splitlines()[0]
    assert render.example_query(Project(tmp_path)) == ""
