"""`tajsec docs` and `tajsec coverage`: the site, and how much of the paper the graph covers."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from tajsec.cli.base import CannotRun, find_project


@click.command("docs")
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="Folder to write the site to; replaced whole if it holds a previous site.")
def docs_cmd(out: Path) -> None:
    """Generate the static HTML site: entities, ontology, questions, shapes and pictures."""
    from tajsec.site import DocsError, build_site

    project = find_project()
    start = time.perf_counter()
    try:
        counts = build_site(project, out)
    except DocsError as e:
        raise CannotRun(str(e)) from e
    click.echo(f"tajsec docs: {counts['pages']} pages ({counts['entities']} entities, {counts['terms']} terms, "
               f"{counts['questions']} questions), {counts['pictures']} pictures in {out} "
               f"({time.perf_counter() - start:.1f} s); open {out / 'index.html'}")


@click.command("coverage")
@click.option("--source", "source", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The plain text of the paper.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--show-uncovered", is_flag=True, help="List every uncovered paragraph.")
def coverage_cmd(source: Path, fmt: str, show_uncovered: bool) -> None:
    """Which paragraphs and sentences of the source no evidence quote covers."""
    from tajsec.graph.build import build
    from tajsec.quality.coverage import coverage

    built = build(find_project(), derive=False)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as e:
        raise CannotRun(f"{source}: {e.strerror}") from e
    rep = coverage(text, built)
    if fmt == "json":
        click.echo(json.dumps(rep.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(rep.as_text(show_uncovered))
    sys.exit(1 if rep.quotes_not_found else 0)


COMMANDS = [docs_cmd, coverage_cmd]
