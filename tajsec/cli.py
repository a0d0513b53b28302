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


class _Guarded(click.Group):
    """No traceback reaches the user: an unexpected exception becomes a one-line error and
    exit 2 (`tajsec --debug ...` shows the traceback)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except LoadError as e:
            click.echo(f"error: {e}", err=True)
            sys.exit(2)
        except Exception as e:  # noqa: BLE001 - the boundary where tracebacks stop
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"error: {type(e).__name__}: {e} (run with --debug for the traceback)", err=True)
            sys.exit(2)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for unexpected errors.")
@click.pass_context
def main(ctx, debug: bool) -> None:
    """tajsec: a knowledge graph of Tajikistan's security sector, built from one paper.

    Exit codes: 0 all good, 1 findings (violations, failed checks, wrong answers), 2 cannot run
    (usage, parse or load error)."""
    ctx.obj = {"debug": debug}


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
@click.argument("name_or_file", required=False)
@click.option("-e", "--expression", help="SPARQL SELECT text to run instead of a file or name.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@click.option("--bind", "binds", multiple=True, metavar="VAR=VALUE",
              help="Bind ?VAR to <IRI>, prefix:name or a plain string; repeatable. Bound as an RDF term, never pasted into the text.")
@click.option("--limit", type=click.IntRange(min=0), help="Print at most this many rows.")
@click.option("--timeout", type=click.FloatRange(min=0), default=30.0, show_default=True,
              help="Stop the query after this many seconds (0: no limit).")
@click.option("--allow-network", is_flag=True, help="Allow SERVICE and LOAD (refused by default).")
@click.option("--endpoint", metavar="URL", help="Run the query on this remote SPARQL endpoint instead (e.g. http://host:7878/query).")
@click.option("--graph", "graph", metavar="IRI", help="With --endpoint: the graph `tajsec load --graph` used (sent as default-graph-uri).")
def query_cmd(name_or_file, expression, fmt, binds, limit, timeout, allow_network, endpoint, graph) -> None:
    """Run a competency question by name, a query file, or -e TEXT over the built graph."""
    from tajsec import queries
    from tajsec.build import build
    from tajsec.namespaces import shorten
    from tajsec.run import QueryError, parse_binding, run_select

    project = _project()
    if bool(name_or_file) == bool(expression):
        raise click.UsageError("give a question name, a query file, or -e 'SPARQL' (exactly one)")
    if expression:
        text, label = expression, "-e"
    else:
        path = Path(name_or_file)
        if not path.is_file():
            candidate = project.root / "queries" / "questions" / f"{name_or_file}.rq"
            if not candidate.is_file():
                click.echo(f"error: {name_or_file}: no such file and no competency question of that name "
                           f"(`tajsec questions` lists them)", err=True)
                sys.exit(2)
            path = candidate
        text, label = path.read_text(encoding="utf-8"), str(path)
    if endpoint:
        from tajsec.remote import RemoteError, query as remote_query

        if binds:
            raise click.UsageError("--bind is for embedded queries; a remote endpoint takes the query as it is")
        try:
            res = remote_query(endpoint, text, graph, timeout or 60.0)
        except RemoteError as e:
            click.echo(f"error: {e}", err=True)
            sys.exit(2)
        if limit is not None:
            res.rows = res.rows[:limit]
        out = {"table": lambda r: queries.to_table(r, shorten), "csv": queries.to_csv,
               "tsv": queries.to_tsv, "json": queries.to_json}[fmt](res)
        click.echo(out, nl=False)
        return
    try:
        bindings = dict(parse_binding(b) for b in binds)
        built = build(project)
        res = run_select(built, text, bindings, limit, timeout or None, allow_network)
    except LoadError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    except QueryError as e:
        click.echo(f"error: {label}: {e}", err=True)
        sys.exit(2)
    out = {"table": lambda r: queries.to_table(r, shorten), "csv": queries.to_csv,
           "tsv": queries.to_tsv, "json": queries.to_json}[fmt](res)
    click.echo(out, nl=False)


@main.command("questions")
@click.option("--run", "run_them", is_flag=True, help="Run each question and compare with its expected answer.")
def questions_cmd(run_them: bool) -> None:
    """List the competency questions (or run them all with --run)."""
    from tajsec import queries
    from tajsec.build import build
    from tajsec.namespaces import shorten

    project = _project()
    files = project.question_queries
    if not run_them:
        for path in files:
            qf = queries.QueryFile.read(path)
            click.echo(f"{qf.name:<48} {qf.title}")
        click.echo(f"({len(files)} questions; `tajsec query NAME` runs one)")
        return
    try:
        built = build(project)
    except LoadError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    failed = 0
    for path in files:
        qf = queries.QueryFile.read(path)
        res = queries.run(built.query, qf.text)
        expected = project.expected_dir / f"{qf.name}.csv"
        problems = queries.compare(res, expected) if expected.is_file() else [f"no expected answer {expected}"]
        failed += bool(problems)
        click.echo(f"== {qf.name}: {qf.question}")
        click.echo(queries.to_table(res, shorten), nl=False)
        click.echo("   matches the expected answer" if not problems else "   DIFFERS: " + "; ".join(problems[:5]))
        click.echo()
    click.echo(f"{len(files) - failed}/{len(files)} questions match their expected answers")
    sys.exit(1 if failed else 0)


@main.command("describe")
@click.argument("term")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def describe_cmd(term: str, fmt: str) -> None:
    """An entity card: TERM is an IRI, a prefixed name (tsd:gaffur-mirzoev) or a label ("Mirzoev")."""
    from tajsec.build import build
    from tajsec.describe import Ambiguous, NotFound, card_text, describe, resolve

    project = _project()
    try:
        built = build(project)
    except LoadError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    try:
        iri = resolve(built, term)
    except NotFound as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    except Ambiguous as e:
        click.echo(f"{term!r} matches {len(e.candidates)} entities; give one of these:", err=True)
        for iri, label, types in e.candidates:
            click.echo(f"  {iri}  {label}  ({types})", err=True)
        sys.exit(2)
    card = describe(built, iri)
    click.echo(json.dumps(card, indent=2, ensure_ascii=False) if fmt == "json" else card_text(card))


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


@main.command("validate")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--with-instances", is_flag=True, help="Validate FILES merged with our instances.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit", "github"]), default="text",
              show_default=True)
@click.option("--severity", type=click.Choice(["violation", "warning", "info"]), default="violation",
              show_default=True, help="Lowest severity that makes the run fail (exit 1).")
@click.option("--engine", type=click.Choice(["fast", "pyshacl"]), default="fast", show_default=True,
              help="fast: shapes compiled to SPARQL on pyoxigraph; pyshacl: the reference engine.")
def validate_cmd(files: tuple[Path, ...], with_instances: bool, fmt: str, severity: str, engine: str) -> None:
    """Validate data against the ontology and the SHACL shapes.

    With no FILES: our own instances. With FILES (Turtle, N-Triples, N-Quads, TriG, JSON-LD,
    RDF/XML, by extension): those files alone, or merged with ours (--with-instances).
    Exit 0 conforms, 1 results at or above --severity, 2 cannot run."""
    from tajsec.validate import FORMATTERS, check_inputs, validate

    project = _project()
    try:
        check_inputs(list(files))
        sizes = {f: f.stat().st_size for f in files if f.is_file()}
        if sys.stderr.isatty() and sum(sizes.values()) > 8 << 20:  # about 100k triples and more
            with click.progressbar(length=sum(sizes.values()), label="loading", file=sys.stderr) as bar:
                outcome = validate(project, list(files), with_instances, severity.capitalize(), engine,
                                   progress=lambda f: bar.update(sizes.get(f, 0)))
        else:
            outcome = validate(project, list(files) or None, with_instances, severity.capitalize(), engine)
    except LoadError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    for w in outcome.load_warnings:
        click.echo(w, err=True)
    click.echo(FORMATTERS[fmt](outcome), nl=False)
    sys.exit(0 if outcome.conforms else 1)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback exposes the endpoint to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=1), default=10.0, show_default=True,
              help="Per-query time-out in seconds.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10000, show_default=True,
              help="Refuse answers with more rows (or triples) than this.")
def serve_cmd(host: str, port: int, timeout: float, max_rows: int) -> None:
    """Serve the built graph over a read-only SPARQL endpoint with a query page in the browser."""
    from tajsec import queries
    from tajsec.build import build
    from tajsec.namespaces import sparql_prologue
    from tajsec.rdfio import store_to_nquads
    from tajsec.serve import ServeError, make_server

    project = _project()
    try:
        built = build(project)
        example = ""
        questions = project.question_queries
        if questions:
            qf = queries.QueryFile.read(questions[0])
            example = "\n".join(l for l in qf.text.splitlines() if not l.upper().startswith("PREFIX"))
        httpd, backend = make_server(store_to_nquads(built.store), host, port, timeout, max_rows,
                                     example.strip(), sparql_prologue())
    except LoadError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    except (ServeError, OSError) as e:
        click.echo(f"error: cannot start the server: {e}", err=True)
        sys.exit(2)
    real_host, real_port = httpd.server_address[:2]
    shown = "127.0.0.1" if real_host in ("127.0.0.1", "") else real_host
    click.echo(f"tajsec: SPARQL endpoint http://{shown}:{real_port}/sparql, query page http://{shown}:{real_port}/ "
               f"(read-only; Ctrl-C stops)", err=False)
    sys.stdout.flush()
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopping", err=True)
    finally:
        httpd.server_close()
        backend.close()


@main.command("docs")
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="Folder to write the site to; replaced whole if it holds a previous site.")
def docs_cmd(out: Path) -> None:
    """Generate the static HTML site: entities, ontology, questions, shapes and pictures."""
    import time

    from tajsec.docs import DocsError, build_site

    project = _project()
    start = time.perf_counter()
    try:
        counts = build_site(project, out)
    except (LoadError, DocsError) as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    click.echo(f"tajsec docs: {counts['pages']} pages ({counts['entities']} entities, {counts['terms']} terms, "
               f"{counts['questions']} questions), {counts['pictures']} pictures in {out} "
               f"({time.perf_counter() - start:.1f} s); open {out / 'index.html'}")


@main.command("merge")
@click.argument("others", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="OTHER...")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("merged.trig"),
              show_default=True, help="Where to write the merged dataset (TriG, written atomically).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the merge report as JSON to this file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Format of the report printed on standard output.")
@click.option("--allow-ontology-changes", is_flag=True,
              help="Keep triples of OTHER that change the tajsec ontology (they are reported either way).")
def merge_cmd(others: tuple[Path, ...], output: Path, report_path: Path | None, fmt: str,
              allow_ontology_changes: bool) -> None:
    """Merge OTHER files (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML, by extension) with our
    graph, each in its own named graph, and report shared entities, candidate matches, conflicting
    values and attempted changes to our ontology. Nothing is fetched; nothing is written unless
    every input parses. Exit 0 merged cleanly, 1 merged with findings (conflicts, ontology changes,
    unresolved owl:imports), 2 cannot run."""
    from tajsec.merge import OverwritesInput, merge, refuse_overwriting_inputs, write_outputs

    try:
        refuse_overwriting_inputs(list(others), {"-o": output, "--report": report_path})
    except OverwritesInput as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    project = _project()
    written = False
    try:
        result = _merge_with_progress(merge, project, list(others), allow_ontology_changes)
        with result:
            report = result.report
            text = report.as_json() if fmt == "json" else report.as_text()
            try:
                write_outputs(result, output, report_path)
            except OSError as e:
                click.echo(f"error: cannot write {e.filename or output}: {e.strerror or e}", err=True)
                sys.exit(2)
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


def _merge_with_progress(merge, project: Project, others: list[Path], allow_ontology_changes: bool):
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


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt", "trig", "jsonld", "rdfxml"]), required=True)
@click.option("--profile", type=click.Choice(["full", "interop"]), default="full", show_default=True,
              help="full: asserted and derived; interop: only the standard-vocabulary view.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (atomically) instead of standard output.")
def export_cmd(fmt: str, profile: str, output: Path | None) -> None:
    """Export the built graph in one RDF format, deterministic (same checkout, same bytes)."""
    from tajsec.export import ExportError, export
    from tajsec.rdfio import atomic_write_bytes

    project = _project()
    try:
        data = export(project, fmt, profile)
    except ExportError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    if output:
        try:
            atomic_write_bytes(output, data)
        except OSError as e:
            click.echo(f"error: cannot write {output}: {e.strerror or e}", err=True)
            sys.exit(2)
    else:
        click.get_binary_stream("stdout").write(data)


@main.command("void")
@click.option("--endpoint", metavar="URL", help="The SPARQL endpoint that serves the graph, if any.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (atomically) instead of standard output.")
def void_cmd(endpoint: str | None, output: Path | None) -> None:
    """Describe the built graph in VoID and DCAT (Turtle): licence, source, version, counts."""
    from tajsec.build import build
    from tajsec.rdfio import atomic_write_bytes
    from tajsec.void import dataset_description

    project = _project()
    text = dataset_description(project, build(project), endpoint)
    if output:
        atomic_write_bytes(output, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)


@main.command("load")
@click.option("--endpoint", required=True, metavar="URL",
              help="A SPARQL 1.1 Graph Store Protocol endpoint (Oxigraph: http://host:7878/store).")
@click.option("--graph", "graph", metavar="IRI", help="Target named graph (default: the default graph).")
@click.option("--chunk", type=click.IntRange(min=1), default=50000, show_default=True, help="Triples per request.")
def load_cmd(endpoint: str, graph: str | None, chunk: int) -> None:
    """Push the built graph (asserted and derived triples) to a SPARQL store. Idempotent: loading
    twice replaces, it does not duplicate."""
    from tajsec.build import build
    from tajsec.remote import RemoteError, load, triples_of

    project = _project()
    built = build(project)
    total = len(triples_of(built.store))
    try:
        if sys.stderr.isatty():
            with click.progressbar(length=total, label="loading", file=sys.stderr) as bar:
                sent = [0]

                def progress(done: int, _total: int) -> None:
                    bar.update(done - sent[0])
                    sent[0] = done

                n = load(built.store, endpoint, graph, chunk, progress)
        else:
            n = load(built.store, endpoint, graph, chunk)
    except RemoteError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    click.echo(f"tajsec load: {n} triples into {graph or 'the default graph'} at {endpoint}")
