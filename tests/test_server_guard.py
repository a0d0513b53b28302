"""The server's HTTP side (tajsec.web.server): the Host check, read-only, the request limits,
the time-outs, the error statuses and the headers, in-process on a graph of ten triples
(tests/test_pool.py's), so that each behaviour is checked in a fraction of a second.
tests/test_serve.py runs the real `tajsec serve` on the built graph."""
from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import urllib.parse

import pyoxigraph as ox
import pytest
from test_pool import COUNT, EX, SLOW, tiny_store

from tajsec.sparql.worker import QueryError, union_by_default
from tajsec.web import server as web
from tajsec.web.pool import PoolBusy

#: the date the as-of test asks for, and the graph its store answers from then
AS_OF = "2004-06"
EXAMPLE = 'SELECT * WHERE { ?s ?p "a<b>&c" }'
PREFIXES = "PREFIX ex: <http://example.org/>"


def as_of_store_query(store: ox.Store):
    """`store_query` of a server with as-of views: as of AS_OF only graph ex:g1 (5 triples)."""
    union = union_by_default(store)

    def query(text: str, as_of: str | None = None, **kw):
        if as_of is None:
            return union(text, **kw)
        if as_of != AS_OF:
            raise ValueError(f"no view as of {as_of}")
        return store.query(text, default_graph=[ox.NamedNode(EX + "g1")])
    return query


