"""Graphs past one machine: `tajsec load` pushes the built graph to a real Oxigraph server
(started here on loopback, read-write, in a temporary folder) over the Graph Store Protocol, and
`tajsec query --endpoint` runs the competency questions there with the same answers as embedded."""
from __future__ import annotations

import csv
import io
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from tajsec.sparql import queries
from tajsec.cli import main

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = sorted((ROOT / "queries" / "questions").glob("*.rq"))
GRAPH = "https://w3id.org/tajsec/graph/all"


def _oxigraph() -> str:
    exe = Path(sys.executable).parent / "oxigraph"
    return str(exe) if exe.exists() else (shutil.which("oxigraph") or pytest.skip("oxigraph server not installed"))


@pytest.fixture(scope="module")
def store_server(tmp_path_factory):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([_oxigraph(), "serve", "--location", str(tmp_path_factory.mktemp("oxi")),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)


def _count(base: str, graph: str) -> int:
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    req = urllib.request.Request(f"{base}/query", data=urllib.parse.urlencode({"query": q}).encode(),
                                 headers={"Accept": "application/sparql-results+json",
                                          "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return int(json.loads(r.read())["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def loaded(store_server):
    runner = CliRunner()
    res = runner.invoke(main, ["load", "--endpoint", f"{store_server}/store", "--graph", GRAPH, "--chunk", "3000"],
                        env={"TAJSEC_ROOT": str(ROOT)})
    assert res.exit_code == 0, res.output
    return store_server, int(res.output.split()[2])


def test_load_is_chunked_and_idempotent(loaded):
    base, sent = loaded
    assert sent > 10000
    assert _count(base, GRAPH) == sent
    res = CliRunner().invoke(main, ["load", "--endpoint", f"{base}/store", "--graph", GRAPH, "--chunk", "5000"],
                             env={"TAJSEC_ROOT": str(ROOT)})
    assert res.exit_code == 0, res.output
    assert _count(base, GRAPH) == sent, "loading twice must not duplicate"


@pytest.mark.parametrize("path", QUESTIONS, ids=lambda p: p.stem)
def test_same_answers_remotely(loaded, path):
    base, _ = loaded
    res = CliRunner().invoke(main, ["query", str(path), "--endpoint", f"{base}/query", "--graph", GRAPH,
                                    "--format", "csv"], env={"TAJSEC_ROOT": str(ROOT)})
    assert res.exit_code == 0, res.output
    rows = list(csv.reader(io.StringIO(res.output)))
    header, expected = queries.read_expected(path.with_suffix(".csv"))
    assert rows[0] == header
    assert sorted(rows[1:]) == sorted(expected)


def test_unreachable_endpoint_is_a_clean_error():
    res = CliRunner().invoke(main, ["load", "--endpoint", "http://127.0.0.1:9/store"], env={"TAJSEC_ROOT": str(ROOT)})
    assert res.exit_code == 2 and "error:" in res.output
