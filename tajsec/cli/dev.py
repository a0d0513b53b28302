"""`tajsec dev ...`: maintenance commands for a checkout (generated files and their checks)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tajsec.cli.base import CannotRun, find_project
from tajsec.core.project import Project

if TYPE_CHECKING:
    from tajsec.graph.build import Built


@click.group("dev")
def dev_group() -> None:
    """Maintenance commands for a checkout: regenerate generated files, check they are current."""


def _default_sssom(project: Project) -> Path:
    return project.root / "mappings" / "wikidata.sssom.tsv"


def _echo_alignment_differences(built: Built, sssom: Path) -> list:
    from tajsec.publish.alignment import check_alignment

    if not sssom.is_file():
        raise CannotRun(f"{sssom}: no such file")
    diffs = check_alignment(built, sssom)
    for d in diffs:
        click.echo(f"  {d}")
    click.echo(f"{len(diffs)} difference(s) between {sssom.name} and the skos:exactMatch triples of the graph")
    return diffs


@dev_group.command("alignment")
@click.option("--verified", type=click.Path(dir_okay=False, path_type=Path),
              help="The verified list  [default: ../shared/alignment/wikidata-verified.tsv beside the checkout]")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The SSSOM file to write (atomically)  [default: mappings/wikidata.sssom.tsv]")
def dev_alignment_cmd(verified: Path | None, output: Path | None) -> None:
    """Regenerate the Wikidata SSSOM mapping from the verified list; list the rows left out and
    the differences with the graph."""
    from tajsec.graph.build import build
    from tajsec.publish.alignment import sssom_rows, write_sssom

    project = find_project()
    verified = verified or project.root.parent / "shared" / "alignment" / "wikidata-verified.tsv"
    if not verified.is_file():
        raise click.UsageError(f"{verified}: no such file (the verified list lives in ../shared/alignment; "
                               "give --verified PATH)")
    out = output or _default_sssom(project)
    built = build(project)
    result = sssom_rows(project, verified, built)
    write_sssom(out, result)
    click.echo(f"{out}: {len(result.rows)} mappings")
    for x in result.left_out:
        click.echo(f"  left out: {x.label_in_paper} ({x.wikidata_qid}): {x.reason}"
                   + (f" [{', '.join(x.candidates)}]" if x.candidates else ""))
    for w in result.warnings:
        click.echo(f"  warning: {w}")
    _echo_alignment_differences(built, out)


@dev_group.command("alignment-check")
@click.option("--sssom", type=click.Path(dir_okay=False, path_type=Path),
              help="The SSSOM file to compare  [default: mappings/wikidata.sssom.tsv]")
def dev_alignment_check_cmd(sssom: Path | None) -> None:
    """Compare the SSSOM mapping file with the skos:exactMatch triples of the graph; exit 1 if
    they disagree."""
    from tajsec.graph.build import build

    project = find_project()
    diffs = _echo_alignment_differences(build(project), sssom or _default_sssom(project))
    sys.exit(1 if diffs else 0)


@dev_group.command("context")
def dev_context_cmd() -> None:
    """Regenerate contexts/tajsec.jsonld (the JSON-LD context) from tajsec/namespaces.py."""
    from tajsec.publish.export import write_context

    click.echo(f"wrote {write_context(find_project())}")


@dev_group.command("stated-in")
@click.option("--source", type=click.Path(dir_okay=False, path_type=Path),
              help="The paper's text  [default: ../shared/source/matveeva-tajikistan-security-sector.txt "
                   "beside the checkout]")
@click.option("--dry-run", is_flag=True, help="Report only; write nothing.")
def dev_stated_in_cmd(source: Path | None, dry_run: bool) -> None:
    """Give every statement one ts:statedIn (the section or footnote whose text holds its evidence
    quote), rewriting instances/*.ttl; exit 1 if a statement could not be placed."""
    from tajsec.graph.build import build
    from tajsec.quality.stated_in import place_statements, write_stated_in

    project = find_project()
    source = source or project.root.parent / "shared" / "source" / "matveeva-tajikistan-security-sector.txt"
    if not source.is_file():
        raise CannotRun(f"{source}: no such file (give --source PATH)")
    placed = place_statements(source.read_text(encoding="utf-8"), build(project))
    for m in placed.mismatches:
        click.echo(f"  note: {m}")
    for p in placed.problems:
        click.echo(f"  NOT PLACED {p}")
    missing: set[str] = set()
    if not dry_run:
        changed, missing = write_stated_in(project.instance_files, placed.statements)
        for f in changed:
            click.echo(f"wrote {f}")
        for n in sorted(missing):
            click.echo(f"  NOT WRITTEN {n}: no block with a one-line ts:inSection in instances/")
    click.echo(f"{len(placed.statements)} statements placed, {len(placed.problems)} not placed")
    sys.exit(1 if placed.problems or missing else 0)


@dev_group.command("time-bounds")
@click.option("--dry-run", is_flag=True, help="Report only; write nothing.")
def dev_time_bounds_cmd(dry_run: bool) -> None:
    """Give every stated instant ts:notBefore/ts:notAfter/ts:precision and every single-dated event
    time:hasTime its instant, rewriting instances/*.ttl (run `make format` after); exit 1 on a
    problem."""
    from tajsec.graph.build import build
    from tajsec.quality.time_bounds import plan_time_bounds, write_time_bounds

    project = find_project()
    plan = plan_time_bounds(build(project))
    for p in plan.problems:
        click.echo(f"  PROBLEM {p}")
    missing: set[str] = set()
    if not dry_run:
        changed, missing = write_time_bounds(project.instance_files, plan)
        for f in changed:
            click.echo(f"wrote {f}")
        for n in sorted(missing):
            click.echo(f"  NOT WRITTEN {n}: no block with a one-line value or schema:startDate in instances/")
    click.echo(f"{len(plan.instants)} stated instants, {len(plan.events)} events to link, "
               f"{len(plan.problems)} problems")
    sys.exit(1 if plan.problems or missing else 0)


COMMANDS = [dev_group]
