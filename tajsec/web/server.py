"""`tajsec serve`: the built graph behind a read-only SPARQL 1.1 Protocol endpoint on 127.0.0.1.

One process answers HTTP (this module); the queries run in sandboxed worker processes
(`pool.py`): no network, a memory cap, killed when their time is up. What the HTTP side adds:
the Host check (against DNS rebinding), SERVICE refused by parsing the query, read-only (updates
403), bounded request size and connection count, header/idle time-outs, and content negotiation
of the results formats (`tajsec.core.formats`). The IRIs of the graph (/id/, /onto/, /shapes)
are dereferenced by `resources.py`, behind the same Host check.
"""
from __future__ import annotations

import functools
import queue
import re
import threading
import urllib.parse
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar, cast

import pyoxigraph as ox

from tajsec.core import formats
from tajsec.core.errors import TajsecError
from tajsec.core.terms import StoreQuery
from tajsec.sparql import offline
from tajsec.sparql.worker import GRAPH_FORMATS, QueryError, Request, Trace
from tajsec.timeline.bounds import BadDate, parse_as_of
from tajsec.web import description, evidence
from tajsec.web.http1 import FastHead
from tajsec.web.pool import PoolBusy, WorkerPool
from tajsec.web.resources import LinkedData

DEFAULT_PORT = 7878
MAX_QUERY_BYTES = 1_000_000
DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri")
FORMAT_PARAMETERS = ("format", "output", "results")  # what SPARQLWrapper, Virtuoso and Fuseki use
AS_OF_PARAMETER = "as-of"  # our extension: the graph as of a date (README, "As of a date")
KNOWN_PARAMETERS = ("query", *DATASET_PARAMETERS, *FORMAT_PARAMETERS, AS_OF_PARAMETER)
BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
ERROR_STATUS = {"syntax": 400, "network": 400, "form": 400, "engine": 400, "not-acceptable": 406,
                "rows": 413, "bytes": 413, "timeout": 503, "memory": 503}


class ServeError(TajsecError):
    pass


def query_page(example: str, prefixes: str) -> bytes:
    html = (Path(__file__).resolve().parent.parent / "static" / "query.html").read_text(encoding="utf-8")
    text = prefixes + "\n" + example
    return html.replace("{{QUERY}}", _html_escape(text)).encode("utf-8")


