"""The `tajsec` command line. Each command parses options, calls one function, maps its result
to an exit code: 0 all good, 1 findings, 2 cannot run (usage, parse or load error)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from tajsec import __version__
from tajsec.project import Project, ProjectNotFound
from tajsec.rdfio import LoadError


def _project() -> Project:
    try:
        return Project.find()
    except ProjectNotFound as e:
        raise click.UsageError(str(e)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version")
def main() -> None:
    """tajsec: a knowledge graph of Tajikistan's security sector, built from one paper."""


@main.command("check")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--no-cache", is_flag=True, help="Run HermiT even if this exact input was reasoned over before.")
def check_cmd(fmt: str, no_cache: bool) -> None:
    """Parse, reason (HermiT), validate (SHACL), run the quality checks and the competency questions."""
    from tajsec.check import check

    project = _project()
    report = check(project, use_cache=not no_cache)
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(f"tajsec check: {project.root}")
        for s in report.stages:
            mark = "ok  " if s.ok else "FAIL"
            click.echo(f"  {mark} {s.name:<10} {s.summary}  ({s.seconds:.2f} s)")
            if not s.ok:
                for d in s.details[:20]:
                    click.echo(f"         - {_describe(d)}")
                if len(s.details) > 20:
                    click.echo(f"         ... and {len(s.details) - 20} more (--format json lists all)")
        click.echo("result: " + ["OK", "FINDINGS", "ERROR"][report.status])
    sys.exit(report.status)


def _describe(d) -> str:
    if isinstance(d, dict):
        if "check" in d:
            return f"{d['check']}: " + ", ".join(f"{k}={v}" for k, v in d["row"].items())
        if "question" in d:
            return f"{d['question']}: " + "; ".join(d["problems"][:3])
        if "sourceShape" in d:
            return f"{d['focusNode']} {d.get('resultPath') or ''}: {d['message']}"
    return str(d)


@main.command("query")
@click.argument("name_or_file")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
def query_cmd(name_or_file: str, fmt: str) -> None:
    """Run a query file, or a competency question by name, over the built graph."""
    from tajsec import queries
    from tajsec.build import build
    from tajsec.namespaces import shorten

    project = _project()
    path = Path(name_or_file)
    if not path.is_file():
        candidate = project.root / "queries" / "questions" / f"{name_or_file}.rq"
        if not candidate.is_file():
            click.echo(f"error: {name_or_file}: no such file and no competency question of that name "
                       f"(see queries/questions/)", err=True)
            sys.exit(2)
        path = candidate
    try:
        built = build(project)
    except LoadError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    try:
        res = queries.run(built.query, path.read_text(encoding="utf-8"))
    except SyntaxError as e:
        click.echo(f"error: {path}: {e}", err=True)
        sys.exit(2)
    out = {"table": lambda r: queries.to_table(r, shorten), "csv": queries.to_csv,
           "tsv": queries.to_tsv, "json": queries.to_json}[fmt](res)
    click.echo(out, nl=False)


@main.command("coverage")
@click.option("--source", "source", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The plain text of the paper.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--show-uncovered", is_flag=True, help="List every uncovered paragraph.")
def coverage_cmd(source: Path, fmt: str, show_uncovered: bool) -> None:
    """Which paragraphs and sentences of the source no evidence quote covers."""
    from tajsec.build import build
    from tajsec.coverage import coverage

    project = _project()
    try:
        built = build(project, derive=False)
        text = source.read_text(encoding="utf-8")
    except LoadError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    except OSError as e:
        click.echo(f"error: {source}: {e.strerror}", err=True)
        sys.exit(2)
    rep = coverage(text, built)
    if fmt == "json":
        click.echo(json.dumps(rep.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(rep.as_text(show_uncovered))
    sys.exit(1 if rep.quotes_not_found else 0)
