"""The ontology: parses, declares what it uses, passes the formatter, and HermiT finds it
consistent with the data."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tajsec.graph.build import build
from tajsec.core.namespaces import PREFIXES
from tajsec.reason.hermit import reasoner_input, run_hermit

ROOT = Path(__file__).resolve().parent.parent
TURTLE = sorted([*ROOT.glob("ontology/*.ttl"), *ROOT.glob("instances/*.ttl"), *ROOT.glob("shapes/*.ttl")])


def test_turtle_files_collected():
    assert len(TURTLE) >= 15


@pytest.mark.parametrize("path", TURTLE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_prefixes_are_allow_listed(path):
    """Catches typos such as dcterms: bound to the wrong namespace, which is still legal Turtle."""
    for m in re.finditer(r"@prefix\s+(\w*):\s*<([^>]*)>", path.read_text(encoding="utf-8")):
        prefix, ns = m.groups()
        assert PREFIXES.get(prefix) == ns, f"{path.name}: @prefix {prefix}: <{ns}> is not in namespaces.PREFIXES"


def test_turtle_is_formatted():
    """Hand-edited Turtle is kept in turtlefmt's layout (run `make format` to fix)."""
    exe = shutil.which("turtlefmt", path=str(Path(sys.executable).parent)) or shutil.which("turtlefmt")
    assert exe, "turtlefmt is installed with the project"
    proc = subprocess.run([exe, "--check", *map(str, TURTLE)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]


def test_ontology_header(built):
    from conftest import select
    rows = select(built, """
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX vann: <http://purl.org/vocab/vann/>
        SELECT ?title ?licence ?version ?versionIri ?prefix ?source WHERE {
          <https://w3id.org/tajsec/onto> a owl:Ontology ; dcterms:title ?title ;
            dcterms:license ?licence ; owl:versionInfo ?version ; owl:versionIRI ?versionIri ;
            vann:preferredNamespacePrefix ?prefix ; dcterms:source ?source }""")
    assert len(rows) == 1
    title, licence, version, version_iri, prefix, source = rows[0]
    assert licence == "https://creativecommons.org/licenses/by/4.0/"
    assert version_iri.endswith(version)
    assert prefix == "ts"
    assert "Matveeva" in source


@pytest.mark.slow
def test_hermit_consistent_no_unsatisfiable_classes(project, built):
    r = run_hermit(reasoner_input(built.store, built.source_graphs), cache_dir=None)
    assert r.error is None, r.error
    assert r.consistent is True
    assert r.unsatisfiable == []


@pytest.mark.slow
def test_hermit_detects_an_inconsistency(project, tmp_path):
    """A reasoner that cannot say no is no check: an individual typed with two classes that
    this test declares disjoint must come out inconsistent."""
    bad = tmp_path / "bad.ttl"
    bad.write_text("""
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ts: <https://w3id.org/tajsec/onto/> .
ts:Person owl:disjointWith ts:Place .
<https://w3id.org/tajsec/id/x> a ts:Person , ts:Place .
""")
    b = build(project, project.ontology_files + [bad], derive=False)
    r = run_hermit(reasoner_input(b.store, b.source_graphs), cache_dir=None)
    assert r.consistent is False


def test_each_subject_is_described_in_one_file_only():
    """One home for each fact: a node's block lives in exactly one file (and, within it, in one
    block, which turtlefmt's layout and this check together keep)."""
    import collections

    import pyoxigraph as ox

    homes = collections.defaultdict(set)
    for path in TURTLE:
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if isinstance(q.subject, ox.NamedNode):
                homes[q.subject.value].add(f"{path.parent.name}/{path.name}")
    shared = {s: sorted(f) for s, f in homes.items() if len(f) > 1}
    assert shared == {}


@pytest.mark.parametrize("path", TURTLE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_one_block_per_subject(path):
    """A subject's triples are never split across two blocks of a file."""
    seen = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line[0].isspace() and not line.startswith(("@prefix", "#")):
            subject = line.split()[0]
            assert subject not in seen, f"{path.name}: {subject} starts two blocks"
            seen.add(subject)
