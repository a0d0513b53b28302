"""`tajsec serve`: the built graph behind a read-only SPARQL 1.1 Protocol endpoint on 127.0.0.1.

Two processes: an Oxigraph server (`oxigraph serve-read-only`, from the `oxigraph` package)
holds the data on a private loopback port, and a small guard in front of it (this module) is
what clients talk to. The guard serves the query page, accepts SPARQL protocol GET and POST,
refuses updates, SERVICE and LOAD, checks the Host header, caps the result size, and parses
every answer from Oxigraph before passing it on, because Oxigraph answers a timed-out query
with HTTP 200 and a truncated body.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tajsec.run import _REMOTE, _strip_comments_and_strings

DEFAULT_PORT = 7878
RESULTS_JSON = "application/sparql-results+json"
FORMATS = {  # what the client may ask for -> content type we answer with
    "application/sparql-results+json": RESULTS_JSON,
    "application/json": RESULTS_JSON,
    "text/csv": "text/csv; charset=utf-8",
    "text/tab-separated-values": "text/tab-separated-values; charset=utf-8",
}
GRAPH_FORMATS = {"text/turtle": "text/turtle", "application/n-triples": "application/n-triples"}


class ServeError(Exception):
    pass


def oxigraph_executable() -> str:
    here = Path(sys.executable).parent / "oxigraph"
    if here.is_file():
        return str(here)
    found = shutil.which("oxigraph")
    if not found:
        raise ServeError("the `oxigraph` server is not installed (pip install oxigraph)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Backend:
    """An Oxigraph read-only server on a private loopback port, holding one N-Quads dump."""

    def __init__(self, nquads: bytes, timeout: float):
        self.dir = Path(tempfile.mkdtemp(prefix="tajsec-serve-"))
        self.port = free_port()
        exe = oxigraph_executable()
        data = self.dir / "data.nq"
        data.write_bytes(nquads)
        db = self.dir / "db"
        subprocess.run([exe, "load", "--location", str(db), "--file", str(data)], check=True,
                       capture_output=True)
        self.proc = subprocess.Popen(
            [exe, "serve-read-only", "--location", str(db), "--bind", f"127.0.0.1:{self.port}",
             "--union-default-graph", "--timeout-s", str(max(1, int(timeout)))],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    raise ServeError("the Oxigraph server exited at start") from None
                time.sleep(0.1)
        self.close()
        raise ServeError("the Oxigraph server did not start within 30 s")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def query_page(example: str, prefixes: str) -> bytes:
    html = (Path(__file__).parent / "static" / "query.html").read_text(encoding="utf-8")
    text = prefixes + "\n" + example
    return html.replace("{{QUERY}}", _html_escape(text)).encode("utf-8")


def _html_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class Guard(BaseHTTPRequestHandler):
    server_version = "tajsec-serve"
    protocol_version = "HTTP/1.1"

    # set on the class by make_server
    backend_port = 0
    timeout_s = 10.0
    max_rows = 10000
    max_bytes = 64 << 20
    page = b""
    allowed_hosts: set = set()

    def log_message(self, fmt, *args):  # quiet by default; the CLI prints the URL only
        pass

    def _send(self, code: int, body: bytes, ctype: str = "text/plain; charset=utf-8") -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, code: int, message: str) -> None:
        self._send(code, (message + "\n").encode("utf-8"))

    def _host_ok(self) -> bool:
        return (self.headers.get("Host") or "") in self.allowed_hosts

    def do_GET(self):
        if not self._host_ok():
            return self._error(403, "unexpected Host header")
        url = urllib.parse.urlsplit(self.path)
        if url.path in ("/", "/index.html"):
            return self._send(200, self.page, "text/html; charset=utf-8")
        if url.path == "/sparql":
            params = urllib.parse.parse_qs(url.query)
            if "update" in params:
                return self._error(403, "this endpoint is read-only: updates are refused")
            if "query" not in params:
                return self._error(400, "missing 'query' parameter")
            return self._answer(params["query"][0])
        if url.path == "/update":
            return self._error(403, "this endpoint is read-only: updates are refused")
        return self._error(404, "not found; the SPARQL endpoint is /sparql")

    def do_HEAD(self):
        return self.do_GET()

    def do_POST(self):
        if not self._host_ok():
            return self._error(403, "unexpected Host header")
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if length > 1_000_000:
            return self._error(413, "query text larger than 1 MB")
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if url.path == "/update" or ctype == "application/sparql-update":
            return self._error(403, "this endpoint is read-only: updates are refused")
        if url.path != "/sparql":
            return self._error(404, "not found; the SPARQL endpoint is /sparql")
        if ctype == "application/sparql-query":
            return self._answer(body)
        if ctype == "application/x-www-form-urlencoded":
            params = urllib.parse.parse_qs(body)
            if "update" in params:
                return self._error(403, "this endpoint is read-only: updates are refused")
            if "query" not in params:
                return self._error(400, "missing 'query' parameter")
            return self._answer(params["query"][0])
        return self._error(415, "POST a query as application/sparql-query or as a form")

    def _wanted(self) -> str:
        accept = self.headers.get("Accept") or RESULTS_JSON
        for part in accept.split(","):
            t = part.split(";")[0].strip().lower()
            if t in FORMATS or t in GRAPH_FORMATS:
                return t
        return RESULTS_JSON

    def _answer(self, query: str) -> None:
        if _REMOTE.search(_strip_comments_and_strings(query)):
            return self._error(400, "SERVICE and LOAD are refused by this endpoint")
        wanted = self._wanted()
        graph_result = wanted in GRAPH_FORMATS
        ask_for = "application/n-triples" if graph_result else RESULTS_JSON
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.backend_port}/query",
            data=urllib.parse.urlencode({"query": query}).encode(),
            headers={"Accept": ask_for, "Content-Type": "application/x-www-form-urlencoded"})
        deadline = time.monotonic() + self.timeout_s + 2
        try:
            with urllib.request.urlopen(req, timeout=self.timeout_s + 2) as resp:
                got = resp.headers.get("Content-Type", "")
                chunks, size = [], 0
                while True:
                    chunk = resp.read(1 << 16)
                    if not chunk:
                        break
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > self.max_bytes:
                        return self._error(413, f"the answer is larger than {self.max_bytes >> 20} MB; add a LIMIT")
                    if time.monotonic() > deadline:
                        return self._error(503, f"the query did not finish within {self.timeout_s:g} s")
                raw = b"".join(chunks)
        except urllib.error.HTTPError as e:
            return self._error(400, e.read().decode("utf-8", errors="replace").strip() or str(e))
        except (TimeoutError, socket.timeout, urllib.error.URLError):
            return self._error(503, f"the query did not finish within {self.timeout_s:g} s")
        if graph_result or not got.startswith(RESULTS_JSON):
            # CONSTRUCT/DESCRIBE: check the N-Triples parse in full before answering
            import pyoxigraph as ox
            try:
                triples = list(ox.parse(raw, format=ox.RdfFormat.N_TRIPLES))
            except SyntaxError:
                return self._error(503, f"the query was cut off at the time-out of {self.timeout_s:g} s")
            if len(triples) > self.max_rows:
                return self._error(413, f"the answer has more than {self.max_rows} triples; narrow the query")
            if wanted == "text/turtle":
                raw = ox.serialize(triples, format=ox.RdfFormat.TURTLE)
                return self._send(200, raw, "text/turtle; charset=utf-8")
            return self._send(200, raw, "application/n-triples")
        try:
            doc = json.loads(raw)
        except ValueError:
            return self._error(503, f"the query was cut off at the time-out of {self.timeout_s:g} s")
        if "boolean" in doc:
            rows = []
        else:
            rows = doc.get("results", {}).get("bindings", [])
        if len(rows) > self.max_rows:
            return self._error(413, f"the answer has more than {self.max_rows} rows; add a LIMIT")
        if wanted in ("text/csv", "text/tab-separated-values"):
            return self._send(200, _tabular(doc, wanted).encode("utf-8"), FORMATS[wanted])
        return self._send(200, json.dumps(doc, ensure_ascii=False).encode("utf-8"), RESULTS_JSON)


def _tabular(doc: dict, wanted: str) -> str:
    variables = doc.get("head", {}).get("vars", [])
    rows = doc.get("results", {}).get("bindings", [])
    if wanted == "text/csv":
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(variables)
        for b in rows:
            w.writerow([b[v]["value"] if v in b else "" for v in variables])
        return out.getvalue()

    def term(t):
        if t["type"] == "uri":
            return f"<{t['value']}>"
        if t["type"] == "bnode":
            return f"_:{t['value']}"
        v = json.dumps(t["value"], ensure_ascii=False)
        if "xml:lang" in t:
            return f"{v}@{t['xml:lang']}"
        if "datatype" in t:
            return f"{v}^^<{t['datatype']}>"
        return v

    lines = ["\t".join("?" + v for v in variables)]
    for b in rows:
        lines.append("\t".join(term(b[v]) if v in b else "" for v in variables))
    return "\n".join(lines) + "\n"


def make_server(nquads: bytes, host: str = "127.0.0.1", port: int = DEFAULT_PORT, timeout: float = 10.0,
                max_rows: int = 10000, example: str = "", prefixes: str = ""):
    backend = Backend(nquads, timeout)
    try:
        handler = type("BoundGuard", (Guard,), {
            "backend_port": backend.port, "timeout_s": timeout, "max_rows": max_rows,
            "page": query_page(example, prefixes)})
        httpd = ThreadingHTTPServer((host, port), handler)
    except BaseException:
        backend.close()
        raise
    real_port = httpd.server_address[1]
    names = {host, "127.0.0.1", "localhost", "[::1]"}
    handler.allowed_hosts = {f"{n}:{real_port}" for n in names} | ({n for n in names} if real_port == 80 else set())
    httpd.daemon_threads = True
    return httpd, backend
