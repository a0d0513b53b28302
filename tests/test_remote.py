"""Graphs past one machine, on two real engines: `tajsec load` pushes the built graph to an
Oxigraph server and to Virtuoso 7 (each started here on loopback with a throwaway database) over
the Graph Store Protocol, and `tajsec query --endpoint --graph` runs every competency question
there: the answers must match the expected CSVs, so the questions stay portable.

Virtuoso is Debian's `virtuoso-opensource`; when it is missing the test installs it if it runs
as root (as in CI: about 20 s with apt-get update), and skips saying why otherwise. Its Graph
Store endpoint wants HTTP Digest: the load is authenticated as `dba`.
"""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from tajsec.sparql import queries
from tajsec.cli import main
from tajsec.sparql.results import Result

from debian_packages import ensure_package

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = sorted((ROOT / "queries" / "questions").glob("*.rq"))
GRAPH = "https://w3id.org/tajsec/graph/all"
VIRTUOSO_PASSWORD = "dba"  # the password of a fresh database's dba: the database lives in tmp only


@dataclass
class Engine:
    name: str
    query_url: str  # SPARQL 1.1 Protocol
    store_url: str  # Graph Store Protocol
    user: str | None = None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, proc: subprocess.Popen, seconds: float, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the server stopped at start (exit {proc.returncode}): "
                        + (log.read_text(errors="replace")[-2000:] if log and log.exists() else ""))
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"no answer from {url} within {seconds:g} s")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


# -- Oxigraph ---------------------------------------------------------------------------------

def _oxigraph() -> str:
    exe = Path(sys.executable).parent / "oxigraph"
    return str(exe) if exe.exists() else (shutil.which("oxigraph") or pytest.skip("oxigraph server not installed"))


