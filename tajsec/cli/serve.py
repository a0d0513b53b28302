"""`tajsec serve`: a read-only SPARQL endpoint and query page over the built graph."""
from __future__ import annotations

import functools
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, cast

import click

from tajsec.cli import render
from tajsec.cli.base import CannotRun, find_project

if TYPE_CHECKING:
    from tajsec.core.project import Project
    from tajsec.graph.build import Built


class SitePages:
    """The docs site for `tajsec.web.resources`: entity, term and shapes pages rendered on request
    (a few ms each) from a model made at start-up, then kept; the rest of the site (home page,
    questions, pictures: about 9 s) rendered once, when first asked for."""

    def __init__(self, project: Project, built: Built):
        from tajsec.site.entities import entities_index, entity_page
        from tajsec.site.frame import stylesheet
        from tajsec.site.model import SiteModel
        from tajsec.site.shapes import shapes_page
        from tajsec.site.terms import class_page, property_page, scheme_page, terms_index

        self.project, self.built = project, built
        m = self.model = SiteModel(project, built)
        self._renderers: dict[str, Callable[[], tuple[str, bytes]]] = {
            "entities/index.html": lambda: entities_index(m), "terms/index.html": lambda: terms_index(m),
            "shapes/index.html": lambda: shapes_page(m), "style.css": lambda: ("style.css", stylesheet())}
        for items, page_of in ((m.entities, entity_page), (m.classes, class_page),
                               (m.properties, property_page), (m.schemes, scheme_page)):
            for iri in items:
                self._renderers[m.path[iri]] = functools.partial(page_of, m, iri)
        self._files: dict[str, bytes] = {}
        self._whole_site_lock = threading.Lock()
        self._whole_site_done = False

    def path_of(self, iri: str) -> str | None:
        return self.model.path.get(iri)

    def file(self, path: str) -> bytes | None:
        from tajsec.site import render_site

        if path not in self._files and path in self._renderers:
            self._files[path] = self._renderers[path]()[1]
        if path not in self._files and not self._whole_site_done:
            with self._whole_site_lock:
                if not self._whole_site_done:
                    files, _ = render_site(self.project, self.built)
                    for name, body in files.items():
                        self._files.setdefault(name, body)
                    self._whole_site_done = True
        return self._files.get(path)


def load_beside(project: Project, built: Built, data: tuple[Path, ...]) -> None:
    """Each file of `data` into a named graph of its own (named as the build names files) in the
    built store, beside ours: the loader's checks, leniently (ill-typed literals are warnings), as
    `tajsec merge` loads other people's files. The build's rules are not run over them (the
    derived layer stays ours); the entity pages, evidence and as-of views are made before."""
    from tajsec.io.load import graph_name_for, load_into

    for f in data:
        graph = graph_name_for(f, project.root)
        if graph.value in built.graphs:
            raise CannotRun(f"{f}: already served (its graph {graph.value} is in the built graph)")
        built.asserted_triples += load_into(built.store, f, graph, strict=False, warnings=built.warnings)
        built.graphs[graph.value] = f
        built.files.append(f)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback exposes the endpoint to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=1), default=10.0, show_default=True,
              help="Per-query time-out in seconds; the query's worker is then stopped.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10000, show_default=True,
              help="Refuse answers with more rows (or triples) than this.")
@click.option("--max-memory", type=click.IntRange(min=64), default=2048, show_default=True, metavar="MIB",
              help="Memory cap of each query worker (MiB).")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Queries answered at once; further requests wait up to 5 s, then get 503.")
@click.option("--idle-timeout", type=click.FloatRange(min=0.5), default=10.0, show_default=True,
              help="Close a connection that sends nothing for this many seconds (slow or idle clients).")
@click.option("--max-connections", type=click.IntRange(min=1), default=64, show_default=True,
              help="Open connections at once; more get 503 at once.")
@click.option("--cors/--no-cors", default=True, show_default=True,
              help="Let web pages on other origins (YASGUI, notebooks) read the answers of read-only queries.")
@click.option("--data", "data", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              metavar="FILE", help="Serve this RDF file too (repeatable; any format `tajsec validate` reads), "
                                   "loaded as `tajsec merge` loads other people's data, in a named graph of its own.")
def serve_cmd(host: str, port: int, timeout: float, max_rows: int, max_memory: int, workers: int,
              idle_timeout: float, max_connections: int, cors: bool, data: tuple[Path, ...]) -> None:
    """Serve the built graph over a read-only SPARQL endpoint with a query page in the browser.
    With --data, other files beside it, each in its own named graph, queried with ours as the
    union of all graphs. SIGTERM, SIGHUP and Ctrl-C stop it (exit 0), with its query workers."""
    from tajsec.core.namespaces import sparql_prologue
    from tajsec.graph.build import build
    from tajsec.quality.validate import check_inputs
    from tajsec.sparql.worker import union_by_default
    from tajsec.timeline.asof import AsOf
    from tajsec.web.asof import as_of_query
    from tajsec.web.evidence import tracing
    from tajsec.web.resources import LinkedData
    from tajsec.web.server import ServeError, make_server

    project = find_project()
    check_inputs(list(data))
    built = build(project)
    store_query = as_of_query(AsOf(built, project), union_by_default(built.store))
    trace, linked_data = tracing(built, project.root), LinkedData(project, built, SitePages(project, built))
    warned = len(built.warnings)
    load_beside(project, built, data)
    if len(built.warnings) > warned:
        click.echo(f"note: {len(built.warnings) - warned} warning(s) loading --data, the first: "
                   f"{built.warnings[warned]}", err=True)
    try:
        httpd, pool = make_server(store_query, host, port, timeout, max_rows,
                                  render.example_query(project), sparql_prologue(), workers, max_memory << 20,
                                  max_connections, idle_timeout, cors, trace, linked_data=linked_data,
                                  as_of_views=True)
    except (ServeError, OSError) as e:
        raise CannotRun(f"cannot start the server: {e}") from e

    def stop(signum: int, frame: FrameType | None) -> None:
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)  # one stop: a second signal must not break the clean-up
        raise KeyboardInterrupt

    real_host, real_port = cast(tuple[str, int], httpd.server_address[:2])  # an IP socket: the host is text
    shown = "127.0.0.1" if real_host in ("127.0.0.1", "") else real_host
    try:
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, stop)
        if not pool.isolated:
            click.echo("note: this system gives no private network namespace; SERVICE is still refused by "
                       "parsing every query", err=True)
        click.echo(f"tajsec: SPARQL endpoint http://{shown}:{real_port}/sparql, query page "
                   f"http://{shown}:{real_port}/ (read-only; Ctrl-C stops)")
        sys.stdout.flush()
        httpd.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopping", err=True)
    finally:
        httpd.server_close()
        pool.close()


COMMANDS = [serve_cmd]
