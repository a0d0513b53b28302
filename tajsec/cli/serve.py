"""`tajsec serve`: a read-only SPARQL endpoint and query page over the built graph."""
from __future__ import annotations

import signal
import sys

import click

from tajsec.cli import render
from tajsec.cli.base import CannotRun, find_project


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
def serve_cmd(host: str, port: int, timeout: float, max_rows: int, max_memory: int, workers: int,
              idle_timeout: float, max_connections: int, cors: bool) -> None:
    """Serve the built graph over a read-only SPARQL endpoint with a query page in the browser.
    SIGTERM, SIGHUP and Ctrl-C stop it (exit 0), with its query workers."""
    from tajsec.core.namespaces import sparql_prologue
    from tajsec.graph.build import build
    from tajsec.sparql.worker import union_by_default
    from tajsec.web.evidence import tracing
    from tajsec.web.server import ServeError, make_server

    project = find_project()
    built = build(project)
    try:
        httpd, pool = make_server(union_by_default(built.store), host, port, timeout, max_rows,
                                  render.example_query(project), sparql_prologue(), workers, max_memory << 20,
                                  max_connections, idle_timeout, cors, tracing(built, project.root))
    except (ServeError, OSError) as e:
        raise CannotRun(f"cannot start the server: {e}") from e

    def stop(signum, frame):
        raise KeyboardInterrupt

    real_host, real_port = httpd.server_address[:2]
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