class Server:
    def __init__(self, **kw) -> None:
        options = {"port": 0, "timeout": 1.0, "max_rows": 20, "example": EXAMPLE, "prefixes": PREFIXES,
                   "workers": 1, "memory": 512 << 20, "idle_timeout": 0.5}
        options.update(kw)
        self.httpd, self.pool = web.make_server(as_of_store_query(tiny_store()), **options)
        self.port = self.httpd.server_address[1]
        self.host = f"127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.pool.close()

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                host: str | None = None) -> tuple[int, dict[str, str], bytes]:
        """One request (Host: this server unless `host` is given; "" sends none)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            host = self.host if host is None else host
            if host:
                conn.putheader("Host", host)
            for name, value in (headers or {}).items():
                conn.putheader(name, value)
            if body is not None and "Content-Length" not in (headers or {}):
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def query(self, query: str, accept: str = "text/csv", extra: str = "", path: str = "/sparql",
              **headers) -> tuple[int, dict[str, str], str]:
        code, h, body = self.request("GET", f"{path}?" + urllib.parse.urlencode({"query": query}) + extra,
                                     headers={"Accept": accept, **headers})
        return code, h, body.decode("utf-8")


@pytest.fixture(scope="module")
def srv():
    s = Server(as_of_views=True)
    yield s
    s.close()


def one_line(body: bytes | str) -> str:
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    assert text.endswith("\n") and text.count("\n") == 1, text
    return text[:-1]


# -- answers ------------------------------------------------------------------------------------

def test_a_select_is_answered_in_the_format_asked_for(srv):
    code, h, body = srv.query(COUNT)
    assert (code, body) == (200, "n\r\n10\r\n")
    assert h["content-type"] == "text/csv; charset=utf-8"
    assert h["content-length"] == str(len(body))
    assert h["x-content-type-options"] == "nosniff" and h["vary"] == "Accept"
    code, h, body = srv.query(COUNT, accept="application/sparql-results+json")
    assert code == 200 and h["content-type"].startswith("application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "10"


def test_format_parameter_wins_over_the_accept_header(srv):
    code, _, body = srv.query(COUNT, accept="application/sparql-results+json", extra="&format=csv")
    assert (code, body) == (200, "n\r\n10\r\n")
    code, _, body = srv.query(COUNT, extra="&format=png")
    assert code == 400 and "unknown format 'png'" in one_line(body)


def test_head_gives_headers_and_no_body(srv):
    code, h, body = srv.request("HEAD", "/sparql?" + urllib.parse.urlencode({"query": COUNT}),
                                headers={"Accept": "text/csv"})
    assert code == 200 and body == b"" and h["content-length"] == str(len("n\r\n10\r\n"))


def test_the_query_page(srv):
    for path in ("/", "/index.html"):
        code, h, body = srv.request("GET", path)
        assert code == 200 and h["content-type"] == "text/html; charset=utf-8"
        page = body.decode("utf-8")
        assert "PREFIX ex: &lt;http://example.org/&gt;\nSELECT * WHERE { ?s ?p &quot;a&lt;b&gt;&amp;c&quot; }" in page
        assert "{{QUERY}}" not in page
        assert "access-control-allow-origin" not in h  # CORS is for the endpoint only


def test_post_direct_and_form(srv):
    code, _, body = srv.request("POST", "/sparql", COUNT.encode(),
                                {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": "text/csv"})
    assert (code, body) == (200, b"n\r\n10\r\n")
    form = urllib.parse.urlencode({"query": COUNT}).encode()
    code, _, body = srv.request("POST", "/sparql", form,
                                {"Content-Type": "Application/X-WWW-Form-Urlencoded", "Accept": "text/csv"})
    assert (code, body) == (200, b"n\r\n10\r\n")


def test_post_direct_takes_the_dataset_from_the_url(srv):
    code, _, body = srv.request("POST", "/sparql?default-graph-uri=" + urllib.parse.quote(EX + "g1"),
                                COUNT.encode(), {"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert (code, body) == (200, b"n\r\n5\r\n")


def test_default_graph_and_named_graphs(srv):
    g1 = "&default-graph-uri=" + urllib.parse.quote(EX + "g1")
    assert srv.query(COUNT, extra=g1)[2] == "n\r\n5\r\n"
    # named-graph-uri alone: an empty default graph
    named = "&named-graph-uri=" + urllib.parse.quote(EX + "g2")
    assert srv.query(COUNT, extra=named)[2] == "n\r\n0\r\n"
    code, _, body = srv.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", extra=named)
    assert (code, body) == (200, "n\r\n5\r\n")
    # FROM in the query: its dataset
    code, _, body = srv.query(COUNT.replace("WHERE", f"FROM <{EX}g2> WHERE"))
    assert (code, body) == (200, "n\r\n5\r\n")


def test_as_of_date(srv):
    code, _, body = srv.query(COUNT, extra=f"&as-of={AS_OF}")
    assert (code, body) == (200, "n\r\n5\r\n")
    code, _, body = srv.query(COUNT, extra=f"&as-of={AS_OF}&as-of=2005")
    assert code == 400 and one_line(body) == "give at most one 'as-of' parameter"
    code, _, body = srv.query(COUNT, extra="&as-of=June")
    assert code == 400 and "expected a date as YYYY, YYYY-MM or YYYY-MM-DD" in one_line(body)


def test_as_of_refused_by_a_server_without_views():
    s = Server(workers=1)
    try:
        code, _, body = s.query(COUNT, extra=f"&as-of={AS_OF}")
        assert code == 400 and one_line(body) == "this server answers no 'as-of' queries"
        assert s.query(COUNT)[2] == "n\r\n10\r\n"
    finally:
        s.close()


def test_service_description(srv):
    code, h, body = srv.request("GET", "/sparql", headers={"Accept": "text/turtle"})
    assert code == 200 and h["content-type"].startswith("text/turtle")
    graph = ox.Store()
    graph.load(body, format=ox.RdfFormat.TURTLE)
    endpoints = {q.object.value for q in graph.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/ns/sparql-service-description#endpoint"), None)}
    assert endpoints == {f"http://{srv.host}/sparql"}
    names = {q.object.value for q in graph.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/ns/sparql-service-description#name"), None)}
    assert names == {EX + "g1", EX + "g2"}
    code, h, _ = srv.request("GET", "/sparql?format=text/turtle", headers={"Accept": "text/csv"})
    assert code == 200 and h["content-type"].startswith("text/turtle")
    code, _, body = srv.request("GET", "/sparql", headers={"Accept": "text/csv"})
    assert code == 406 and one_line(body).startswith("the service description is RDF; supported: text/turtle")
    code, _, body = srv.request("GET", "/sparql?default-graph-uri=x")
    assert code == 400 and one_line(body).startswith("'default-graph-uri' without a 'query' parameter")


# -- read-only and refusals --------------------------------------------------------------------

def test_updates_are_refused(srv):
    upd = "DELETE WHERE { ?s ?p ?o }"
    form = urllib.parse.urlencode({"update": upd}).encode()
    for method, path, body, ctype in [
            ("POST", "/sparql", form, "application/x-www-form-urlencoded"),
            ("POST", "/sparql", upd.encode(), "application/sparql-update"),
            ("POST", "/update", upd.encode(), "application/sparql-update"),
            ("POST", "/update", form, "application/x-www-form-urlencoded"),
            ("GET", "/sparql?" + urllib.parse.urlencode({"update": upd}), None, None),
            ("GET", "/update?" + urllib.parse.urlencode({"update": upd}), None, None)]:
        headers = {"Content-Type": ctype} if ctype else {}
        code, _, answer = srv.request(method, path, body, headers)
        assert (code, one_line(answer)) == (403, "this endpoint is read-only: updates are refused"), (method, path)
    assert srv.query(COUNT)[2] == "n\r\n10\r\n"


def test_service_is_refused_before_it_runs(srv):
    code, _, body = srv.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert code == 400
    text = one_line(body)
    assert text.endswith("; this endpoint refuses SERVICE") and "--allow-network" not in text


def test_unknown_paths_are_404(srv):
    code, _, body = srv.request("GET", "/nothing")
    assert (code, one_line(body)) == (404, "not found; the SPARQL endpoint is /sparql")
    code, _, body = srv.request("POST", "/nothing", COUNT.encode(), {"Content-Type": "application/sparql-query"})
    assert (code, one_line(body)) == (404, "not found; the SPARQL endpoint is /sparql")


def test_evidence_path_without_a_tracer(srv):
    code, h, body = srv.query(COUNT, path="/sparql/evidence", accept="application/sparql-results+json")
    assert code == 404 and "started without evidence" in one_line(body)
    assert h["access-control-allow-origin"] == "*"
    code, _, body = srv.request("POST", "/sparql/evidence", COUNT.encode(),
                                {"Content-Type": "application/sparql-query"})
    assert code == 404 and "started without evidence" in one_line(body)
    code, _, body = srv.request("GET", "/sparql/evidence?query=%zz")
    assert code == 400 and "malformed percent-encoding" in one_line(body)


@pytest.mark.parametrize("host", ["attacker.example", "127.0.0.1", "localhost:1", ""])
def test_a_foreign_host_is_refused_on_every_method(srv, host):
    for method in ("GET", "HEAD", "POST", "OPTIONS"):
        body = COUNT.encode() if method == "POST" else None
        code, _, answer = srv.request(method, "/sparql?" + urllib.parse.urlencode({"query": COUNT}), body,
                                      {"Content-Type": "application/sparql-query"}, host=host)
        assert code == 403, (method, host)
        if method not in ("HEAD", "OPTIONS"):
            assert one_line(answer) == "unexpected Host header"


def test_every_local_name_of_the_server_is_a_host(srv):
    for name in ("127.0.0.1", "localhost", "[::1]"):
        code, _, _ = srv.request("GET", "/", host=f"{name}:{srv.port}")
        assert code == 200, name
    assert srv.httpd.RequestHandlerClass.allowed_hosts == frozenset(
        f"{n}:{srv.port}" for n in ("127.0.0.1", "localhost", "[::1]"))


def test_port_80_takes_the_bare_host_name_too(monkeypatch):
    """A server on port 80 is reached as http://localhost/ (Host without a port)."""
    bound = []

    class Fake(web.BoundedServer):
        def __init__(self, address, handler):
            bound.append(address)
            self.server_address = ("127.0.0.1", 80)
            self.RequestHandlerClass = handler

    monkeypatch.setattr(web, "BoundedServer", Fake)
    monkeypatch.setattr(web, "WorkerPool", lambda *a, **kw: None)
    httpd, _ = web.make_server(union_by_default(tiny_store()), host="127.0.0.2", port=80)
    assert bound == [("127.0.0.2", 80)]
    names = ("127.0.0.2", "127.0.0.1", "localhost", "[::1]")
    assert httpd.RequestHandlerClass.allowed_hosts == frozenset([*names, *(f"{n}:80" for n in names)])


