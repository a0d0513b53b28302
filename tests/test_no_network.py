"""Nothing reaches the network unless asked: a canary HTTP server on 127.0.0.1 counts requests
while tajsec reads inputs that point at it (owl:imports, JSON-LD contexts, XML external
entities, SPARQL SERVICE), through every engine (pyoxigraph, pySHACL/rdflib, owlready2/HermiT)."""
from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from tajsec.graph.build import build
from tajsec.cli import main
from tajsec.reason.hermit import reasoner_input, run_hermit

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def canary():
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        do_POST = do_GET

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", hits
    srv.shutdown()


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("TAJSEC_ROOT", raising=False)
    return CliRunner()


def test_inputs_pointing_at_the_network_fetch_nothing(canary, runner, tmp_path):
    url, hits = canary
    (tmp_path / "imports.ttl").write_text(
        f"@prefix owl: <http://www.w3.org/2002/07/owl#> .\n<https://example.org/o> a owl:Ontology ; owl:imports <{url}/onto.owl> .\n")
    (tmp_path / "context.jsonld").write_text(f'{{"@context": "{url}/ctx.jsonld", "@id": "https://example.org/a"}}')
    (tmp_path / "entity.rdf").write_text(
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "{url}/e">]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="https://example.org/a"/></rdf:RDF>')
    for name in ("imports.ttl", "context.jsonld", "entity.rdf"):
        runner.invoke(main, ["validate", str(tmp_path / name)])
    runner.invoke(main, ["query", "-e", f"SELECT ?s WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"])
    runner.invoke(main, ["query", "-e", f"SELECT ?s WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}"])
    assert hits == []


@pytest.mark.slow
def test_owl_imports_never_reach_owlready2(canary, tmp_path):
    url, hits = canary
    from tajsec.core.project import Project

    project = Project(ROOT)
    extra = tmp_path / "imports.ttl"
    extra.write_text(f"@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                     f"<https://example.org/o> a owl:Ontology ; owl:imports <{url}/onto.owl> .\n"
                     f"<https://example.org/o> <http://www.lesfleursdunormal.fr/static/_downloads/owlready_ontology.owl#python_module> \"os\" .\n")
    b = build(project, project.ontology_files + [extra], derive=False)
    nt = reasoner_input(b.store, b.source_graphs)
    assert url.encode() not in nt and b"python_module" not in nt
    r = run_hermit(nt, cache_dir=None)
    assert r.consistent is True
    assert hits == []


def test_query_allows_service_only_when_asked(canary, runner):
    url, hits = canary
    res = runner.invoke(main, ["query", "-e", f"SELECT ?s WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"])
    assert res.exit_code == 2 and "--allow-network" in res.output
    runner.invoke(main, ["query", "--allow-network", "--timeout", "5",
                         "-e", f"SELECT ?s WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}"])
    assert len(hits) >= 1, "with --allow-network the SERVICE request is made"