def _html_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class BadRequest(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class Guard(FastHead):
    server_version = "tajsec-serve"
    protocol_version = "HTTP/1.1"
    timeout = 10  # seconds a connection may sit idle or drip its request

    # set on a subclass by make_server
    pool: WorkerPool
    timeout_s = 10.0
    max_rows = 10000
    page = b""
    allowed_hosts: frozenset[str] = frozenset()
    cors = True  # answer cross-origin read-only queries (README: "CORS")
    graphs: ClassVar[list[str]] = []  # the named graphs, for the service description
    linked_data: LinkedData | None = None  # dereferenceable IRIs (/id/, /onto/, /shapes, /docs/)
    as_of_views = False  # whether `as-of` is answered (the store_query takes as_of=)

    def log_message(self, fmt: str, *args: Any) -> None:  # quiet by default; the CLI prints the URL only
        pass

    def _send(self, code: int, body: bytes, ctype: str = "text/plain; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Vary", "Accept")
        self._cors_headers()
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _cors_headers(self) -> None:
        if self.cors and urllib.parse.urlsplit(self.path).path in ("/sparql", evidence.PATH):
            self.send_header("Access-Control-Allow-Origin", "*")

    def _error(self, code: int, message: str) -> None:
        self._send(code, (message + "\n").encode("utf-8"))

    def _host_ok(self) -> bool:
        return (self.headers.get("Host") or "") in self.allowed_hosts

    def do_GET(self) -> None:
        if not self._host_ok():
            return self._error(403, "unexpected Host header")
        url = urllib.parse.urlsplit(self.path)
        if url.path in ("/", "/index.html"):
            return self._send(200, self.page, "text/html; charset=utf-8")
        if url.path == "/sparql":
            try:
                params = _form_params(url.query)
                if "query" not in params and "update" not in params:
                    return self._describe(params)
                return self._protocol(params)
            except BadRequest as e:
                return self._error(e.status, str(e))
        if url.path == evidence.PATH:
            try:
                return evidence.answer(self, _form_params(url.query))
            except BadRequest as e:
                return self._error(e.status, str(e))
        if url.path == "/update":
            return self._error(403, "this endpoint is read-only: updates are refused")
        # not percent-decoded: names are plain ASCII (resources.NAME), anything else is a 404
        if self.linked_data is not None and self.linked_data.handles(url.path):
            found = self.linked_data.answer(url.path, self.headers.get("Accept"))
            return self._send(found.status, found.body, found.content_type, found.headers)
        return self._error(404, "not found; the SPARQL endpoint is /sparql")

    def do_HEAD(self) -> None:
        return self.do_GET()

    def do_OPTIONS(self) -> None:
        """Which methods the endpoint takes; with CORS on, the answer to a browser's preflight."""
        if not self._host_ok():
            return self._error(403, "unexpected Host header")
        self.send_response(204)
        self.send_header("Allow", "GET, HEAD, POST, OPTIONS")
        self.send_header("Content-Length", "0")
        if self.cors and urllib.parse.urlsplit(self.path).path in ("/sparql", evidence.PATH):
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Accept, Content-Type")
            self.send_header("Access-Control-Max-Age", "600")
            if (self.headers.get("Access-Control-Request-Private-Network") or "").lower() == "true":
                self.send_header("Access-Control-Allow-Private-Network", "true")
        self.end_headers()

    def do_POST(self) -> None:
        if not self._host_ok():
            return self._error(403, "unexpected Host header")
        url = urllib.parse.urlsplit(self.path)
        try:
            body = self._read_body()
        except BadRequest as e:
            self.close_connection = True
            return self._error(e.status, str(e))
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if url.path == "/update" or ctype == "application/sparql-update":
            return self._error(403, "this endpoint is read-only: updates are refused")
        if url.path not in ("/sparql", evidence.PATH):
            return self._error(404, "not found; the SPARQL endpoint is /sparql")
        protocol = evidence.answer if url.path == evidence.PATH else type(self)._protocol
        try:
            if ctype == "application/sparql-query":
                params = _form_params(url.query)
                params["query"] = [body]
                return protocol(self, params)
            if ctype == "application/x-www-form-urlencoded":
                return protocol(self, _form_params(body))
        except BadRequest as e:
            return self._error(e.status, str(e))
        return self._error(415, f"POST a query as application/sparql-query or application/x-www-form-urlencoded, "
                                f"not {ctype or 'a body without Content-Type'}"[:200])

    def _read_body(self) -> str:
        raw = self.headers.get("Content-Length")
        if raw is None:
            raise BadRequest(411, "a POST needs a Content-Length header")
        if not raw.strip().isdigit():
            raise BadRequest(400, f"Content-Length must be a non-negative integer, got {raw.strip()[:40]!r}")
        length = int(raw)
        if length > MAX_QUERY_BYTES:
            raise BadRequest(413, f"request body larger than {MAX_QUERY_BYTES:,} bytes")
        data = self.rfile.read(length)
        if len(data) < length:
            raise BadRequest(400, "the request body ended before Content-Length bytes")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise BadRequest(400, f"the request body is not valid UTF-8 (byte {e.start})") from None

    def _accept(self, params: dict[str, list[str]]) -> str | None:
        """The Accept header, or what format/output/results parameters ask for instead."""
        hints = [v for name in FORMAT_PARAMETERS for v in params.get(name, [])]
        try:
            return formats.accept_from_aliases(hints) or self.headers.get("Accept")
        except ValueError as e:
            raise BadRequest(400, str(e)) from None

    def _describe(self, params: dict[str, list[str]]) -> None:
        """GET on the endpoint with no query: its service description."""
        unknown = sorted(set(params) - set(FORMAT_PARAMETERS))
        if unknown:
            raise BadRequest(400, f"{unknown[0]!r} without a 'query' parameter; GET /sparql with no parameters "
                                  "describes the endpoint")
        fmt = formats.negotiate(self._accept(params), formats.GRAPHS)
        if fmt is None:
            return self._error(406, "the service description is RDF; supported: "
                                    + ", ".join(formats.media_types(formats.GRAPHS)))
        endpoint = f"http://{self.headers.get('Host')}/sparql"
        body = ox.serialize(description.service_description(endpoint, self.graphs), format=GRAPH_FORMATS[fmt],
                            prefixes={"sd": description.SD, "formats": description.FORMATS_NS})
        return self._send(200, cast(bytes, body), formats.content_type(fmt))  # no output file: bytes back

    def _protocol(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            return self._error(403, "this endpoint is read-only: updates are refused")
        unknown = sorted(set(params) - set(KNOWN_PARAMETERS))
        if unknown:
            return self._error(400, f"unknown parameter {unknown[0][:60]!r}; this endpoint takes "
                                    f"{', '.join(KNOWN_PARAMETERS)}")
        queries = params.get("query", [])
        if len(queries) != 1:
            return self._error(400, "give exactly one 'query' parameter")
        return self._answer(queries[0], params)

    def _refusal(self, query: str) -> BadRequest | None:
        """Why a query is refused before it runs (too long, or it would reach the network)."""
        if len(query.encode("utf-8")) > MAX_QUERY_BYTES:
            return BadRequest(413, f"query text larger than {MAX_QUERY_BYTES:,} bytes")
        reason = offline.refusal(query, self.pool.isolated)
        if reason:
            reason = reason.replace(" unless --allow-network is given", "")
            return BadRequest(400, reason + "; this endpoint refuses SERVICE")
        return None

    def _answer(self, query: str, params: dict[str, list[str]]) -> None:
        refused = self._refusal(query)
        if refused:
            return self._error(refused.status, str(refused))
        accept = self._accept(params)
        default_graphs, named_graphs = (_graph_iris(params, name) for name in DATASET_PARAMETERS)
        if default_graphs is not None or named_graphs is not None:
            default_graphs, named_graphs = default_graphs or [], named_graphs or []
        results_format, graph_format = _negotiated(accept)
        req = Request(query, output=results_format, graph_output=graph_format,
                      max_rows=self.max_rows, forms=("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"),
                      default_graphs=default_graphs, named_graphs=named_graphs,
                      query_dataset=offline.declares_dataset(query), as_of=self._as_of(params))
        return self._run(req)

    def _as_of(self, params: dict[str, list[str]]) -> str | None:
        """The `as-of` date, checked here (400 if it is not YYYY, YYYY-MM or YYYY-MM-DD, or if this
        server has no as-of views); None without the parameter."""
        values = params.get(AS_OF_PARAMETER)
        if values is None:
            return None
        if len(values) != 1:
            raise BadRequest(400, f"give at most one {AS_OF_PARAMETER!r} parameter")
        if not self.as_of_views:
            raise BadRequest(400, f"this server answers no {AS_OF_PARAMETER!r} queries")
        try:
            return parse_as_of(values[0])[0]
        except BadDate as e:
            raise BadRequest(400, str(e)[:200]) from None

    def _run(self, req: Request) -> None:
        """Run a request in the pool and send its answer, or the error's status."""
        try:
            out = self.pool.run(req, self.timeout_s)
        except PoolBusy as e:
            return self._error(503, str(e))
        except QueryError as e:
            return self._error(ERROR_STATUS.get(e.kind, 400), str(e))
        return self._send(200, out["body"].encode("utf-8"), formats.content_type(out["format"]))


def _negotiated(accept: str | None) -> tuple[str | None, str | None]:
    """The results format and the graph format `accept` asks for (`formats.negotiate`); the
    answers for the short Accept headers clients repeat are kept."""
    if accept is not None and len(accept) > 200:
        return _negotiate(accept)
    return _negotiated_short(accept)


def _negotiate(accept: str | None) -> tuple[str | None, str | None]:
    return formats.negotiate(accept, formats.RESULTS), formats.negotiate(accept, formats.GRAPHS)


_negotiated_short = functools.lru_cache(maxsize=256)(_negotiate)


def _graph_iris(params: dict[str, list[str]], name: str) -> list[str] | None:
    """The graph IRIs of a dataset parameter (None: not given); BadRequest for one that is not an
    absolute IRI."""
    if name not in params:
        return None
    for iri in params[name]:
        try:
            ox.NamedNode(iri)
        except ValueError as e:
            raise BadRequest(400, f"{name} {iri[:100]!r} is not an absolute IRI: {e}") from None
    return params[name]


def _form_params(text: str) -> dict[str, list[str]]:
    bad = BAD_PERCENT.search(text)
    if bad:
        raise BadRequest(400, f"malformed percent-encoding {text[bad.start():bad.start() + 3]!r} "
                              f"at character {bad.start()} of the parameters")
    try:
        return urllib.parse.parse_qs(text, keep_blank_values=True, strict_parsing=False,
                                     errors="strict", max_num_fields=100)
    except UnicodeDecodeError:
        raise BadRequest(400, "a parameter is not valid percent-encoded UTF-8") from None
    except ValueError as e:
        raise BadRequest(400, f"malformed parameters: {e}") from None


class BoundedServer(ThreadingHTTPServer):
    """A threading server that refuses connections beyond `max_connections` with a 503. Its
    connection threads are kept: one that has served a connection waits for the next, so that a
    connection costs no thread start (a start waits for the new thread to take the interpreter
    lock, which under load held up the accepting thread and, behind it, every client)."""

    block_on_close = False  # stopping never waits for a client's open connection (its thread is a daemon)
    max_connections = 64
    request_queue_size = 128  # the listen backlog: bursts wait in the kernel, not in SYN retries

    def server_activate(self) -> None:
        super().server_activate()
        self._slots = threading.BoundedSemaphore(self.max_connections)
        self._accepted: queue.SimpleQueue[tuple[Any, Any] | None] = queue.SimpleQueue()
        self._idle_lock = threading.Lock()
        self._idle = 0  # connection threads waiting for a connection (at most one per free slot)
        self._closed = False

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            try:
                body = b"too many open connections; try again shortly\n"
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
            finally:
                self.shutdown_request(request)
            return
        with self._idle_lock:
            waiting = self._idle > 0
            self._idle -= waiting
        if waiting:
            self._accepted.put((request, client_address))
        else:  # every thread is busy, each holding a slot: at most max_connections threads
            threading.Thread(target=self._connection_thread, args=(request, client_address), daemon=True).start()

    def _connection_thread(self, request: Any, client_address: Any) -> None:
        """Serve `request`, then each connection handed over, until the server closes."""
        while True:
            try:
                self.finish_request(request, client_address)
            except Exception:  # noqa: BLE001 - as socketserver: reported, the thread goes on
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)
                with self._idle_lock:
                    self._idle += 1  # counted as waiting before its slot is free
                self._slots.release()
            if self._closed:
                return
            item = self._accepted.get()
            if item is None:
                return
            request, client_address = item

    def server_close(self) -> None:
        super().server_close()
        if hasattr(self, "_idle_lock"):  # activated
            self._closed = True
            with self._idle_lock:
                waiting, self._idle = self._idle, 0
            for _ in range(waiting):
                self._accepted.put(None)


def make_server(store_query: StoreQuery, host: str = "127.0.0.1", port: int = DEFAULT_PORT, timeout: float = 10.0,
                max_rows: int = 10000, example: str = "", prefixes: str = "", workers: int = 2,
                memory: int = 2 << 30, max_connections: int = 64, idle_timeout: float = 10.0,
                cors: bool = True, trace: Trace | None = None,
                linked_data: LinkedData | None = None, as_of_views: bool = False) -> tuple[BoundedServer, WorkerPool]:
    """The HTTP server and its worker pool. Call before any other thread starts (the pool forks).
    `store_query` is `Store.query` with the union of all graphs as default graph unless given a
    dataset (`tajsec.sparql.worker.union_by_default`). `trace` (`tajsec.web.evidence.tracing`)
    answers evidence requests on `evidence.PATH`; without it that path says so. `as_of_views`: the
    `store_query` takes `as_of=DATE` (`tajsec.web.asof.as_of_query`), so the endpoint takes `as-of`."""
    graphs = description.named_graphs(store_query)
    pool = WorkerPool(store_query, size=workers, memory=memory, trace=trace)
    try:
        handler = cast(type[Guard], type("BoundGuard", (Guard,), {
            "pool": pool, "timeout_s": timeout, "max_rows": max_rows, "timeout": idle_timeout,
            "page": query_page(example, prefixes), "cors": cors, "graphs": graphs,
            "linked_data": linked_data, "as_of_views": as_of_views}))
        server_cls = type("Server", (BoundedServer,), {"max_connections": max_connections})
        httpd = server_cls((host, port), handler)
    except BaseException:
        pool.close()
        raise
    real_port = httpd.server_address[1]
    names = {host, "127.0.0.1", "localhost", "[::1]"}
    handler.allowed_hosts = frozenset({f"{n}:{real_port}" for n in names} | (names if real_port == 80 else set()))
    return httpd, pool
