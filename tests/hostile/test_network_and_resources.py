"""Hostile queries and requests: nothing reaches the network without --allow-network, and every
resource a query or a client can take (memory, time, connections, request size) is bounded.

A canary HTTP server on 127.0.0.1 counts requests; the SERVICE variants are the ones that got
past the old text-matching guard, and a few the SPARQL parser does not understand, which only
the sandbox (a private network namespace for query workers) stops."""
from __future__ import annotations

import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import free_port, start_serve

from tajsec.sparql import offline
from tajsec.sparql.runner import network_isolation
from tajsec.sparql.worker import QueryError, Request, run_isolated

ROOT = Path(__file__).resolve().parents[2]

# Each {u} is the canary's URL. Understood by the parser: refused with a message naming SERVICE.
PARSED_VARIANTS = [
    "SELECT * WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE<{u}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ service silent <{u}> {{ ?s ?p ?o }} }}",
    "PREFIX : <{u}/> SELECT * WHERE {{ SERVICE :x {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{u}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }} }}",
    "ASK {{ FILTER EXISTS {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ OPTIONAL {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ GRAPH ?g {{ MINUS {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE#comment\n<{u}> {{ ?s ?p ?o }} }}",
    "DESCRIBE ?s WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
]
# Valid for Oxigraph, not for rdflib's SPARQL 1.1 parser: only the sandbox stands in the way.
UNPARSED_VARIANTS = [
    "SELECT * WHERE {{ ?s ?p ?o LATERAL {{ SERVICE <{u}> {{ ?a ?b ?c }} }} }}",
    "SELECT * WHERE {{ VALUES ?x {{ 1 }} LATERAL {{ SERVICE SILENT <{u}> {{ ?a ?b ?c }} }} }}",
]


@pytest.fixture
def canary():
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"http://leaked/"}}]}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/sparql", hits
    srv.shutdown()


needs_namespace = pytest.mark.skipif(not network_isolation(), reason="this system gives no network namespace")


