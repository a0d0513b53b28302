"""`tajsec load FILE...`: data files pushed to a Graph Store Protocol endpoint without being held
whole: streamed through the one loader, sent a chunk at a time (the first replacing the graph),
ill-typed literals sent as written with a warning, a malformed file an error naming its line."""
from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from tajsec.cli import main
from tajsec.sparql import remote

ROOT = Path(__file__).resolve().parent.parent
GRAPH = "http://example.org/loaded"
EX = "http://example.org/"

NT = (f'<{EX}a> <{EX}p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
      f'<{EX}a> <{EX}q> _:b1 .\n'
      f'_:b1 <{EX}r> "x"@en .\n'
      f'<{EX}b> <{EX}d> "2004-13"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> .\n')
TRIG = f"<{EX}g> {{ <{EX}c> <{EX}p> <{EX}a> . <{EX}c> <{EX}p> <{EX}b> . }}\n<{EX}a> <{EX}p> <{EX}c> .\n"


@pytest.fixture
def files(tmp_path) -> list[Path]:
    (tmp_path / "a.nt").write_text(NT, encoding="utf-8")
    (tmp_path / "b.trig").write_text(TRIG, encoding="utf-8")
    return [tmp_path / "a.nt", tmp_path / "b.trig"]


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, list[ox.Triple]]]:
    """What load_files sends, request by request (method, triples), instead of sending it."""
    requests: list[tuple[str, list[ox.Triple]]] = []

    def fake_send(method, url, body, content_type, timeout, authorizer):
        assert content_type == "application/n-triples" and url.endswith(urllib.parse.quote(GRAPH, safe=""))
        requests.append((method, list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))))

    monkeypatch.setattr(remote, "_send", fake_send)
    monkeypatch.setattr(remote, "_authorizer", lambda *a: None)
    return requests


def test_files_are_sent_in_chunks_first_replacing(files, sent):
    warnings: list = []
    n = remote.load_files(files, "http://127.0.0.1:7878/store", GRAPH, chunk=2, warnings=warnings)
    assert n == 7
    assert [m for m, _ in sent] == ["PUT", "POST", "POST", "POST"]
    assert [len(t) for _, t in sent] == [2, 2, 2, 1]   # never more than a chunk in one request
    got = {(str(t.subject), str(t.predicate), str(t.object)) for _, ts in sent for t in ts
           if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)}
    # the dataset's named graph folded into the target; the ill-typed literal sent as written
    assert (f"<{EX}c>", f"<{EX}p>", f"<{EX}b>") in got
    assert (f"<{EX}b>", f"<{EX}d>", '"2004-13"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>') in got
    assert [str(w) for w in warnings] == [(f"{files[0]}:4: warning: ill-typed literal kept as written: "
                                           '"2004-13" is not a valid xsd:gYearMonth')]
    # the blank node keeps one label across the two triples that use it
    blanks = [t for _, ts in sent for t in ts if isinstance(t.subject, ox.BlankNode)
              or isinstance(t.object, ox.BlankNode)]
    assert len(blanks) == 2 and blanks[0].object == blanks[1].subject


def test_no_triples_still_replace_the_graph(tmp_path, sent):
    (tmp_path / "empty.nt").write_text("", encoding="utf-8")
    assert remote.load_files([tmp_path / "empty.nt"], "http://127.0.0.1:7878/store", GRAPH) == 0
    assert sent == [("PUT", [])]


def test_malformed_file_names_its_line(tmp_path, files, sent):
    bad = tmp_path / "bad.nt"
    bad.write_text(f"<{EX}a> <{EX}p> <{EX}b> .\n<{EX}a> <{EX}p> .\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["load", "--endpoint", "http://127.0.0.1:7878/store", "--graph", GRAPH,
                                    str(files[0]), str(bad)], env={"TAJSEC_ROOT": str(ROOT)})
    assert res.exit_code == 2, res.output
    assert f"{bad}:2" in res.output


def test_load_files_into_oxigraph_is_idempotent(tmp_path, files):
    from test_remote import _stop, start_oxigraph

    engine, proc = start_oxigraph(tmp_path / "db")
    try:
        for _ in range(2):   # twice: the graph replaced, not added to
            res = CliRunner().invoke(main, ["load", "--endpoint", engine.store_url, "--graph", GRAPH, "--chunk", "3",
                                            *map(str, files)], env={"TAJSEC_ROOT": str(ROOT)})
            assert res.exit_code == 0, res.output
            assert "7 triples from 2 file(s)" in res.output
            assert "ill-typed literal kept as written" in res.output
            q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
            req = urllib.request.Request(engine.query_url, data=urllib.parse.urlencode({"query": q}).encode(),
                                         headers={"Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(req, timeout=30) as r:
                assert int(json.loads(r.read())["results"]["bindings"][0]["n"]["value"]) == 7
    finally:
        _stop(proc)


def test_a_refused_chunk_stops_the_load(files, monkeypatch):
    calls: list[str] = []

    def refusing_send(method, url, body, content_type, timeout, authorizer):
        calls.append(method)
        if len(calls) == 2:
            raise remote.RemoteError("HTTP 500 from the endpoint")

    monkeypatch.setattr(remote, "_send", refusing_send)
    monkeypatch.setattr(remote, "_authorizer", lambda *a: None)
    with pytest.raises(remote.RemoteError, match="HTTP 500"):
        remote.load_files(files, "http://127.0.0.1:7878/store", GRAPH, chunk=1)
    assert calls[:2] == ["PUT", "POST"] and len(calls) <= 3   # at most the chunk already on its way after it
