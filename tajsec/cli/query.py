"""`tajsec query`, `tajsec questions`, `tajsec describe`: asking the graph."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tajsec.graph.build import Built
    from tajsec.timeline.asof import View

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tajsec.sparql.results import Result
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tajsec.cli import render
from tajsec.cli.base import CannotRun, find_project
from tajsec.core.project import Project


@click.command("query")
@click.argument("name_or_file", required=False)
@click.option("-e", "--expression", help="SPARQL SELECT text to run instead of a file or name.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "xml"]), default="table",
              show_default=True, help="table for reading (long values cut at 70 characters unless --full); "
                                      "csv, tsv, json, xml: the SPARQL 1.1 results formats.")
@click.option("--full", is_flag=True, help="In the table, show long values whole instead of cutting them.")
@click.option("--no-default-prefixes", is_flag=True,
              help="Do not declare the project's prefixes (ts:, tsd:, tssh:, rdfs:, skos:, org:, ... as in "
                   "`tajsec.core.namespaces`) for the query. By default they are declared; the query's own "
                   "PREFIX lines win.")
@click.option("--bind", "binds", multiple=True, metavar="VAR=VALUE",
              help="Bind ?VAR to <IRI>, prefix:name or a plain string; repeatable. Bound as an RDF term, "
                   "never pasted into the text.")
@click.option("--limit", type=click.IntRange(min=0), help="Print at most this many rows.")
@click.option("--timeout", type=click.FloatRange(min=0), default=30.0, show_default=True,
              help="Stop the query after this many seconds (0: no limit).")
@click.option("--max-memory", type=click.IntRange(min=64), default=2048, show_default=True, metavar="MIB",
              help="Stop the query when it needs more memory than this (MiB).")
@click.option("--allow-network", is_flag=True,
              help="Let the query reach the network (SERVICE). By default SERVICE is refused and the query "
                   "runs in a process with no network.")
@click.option("--why", is_flag=True,
              help="Show each row's evidence: the triples its match used and the statements of the paper behind them "
                   "(table: indented under the row; json: a top-level `evidence` member, one entry per binding; "
                   "csv: a `_evidence` column of statement IRIs).")
@click.option("--cite", is_flag=True, help="With --why: print each row's sources as citations, ready to paste.")
@click.option("--endpoint", metavar="URL",
              help="Run the query on this remote SPARQL endpoint instead: tajsec serve http://host:7878/sparql, "
                   "Oxigraph http://host:7878/query, Virtuoso http://host:8890/sparql.")
@click.option("--graph", "graph", metavar="IRI",
              help="With --endpoint: query only this graph (sent as default-graph-uri), e.g. the one "
                   "`tajsec load --graph` filled.")
@click.option("--as-of", "as_of", metavar="DATE", callback=lambda c, p, v: _as_of_date(v),
              help="Query the graph as of DATE (YYYY, YYYY-MM or YYYY-MM-DD): only the statements, events and "
                   "agreements in effect then, each marked `ts:inEffect ts:in-effect-certainly` or "
                   "`...-possibly`, with the shortcut layer derived from those alone (README, \"As of a date\").")
def query_cmd(name_or_file: str | None, expression: str | None, fmt: str, full: bool, no_default_prefixes: bool,
              binds: tuple[str, ...], limit: int | None, timeout: float, max_memory: int,
              allow_network: bool, why: bool, cite: bool, endpoint: str | None, graph: str | None,
              as_of: str | None) -> None:
    """Run a competency question by name, a query file, or -e TEXT over the built graph."""
    from tajsec.core.namespaces import PREFIXES
    from tajsec.graph.build import build
    from tajsec.sparql.runner import QueryError, parse_binding, run_select

    project = find_project()
    if expression and not name_or_file:
        text, label = expression, "-e"
    elif name_or_file and not expression:
        text, label = _query_file(project, name_or_file)
    else:
        raise click.UsageError("give a question name, a query file, or -e 'SPARQL' (exactly one)")
    if cite and not why:
        raise click.UsageError("--cite goes with --why")
    if why and (endpoint or fmt in ("tsv", "xml")):
        raise click.UsageError("--why works on embedded queries, with --format table, json or csv")
    if endpoint and as_of:
        raise click.UsageError("--as-of works on embedded queries (a tajsec server takes it as the as-of parameter)")
    if endpoint:
        if binds:
            raise click.UsageError("--bind is for embedded queries; a remote endpoint takes the query as it is")
        res = _remote(endpoint, text, graph, timeout or 60.0)
        if limit is not None:
            res.rows = res.rows[:limit]
    else:
        try:
            bindings = dict(parse_binding(b) for b in binds)
            built = build(project)
            if as_of:
                built = _view(built, project, as_of).built
            prefixes = None if no_default_prefixes else PREFIXES
            tracer = _tracer(built, project, text, prefixes, bindings) if why else None
            res = run_select(built, text, bindings, limit, timeout or None, allow_network, max_memory << 20,
                             prefixes, tracer)
        except QueryError as e:
            raise CannotRun(f"{label}: {e}") from e
        if cite:
            from tajsec.evidence.citations import Works
            from tajsec.evidence.render import citations_text

            click.echo(citations_text(res, Works(built.store)), nl=False)
            return
    click.echo(render.result_text(res, fmt, full), nl=False)


def _as_of_date(value: str | None) -> str | None:
    """`--as-of`'s value, checked: click's usage error (exit 2) names what is wrong."""
    if value is None:
        return None
    from tajsec.timeline.bounds import BadDate, parse_as_of

    try:
        return parse_as_of(value)[0]
    except BadDate as e:
        raise click.BadParameter(str(e)) from None


def _view(built: Built, project: Project, as_of: str) -> View:
    from tajsec.timeline.asof import AsOf

    return AsOf(built, project).view(as_of)


def _tracer(built: Built, project: Project, text: str, prefixes: dict | None,
            bindings: dict) -> Callable[[list[str], list[list]], dict]:
    from tajsec.evidence.trace import Tracer

    tracer = Tracer(built, project.root, prefixes, bindings)
    return lambda variables, rows: tracer.trace(text, variables, rows)


def _query_file(project: Project, name_or_file: str) -> tuple[str, str]:
    """The text of a query file, or of the competency question of that name, and its label."""
    path = Path(name_or_file)
    if not path.is_file():
        path = project.root / "queries" / "questions" / f"{name_or_file}.rq"
        if not path.is_file():
            raise CannotRun(f"{name_or_file}: no such file and no competency question of that name "
                            "(`tajsec questions` lists them)")
    return path.read_text(encoding="utf-8"), str(path)


def _remote(endpoint: str, text: str, graph: str | None, timeout: float) -> Result:
    from tajsec.sparql.remote import RemoteError
    from tajsec.sparql.remote import query as remote_query

    try:
        return remote_query(endpoint, text, graph, timeout)
    except RemoteError as e:
        raise CannotRun(str(e)) from e


@click.command("questions")
@click.option("--run", "run_them", is_flag=True, help="Run each question and compare with its expected answer.")
@click.option("--why", is_flag=True, help="With --run: show each row's evidence (see `tajsec query --why`).")
def questions_cmd(run_them: bool, why: bool) -> None:
    """List the competency questions (or run them all with --run)."""
    from tajsec.graph.build import build
    from tajsec.sparql import queries

    project = find_project()
    files = project.question_queries
    if not run_them:
        for path in files:
            qf = queries.QueryFile.read(path)
            click.echo(f"{qf.name:<48} {qf.title}")
        click.echo(f"({len(files)} questions; `tajsec query NAME` runs one)")
        return
    if not files:
        raise CannotRun(f"no competency questions found in {project.expected_dir} (*.rq): "
                        "the checkout or installation is incomplete")
    built = build(project)
    tracer = None
    if why:
        from tajsec.core.namespaces import PREFIXES
        from tajsec.evidence.trace import Tracer

        tracer = Tracer(built, project.root, PREFIXES)
    failed = 0
    for path in files:
        qf = queries.QueryFile.read(path)
        res = queries.run(built.query, qf.text) if tracer is None else tracer.run(built.query, qf.text)
        expected = project.question_expected(path)
        problems = queries.compare(res, expected) if expected.is_file() else [f"no expected answer {expected}"]
        failed += bool(problems)
        click.echo(render.question_run_text(qf, res, problems), nl=False)
    click.echo(f"{len(files) - failed}/{len(files)} questions match their expected answers")
    sys.exit(1 if failed else 0)


@click.command("describe")
@click.argument("term")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--as-of", "as_of", metavar="DATE", callback=lambda c, p, v: _as_of_date(v),
              help="The card as of DATE (YYYY, YYYY-MM or YYYY-MM-DD): only the statements in effect then, each "
                   "marked certainly or possibly.")
def describe_cmd(term: str, fmt: str, as_of: str | None) -> None:
    """An entity card: TERM is an IRI, a prefixed name (tsd:gaffur-mirzoev) or a label ("Mirzoev")."""
    from tajsec.core.namespaces import expand
    from tajsec.graph.build import build
    from tajsec.graph.describe import Ambiguous, NotFound, card_text, describe, resolve

    project = find_project()
    built = build(project)
    try:
        iri = resolve(built, term)
    except NotFound as e:
        raise CannotRun(str(e)) from e
    except Ambiguous as e:
        raise CannotRun(f"{term!r} matches {len(e.candidates)} entities; give one of these:\n" + "\n".join(
            f"  {iri}  {label}  ({types})" for iri, label, types in e.candidates)) from e
    if as_of:
        view = _view(built, project, as_of)
        card = describe(view.built, iri)
        card["asOf"] = view.date
        for entry in card["statements"]:
            entry["inEffect"] = view.effects.get(expand(entry["node"]) or entry["node"])
    else:
        card = describe(built, iri)
    click.echo(json.dumps(card, indent=2, ensure_ascii=False) if fmt == "json" else card_text(card))


COMMANDS = [query_cmd, questions_cmd, describe_cmd]
