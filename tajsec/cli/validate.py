"""`tajsec check` and `tajsec validate`: is the graph, or someone's data, sound?"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from tajsec.cli import render
from tajsec.cli.base import CannotRun, find_project
from tajsec.core.environment import whole_number

LARGE_INPUT = 8 << 20  # bytes, about 100k triples: above this, loading shows a progress bar
#: A validated store of at least this many triples (or $TAJSEC_LARGE_STORE) is not freed: the process
#: ends without it (freeing 15M quads, one by one, took 10-17 s of a 10M-triple run, after the output).
LARGE_STORE = 2_000_000


def large_store() -> int:
    """The threshold of a large store: $TAJSEC_LARGE_STORE if set, else LARGE_STORE."""
    try:
        return whole_number("TAJSEC_LARGE_STORE", LARGE_STORE, "triples")
    except ValueError as e:
        raise CannotRun(str(e)) from None


@click.command("check")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--no-cache", is_flag=True, help="Run HermiT even if this exact input was reasoned over before.")
@click.option("--severity", type=click.Choice(["violation", "warning", "info"]), default="violation",
              show_default=True, help="Lowest severity of a SHACL result that fails the run (exit 1).")
def check_cmd(fmt: str, no_cache: bool, severity: str) -> None:
    """Parse, reason (HermiT), validate (SHACL), run the quality checks and the competency questions."""
    from tajsec.quality.check import check

    project = find_project()
    report = check(project, use_cache=not no_cache, threshold=severity.capitalize())
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render.check_text(report, project.root), nl=False)
    sys.exit(report.status)


@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--with-instances", is_flag=True, help="Validate FILES merged with our instances.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit", "github"]), default="text",
              show_default=True)
@click.option("--severity", type=click.Choice(["violation", "warning", "info"]), default="violation",
              show_default=True, help="Lowest severity that makes the run fail (exit 1).")
@click.option("--engine", type=click.Choice(["fast", "pyshacl"]), default="fast", show_default=True,
              help="fast: shapes compiled to SPARQL on pyoxigraph; pyshacl: the reference engine.")
@click.option("--shapes", "shapes", multiple=True, type=click.Path(path_type=Path),
              help="Validate against these SHACL shapes files (repeatable; any RDF format) instead of ours.")
@click.option("--changed", "changed", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Incremental: report only the focus nodes edits of this data file (since git's HEAD, if "
                   "tracked) can affect (repeatable).")
@click.option("--changed-since", "since", metavar="REV",
              help="Incremental: the data files that differ from git revision REV are the changed ones.")
@click.option("--cache-dir", "cache_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Build cache folder (default: $TAJSEC_CACHE_DIR, else build/cache/validate in the checkout, "
                   "or under ~/.cache/tajsec for an installed copy). "
                   "Incremental runs always use it; full runs only when this option is given.")
@click.option("--no-cache", is_flag=True, help="Use no build cache: parse every file.")
def validate_cmd(files: tuple[Path, ...], with_instances: bool, fmt: str, severity: str, engine: str,
                 shapes: tuple[Path, ...], changed: tuple[Path, ...], since: str | None, cache_dir: Path | None,
                 no_cache: bool) -> None:
    """Validate data against the ontology and the SHACL shapes.

    With no FILES: our own instances. With FILES (Turtle, N-Triples, N-Quads, TriG, JSON-LD,
    RDF/XML, by extension): those files alone, or merged with ours (--with-instances).
    With --shapes: anyone's SHACL shapes instead of ours, same engine, same output.
    With --changed or --changed-since: the whole data is loaded, but only the focus nodes the
    changed files can affect are validated; their results are those of a full run. Each
    file's parsed graph is kept in a build cache keyed by its content, so that only the
    changed files are parsed again (--no-cache: none kept).
    Exit 0 no result at or above --severity, 1 some, 2 cannot run."""
    from tajsec.quality.validate import FORMATTERS, check_inputs, validate

    threshold = large_store()  # read first: a bad value stops the run before any work
    project = find_project()
    check_inputs(list(files) + list(shapes))
    edits = _edits(Path.cwd(), changed, since)   # the git repository we are in, as git itself reads it
    cache = None
    if not no_cache and (edits is not None or cache_dir is not None):
        env = os.environ.get("TAJSEC_CACHE_DIR")
        cache = cache_dir or (Path(env) if env else project.cache_dir / "validate")
    sizes = {f: f.stat().st_size for f in files if f.is_file()}
    kept: list = []
    if sys.stderr.isatty() and sum(sizes.values()) > LARGE_INPUT:
        with click.progressbar(length=sum(sizes.values()), label="loading", file=sys.stderr) as bar:
            outcome = validate(project, list(files), with_instances, severity.capitalize(), engine,
                               progress=lambda f: bar.update(sizes.get(f, 0)), shapes=list(shapes) or None,
                               changed=edits, cache=cache, keep=kept)
    else:
        outcome = validate(project, list(files) or None, with_instances, severity.capitalize(), engine,
                           shapes=list(shapes) or None, changed=edits, cache=cache, keep=kept)
    click.echo(FORMATTERS[fmt](outcome), nl=False)
    end(0 if outcome.passes else 1, kept, threshold)


def end(code: int, kept: list, threshold: int = LARGE_STORE) -> None:
    """Exit with `code`. When the process is this command alone (its output is the process's
    own, not captured by a caller in the same process) and `kept` holds a large store, the
    process ends at once, its output flushed, without freeing the store first."""
    large = any(b.asserted_triples + b.derived_triples >= threshold for b in kept)
    if large and sys.stdout is sys.__stdout__ and sys.stderr is sys.__stderr__:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
        os._exit(code)
    kept.clear()
    sys.exit(code)


def _edits(cwd: Path, changed: tuple[Path, ...], since: str | None) -> dict[Path, list[bytes]] | None:
    """Each changed file with its texts now and, with --changed-since, at REV (None: a full run)."""
    if not changed and since is None:
        return None
    edits: dict[Path, list[bytes]] = {}
    if since is not None:
        from tajsec.quality.incremental import changed_since

        files, before = changed_since(cwd, since)
        for f in files:
            edits[f] = [t for t in (before.get(f), f.read_bytes() if f.is_file() else None) if t is not None]
    if changed:
        from tajsec.quality.incremental import committed

        for f in changed:   # the edit since the last commit, when git knows the file
            edits.setdefault(f.resolve(), [t for t in (committed(f), f.read_bytes()) if t is not None])
    return edits


COMMANDS = [check_cmd, validate_cmd]