def start_oxigraph(tmp: Path):
    port = _free_port()
    proc = subprocess.Popen([_oxigraph(), "serve", "--location", str(tmp), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    _wait_for(f"{base}/query?query=ASK%7B%7D", proc, 20)
    return Engine("oxigraph", f"{base}/query", f"{base}/store"), proc


# -- Virtuoso ---------------------------------------------------------------------------------

VIRTUOSO_INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 4
MaxClientConnections = 4
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def _virtuoso() -> str:
    """The Virtuoso server binary, installed from Debian when missing and we are root."""
    if not shutil.which("virtuoso-t"):
        ensure_package("virtuoso-opensource", "the Virtuoso test")
    return shutil.which("virtuoso-t") or pytest.skip("virtuoso-opensource is installed but virtuoso-t is not on PATH")


def start_virtuoso(tmp: Path):
    exe = _virtuoso()
    http_port, sql_port = _free_port(), _free_port()
    ini = tmp / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(db=tmp, sql_port=sql_port, http_port=http_port))
    proc = subprocess.Popen([exe, "+foreground", "+configfile", str(ini)], cwd=tmp,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    _wait_for(f"{base}/sparql?query=ASK%7B%7D", proc, 120, tmp / "virtuoso.log")
    return Engine("virtuoso", f"{base}/sparql", f"{base}/sparql-graph-crud-auth", user="dba"), proc


# -- the same tests on both engines -------------------------------------------------------------

def _load(engine: Engine, *extra: str):
    args = ["load", "--endpoint", engine.store_url, "--graph", GRAPH, *extra]
    if engine.user:
        args += ["--user", engine.user]
    return CliRunner().invoke(main, args, env={"TAJSEC_ROOT": str(ROOT), "TAJSEC_PASSWORD": VIRTUOSO_PASSWORD})


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def loaded(request, tmp_path_factory):
    started = time.monotonic()
    engine, proc = (start_oxigraph if request.param == "oxigraph" else start_virtuoso)(
        tmp_path_factory.mktemp(request.param))
    try:
        res = _load(engine, "--chunk", "3000")
        assert res.exit_code == 0, res.output
        print(f"{engine.name}: started and loaded in {time.monotonic() - started:.1f} s", file=sys.stderr)
        yield engine, int(res.output.split()[2])
    finally:
        _stop(proc)


def _count(engine: Engine) -> int:
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
    req = urllib.request.Request(engine.query_url, data=urllib.parse.urlencode({"query": q}).encode(),
                                 headers={"Accept": "application/sparql-results+json",
                                          "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return int(json.loads(r.read())["results"]["bindings"][0]["n"]["value"])


def test_load_is_chunked_and_idempotent(loaded):
    engine, sent = loaded
    assert sent > 10000
    assert _count(engine) == sent
    res = _load(engine, "--chunk", "5000")
    assert res.exit_code == 0, res.output
    assert _count(engine) == sent, "loading twice must not duplicate"
    # load as the fixture did, for the tests after this one: after the reload in chunks of 5,000
    # (graph replaced, then added to), Virtuoso 7 answered one property-path question
    # (sources-asia-plus-footnotes, `dcterms:publisher?`) with no rows, though the triples were all there
    assert _load(engine, "--chunk", "3000").exit_code == 0


def test_load_without_credentials_is_refused_clearly(loaded):
    engine, _ = loaded
    if not engine.user:
        pytest.skip(f"{engine.name} here takes writes without credentials")
    res = CliRunner().invoke(main, ["load", "--endpoint", engine.store_url, "--graph", GRAPH],
                             env={"TAJSEC_ROOT": str(ROOT), "TAJSEC_PASSWORD": None})
    assert res.exit_code == 2 and "HTTP 401" in res.output and "--user" in res.output
    res = CliRunner().invoke(main, ["load", "--endpoint", engine.store_url, "--graph", GRAPH, "--user", engine.user],
                             env={"TAJSEC_ROOT": str(ROOT), "TAJSEC_PASSWORD": "not-the-password"})
    assert res.exit_code == 2 and "refused the credentials" in res.output and "not-the-password" not in res.output


def _remote_answer(engine, path) -> Result:
    res = CliRunner().invoke(main, ["query", str(path), "--endpoint", engine.query_url, "--graph", GRAPH,
                                    "--format", "json"], env={"TAJSEC_ROOT": str(ROOT)})
    assert res.exit_code == 0, res.output
    solutions = ox.parse_query_results(res.output.encode(), format=ox.QueryResultsFormat.JSON)
    variables = [v.value for v in solutions.variables]
    return Result(variables, [[s[v] for v in variables] for s in solutions])


@pytest.mark.parametrize("path", QUESTIONS, ids=lambda p: p.stem)
def test_same_answers_remotely(loaded, path):
    engine, _ = loaded
    assert queries.compare(_remote_answer(engine, path), path.with_suffix(".csv")) == []


def test_unreachable_endpoint_is_a_clean_error():
    res = CliRunner().invoke(main, ["load", "--endpoint", "http://127.0.0.1:9/store"], env={"TAJSEC_ROOT": str(ROOT)})
    assert res.exit_code == 2 and "error:" in res.output and "connection refused" in res.output


# -- comparing answers across engines -------------------------------------------------------------

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize("cell,matches", [
    (ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")), True),
    (ox.Literal("1", datatype=ox.NamedNode(XSD + "boolean")), True),  # Virtuoso's stored boolean
    (ox.Literal("1", datatype=ox.NamedNode(XSD + "integer")), True),  # Virtuoso's EXISTS
    (ox.Literal("0", datatype=ox.NamedNode(XSD + "integer")), False),
    (ox.Literal("1"), False),  # a string is not a boolean
    (ox.Literal("false", datatype=ox.NamedNode(XSD + "boolean")), False),
])
def test_compare_reads_booleans_by_value(tmp_path, cell, matches):
    expected = tmp_path / "q.csv"
    expected.write_text("x,flag\r\na,true\r\nb,false\r\n")
    result = Result(["x", "flag"], [[ox.Literal("a"), cell], [ox.Literal("b"), ox.Literal("false")]])
    assert (queries.compare(result, expected) == []) is matches


def test_compare_keeps_numbers_in_columns_that_are_not_boolean(tmp_path):
    expected = tmp_path / "q.csv"
    expected.write_text("n\r\n1\r\n")
    one = ox.Literal("1", datatype=ox.NamedNode(XSD + "integer"))
    assert queries.compare(Result(["n"], [[one]]), expected) == []
    assert queries.compare(Result(["n"], [[ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))]]),
                           expected) == ["missing row ['1']", "unexpected row ['true']"]