def _tajsec(*args, timeout=120):
    env = dict(os.environ, TAJSEC_ROOT=str(ROOT))
    return subprocess.run([sys.executable, "-m", "tajsec", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=timeout)


def test_the_canary_answers_when_network_is_allowed(canary):
    """The canary works: with --allow-network the same query does reach it (so zero hits below
    mean the guard, not a broken canary)."""
    url, hits = canary
    proc = _tajsec("query", "-e", f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "--allow-network")
    assert hits, proc.stderr


@pytest.mark.parametrize("template", PARSED_VARIANTS)
def test_parser_finds_service_in_every_form(template):
    keyword, understood = offline.network_use(template.format(u="http://127.0.0.1:9/x"))
    assert understood and keyword == "SERVICE"


def test_parser_finds_no_service_where_there_is_none():
    for q in ["SELECT * WHERE { ?s <http://example.org/SERVICE> 'SERVICE <x>' }",
              "# SERVICE <http://127.0.0.1:9/>\nSELECT * WHERE { ?service ?p ?o }"]:
        assert offline.network_use(q) == (None, True)


def test_query_refuses_every_variant(canary):
    url, hits = canary
    for template in PARSED_VARIANTS:
        proc = _tajsec("query", "-e", template.format(u=url))
        assert proc.returncode == 2 and "uses SERVICE" in proc.stderr, (template, proc.stdout)
    for template in UNPARSED_VARIANTS:  # run in the sandbox (or refused where there is none)
        proc = _tajsec("query", "-e", template.format(u=url))
        assert "leaked" not in proc.stdout
    assert hits == []


@needs_namespace
@pytest.mark.parametrize("template", PARSED_VARIANTS + UNPARSED_VARIANTS)
def test_the_worker_has_no_network_even_without_the_parser(canary, template):
    """Skip the parser check entirely: the sandboxed worker still cannot reach the canary."""
    url, hits = canary
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://a/s"), ox.NamedNode("http://a/p"), ox.NamedNode("http://a/o")))
    forms = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
    try:
        out = run_isolated(lambda q, **kw: store.query(q, **kw),
                           Request(template.format(u=url), output="json", forms=forms), timeout=20)
        assert "leaked" not in str(out)
    except QueryError:
        pass
    assert hits == []


def test_memory_cap_stops_a_runaway_query():
    """ORDER BY over a cartesian product grows without bound; the worker is stopped at the cap."""
    proc = _tajsec("query", "-e", "SELECT ?a ?b WHERE { ?a ?p ?x . ?b ?q ?y } ORDER BY ?x ?y",
                   "--max-memory", "256", "--timeout", "120")
    assert proc.returncode == 2
    assert "memory cap of 256 MiB" in proc.stderr


# -- the server ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server():
    base, port, proc = start_serve("--timeout", "2", "--max-memory", "256", "--idle-timeout", "1",
                                   "--max-connections", "8")
    yield base, port, proc
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0


def _get(base: str, query: str, accept: str = "application/sparql-results+json") -> tuple[int, str]:
    req = urllib.request.Request(f"{base}/sparql?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def _raw(port: int, data: bytes, timeout: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while chunk := s.recv(65536):
                chunks.append(chunk)
        except socket.timeout:
            pass
        return b"".join(chunks)


ASK_TRUE = "ASK { ?s ?p ?o }"


def test_server_refuses_every_variant(server, canary):
    base, _, _ = server
    url, hits = canary
    for template in PARSED_VARIANTS:
        code, body = _get(base, template.format(u=url))
        assert code == 400 and "SERVICE" in body, (template, code, body)
    for template in UNPARSED_VARIANTS:
        code, body = _get(base, template.format(u=url))
        assert "leaked" not in body, (template, code, body)
    assert hits == []


def _listening_inodes() -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in list(f)[1:]:
                fields = line.split()
                if fields[3] == "0A":  # LISTEN
                    inodes.add(fields[9])
    return inodes


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").iterdir():
            children = (task / "children").read_text().split()
            todo.extend(int(c) for c in children)
    return out


def test_only_the_guard_listens(server):
    """The server and all its worker processes hold exactly one listening socket: the guard's.
    No backend port exists to be reached around it."""
    _, port, proc = server
    listening = _listening_inodes()
    held = []
    for pid in _descendants(proc.pid):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in listening:
                held.append((pid, target))
    assert len({t for _, t in held}) == 1, held


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def test_a_timed_out_query_really_stops(server):
    base, _, proc = server
    code, body = _get(base, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert code == 503 and "2 s" in body
    time.sleep(0.5)
    before = _cpu_seconds(_descendants(proc.pid))
    time.sleep(2)
    after = _cpu_seconds(_descendants(proc.pid))
    assert after - before < 0.5, "a worker is still computing after its 503"
    assert _get(base, ASK_TRUE)[0] == 200


def test_memory_cap_in_the_server(server):
    base, _, _ = server
    code, body = _get(base, "SELECT ?a ?b WHERE { ?a ?p ?x . ?b ?q ?y } ORDER BY ?x ?y")
    assert code in (503, 413), body
    assert _get(base, ASK_TRUE)[0] == 200


@pytest.mark.parametrize("length", [b"-1", b"abc", b"1e3", b" "])
def test_bad_content_length_is_a_400(server, length):
    _, port, _ = server
    reply = _raw(port, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/sparql-query\r\n"
                       b"Content-Length: %s\r\n\r\nASK {}" % (port, length))
    assert reply.startswith(b"HTTP/1.1 400"), reply[:200]


def test_oversized_body_is_refused_without_reading_it(server):
    _, port, _ = server
    reply = _raw(port, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/sparql-query\r\n"
                       b"Content-Length: 300000000\r\n\r\nASK {}" % port)
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]


def test_invalid_utf8_body_is_a_400(server):
    _, port, _ = server
    body = b"ASK { ?s ?p \"\xff\xfe\" }"
    reply = _raw(port, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/sparql-query\r\n"
                       b"Content-Length: %d\r\n\r\n%s" % (port, len(body), body))
    assert reply.startswith(b"HTTP/1.1 400") and b"UTF-8" in reply


def test_slow_client_is_dropped(server):
    """A client that opens a connection and sends half a request line is closed after the idle
    time-out (1 s here), not held forever."""
    _, port, _ = server
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET /sparql?query=ASK")
        start = time.monotonic()
        assert s.recv(100) == b""  # closed by the server
        assert time.monotonic() - start < 8


def test_connections_beyond_the_cap_get_503(server):
    base, port, _ = server
    held = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(8)]
    try:
        for s in held:
            s.sendall(b"GET / HTTP/1.1\r\n")  # a request begun, never finished
        time.sleep(0.3)
        reply = _raw(port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port)
        assert reply.startswith(b"HTTP/1.1 503"), reply[:100]
    finally:
        for s in held:
            s.close()
    time.sleep(1.5)  # the held connections are released
    assert _get(base, ASK_TRUE)[0] == 200


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_stopping_leaves_no_process_behind(sig):
    port = free_port()
    env = dict(os.environ, TAJSEC_ROOT=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "tajsec", "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert "/sparql" in proc.stdout.readline()
    family = _descendants(proc.pid)
    assert len(family) >= 4  # the guard, the zygote and two workers
    proc.send_signal(sig)
    assert proc.wait(timeout=20) == 0
    time.sleep(0.5)
    alive = [p for p in family if Path(f"/proc/{p}").exists()
             and Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"]
    assert alive == []


# -- a hostile remote endpoint (tajsec query --endpoint) ---------------------------------------

@pytest.fixture
def bad_endpoint():
    """A local endpoint that misbehaves on demand: /drip sends a byte every 0.3 s forever,
    /huge streams an endless JSON answer, /broken sends JSON that is not SPARQL results."""
    stop = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            try:
                if self.path == "/drip":
                    while not stop.is_set():
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(0.3)
                elif self.path == "/huge":
                    self.wfile.write(b'{"head":{"vars":["s"]},"results":{"bindings":[')
                    row = b'{"s":{"type":"literal","value":"' + b"x" * 1000 + b'"}},'
                    while not stop.is_set():
                        self.wfile.write(row * 100)
                else:
                    self.wfile.write(b'{"results": []}')
            except OSError:
                pass

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    stop.set()
    srv.shutdown()


def test_remote_timeout_is_overall_not_per_read(bad_endpoint):
    from tajsec.sparql.remote import RemoteError, query

    start = time.monotonic()
    with pytest.raises(RemoteError, match="time-out"):
        query(f"{bad_endpoint}/drip", "SELECT * {}", timeout=2)
    assert time.monotonic() - start < 10


def test_remote_answer_size_is_capped(bad_endpoint):
    from tajsec.sparql.remote import RemoteError, query

    with pytest.raises(RemoteError, match="larger than 4 MiB"):
        query(f"{bad_endpoint}/huge", "SELECT * {}", timeout=60, max_bytes=4 << 20)


def test_malformed_remote_json_is_a_clean_error(bad_endpoint):
    proc = _tajsec("query", "-e", "SELECT * {}", "--endpoint", f"{bad_endpoint}/broken")
    assert proc.returncode == 2
    assert "not valid SPARQL JSON results" in proc.stderr and "Traceback" not in proc.stderr
