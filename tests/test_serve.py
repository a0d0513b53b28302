"""`tajsec serve`: a real server process, queried over HTTP with the SPARQL 1.1 Protocol."""
from __future__ import annotations

import csv
import io
import json
import re
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import free_port, start_serve

from tajsec.sparql import queries

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = sorted((ROOT / "queries" / "questions").glob("*.rq"))


@pytest.fixture(scope="module")
def server():
    base, _, proc = start_serve("--timeout", "3")
    yield base, proc
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 0


def _get(url, accept="application/sparql-results+json", headers=None):
    req = urllib.request.Request(url, headers={"Accept": accept, **(headers or {})})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.headers.get("Content-Type"), r.read().decode("utf-8")


def _post(url, data: bytes, ctype: str, accept="application/sparql-results+json"):
    req = urllib.request.Request(url, data=data, headers={"Content-Type": ctype, "Accept": accept})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.headers.get("Content-Type"), r.read().decode("utf-8")


def _status(fn, *args, **kw) -> tuple[int, str]:
    try:
        code, _, body = fn(*args, **kw)
        return code, body
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


QUERY = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
         "SELECT ?label WHERE { <https://w3id.org/tajsec/id/drug-control-agency> rdfs:label ?label }")


def test_binds_loopback_only(server):
    """The listening socket is bound to 127.0.0.1, not to every interface (Linux /proc)."""
    base, _ = server
    port = int(base.rsplit(":", 1)[1])
    table = Path("/proc/net/tcp")
    if not table.exists():
        pytest.skip("no /proc/net/tcp on this system")
    listening = [line.split()[1] for line in table.read_text().splitlines()[1:]
                 if line.split()[3] == "0A" and int(line.split()[1].split(":")[1], 16) == port]
    assert listening == [f"0100007F:{port:04X}"]


