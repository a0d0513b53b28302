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

from tajsec.sparql import queries

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = sorted((ROOT / "queries" / "questions").glob("*.rq"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    env = dict(os.environ, TAJSEC_ROOT=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "tajsec", "serve", "--port", str(port), "--timeout", "3"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    line = proc.stdout.readline()
    assert f"http://127.0.0.1:{port}/sparql" in line, line + proc.stderr.read()
    yield f"http://127.0.0.1:{port}", proc
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
