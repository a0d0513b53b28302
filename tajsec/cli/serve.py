"""`tajsec serve`: a read-only SPARQL endpoint and query page over the built graph."""
from __future__ import annotations

import sys

import click

from tajsec.cli import render
from tajsec.cli.base import CannotRun, find_project


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback exposes the endpoint to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=1), default=10.0, show_default=True,
              help="Per-query time-out in seconds.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10000, show_default=True,
              help="Refuse answers with more rows (or triples) than this.")
def serve_cmd(host: str, port: int, timeout: float, max_rows: int) -> None:
    """Serve the built graph over a read-only SPARQL endpoint with a query page in the browser."""
    from tajsec.build import build
    from tajsec.namespaces import sparql_prologue
    from tajsec.rdfio import store_to_nquads
    from tajsec.serve import ServeError, make_server

    project = find_project()
    built = build(project)
    try:
        httpd, backend = make_server(store_to_nquads(built.store), host, port, timeout, max_rows,
                                     render.example_query(project), sparql_prologue())
    except (ServeError, OSError) as e:
        raise CannotRun(f"cannot start the server: {e}") from e
    real_host, real_port = httpd.server_address[:2]
    shown = "127.0.0.1" if real_host in ("127.0.0.1", "") else real_host
    click.echo(f"tajsec: SPARQL endpoint http://{shown}:{real_port}/sparql, query page http://{shown}:{real_port}/ "
               f"(read-only; Ctrl-C stops)")
    sys.stdout.flush()
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopping", err=True)
    finally:
        httpd.server_close()
        backend.close()


COMMANDS = [serve_cmd]