def test_get_json(server):
    base, _ = server
    code, ctype, body = _get(f"{base}/sparql?" + urllib.parse.urlencode({"query": QUERY}))
    assert code == 200 and ctype.startswith("application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["label"]["value"] == "Drug Control Agency"


def test_post_direct_csv(server):
    base, _ = server
    code, ctype, body = _post(f"{base}/sparql", QUERY.encode(), "application/sparql-query", accept="text/csv")
    assert code == 200 and ctype.startswith("text/csv")
    assert list(csv.reader(io.StringIO(body))) == [["label"], ["Drug Control Agency"]]


def test_post_form(server):
    base, _ = server
    code, _, body = _post(f"{base}/sparql", urllib.parse.urlencode({"query": QUERY}).encode(),
                          "application/x-www-form-urlencoded")
    assert code == 200 and "Drug Control Agency" in body


def test_updates_are_refused(server):
    base, _ = server
    upd = "DELETE WHERE { ?s ?p ?o }"
    assert _status(_post, f"{base}/sparql", urllib.parse.urlencode({"update": upd}).encode(),
                   "application/x-www-form-urlencoded")[0] == 403
    assert _status(_post, f"{base}/sparql", upd.encode(), "application/sparql-update")[0] == 403
    assert _status(_post, f"{base}/update", upd.encode(), "application/sparql-update")[0] == 403
    # and the data is still there
    assert "Drug Control Agency" in _get(f"{base}/sparql?" + urllib.parse.urlencode({"query": QUERY}))[2]


def test_service_and_load_are_refused(server):
    base, _ = server
    for q in ["SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
              "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"]:
        code, body = _status(_get, f"{base}/sparql?" + urllib.parse.urlencode({"query": q}))
        assert code == 400 and "SERVICE" in body


def test_foreign_host_header_is_refused(server):
    base, _ = server
    code, _ = _status(_get, f"{base}/", headers={"Host": "attacker.example"})
    assert code == 403


def test_timeout_is_an_error_not_a_truncated_answer(server):
    base, _ = server
    q = "SELECT ?a ?b ?c WHERE { ?a ?p1 ?x . ?b ?p2 ?y . ?c ?p3 ?z }"
    code, _ = _status(_get, f"{base}/sparql?" + urllib.parse.urlencode({"query": q}))
    assert code in (413, 503)


def test_query_page(server):
    base, _ = server
    code, ctype, body = _get(f"{base}/", accept="text/html")
    assert code == 200 and ctype.startswith("text/html")
    assert "PREFIX tsd: &lt;https://w3id.org/tajsec/id/&gt;" in body
    assert not re.search(r'(src|href)="(https?:)?//', body), "the page loads nothing from elsewhere"


@pytest.mark.parametrize("path", QUESTIONS, ids=lambda p: p.stem)
def test_competency_questions_same_answers_served(server, path):
    base, _ = server
    qf = queries.QueryFile.read(path)
    _, _, body = _post(f"{base}/sparql", qf.text.encode(), "application/sparql-query", accept="text/csv")
    rows = list(csv.reader(io.StringIO(body)))
    header, expected = queries.read_expected(path.with_suffix(".csv"))
    assert rows[0] == header
    assert sorted(rows[1:]) == sorted(expected)


# -- datasets: default-graph-uri / named-graph-uri, FROM / FROM NAMED ---------------------------

DRUGS = "https://w3id.org/tajsec/graph/instances/drugs.ttl"  # where the agency's label is asserted
AGENCIES = "https://w3id.org/tajsec/graph/instances/agencies.ttl"
AGENCY_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { <https://w3id.org/tajsec/id/drug-control-agency> ?p ?o }"


def _select(base: str, params: list[tuple[str, str]]) -> list[dict]:
    _, _, body = _get(f"{base}/sparql?" + urllib.parse.urlencode(params))
    return json.loads(body)["results"]["bindings"]


def _count(base: str, query: str, **dataset) -> int:
    params = [("query", query)] + [(k.replace("_", "-"), v) for k, vs in dataset.items() for v in vs]
    return int(_select(base, params)[0]["n"]["value"])


def test_default_graph_is_the_union_of_all_graphs(server):
    base, _ = server
    # 7 asserted in drugs.ttl + 17 derived (the built graph's own figures, checked per graph below)
    union = _count(base, AGENCY_TRIPLES)
    assert union == _count(base, AGENCY_TRIPLES, default_graph_uri=[DRUGS]) + _count(
        base, AGENCY_TRIPLES, default_graph_uri=["https://w3id.org/tajsec/graph/derived"])
    assert union > 7


def test_default_graph_uri_restricts_the_default_graph(server):
    base, _ = server
    assert [b["label"]["value"] for b in _select(base, [("query", QUERY), ("default-graph-uri", DRUGS)])] == [
        "Drug Control Agency"]
    assert _select(base, [("query", QUERY), ("default-graph-uri", AGENCIES)]) == []
    # two default-graph-uri: their merge
    assert len(_select(base, [("query", QUERY), ("default-graph-uri", AGENCIES), ("default-graph-uri", DRUGS)])) == 1


def test_named_graph_uri_alone_leaves_an_empty_default_graph(server):
    base, _ = server
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert [b["g"]["value"] for b in _select(base, [("query", q), ("named-graph-uri", DRUGS)])] == [DRUGS]
    assert _count(base, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", named_graph_uri=[DRUGS]) == 0


def test_from_and_from_named_in_the_query(server):
    base, _ = server
    from_drugs = QUERY.replace("SELECT ?label WHERE", f"SELECT ?label FROM <{DRUGS}> WHERE")
    from_agencies = QUERY.replace("SELECT ?label WHERE", f"SELECT ?label FROM <{AGENCIES}> WHERE")
    assert len(_select(base, [("query", from_drugs)])) == 1
    assert _select(base, [("query", from_agencies)]) == []
    named = f"SELECT DISTINCT ?g FROM NAMED <{AGENCIES}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert [b["g"]["value"] for b in _select(base, [("query", named)])] == [AGENCIES]
    # the protocol's dataset replaces the query's (SPARQL 1.1 Protocol, 2.1.4)
    assert len(_select(base, [("query", from_agencies), ("default-graph-uri", DRUGS)])) == 1


@pytest.mark.parametrize("iri", ["not an iri", "relative/path", "http://exa mple.org/"])
def test_bad_graph_iri_is_400(server, iri):
    base, _ = server
    for name in ("default-graph-uri", "named-graph-uri"):
        code, body = _status(_get, f"{base}/sparql?" + urllib.parse.urlencode({"query": QUERY, name: iri}))
        assert code == 400 and name in body and "IRI" in body and body.count("\n") == 1


# -- service description, CORS, OPTIONS -------------------------------------------------------------

def test_service_description(server):
    import pyoxigraph as ox

    base, _ = server
    code, ctype, body = _get(f"{base}/sparql", accept="*/*")
    assert code == 200 and ctype.startswith("text/turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    triples = [q.triple for q in ox.parse(body.encode(), format=ox.RdfFormat.TURTLE)]
    me = ox.NamedNode(f"{base}/sparql")
    assert ox.Triple(me, ox.NamedNode(sd + "endpoint"), me) in triples
    assert ox.Triple(me, ox.NamedNode(sd + "supportedLanguage"), ox.NamedNode(sd + "SPARQL11Query")) in triples
    formats_listed = {t.object.value.rsplit("/", 1)[1] for t in triples if t.predicate.value == sd + "resultFormat"}
    assert {"SPARQL_Results_JSON", "SPARQL_Results_CSV", "Turtle", "JSON-LD"} <= formats_listed
    names = {t.object.value for t in triples if t.predicate.value == sd + "name"}
    assert DRUGS in names and AGENCIES in names
    # by content negotiation
    code, ctype, body = _get(f"{base}/sparql", accept="application/n-triples")
    assert ctype.startswith("application/n-triples") and f"<{base}/sparql>" in body
    assert _status(_get, f"{base}/sparql", accept="application/sparql-results+json")[0] == 406


def test_cors_for_queries(server):
    base, _ = server
    req = urllib.request.Request(f"{base}/sparql?" + urllib.parse.urlencode({"query": QUERY}),
                                 headers={"Origin": "https://yasgui.example", "Accept": "text/csv"})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.headers["Access-Control-Allow-Origin"] == "*"
    # not on the query page: only the endpoint is shared
    with urllib.request.urlopen(urllib.request.Request(f"{base}/", headers={"Origin": "https://x.example"}),
                                timeout=30) as r:
        assert r.headers["Access-Control-Allow-Origin"] is None


def test_options_answers_a_preflight(server):
    base, _ = server
    req = urllib.request.Request(f"{base}/sparql", method="OPTIONS", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 204
        assert "POST" in r.headers["Access-Control-Allow-Methods"]
        assert "content-type" in r.headers["Access-Control-Allow-Headers"].lower()
        assert r.headers["Access-Control-Allow-Origin"] == "*"
        assert set(r.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST", "OPTIONS"}


def test_no_cors_flag():
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tajsec", "serve", "--port", str(port), "--no-cors",
                             "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, TAJSEC_ROOT=str(ROOT)), cwd=ROOT)
    try:
        assert "/sparql" in proc.stdout.readline()
        req = urllib.request.Request(f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": QUERY}),
                                     headers={"Origin": "https://x.example"})
        with urllib.request.urlopen(req, timeout=30) as r:
            assert r.status == 200 and r.headers["Access-Control-Allow-Origin"] is None
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0


# -- bad input: a 4xx with a one-line reason, and the server keeps answering ------------------------

def _raw_request(base: str, data: bytes) -> tuple[int, str]:
    """Send raw bytes (asking the server to close afterwards); the status and body of the reply."""
    port = int(base.rsplit(":", 1)[1])
    data = data.replace(b"\r\n", b"\r\nConnection: close\r\n", 1)
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(data)
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode()


@pytest.mark.parametrize("what,request_bytes,status", [
    ("malformed percent-encoding", b"GET /sparql?query=ASK%7B%zz%7D HTTP/1.1\r\nHost: {host}\r\n\r\n", 400),
    ("invalid UTF-8 in percent-encoding", b"GET /sparql?query=ASK%FF%7B%7D HTTP/1.1\r\nHost: {host}\r\n\r\n", 400),
    ("unknown parameter", b"GET /sparql?query=ASK%7B%7D&timeout=99 HTTP/1.1\r\nHost: {host}\r\n\r\n", 400),
    ("bad default-graph-uri", b"GET /sparql?query=ASK%7B%7D&default-graph-uri=%3Cx%3E HTTP/1.1\r\nHost: {host}\r\n\r\n", 400),
    ("two queries", b"GET /sparql?query=ASK%7B%7D&query=ASK%7B%7D HTTP/1.1\r\nHost: {host}\r\n\r\n", 400),
    ("unknown format parameter", b"GET /sparql?query=ASK%7B%7D&format=png HTTP/1.1\r\nHost: {host}\r\n\r\n", 400),
    ("wrong Content-Type", b"POST /sparql HTTP/1.1\r\nHost: {host}\r\nContent-Type: text/plain\r\n"
                           b"Content-Length: 6\r\n\r\nASK {}", 415),
    ("no Content-Type", b"POST /sparql HTTP/1.1\r\nHost: {host}\r\nContent-Length: 6\r\n\r\nASK {}", 415),
    ("query over the size limit", b"POST /sparql HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/sparql-query\r\n"
                                  b"Content-Length: 2000000\r\n\r\n", 413),
    ("syntax error", b"GET /sparql?query=SELEKT HTTP/1.1\r\nHost: {host}\r\n\r\n", 400),
])
def test_bad_input_is_a_one_line_4xx(server, what, request_bytes, status):
    base, _ = server
    host = base.split("//")[1].encode()
    code, body = _raw_request(base, request_bytes.replace(b"{host}", host))
    assert code == status, body
    assert body.endswith("\n") and body.count("\n") == 1 and "Traceback" not in body, body
    # and the server keeps answering
    assert "Drug Control Agency" in _get(f"{base}/sparql?" + urllib.parse.urlencode({"query": QUERY}))[2]


def test_query_endpoint_graph_against_serve(server):
    """`tajsec query --endpoint .../sparql --graph G` queries G only (it was the union before)."""
    from click.testing import CliRunner

    from tajsec.cli import main

    base, _ = server
    env = {"TAJSEC_ROOT": str(ROOT)}
    args = ["query", "-e", QUERY, "--endpoint", f"{base}/sparql", "--format", "csv"]
    assert CliRunner().invoke(main, args + ["--graph", DRUGS], env=env).output.splitlines() == [
        "label", "Drug Control Agency"]
    assert CliRunner().invoke(main, args + ["--graph", AGENCIES], env=env).output.splitlines() == ["label"]
    assert len(CliRunner().invoke(main, args, env=env).output.splitlines()) == 2  # no --graph: the union
    assert "/sparql" in CliRunner().invoke(main, ["query", "--help"], env=env).output
