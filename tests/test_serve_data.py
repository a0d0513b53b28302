"""`tajsec serve --data FILE`: other files served beside the built graph, each in a named graph of
its own, through the project's loader (its errors name file and line; exit 2 before listening)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from conftest import free_port

ROOT = Path(__file__).resolve().parent.parent


def _serve(*args: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tajsec", "serve", "--port", str(port), "--workers", "1", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, TAJSEC_ROOT=str(ROOT)), cwd=ROOT)
    return proc, port


def _select(port: int, query: str) -> list[dict]:
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())["results"]["bindings"]


def test_data_files_are_served_beside_the_graph_each_in_its_named_graph(tmp_path):
    one, two = tmp_path / "one.ttl", tmp_path / "two.nt"
    one.write_text('<https://e.org/a> <https://e.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
                   '<https://e.org/a> <https://e.org/q> "x,y"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
    two.write_text('<https://e.org/b> <https://e.org/p> "2" .\n')
    proc, port = _serve("--data", str(one), "--data", str(two))
    try:
        assert "/sparql" in proc.stdout.readline()
        rows = _select(port, "SELECT ?s ?g WHERE { GRAPH ?g { ?s <https://e.org/p> ?o } } ORDER BY ?s")
        graphs = [r["g"]["value"] for r in rows]
        assert [r["s"]["value"] for r in rows] == ["https://e.org/a", "https://e.org/b"]
        assert graphs[0] != graphs[1] and graphs[0].endswith("/one.ttl") and graphs[1].endswith("/two.nt")
        # the default graph is the union: our graph and the data together
        both = _select(port, "SELECT ?o ?label WHERE { <https://e.org/b> <https://e.org/p> ?o . "
                             "<https://w3id.org/tajsec/id/tajikistan> <http://www.w3.org/2000/01/rdf-schema#label> ?label }")
        assert both and both[0]["o"]["value"] == "2"
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    err = proc.stderr.read()
    assert "1 warning(s) loading --data" in err and "one.ttl" in err   # the ill-typed integer, leniently


def test_a_malformed_data_file_stops_the_server_before_it_listens(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('<https://e.org/a> <https://e.org/p> "1" .\n<https://e.org/a> <https://e.org/p> .\n')
    proc, _ = _serve("--data", str(bad))
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and out == ""
    assert "bad.ttl" in err and ":2" in err


def test_a_data_file_of_unknown_kind_or_already_in_the_graph_is_refused(tmp_path):
    odd = tmp_path / "data.xyz"
    odd.write_text("x")
    proc, _ = _serve("--data", str(odd))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and "data.xyz" in err
    proc, _ = _serve("--data", str(ROOT / "instances" / "agencies.ttl"))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and "already served" in err
