"""`tajsec merge`, `export`, `void`, `load`: the graph in and out of other datasets and stores."""
from __future__ import annotations

import netrc
import os
import sys
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tajsec.cli.base import CannotRun, find_project

if TYPE_CHECKING:
    from collections.abc import Callable

    from tajsec.core.project import Project
    from tajsec.merge import MergeResult
    from tajsec.sparql.remote import Credentials


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """A failure to write `path` (a missing folder, no permission) as an error naming it."""
    try:
        yield
    except OSError as e:
        raise CannotRun(f"cannot write {e.filename or path}: {e.strerror or e}") from e


def _write(path: Path, data: bytes) -> None:
    from tajsec.io.write import atomic_write_bytes

    with _writing(path):
        atomic_write_bytes(path, data)


@click.command("merge")
@click.argument("others", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="OTHER...")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("merged.trig"),
              show_default=True, help="Where to write the merged dataset (TriG, written atomically).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the merge report as JSON to this file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Format of the report printed on standard output.")
@click.option("--allow-ontology-changes", is_flag=True,
              help="Keep triples of OTHER that change the tajsec ontology (they are reported either way).")
@click.option("--analysis-store", type=click.Choice(["auto", "memory", "disk"]), default="auto", show_default=True,
              help="Where the analysis keeps the input triples it reads: auto is in memory up to 1 GiB of "
                   "input, on disk (a temporary folder) beyond, so that memory stays bounded.")
def merge_cmd(others: tuple[Path, ...], output: Path, report_path: Path | None, fmt: str,
              allow_ontology_changes: bool, analysis_store: str) -> None:
    """Merge OTHER files (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML, by extension) with our
    graph, each in its own named graph, and report shared entities, candidate matches, conflicting
    values and attempted changes to our ontology. Nothing is fetched; nothing is written unless
    every input parses. Exit 0 merged cleanly, 1 merged with findings (conflicts, ontology changes,
    unresolved owl:imports), 2 cannot run."""
    from tajsec.merge import OverwritesInput, merge, refuse_overwriting_inputs, write_outputs

    try:
        refuse_overwriting_inputs(list(others), {"-o": output, "--report": report_path})
    except OverwritesInput as e:
        raise CannotRun(str(e)) from e
    project = find_project()
    written = False
    try:
        on_disk = {"auto": None, "memory": False, "disk": True}[analysis_store]
        result = _merge_with_progress(partial(merge, analysis_on_disk=on_disk), project, list(others),
                                      allow_ontology_changes)
        with result:
            report = result.report
            text = report.as_json() if fmt == "json" else report.as_text()
            with _writing(output):
                write_outputs(result, output, report_path)
            written = True
            for w in result.warnings:
                click.echo(w, err=True)
            click.echo(text, nl=False)
            click.echo(f"tajsec merge: wrote {output} ({result.quad_count()} quads in {len(result.graphs)} graphs)",
                       err=True)
    except KeyboardInterrupt:  # 130 as for any command stopped by SIGINT: not 1, which means findings
        click.echo(f"tajsec merge: interrupted{'' if written else '; nothing written'}", err=True)
        sys.exit(130)
    sys.exit(1 if report.has_findings else 0)


def _merge_with_progress(merge: Callable[..., MergeResult], project: Project, others: list[Path],
                         allow_ontology_changes: bool) -> MergeResult:
    """`merge`, with a progress bar on a terminal."""
    if not sys.stderr.isatty():
        return merge(project, others, allow_ontology_changes)
    total = sum(p.stat().st_size for p in others if p.is_file())
    with click.progressbar(length=total, label="reading", file=sys.stderr) as bar:
        read: dict[str, int] = {}

        def progress(label: str, done: int, _total: int) -> None:
            if label != "sort":
                bar.update(done - read.get(label, 0))
                read[label] = done

        return merge(project, others, allow_ontology_changes, progress)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "trig", "nq", "jsonld", "jsonld-graphs", "rdfxml"]),
              help="jsonld: one flat @graph; jsonld-graphs, trig, nq: one graph per source file. "
                   "Required, except with --ontology (ttl, nt or rdfxml; default ttl) or --citations.")
@click.option("--ontology", is_flag=True,
              help="The released ontology instead of the graph: ontology/*.ttl as one OWL 2 DL document.")
@click.option("--citations", type=click.Choice(["bibtex", "csl-json"]),
              help="Instead of the graph: the works the paper cites, as BibTeX or CSL-JSON.")
@click.option("--profile", type=click.Choice(["full", "interop"]), default="full", show_default=True,
              help="full: asserted and derived; interop: only the standard-vocabulary view.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (atomically) instead of standard output.")