def test_the_pool_is_closed_when_the_server_cannot_start(monkeypatch):
    closed = []

    class Pool:
        def __init__(self, *a, **kw):
            pass

        def close(self):
            closed.append(True)

    monkeypatch.setattr(web, "WorkerPool", Pool)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError):
            web.make_server(union_by_default(tiny_store()), port=taken.getsockname()[1])
    assert closed == [True]


# -- CORS ---------------------------------------------------------------------------------------

def test_cors_on_the_endpoint(srv):
    code, h, _ = srv.query(COUNT, Origin="https://x.example")
    assert code == 200 and h["access-control-allow-origin"] == "*"
    code, h, _ = srv.query("SELEKT", Origin="https://x.example")  # errors too: the page can show them
    assert code == 400 and h["access-control-allow-origin"] == "*"


def test_options_is_a_preflight(srv):
    code, h, body = srv.request("OPTIONS", "/sparql", headers={
        "Origin": "https://x.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Private-Network": "TRUE"})
    assert code == 204 and body == b"" and h["content-length"] == "0"
    assert set(h["allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST", "OPTIONS"}
    assert h["access-control-allow-origin"] == "*"
    assert h["access-control-allow-methods"] == "GET, HEAD, POST, OPTIONS"
    assert h["access-control-allow-headers"] == "Accept, Content-Type"
    assert h["access-control-max-age"] == "600"
    assert h["access-control-allow-private-network"] == "true"
    code, h, _ = srv.request("OPTIONS", "/sparql/evidence")
    assert code == 204 and h["access-control-allow-origin"] == "*"
    assert "access-control-allow-private-network" not in h
    code, h, _ = srv.request("OPTIONS", "/")
    assert code == 204 and "access-control-allow-origin" not in h and "access-control-allow-methods" not in h


def test_no_cors():
    s = Server(cors=False)
    try:
        code, h, _ = s.query(COUNT, Origin="https://x.example")
        assert code == 200 and "access-control-allow-origin" not in h
        code, h, _ = s.request("OPTIONS", "/sparql", headers={"Origin": "https://x.example"})
        assert code == 204 and "access-control-allow-origin" not in h and "access-control-allow-methods" not in h
    finally:
        s.close()


# -- bad requests: a one-line 4xx ---------------------------------------------------------------

@pytest.mark.parametrize("params,status,message", [
    ("query=ASK%7B%zz%7D", 400, "malformed percent-encoding '%zz' at character 12 of the parameters"),
    ("query=ASK%7B%7D%2", 400, "malformed percent-encoding '%2' at character 15 of the parameters"),
    ("query=ASK%FF%7B%7D", 400, "a parameter is not valid percent-encoded UTF-8"),
    ("query=ASK%7B%7D&timeout=99", 400, ("unknown parameter 'timeout'; this endpoint takes query, default-graph-uri, "
                                         "named-graph-uri, format, output, results, as-of")),
    ("query=ASK%7B%7D&zz=1&aa=2", 400, "unknown parameter 'aa'"),
    ("query=ASK%7B%7D&query=ASK%7B%7D", 400, "give exactly one 'query' parameter"),
    ("query=ASK%7B%7D&default-graph-uri=%3Cx%3E", 400, "default-graph-uri '<x>' is not an absolute IRI"),
    ("query=ASK%7B%7D&named-graph-uri=rel", 400, "named-graph-uri 'rel' is not an absolute IRI"),
    ("query=", 400, "syntax error at line 1"),
    ("query=SELEKT", 400, "syntax error at line 1"),
    ("query=ASK%7B%7D&" + "&".join("format=csv" for _ in range(100)), 400, "malformed parameters: "),
])
def test_bad_parameters(srv, params, status, message):
    code, h, body = srv.request("GET", "/sparql?" + params, headers={"Accept": "text/csv"})
    text = one_line(body)
    assert code == status and (text.startswith(message) or message in text.lower()), text
    assert h["content-type"] == "text/plain; charset=utf-8"


def test_the_same_parameters_in_a_form(srv):
    code, _, body = srv.request("POST", "/sparql", b"query=ASK%7B%zz%7D",
                                {"Content-Type": "application/x-www-form-urlencoded"})
    assert code == 400 and one_line(body).startswith("malformed percent-encoding '%zz'")
    code, _, body = srv.request("POST", "/sparql?format=png", b"ASK {}", {"Content-Type": "application/sparql-query"})
    assert code == 400 and one_line(body).startswith("unknown format 'png'")


@pytest.mark.parametrize("headers,body,status,message", [
    ({"Content-Type": "text/plain"}, b"ASK {}", 415, ("POST a query as application/sparql-query or "
                                                     "application/x-www-form-urlencoded, not text/plain")),
    ({}, b"ASK {}", 415, ("POST a query as application/sparql-query or application/x-www-form-urlencoded, "
                          "not a body without Content-Type")),
    ({"Content-Type": "application/sparql-query", "Content-Length": "-1"}, b"", 400,
     "Content-Length must be a non-negative integer, got '-1'"),
    ({"Content-Type": "application/sparql-query", "Content-Length": " 12x"}, b"", 400,
     "Content-Length must be a non-negative integer, got '12x'"),
    ({"Content-Type": "application/sparql-query"}, b"ASK {\xff}", 400,
     "the request body is not valid UTF-8 (byte 5)"),
])
def test_bad_bodies(srv, headers, body, status, message):
    code, _, answer = srv.request("POST", "/sparql", body, headers)
    assert (code, one_line(answer)) == (status, message)


def test_a_long_content_type_is_cut_in_the_message(srv):
    code, _, answer = srv.request("POST", "/sparql", b"ASK {}", {"Content-Type": "x/" + "y" * 300})
    assert code == 415 and len(one_line(answer)) == 200


def test_a_post_without_content_length_is_411(srv):
    code, _, answer = srv.request("POST", "/sparql", None, {"Content-Type": "application/sparql-query"})
    assert (code, one_line(answer)) == (411, "a POST needs a Content-Length header")


def test_a_body_shorter_than_its_content_length(srv):
    with socket.create_connection(("127.0.0.1", srv.port), timeout=30) as s:
        s.sendall(f"POST /sparql HTTP/1.1\r\nHost: {srv.host}\r\nContent-Type: application/sparql-query\r\n"
                  "Content-Length: 20\r\n\r\nASK {}".encode())
        s.shutdown(socket.SHUT_WR)
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.split()[1] == b"400"
    assert one_line(body) == "the request body ended before Content-Length bytes"


def test_size_limits_of_body_and_query(srv):
    limit = web.MAX_QUERY_BYTES
    # a body over the limit is refused before it is read (and the connection closed)
    with socket.create_connection(("127.0.0.1", srv.port), timeout=30) as s:
        s.sendall(f"POST /sparql HTTP/1.1\r\nHost: {srv.host}\r\nContent-Type: application/sparql-query\r\n"
                  f"Content-Length: {limit + 1}\r\n\r\n".encode())
        reply = s.recv(65536)
        try:  # what follows is not read as a request: the connection is closed
            s.sendall(f"GET / HTTP/1.1\r\nHost: {srv.host}\r\n\r\n".encode())
            while chunk := s.recv(65536):
                reply += chunk
        except OSError:
            pass
    assert reply.split()[1] == b"413" and reply.endswith(b"\r\n\r\nrequest body larger than 1,000,000 bytes\n")
    # at the limit the body is read, and the query (the same bytes) fits too: a form's query is
    # always shorter than its body, so the query's own limit cannot be reached over HTTP
    query = ("ASK {}" + " " * limit)[:limit]
    code, _, answer = srv.request("POST", "/sparql", query.encode(), {"Content-Type": "application/sparql-query",
                                                                       "Accept": "text/csv"})
    assert (code, answer) == (200, b"true\r\n")


# -- errors of the query: their statuses -------------------------------------------------------

def test_error_statuses(srv):
    code, _, body = srv.query("SELECT * WHERE { ?s ?p ?o }", accept="image/png")
    assert code == 406 and "cannot be given in any of the requested formats" in one_line(body)
    code, _, body = srv.query("SELECT * WHERE { ?s ?p ?o . ?a ?b ?c }")
    assert code == 413 and "more than 20 rows" in one_line(body)
    code, _, body = srv.query(SLOW)
    assert code == 503 and one_line(body) == "the query did not finish within 1 s and was stopped"
    code, _, body = srv.query(COUNT, extra="&as-of=2005")
    assert code == 400 and "no view as of 2005" in one_line(body)
    assert srv.query(COUNT)[2] == "n\r\n10\r\n"


@pytest.mark.parametrize("kind,status", [
    ("syntax", 400), ("network", 400), ("form", 400), ("engine", 400), ("not-acceptable", 406),
    ("rows", 413), ("bytes", 413), ("timeout", 503), ("memory", 503)])
def test_each_kind_of_query_error_has_its_status(srv, monkeypatch, kind, status):
    def fail(req, timeout):
        raise QueryError(f"a {kind} error", kind)

    monkeypatch.setattr(srv.pool, "run", fail)
    code, _, body = srv.query(COUNT)
    assert (code, one_line(body)) == (status, f"a {kind} error")


def test_an_error_of_an_unknown_kind_is_400_and_a_busy_pool_503(srv, monkeypatch):
    def fail(req, timeout):
        raise QueryError("odd", "something new")

    monkeypatch.setattr(srv.pool, "run", fail)
    assert srv.query(COUNT)[0] == 400

    def busy(req, timeout):
        raise PoolBusy("all 1 query workers are busy; try again shortly")

    monkeypatch.setattr(srv.pool, "run", busy)
    code, _, body = srv.query(COUNT)
    assert (code, one_line(body)) == (503, "all 1 query workers are busy; try again shortly")


def test_the_request_the_pool_gets(srv, monkeypatch):
    got = []

    def run(req, timeout):
        got.append((req, timeout))
        return {"body": "x", "format": "tsv"}

    monkeypatch.setattr(srv.pool, "run", run)
    code, h, body = srv.query(COUNT + " # FROM", accept="text/tab-separated-values")
    assert (code, body, h["content-type"]) == (200, "x", "text/tab-separated-values; charset=utf-8")
    req, timeout = got[-1]
    assert timeout == 1.0 and req.max_rows == 20 and req.output == "tsv" and req.graph_output is None
    assert (req.default_graphs, req.named_graphs, req.as_of) == (None, None, None)
    assert set(req.forms) == {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
    srv.query(COUNT, accept="text/turtle", extra="&default-graph-uri=" + urllib.parse.quote(EX + "g1"))
    req = got[-1][0]
    assert (req.output, req.graph_output) == (None, "turtle")
    assert (req.default_graphs, req.named_graphs) == ([EX + "g1"], [])
    srv.query(COUNT.replace("WHERE", f"FROM <{EX}g1> WHERE"), extra=f"&as-of={AS_OF}")
    req = got[-1][0]
    assert req.query_dataset is True and req.as_of == AS_OF


# -- connections: limits and time-outs --------------------------------------------------------

def test_an_idle_connection_is_closed():
    s = Server(idle_timeout=0.3)
    try:
        with socket.create_connection(("127.0.0.1", s.port), timeout=10) as c:
            started = time.monotonic()
            c.sendall(b"GET /sparql HTTP/1.1\r\n")  # and nothing more
            assert c.recv(65536) == b""
            assert time.monotonic() - started < 5
    finally:
        s.close()


def test_connections_beyond_the_limit_get_503_and_slots_come_back():
    s = Server(max_connections=2, idle_timeout=10)  # the held connections must not time out
    try:
        held = [socket.create_connection(("127.0.0.1", s.port), timeout=10) for _ in range(2)]
        time.sleep(0.2)
        with socket.create_connection(("127.0.0.1", s.port), timeout=10) as extra:
            reply = b""
            while chunk := extra.recv(65536):
                reply += chunk
        head, _, body = reply.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 503 ") and b"Connection: close" in head
        assert body == b"too many open connections; try again shortly\n"
        assert f"Content-Length: {len(body)}".encode() in head
        for c in held:
            c.close()
        deadline = time.monotonic() + 5
        while True:  # the slots are given back when the two connections end
            code = s.request("GET", "/")[0]
            if code == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert code == 200
        assert [s.request("GET", "/")[0] for _ in range(5)] == [200] * 5  # each request gives its slot back
    finally:
        s.close()


def test_up_to_100_parameters(srv):
    fields = "&".join("format=csv" for _ in range(99))
    code, _, body = srv.request("GET", "/sparql?" + urllib.parse.urlencode({"query": COUNT}) + "&" + fields)
    assert (code, body) == (200, b"n\r\n10\r\n")


def test_long_names_and_values_are_cut_in_messages(srv):
    name = "p" * 70
    code, _, body = srv.request("GET", f"/sparql?query=ASK%7B%7D&{name}=1")
    assert code == 400 and one_line(body).startswith(f"unknown parameter '{'p' * 60}';")
    iri = "x" * 150
    code, _, body = srv.request("GET", f"/sparql?query=ASK%7B%7D&default-graph-uri={iri}")
    assert code == 400 and one_line(body).startswith(f"default-graph-uri '{'x' * 100}' is not an absolute IRI: ")
    code, _, body = srv.request("GET", f"/sparql?query=ASK%7B%7D&as-of={'9' * 300}")
    assert code == 400 and len(one_line(body)) == 200
    code, _, body = srv.request("GET", "/sparql?zz=1&aa=2")
    assert code == 400 and one_line(body).startswith("'aa' without a 'query' parameter")


def test_stopping_does_not_wait_for_open_connections():
    s = Server(idle_timeout=10)
    held = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    try:
        held.sendall(b"GET / HTTP/1.1\r\n")  # a request that never ends
        time.sleep(0.2)
        serving = [t for t in threading.enumerate() if "_connection_thread" in t.name]
        started = time.monotonic()
        s.close()
        assert time.monotonic() - started < 5
        assert serving and all(t.daemon for t in serving)  # nor does the process, at exit
    finally:
        held.close()


def test_64_connections_by_default():
    httpd, pool = web.make_server(union_by_default(tiny_store()), port=0, workers=1, memory=512 << 20)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    held = []
    try:
        held = [socket.create_connection(("127.0.0.1", httpd.server_address[1]), timeout=10) for _ in range(64)]
        time.sleep(0.3)
        with socket.create_connection(("127.0.0.1", httpd.server_address[1]), timeout=10) as extra:
            assert extra.recv(12) == b"HTTP/1.1 503"
        held[-1].sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{httpd.server_address[1]}\r\n\r\n".encode())
        assert held[-1].recv(12) == b"HTTP/1.1 200"  # the 64th connection has its slot
    finally:
        for c in held:
            c.close()
        httpd.shutdown()
        httpd.server_close()
        pool.close()


def test_empty_fields_are_no_error(srv):
    """`?query=...&` (a trailing or doubled `&`, as some clients write): lenient parsing."""
    for tail in ("&", "&&format=csv"):
        code, _, body = srv.request("GET", "/sparql?" + urllib.parse.urlencode({"query": COUNT}) + tail,
                                    headers={"Accept": "text/csv"})
        assert (code, body) == (200, b"n\r\n10\r\n"), tail


def alloc_store_query():
    """The graph of ten triples, and a worker that, asked `# alloc N`, first maps N bytes (address
    space, which the memory cap limits; no page is touched)."""
    import mmap

    union = union_by_default(tiny_store())

    def query(text: str, **kw):
        if "# alloc " in text:
            try:
                mmap.mmap(-1, int(text.rsplit(" ", 1)[1])).close()
            except OSError:
                raise MemoryError from None
        return union(text, **kw)
    return query


def test_defaults_two_workers_2_gib_each_and_10000_rows():
    httpd, pool = web.make_server(alloc_store_query(), port=0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    s = Server.__new__(Server)
    s.httpd, s.pool, s.port = httpd, pool, httpd.server_address[1]
    s.host = f"127.0.0.1:{s.port}"
    try:
        assert len(pool._all) == 2
        ten_thousand = ("SELECT * WHERE { VALUES ?a {0 1 2 3 4 5 6 7 8 9} VALUES ?b {0 1 2 3 4 5 6 7 8 9} "
                        "VALUES ?c {0 1 2 3 4 5 6 7 8 9} VALUES ?d {0 1 2 3 4 5 6 7 8 9} }")
        code, _, body = s.query(ten_thousand)
        assert code == 200 and body.count("\r\n") == 10001
        code, _, body = s.query(ten_thousand.replace("VALUES ?a {0", "VALUES ?a {10 0"))
        assert code == 413 and "more than 10000 rows" in one_line(body)
        assert s.query(f"{COUNT} # alloc {3 << 29}")[:3:2] == (200, "n\r\n10\r\n")  # 1.5 GiB fits
        code, _, body = s.query(f"{COUNT} # alloc {5 << 29}")  # 2.5 GiB does not
        assert code == 503 and "memory" in one_line(body)
    finally:
        s.close()