def export_cmd(fmt: str | None, ontology: bool, citations: str | None, profile: str, output: Path | None) -> None:
    """Export the built graph in one RDF format, deterministic (same checkout, same bytes); with
    --ontology the released ontology; with --citations the cited works."""
    from tajsec.publish.export import ExportError, export
    from tajsec.publish.ontology import ReleaseError, release_document

    if citations and (fmt or ontology):
        raise click.UsageError("--citations writes the cited works: give it without --format or --ontology")
    if not (fmt or ontology or citations):
        raise click.UsageError("give --format (the graph), --ontology (the released ontology) or --citations")
    project = find_project()
    try:
        if citations:
            from tajsec.evidence.citations import citations_export

            data = citations_export(project, citations)
        elif ontology:
            data = release_document(project, fmt or "ttl")
        else:
            data = export(project, fmt or "ttl", profile)  # fmt is given: checked above
    except (ExportError, ReleaseError) as e:
        raise CannotRun(str(e)) from e
    if output:
        _write(output, data)
    else:
        with click.open_file("-", "wb") as stdout:  # click.get_binary_stream is deprecated (Click 8.3)
            stdout.write(data)


@click.command("void")
@click.option("--endpoint", metavar="URL", help="The SPARQL endpoint that serves the graph, if any.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (atomically) instead of standard output.")
def void_cmd(endpoint: str | None, output: Path | None) -> None:
    """Describe the built graph in VoID and DCAT (Turtle): licence, source, version, counts."""
    from tajsec.graph.build import build
    from tajsec.publish.void import dataset_description

    project = find_project()
    text = dataset_description(project, build(project), endpoint)
    if output:
        _write(output, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)


@click.command("load")
@click.option("--endpoint", required=True, metavar="URL",
              help="A SPARQL 1.1 Graph Store Protocol endpoint (Oxigraph: http://host:7878/store; "
                   "Virtuoso: http://host:8890/sparql-graph-crud-auth).")
@click.option("--graph", "graph", metavar="IRI", help="Target named graph (default: the default graph).")
@click.option("--chunk", type=click.IntRange(min=1), default=50000, show_default=True, help="Triples per request.")
@click.option("--timeout", type=click.FloatRange(min=1), default=300.0, show_default=True,
              help="Seconds each request (one chunk) may take, sending and answer together.")
@click.option("--user", metavar="NAME",
              help="Log in as NAME (HTTP Basic or Digest, as the endpoint asks). The password comes from "
                   "the TAJSEC_PASSWORD environment variable, else ~/.netrc, else a prompt (not echoed).")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
def load_cmd(endpoint: str, graph: str | None, chunk: int, timeout: float, user: str | None,
             files: tuple[Path, ...]) -> None:
    """Push the built graph (asserted and derived triples) to a SPARQL store, or, given FILES,
    the triples of those data files instead (any RDF format; streamed, a chunk at a time, so
    memory stays bounded whatever their size; ill-typed literals sent as written, with a
    warning). Idempotent: loading twice replaces, it does not duplicate. Answers 5xx are
    retried (3 attempts in all)."""
    from tajsec.graph.build import build
    from tajsec.sparql.remote import RemoteError, check_url, load, load_files, triples_of

    try:
        check_url(endpoint)
    except RemoteError as e:
        raise CannotRun(str(e)) from e
    credentials = _credentials(endpoint, user)
    if files:
        warnings: list = []
        try:
            n = load_files(list(files), endpoint, graph, chunk, None, timeout, credentials, warnings)
        except RemoteError as e:
            raise CannotRun(str(e)) from e
        finally:
            for w in warnings:
                click.echo(str(w), err=True)
        click.echo(f"tajsec load: {n} triples from {len(files)} file(s) into {graph or 'the default graph'} "
                   f"at {endpoint}")
        return
    built = build(find_project())
    total = len(triples_of(built.store))
    try:
        if sys.stderr.isatty():
            with click.progressbar(length=total, label="loading", file=sys.stderr) as bar:
                sent = [0]

                def progress(done: int, _total: int) -> None:
                    bar.update(done - sent[0])
                    sent[0] = done

                n = load(built.store, endpoint, graph, chunk, progress, timeout, credentials)
        else:
            n = load(built.store, endpoint, graph, chunk, timeout=timeout, credentials=credentials)
    except RemoteError as e:
        raise CannotRun(str(e)) from e
    click.echo(f"tajsec load: {n} triples into {graph or 'the default graph'} at {endpoint}")


def _credentials(endpoint: str, user: str | None) -> Credentials | None:
    """User and password for `endpoint`: --user with TAJSEC_PASSWORD, ~/.netrc or a prompt; or the
    ~/.netrc entry for its host when --user is not given; None when there are none."""
    from tajsec.sparql.remote import Credentials

    host = urllib.parse.urlsplit(endpoint).hostname or ""
    try:
        entry = netrc.netrc().authenticators(host)
    except (FileNotFoundError, netrc.NetrcParseError, OSError):
        entry = None
    if user is None:
        return Credentials(entry[0], entry[2]) if entry and entry[0] else None
    password = os.environ.get("TAJSEC_PASSWORD")
    if password is None and entry and entry[0] == user:
        password = entry[2]
    if password is None:
        if not sys.stdin.isatty():
            raise CannotRun(f"no password for {user!r}: set TAJSEC_PASSWORD, add {host} to ~/.netrc, "
                            "or run in a terminal to be asked")
        password = click.prompt(f"password for {user} at {host}", hide_input=True, err=True)
    return Credentials(user, password)


COMMANDS = [merge_cmd, export_cmd, void_cmd, load_cmd]
